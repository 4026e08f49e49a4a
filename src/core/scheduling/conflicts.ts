/**
 * Conflict detection for staff create/move: which existing appointments share a resource
 * (clinician, room, chair, nurse) with a candidate and overlap it once both sides'
 * buffers are counted. Same semantics as the availability engine: an appointment occupies
 * `[start − bufferBefore, end + bufferAfter)` on each of its resources, half-open, so
 * back-to-back blocks do not conflict. Working hours are not checked here — staff may book
 * outside them; only double-booking is refused.
 */
import {
  type BookedAppointment,
  NON_BLOCKING_APPOINTMENT_STATUSES,
  type ResourceRef,
  resourceKey,
} from './availability';
import { MS_PER_MINUTE, type EpochMs } from './zoned-time';

export interface CandidateAppointment {
  /** Set when moving an existing appointment, so it does not conflict with itself. */
  id?: string;
  start: EpochMs;
  end: EpochMs;
  bufferBeforeMinutes: number;
  bufferAfterMinutes: number;
  resources: readonly ResourceRef[];
}

export interface AppointmentConflict<A extends BookedAppointment = BookedAppointment> {
  appointment: A;
  /** The resources both appointments need, in the candidate's order. */
  sharedResources: ResourceRef[];
}

/** Buffered block `[start − before, end + after)` of an appointment, as epoch ms. */
export function bufferedBlockOf(a: {
  start: EpochMs;
  end: EpochMs;
  bufferBeforeMinutes: number;
  bufferAfterMinutes: number;
}): { start: EpochMs; end: EpochMs } {
  return { start: a.start - a.bufferBeforeMinutes * MS_PER_MINUTE, end: a.end + a.bufferAfterMinutes * MS_PER_MINUTE };
}

/**
 * Existing appointments that conflict with `candidate`, sorted by start then id, each with
 * the resources they share. Cancelled appointments and the candidate itself (same id) are
 * skipped. Throws RangeError when the candidate ends before it starts.
 */
export function findConflicts<A extends BookedAppointment>(
  candidate: CandidateAppointment,
  existing: readonly A[],
): AppointmentConflict<A>[] {
  if (!(candidate.end > candidate.start)) throw new RangeError('candidate end must be after its start');
  const block = bufferedBlockOf(candidate);
  const wanted = new Map<string, ResourceRef>();
  for (const r of candidate.resources) wanted.set(resourceKey(r), r);
  const conflicts: AppointmentConflict<A>[] = [];
  for (const appt of existing) {
    if (candidate.id !== undefined && appt.id === candidate.id) continue;
    if (appt.status !== undefined && NON_BLOCKING_APPOINTMENT_STATUSES.includes(appt.status)) continue;
    const other = bufferedBlockOf(appt);
    if (!(other.start < block.end && block.start < other.end)) continue;
    const theirs = new Set(appt.resources.map(resourceKey));
    const shared = [...wanted.entries()].filter(([key]) => theirs.has(key)).map(([, ref]) => ({ ...ref }));
    if (shared.length > 0) conflicts.push({ appointment: appt, sharedResources: shared });
  }
  conflicts.sort((x, y) => x.appointment.start - y.appointment.start || (x.appointment.id < y.appointment.id ? -1 : 1));
  return conflicts;
}

/** A one-line reason naming the first conflict, for a 409 message ("room:r1 is booked by appointment a1 …"). */
export function describeConflict(conflict: AppointmentConflict, renderInstant: (instant: EpochMs) => string): string {
  const a = conflict.appointment;
  const who = conflict.sharedResources.map(resourceKey).join(', ');
  return `${who} already booked by appointment ${a.id} (${renderInstant(a.start)} – ${renderInstant(a.end)})`;
}
