import { describe, expect, it } from 'vitest';
import type { BookedAppointment, ResourceRef } from './availability';
import { bufferedBlockOf, describeConflict, findConflicts, type CandidateAppointment } from './conflicts';
import { toZonedIso } from './zoned-time';

const MIN = 60_000;
const T = Date.parse('2026-03-02T17:00:00Z'); // 09:00 PST
const C1: ResourceRef = { kind: 'clinician', id: 'c1' };
const C2: ResourceRef = { kind: 'clinician', id: 'c2' };
const R1: ResourceRef = { kind: 'room', id: 'r1' };
const R2: ResourceRef = { kind: 'room', id: 'r2' };

function booked(id: string, startMin: number, endMin: number, resources: ResourceRef[], extra: Partial<BookedAppointment> = {}): BookedAppointment {
  return { id, start: T + startMin * MIN, end: T + endMin * MIN, bufferBeforeMinutes: 0, bufferAfterMinutes: 0, resources, ...extra };
}
function candidate(startMin: number, endMin: number, resources: ResourceRef[], extra: Partial<CandidateAppointment> = {}): CandidateAppointment {
  return { start: T + startMin * MIN, end: T + endMin * MIN, bufferBeforeMinutes: 0, bufferAfterMinutes: 0, resources, ...extra };
}
const ids = (cs: { appointment: { id: string } }[]) => cs.map((c) => c.appointment.id);

describe('findConflicts', () => {
  it('finds an overlapping appointment of the same clinician and names the shared resource', () => {
    const result = findConflicts(candidate(30, 90, [C1, R1]), [booked('a1', 0, 60, [C1, R2])]);
    expect(result).toEqual([{ appointment: booked('a1', 0, 60, [C1, R2]), sharedResources: [C1] }]);
  });
  it('finds a room conflict with a different clinician', () => {
    const result = findConflicts(candidate(30, 90, [C1, R1]), [booked('a1', 0, 60, [C2, R1])]);
    expect(result[0]!.sharedResources).toEqual([R1]);
  });
  it('reports every shared resource', () => {
    const result = findConflicts(candidate(30, 90, [C1, R1]), [booked('a1', 0, 60, [R1, C1])]);
    expect(result[0]!.sharedResources).toEqual([C1, R1]);
  });
  it('ignores overlaps without a shared resource, and same id of another kind', () => {
    expect(findConflicts(candidate(0, 60, [C1, R1]), [booked('a1', 0, 60, [C2, R2])])).toEqual([]);
    expect(findConflicts(candidate(0, 60, [C1]), [booked('a1', 0, 60, [{ kind: 'room', id: 'c1' }])])).toEqual([]);
  });
  it('back-to-back appointments do not conflict (half-open)', () => {
    const existing = [booked('before', -60, 0, [C1]), booked('after', 60, 120, [C1])];
    expect(findConflicts(candidate(0, 60, [C1]), existing)).toEqual([]);
  });
  it("counts the existing appointment's buffers", () => {
    expect(ids(findConflicts(candidate(60, 120, [C1]), [booked('a1', 0, 60, [C1], { bufferAfterMinutes: 10 })]))).toEqual(['a1']);
    expect(ids(findConflicts(candidate(70, 120, [C1]), [booked('a1', 0, 60, [C1], { bufferAfterMinutes: 10 })]))).toEqual([]);
    expect(ids(findConflicts(candidate(0, 60, [C1]), [booked('a1', 65, 120, [C1], { bufferBeforeMinutes: 10 })]))).toEqual(['a1']);
    expect(ids(findConflicts(candidate(0, 60, [C1]), [booked('a1', 70, 120, [C1], { bufferBeforeMinutes: 10 })]))).toEqual([]);
  });
  it("counts the candidate's buffers, added to the other side's", () => {
    const a = booked('a1', 0, 60, [C1], { bufferAfterMinutes: 10 });
    expect(ids(findConflicts(candidate(75, 120, [C1], { bufferBeforeMinutes: 15 }), [a]))).toEqual(['a1']);
    expect(ids(findConflicts(candidate(85, 120, [C1], { bufferBeforeMinutes: 15 }), [a]))).toEqual([]);
    expect(ids(findConflicts(candidate(-30, -5, [C1], { bufferAfterMinutes: 10 }), [a]))).toEqual(['a1']);
    expect(ids(findConflicts(candidate(-30, -10, [C1], { bufferAfterMinutes: 10 }), [a]))).toEqual([]);
  });
  it('contained and containing appointments conflict', () => {
    expect(ids(findConflicts(candidate(10, 20, [C1]), [booked('a1', 0, 60, [C1])]))).toEqual(['a1']);
    expect(ids(findConflicts(candidate(0, 60, [C1]), [booked('a1', 10, 20, [C1])]))).toEqual(['a1']);
  });
  it('skips cancelled appointments and the appointment being moved', () => {
    const existing = [booked('a1', 0, 60, [C1], { status: 'cancelled' }), booked('a2', 0, 60, [C1], { status: 'confirmed' })];
    expect(ids(findConflicts(candidate(0, 60, [C1]), existing))).toEqual(['a2']);
    expect(ids(findConflicts(candidate(0, 60, [C1], { id: 'a2' }), existing))).toEqual([]);
  });
  it('returns all conflicts sorted by start, then id', () => {
    const existing = [booked('z', 50, 70, [C1]), booked('b', 0, 30, [R1]), booked('a', 0, 30, [C1]), booked('far', 500, 530, [C1])];
    expect(ids(findConflicts(candidate(0, 60, [C1, R1]), existing))).toEqual(['a', 'b', 'z']);
  });
  it('keeps the caller\u2019s appointment type (generic)', () => {
    const rich = { ...booked('a1', 0, 60, [C1]), patientLabel: 'P-1' };
    const [conflict] = findConflicts(candidate(0, 60, [C1]), [rich]);
    expect(conflict!.appointment.patientLabel).toBe('P-1');
  });
  it('rejects an empty or reversed candidate', () => {
    expect(() => findConflicts(candidate(60, 60, [C1]), [])).toThrow(RangeError);
    expect(() => findConflicts(candidate(60, 0, [C1]), [])).toThrow(RangeError);
  });
  it('computes buffered blocks and describes a conflict for a 409', () => {
    expect(bufferedBlockOf({ start: T, end: T + 60 * MIN, bufferBeforeMinutes: 5, bufferAfterMinutes: 10 })).toEqual({
      start: T - 5 * MIN,
      end: T + 70 * MIN,
    });
    const [conflict] = findConflicts(candidate(0, 60, [C1, R1]), [booked('a1', 0, 60, [C1, R1])]);
    expect(describeConflict(conflict!, (t) => toZonedIso(t, 'America/Los_Angeles'))).toBe(
      'clinician:c1, room:r1 already booked by appointment a1 (2026-03-02T09:00:00-08:00 – 2026-03-02T10:00:00-08:00)',
    );
  });
});
