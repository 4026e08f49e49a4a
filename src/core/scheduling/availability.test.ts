import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type AppointmentTypeSpec,
  type AvailabilityRule,
  type BookedAppointment,
  type ComputeOpenSlotsInput,
  type OpenSlot,
  type ResourceKind,
  type ResourceRef,
  type TimeOff,
  DEFAULT_BOOKING_POLICY,
  assertValidAvailabilityRule,
  computeOpenSlots,
  findOpenSlotStartingAt,
} from './availability';
import {
  type IsoWeekday,
  addDaysToLocalDate,
  dayNumberOfLocalDate,
  instantOfLocalDateTime,
  isoWeekdayOfLocalDate,
  toZonedIso,
} from './zoned-time';

const LA = 'America/Los_Angeles';
const MIN = 60_000;
const H = 60 * MIN;
const utc = (iso: string) => Date.parse(iso);
const at = (date: string, time: string) => instantOfLocalDateTime(date, time, LA);
const ref = (kind: ResourceKind, id: string): ResourceRef => ({ kind, id });
const C1 = ref('clinician', 'c1');

function rule(
  resource: ResourceRef,
  weekday: IsoWeekday,
  startTime: string,
  endTime: string,
  extra: Partial<AvailabilityRule> = {},
): AvailabilityRule {
  return { resource, weekday, startTime, endTime, ...extra };
}
function everyDay(resource: ResourceRef, startTime: string, endTime: string): AvailabilityRule[] {
  return ([1, 2, 3, 4, 5, 6, 7] as const).map((d) => rule(resource, d, startTime, endTime));
}
function type(overrides: Partial<AppointmentTypeSpec> = {}): AppointmentTypeSpec {
  return {
    durationMinutes: 60,
    bufferBeforeMinutes: 0,
    bufferAfterMinutes: 0,
    slotStepMinutes: 60,
    requiredResourceKinds: ['clinician'],
    ...overrides,
  };
}
function appt(
  id: string,
  start: number,
  end: number,
  resources: ResourceRef[] = [C1],
  extra: Partial<BookedAppointment> = {},
): BookedAppointment {
  return { id, start, end, bufferBeforeMinutes: 0, bufferAfterMinutes: 0, resources, ...extra };
}
/** Input for one local date, `now` well before it, no notice, long horizon. */
function dayInput(date: string, overrides: Partial<ComputeOpenSlotsInput> = {}): ComputeOpenSlotsInput {
  return {
    zone: LA,
    now: utc('2026-01-01T00:00:00Z'),
    from: at(date, '00:00'),
    to: at(addDaysToLocalDate(date, 1), '00:00'),
    appointmentType: type(),
    candidates: { clinician: ['c1'] },
    rules: everyDay(C1, '09:00', '17:00'),
    policy: { horizonDays: 400, minNoticeMinutes: 0 },
    ...overrides,
  };
}
const localStarts = (slots: OpenSlot[]) => slots.map((s) => toZonedIso(s.start, LA).slice(11, 16));
const totalHours = (slots: OpenSlot[]) => slots.reduce((sum, s) => sum + (s.end - s.start), 0) / H;

describe('computeOpenSlots — basics', () => {
  it('offers a 09:00–17:00 rule as eight 1-hour slots on an ordinary day', () => {
    const slots = computeOpenSlots(dayInput('2026-03-02'));
    expect(localStarts(slots)).toEqual(['09:00', '10:00', '11:00', '12:00', '13:00', '14:00', '15:00', '16:00']);
    expect(slots[0]).toEqual({ start: utc('2026-03-02T17:00:00Z'), end: utc('2026-03-02T18:00:00Z'), resources: [C1] });
    expect(totalHours(slots)).toBe(8);
  });
  it('steps by slotStepMinutes, only where the whole appointment fits', () => {
    const slots = computeOpenSlots(dayInput('2026-03-02', { appointmentType: type({ durationMinutes: 50, slotStepMinutes: 20 }) }));
    expect(localStarts(slots).slice(0, 4)).toEqual(['09:00', '09:20', '09:40', '10:00']);
    expect(localStarts(slots).at(-1)).toBe('16:00'); // 16:20 + 50 min would end after 17:00
    for (const s of slots) expect(s.end - s.start).toBe(50 * MIN);
  });
  it('returns slots sorted by start with no duplicates for overlapping rules', () => {
    const slots = computeOpenSlots(
      dayInput('2026-03-02', {
        rules: [rule(C1, 1, '09:00', '12:00'), rule(C1, 1, '11:00', '14:00'), rule(C1, 1, '09:00', '10:00')],
      }),
    );
    expect(localStarts(slots)).toEqual(['09:00', '10:00', '11:00', '12:00', '13:00']);
  });
  it('lets a slot span two adjoining rule windows', () => {
    const slots = computeOpenSlots(
      dayInput('2026-03-02', {
        appointmentType: type({ durationMinutes: 90, slotStepMinutes: 30 }),
        rules: [rule(C1, 1, '09:00', '10:00'), rule(C1, 1, '10:00', '11:00')],
      }),
    );
    expect(localStarts(slots)).toEqual(['09:00', '09:30']);
  });
  it('uses only rules of the matching weekday', () => {
    expect(computeOpenSlots(dayInput('2026-03-02', { rules: [rule(C1, 2, '09:00', '17:00')] }))).toEqual([]);
    expect(computeOpenSlots(dayInput('2026-03-03', { rules: [rule(C1, 2, '09:00', '17:00')] }))).toHaveLength(8);
  });
  it('supports 24:00 as the end of a rule', () => {
    const slots = computeOpenSlots(dayInput('2026-03-02', { rules: [rule(C1, 1, '22:00', '24:00')] }));
    expect(localStarts(slots)).toEqual(['22:00', '23:00']);
  });
  it('ignores rules of resources that are not candidates', () => {
    const slots = computeOpenSlots(dayInput('2026-03-02', { rules: everyDay(ref('clinician', 'c2'), '09:00', '17:00') }));
    expect(slots).toEqual([]);
  });
  it('returns nothing when a required kind has no candidates', () => {
    expect(computeOpenSlots(dayInput('2026-03-02', { candidates: {} }))).toEqual([]);
    expect(computeOpenSlots(dayInput('2026-03-02', { candidates: { clinician: [] } }))).toEqual([]);
  });
  it('keeps a clinician id and a room id that happen to be equal apart', () => {
    const slots = computeOpenSlots(
      dayInput('2026-03-02', {
        appointments: [appt('a1', at('2026-03-02', '09:00'), at('2026-03-02', '17:00'), [ref('room', 'c1')])],
      }),
    );
    expect(slots).toHaveLength(8);
  });
});

describe('computeOpenSlots — DST in America/Los_Angeles', () => {
  it('spring-forward day (2026-03-08): 09:00–17:00 gives exactly 8 h of slots in PDT', () => {
    const slots = computeOpenSlots(dayInput('2026-03-08'));
    expect(slots).toHaveLength(8);
    expect(totalHours(slots)).toBe(8);
    expect(slots[0]!.start).toBe(utc('2026-03-08T16:00:00Z'));
    expect(slots.at(-1)!.end).toBe(utc('2026-03-09T00:00:00Z'));
    expect(toZonedIso(slots[0]!.start, LA)).toBe('2026-03-08T09:00:00-07:00');
  });
  it('fall-back day (2026-11-01): 09:00–17:00 gives exactly 8 h of slots in PST', () => {
    const slots = computeOpenSlots(dayInput('2026-11-01'));
    expect(slots).toHaveLength(8);
    expect(totalHours(slots)).toBe(8);
    expect(slots[0]!.start).toBe(utc('2026-11-01T17:00:00Z'));
    expect(toZonedIso(slots[0]!.start, LA)).toBe('2026-11-01T09:00:00-08:00');
    expect(toZonedIso(slots.at(-1)!.end, LA)).toBe('2026-11-01T17:00:00-08:00');
  });
  it('the days either side keep their own offsets', () => {
    expect(computeOpenSlots(dayInput('2026-03-07'))[0]!.start).toBe(utc('2026-03-07T17:00:00Z'));
    expect(computeOpenSlots(dayInput('2026-03-09'))[0]!.start).toBe(utc('2026-03-09T16:00:00Z'));
    expect(computeOpenSlots(dayInput('2026-10-31'))[0]!.start).toBe(utc('2026-10-31T16:00:00Z'));
    expect(computeOpenSlots(dayInput('2026-11-02'))[0]!.start).toBe(utc('2026-11-02T17:00:00Z'));
  });
  const halfHour = type({ durationMinutes: 30, slotStepMinutes: 30 });
  it('a 01:00–03:00 rule on spring-forward day yields the 1 h that actually passes (01:00–01:59 PST)', () => {
    const slots = computeOpenSlots(dayInput('2026-03-08', { appointmentType: halfHour, rules: everyDay(C1, '01:00', '03:00') }));
    expect(slots.map((s) => toZonedIso(s.start, LA))).toEqual(['2026-03-08T01:00:00-08:00', '2026-03-08T01:30:00-08:00']);
    expect(slots.at(-1)!.end).toBe(utc('2026-03-08T10:00:00Z')); // = 03:00 PDT
  });
  it('a 01:00–03:00 rule on fall-back day yields the 3 h that actually pass, 01:xx twice', () => {
    const slots = computeOpenSlots(dayInput('2026-11-01', { appointmentType: halfHour, rules: everyDay(C1, '01:00', '03:00') }));
    expect(slots.map((s) => toZonedIso(s.start, LA))).toEqual([
      '2026-11-01T01:00:00-07:00',
      '2026-11-01T01:30:00-07:00',
      '2026-11-01T01:00:00-08:00',
      '2026-11-01T01:30:00-08:00',
      '2026-11-01T02:00:00-08:00',
      '2026-11-01T02:30:00-08:00',
    ]);
    expect(totalHours(slots)).toBe(3);
  });
  it('a rule lying wholly inside the spring-forward gap yields nothing', () => {
    expect(computeOpenSlots(dayInput('2026-03-08', { appointmentType: halfHour, rules: everyDay(C1, '02:00', '02:59') }))).toEqual([]);
  });
  it('a rule starting inside the gap starts when the clock jumps to 03:00 PDT', () => {
    const slots = computeOpenSlots(dayInput('2026-03-08', { appointmentType: halfHour, rules: everyDay(C1, '02:30', '04:00') }));
    expect(slots.map((s) => toZonedIso(s.start, LA))).toEqual(['2026-03-08T03:00:00-07:00', '2026-03-08T03:30:00-07:00']);
  });
  it('an all-day rule spans 23 h / 25 h on the DST days', () => {
    const spring = computeOpenSlots(dayInput('2026-03-08', { rules: everyDay(C1, '00:00', '24:00') }));
    const fall = computeOpenSlots(dayInput('2026-11-01', { rules: everyDay(C1, '00:00', '24:00') }));
    expect(totalHours(spring)).toBe(23);
    expect(totalHours(fall)).toBe(25);
  });
  it('a zone whose midnight is skipped (America/Santiago, 2026-09-06) starts the day at 01:00', () => {
    const Z = 'America/Santiago';
    const slots = computeOpenSlots({
      ...dayInput('2026-09-06'),
      zone: Z,
      from: instantOfLocalDateTime('2026-09-05', '12:00', Z),
      to: instantOfLocalDateTime('2026-09-07', '00:00', Z),
      rules: everyDay(C1, '00:00', '03:00'),
    });
    expect(slots.map((x) => toZonedIso(x.start, Z))).toEqual([
      '2026-09-06T01:00:00-03:00',
      '2026-09-06T02:00:00-03:00',
    ]);
  });
  it('a booking on fall-back day blocks the right 01:30 (the second one)', () => {
    const secondOneThirty = utc('2026-11-01T09:30:00Z'); // 01:30 PST
    const slots = computeOpenSlots(
      dayInput('2026-11-01', {
        appointmentType: halfHour,
        rules: everyDay(C1, '01:00', '03:00'),
        appointments: [appt('a1', secondOneThirty, secondOneThirty + 30 * MIN)],
      }),
    );
    expect(slots.map((s) => toZonedIso(s.start, LA))).toContain('2026-11-01T01:30:00-07:00');
    expect(slots.map((s) => toZonedIso(s.start, LA))).not.toContain('2026-11-01T01:30:00-08:00');
    expect(slots).toHaveLength(5);
  });
});

describe('computeOpenSlots — bookings and buffers', () => {
  const d = '2026-03-02';
  it('a slot that ends exactly when a booking starts is free, and one starting when it ends too', () => {
    const slots = computeOpenSlots(dayInput(d, { appointments: [appt('a1', at(d, '11:00'), at(d, '12:00'))] }));
    expect(localStarts(slots)).toEqual(['09:00', '10:00', '12:00', '13:00', '14:00', '15:00', '16:00']);
  });
  it('removes every grid start overlapping a booking, without shifting the grid', () => {
    const slots = computeOpenSlots(
      dayInput(d, {
        appointmentType: type({ durationMinutes: 30, slotStepMinutes: 15 }),
        rules: [rule(C1, 1, '09:00', '11:00')],
        appointments: [appt('a1', at(d, '09:40'), at(d, '10:10'))],
      }),
    );
    expect(localStarts(slots)).toEqual(['09:00', '10:15', '10:30']);
  });
  it("counts the existing appointment's buffer after", () => {
    const slots = computeOpenSlots(
      dayInput(d, {
        appointmentType: type({ slotStepMinutes: 15 }),
        rules: [rule(C1, 1, '09:00', '13:00')],
        appointments: [appt('a1', at(d, '10:00'), at(d, '11:00'), [C1], { bufferAfterMinutes: 15 })],
      }),
    );
    expect(localStarts(slots)).toEqual(['09:00', '11:15', '11:30', '11:45', '12:00']);
  });
  it("counts the existing appointment's buffer before", () => {
    const slots = computeOpenSlots(
      dayInput(d, {
        appointmentType: type({ slotStepMinutes: 15 }),
        rules: [rule(C1, 1, '09:00', '12:00')],
        appointments: [appt('a1', at(d, '10:30'), at(d, '11:00'), [C1], { bufferBeforeMinutes: 15 })],
      }),
    );
    expect(localStarts(slots)).toEqual(['09:00', '09:15', '11:00']);
  });
  it("counts the candidate's own buffers on both sides", () => {
    const slots = computeOpenSlots(
      dayInput(d, {
        appointmentType: type({ slotStepMinutes: 15, bufferBeforeMinutes: 10, bufferAfterMinutes: 20 }),
        rules: [rule(C1, 1, '09:00', '13:00')],
        appointments: [appt('a1', at(d, '11:00'), at(d, '11:30'))],
      }),
    );
    // Must end by 10:40 (20 min after-buffer) → 09:30 latest; must start at/after 11:40 → 11:45.
    expect(localStarts(slots)).toEqual(['09:00', '09:15', '09:30', '11:45', '12:00']);
  });
  it('adds both sides\u2019 buffers between bookings (prep and notes are different work)', () => {
    const slots = computeOpenSlots(
      dayInput(d, {
        appointmentType: type({ slotStepMinutes: 5, bufferBeforeMinutes: 10 }),
        rules: [rule(C1, 1, '09:00', '12:00')],
        appointments: [appt('a1', at(d, '09:00'), at(d, '10:00'), [C1], { bufferAfterMinutes: 15 })],
      }),
    );
    expect(localStarts(slots)[0]).toBe('10:25');
  });
  it('lets buffers fall outside working hours: first and last slots are unaffected', () => {
    const slots = computeOpenSlots(
      dayInput(d, { appointmentType: type({ bufferBeforeMinutes: 15, bufferAfterMinutes: 15 }) }),
    );
    expect(localStarts(slots)).toEqual(['09:00', '10:00', '11:00', '12:00', '13:00', '14:00', '15:00', '16:00']);
  });
  it('buffers do block against a booking outside working hours', () => {
    const slots = computeOpenSlots(
      dayInput(d, {
        appointmentType: type({ bufferBeforeMinutes: 15 }),
        appointments: [appt('a1', at(d, '08:00'), at(d, '08:50'))],
      }),
    );
    expect(localStarts(slots)[0]).toBe('10:00');
  });
  it('ignores cancelled appointments and the one being moved', () => {
    const a1 = appt('a1', at(d, '09:00'), at(d, '10:00'), [C1], { status: 'cancelled' });
    const a2 = appt('a2', at(d, '10:00'), at(d, '11:00'), [C1], { status: 'booked' });
    const a3 = appt('a3', at(d, '11:00'), at(d, '12:00'));
    const slots = computeOpenSlots(dayInput(d, { appointments: [a1, a2, a3], excludeAppointmentId: 'a3' }));
    expect(localStarts(slots)).toEqual(['09:00', '11:00', '12:00', '13:00', '14:00', '15:00', '16:00']);
  });
  it('ignores appointments of other resources', () => {
    const slots = computeOpenSlots(
      dayInput(d, { appointments: [appt('a1', at(d, '09:00'), at(d, '17:00'), [ref('clinician', 'c2')])] }),
    );
    expect(slots).toHaveLength(8);
  });
  it('handles appointments given in any order, overlapping each other', () => {
    const slots = computeOpenSlots(
      dayInput(d, {
        appointments: [
          appt('a3', at(d, '15:00'), at(d, '16:00')),
          appt('a1', at(d, '09:30'), at(d, '10:30')),
          appt('a2', at(d, '10:00'), at(d, '12:00')),
        ],
      }),
    );
    expect(localStarts(slots)).toEqual(['12:00', '13:00', '14:00', '16:00']);
  });
});

describe('computeOpenSlots — exceptions and holidays', () => {
  const d = '2026-03-02';
  it('removes instant-range time off', () => {
    const off: TimeOff = { span: 'instants', resource: C1, start: at(d, '12:00'), end: at(d, '13:30') };
    const slots = computeOpenSlots(dayInput(d, { timeOff: [off] }));
    expect(localStarts(slots)).toEqual(['09:00', '10:00', '11:00', '14:00', '15:00', '16:00']);
  });
  it('time off that spans days removes all of them', () => {
    const off: TimeOff = { span: 'instants', resource: C1, start: at('2026-03-01', '12:00'), end: at('2026-03-03', '10:00') };
    expect(computeOpenSlots(dayInput(d, { timeOff: [off] }))).toEqual([]);
    expect(localStarts(computeOpenSlots(dayInput('2026-03-03', { timeOff: [off] })))[0]).toBe('10:00');
  });
  it('removes whole local dates of time off (inclusive range)', () => {
    const off: TimeOff = { span: 'local-dates', resource: C1, fromDate: '2026-03-02', toDate: '2026-03-03' };
    expect(computeOpenSlots(dayInput('2026-03-02', { timeOff: [off] }))).toEqual([]);
    expect(computeOpenSlots(dayInput('2026-03-03', { timeOff: [off] }))).toEqual([]);
    expect(computeOpenSlots(dayInput('2026-03-04', { timeOff: [off] }))).toHaveLength(8);
    expect(computeOpenSlots(dayInput('2026-03-01', { timeOff: [off] }))).toHaveLength(8);
  });
  it("ignores other resources' time off", () => {
    const off: TimeOff = { span: 'local-dates', resource: ref('clinician', 'c2'), fromDate: d, toDate: d };
    expect(computeOpenSlots(dayInput(d, { timeOff: [off] }))).toHaveLength(8);
  });
  it('removes clinic holidays for every resource, including on DST days', () => {
    expect(computeOpenSlots(dayInput(d, { holidays: ['2026-03-02'] }))).toEqual([]);
    expect(computeOpenSlots(dayInput('2026-11-01', { holidays: ['2026-11-01'] }))).toEqual([]);
    expect(computeOpenSlots(dayInput(d, { holidays: ['2026-03-03'] }))).toHaveLength(8);
  });
});

describe('computeOpenSlots — effective dates', () => {
  it('applies each rule only between its effective dates (inclusive)', () => {
    const rules = [
      rule(C1, 2, '09:00', '12:00', { effectiveUntil: '2026-03-10' }),
      rule(C1, 2, '13:00', '15:00', { effectiveFrom: '2026-03-17' }),
    ];
    expect(localStarts(computeOpenSlots(dayInput('2026-03-10', { rules })))).toEqual(['09:00', '10:00', '11:00']);
    expect(computeOpenSlots(dayInput('2026-03-03', { rules }))).toHaveLength(3);
    expect(localStarts(computeOpenSlots(dayInput('2026-03-17', { rules })))).toEqual(['13:00', '14:00']);
    expect(localStarts(computeOpenSlots(dayInput('2026-03-24', { rules })))).toEqual(['13:00', '14:00']);
  });
  it('a rule between two dates in a gap week offers nothing', () => {
    const rules = [rule(C1, 2, '09:00', '12:00', { effectiveFrom: '2026-03-11', effectiveUntil: '2026-03-16' })];
    expect(computeOpenSlots(dayInput('2026-03-10', { rules }))).toEqual([]);
    expect(computeOpenSlots(dayInput('2026-03-17', { rules }))).toEqual([]);
  });
  it('null effective dates mean open-ended', () => {
    const rules = [rule(C1, 1, '09:00', '10:00', { effectiveFrom: null, effectiveUntil: null })];
    expect(computeOpenSlots(dayInput('2026-03-02', { rules }))).toHaveLength(1);
  });
});

describe('computeOpenSlots — horizon, notice and query window', () => {
  const week = (now: number, policy = DEFAULT_BOOKING_POLICY, extra: Partial<ComputeOpenSlotsInput> = {}) =>
    computeOpenSlots({
      ...dayInput('2026-03-02'),
      now,
      from: now,
      to: at('2026-04-30', '00:00'),
      policy,
      ...extra,
    });
  it('enforces minimum notice relative to now', () => {
    const now = at('2026-03-02', '10:10');
    const slots = week(now, { horizonDays: 0, minNoticeMinutes: 120 }, { appointmentType: type({ slotStepMinutes: 30 }) });
    expect(localStarts(slots)).toEqual(['12:30', '13:00', '13:30', '14:00', '14:30', '15:00', '15:30', '16:00']);
  });
  it('a slot starting exactly at now + notice is open', () => {
    const now = at('2026-03-02', '10:00');
    const slots = week(now, { horizonDays: 0, minNoticeMinutes: 120 });
    expect(localStarts(slots)[0]).toBe('12:00');
  });
  it('zero notice still never offers a slot starting before now', () => {
    const now = at('2026-03-02', '10:01');
    expect(localStarts(week(now, { horizonDays: 0, minNoticeMinutes: 0 }))[0]).toBe('11:00');
  });
  it('notice can push slots to the next day', () => {
    const now = at('2026-03-02', '16:00');
    const slots = week(now, { horizonDays: 1, minNoticeMinutes: 24 * 60 });
    expect(slots.map((s) => toZonedIso(s.start, LA).slice(0, 16))).toEqual(['2026-03-03T16:00']);
  });
  it('offers local dates today … today + horizonDays inclusive', () => {
    const now = at('2026-03-02', '08:00');
    const slots = week(now, { horizonDays: 2, minNoticeMinutes: 0 });
    const dates = [...new Set(slots.map((s) => toZonedIso(s.start, LA).slice(0, 10)))];
    expect(dates).toEqual(['2026-03-02', '2026-03-03', '2026-03-04']);
    expect(slots).toHaveLength(24);
  });
  it('a 60-day horizon across spring-forward gives 61 days of slots', () => {
    const now = at('2026-02-20', '00:00');
    const slots = week(now, { horizonDays: 60, minNoticeMinutes: 0 });
    expect(slots).toHaveLength(61 * 8);
    expect(toZonedIso(slots.at(-1)!.start, LA)).toBe('2026-04-21T16:00:00-07:00');
  });
  it('horizon is counted on the clinic calendar, not the UTC one', () => {
    // 23:30 PST on Mar 2 is already Mar 3 in UTC; with horizon 0 only Mar 2 is offered.
    const now = at('2026-03-02', '08:30');
    expect(week(now, { horizonDays: 0, minNoticeMinutes: 0 })).toHaveLength(8);
    const late = at('2026-03-02', '23:30');
    expect(week(late, { horizonDays: 0, minNoticeMinutes: 0 })).toEqual([]);
    expect(week(late, { horizonDays: 1, minNoticeMinutes: 0 })).toHaveLength(8);
  });
  it('a slot starting on the last bookable day may run past midnight into the next day\u2019s rule', () => {
    const now = at('2026-03-02', '08:00');
    const rules = [rule(C1, 1, '23:00', '24:00'), rule(C1, 2, '00:00', '00:30')];
    const slots = week(now, { horizonDays: 0, minNoticeMinutes: 0 }, { rules, appointmentType: type({ slotStepMinutes: 30 }) });
    expect(slots.map((x) => toZonedIso(x.start, LA))).toEqual(['2026-03-02T23:00:00-08:00', '2026-03-02T23:30:00-08:00']);
  });
  it('returns only slots inside [from, to]', () => {
    const slots = computeOpenSlots(dayInput('2026-03-02', { from: at('2026-03-02', '10:30'), to: at('2026-03-02', '14:00') }));
    expect(localStarts(slots)).toEqual(['11:00', '12:00', '13:00']);
  });
  it('returns nothing for an empty or reversed window', () => {
    expect(computeOpenSlots(dayInput('2026-03-02', { from: at('2026-03-02', '12:00'), to: at('2026-03-02', '12:00') }))).toEqual([]);
    expect(computeOpenSlots(dayInput('2026-03-02', { from: at('2026-03-03', '12:00'), to: at('2026-03-02', '12:00') }))).toEqual([]);
  });
  it('uses DEFAULT_BOOKING_POLICY when no policy is given', () => {
    const now = at('2026-03-02', '10:00');
    const base = dayInput('2026-03-02');
    delete base.policy;
    const slots = computeOpenSlots({ ...base, now, from: now, to: now + 90 * 24 * H });
    expect(localStarts(slots)[0]).toBe('12:00');
    const lastDate = toZonedIso(slots.at(-1)!.start, LA).slice(0, 10);
    expect(lastDate).toBe(addDaysToLocalDate('2026-03-02', DEFAULT_BOOKING_POLICY.horizonDays));
  });
});

describe('computeOpenSlots — multiple resources', () => {
  const d = '2026-03-02';
  const R1 = ref('room', 'r1');
  const K1 = ref('chair', 'k1');
  const K2 = ref('chair', 'k2');
  const withRoom = (extra: Partial<ComputeOpenSlotsInput> = {}) =>
    dayInput(d, {
      appointmentType: type({ requiredResourceKinds: ['clinician', 'room'] }),
      candidates: { clinician: ['c1'], room: ['r1'] },
      rules: [...everyDay(C1, '09:00', '17:00'), rule(R1, 1, '10:00', '14:00')],
      ...extra,
    });
  it('needs all resources available: intersection of their rules', () => {
    const slots = computeOpenSlots(withRoom());
    expect(localStarts(slots)).toEqual(['10:00', '11:00', '12:00', '13:00']);
    expect(slots[0]!.resources).toEqual([C1, R1]);
  });
  it('a room without rules is never available', () => {
    expect(computeOpenSlots(withRoom({ rules: everyDay(C1, '09:00', '17:00') }))).toEqual([]);
  });
  it('a booking of the room blocks the slot even when the clinician is free', () => {
    const slots = computeOpenSlots(withRoom({ appointments: [appt('a1', at(d, '11:00'), at(d, '12:00'), [ref('clinician', 'c9'), R1])] }));
    expect(localStarts(slots)).toEqual(['10:00', '12:00', '13:00']);
  });
  it('a booking of the clinician elsewhere blocks the slot even when the room is free', () => {
    const slots = computeOpenSlots(withRoom({ appointments: [appt('a1', at(d, '12:00'), at(d, '13:00'), [C1])] }));
    expect(localStarts(slots)).toEqual(['10:00', '11:00', '13:00']);
  });
  it('picks any free chair, preferring the order given, and reports which', () => {
    const input = dayInput(d, {
      appointmentType: type({ requiredResourceKinds: ['clinician', 'chair'] }),
      candidates: { clinician: ['c1'], chair: ['k1', 'k2'] },
      rules: [...everyDay(C1, '09:00', '12:00'), ...everyDay(K1, '09:00', '12:00'), ...everyDay(K2, '09:00', '12:00')],
      appointments: [
        appt('a1', at(d, '09:00'), at(d, '10:00'), [ref('clinician', 'c2'), K1]),
        appt('a2', at(d, '10:00'), at(d, '11:00'), [ref('clinician', 'c2'), K1]),
        appt('a3', at(d, '10:00'), at(d, '11:00'), [ref('clinician', 'c3'), K2]),
      ],
    });
    const slots = computeOpenSlots(input);
    expect(slots.map((s) => [toZonedIso(s.start, LA).slice(11, 16), s.resources[1]!.id])).toEqual([
      ['09:00', 'k2'],
      ['11:00', 'k1'],
    ]);
  });
  it('needs two distinct resources when a kind is listed twice', () => {
    const N1 = ref('nurse', 'n1');
    const N2 = ref('nurse', 'n2');
    const input = dayInput(d, {
      appointmentType: type({ requiredResourceKinds: ['clinician', 'nurse', 'nurse'] }),
      candidates: { clinician: ['c1'], nurse: ['n1', 'n2'] },
      rules: [...everyDay(C1, '09:00', '12:00'), ...everyDay(N1, '09:00', '12:00'), ...everyDay(N2, '10:00', '12:00')],
    });
    const slots = computeOpenSlots(input);
    expect(localStarts(slots)).toEqual(['10:00', '11:00']);
    expect(slots[0]!.resources).toEqual([C1, N1, N2]);
  });
  it('with several candidate clinicians the grid is the union of theirs, first free one wins', () => {
    const C2 = ref('clinician', 'c2');
    const slots = computeOpenSlots(
      dayInput(d, {
        appointmentType: type({ slotStepMinutes: 60 }),
        candidates: { clinician: ['c1', 'c2'] },
        rules: [rule(C1, 1, '09:00', '11:00'), rule(C2, 1, '09:30', '11:30')],
        appointments: [appt('a1', at(d, '09:00'), at(d, '10:00'), [C1])],
      }),
    );
    expect(slots.map((s) => [toZonedIso(s.start, LA).slice(11, 16), s.resources[0]!.id])).toEqual([
      ['09:30', 'c2'],
      ['10:00', 'c1'],
      ['10:30', 'c2'],
    ]);
  });
});

describe('findOpenSlotStartingAt', () => {
  const d = '2026-03-02';
  const base = () => {
    const { from: _f, to: _t, ...rest } = dayInput(d, { appointmentType: type({ slotStepMinutes: 30 }) });
    return rest;
  };
  it('returns the slot when still open', () => {
    expect(findOpenSlotStartingAt(base(), at(d, '09:30'))).toEqual({ start: at(d, '09:30'), end: at(d, '10:30'), resources: [C1] });
  });
  it('returns null when taken, off-grid, or outside hours', () => {
    const taken = { ...base(), appointments: [appt('a1', at(d, '10:00'), at(d, '11:00'))] };
    expect(findOpenSlotStartingAt(taken, at(d, '09:30'))).toBeNull();
    expect(findOpenSlotStartingAt(base(), at(d, '09:10'))).toBeNull();
    expect(findOpenSlotStartingAt(base(), at(d, '16:30'))).toBeNull();
    expect(findOpenSlotStartingAt(base(), at(d, '08:00'))).toBeNull();
  });
  it('agrees with computeOpenSlots for every slot of a day', () => {
    const all = computeOpenSlots(dayInput(d, { appointmentType: type({ slotStepMinutes: 30 }) }));
    for (const s of all) expect(findOpenSlotStartingAt(base(), s.start)).toEqual(s);
  });
});

describe('computeOpenSlots — input validation', () => {
  const d = '2026-03-02';
  it('rejects an invalid zone, spec, policy or rule', () => {
    expect(() => computeOpenSlots(dayInput(d, { zone: 'Nowhere/Land' }))).toThrow(RangeError);
    expect(() => computeOpenSlots(dayInput(d, { appointmentType: type({ durationMinutes: 0 }) }))).toThrow(/durationMinutes/);
    expect(() => computeOpenSlots(dayInput(d, { appointmentType: type({ slotStepMinutes: 2.5 }) }))).toThrow(/slotStep/);
    expect(() => computeOpenSlots(dayInput(d, { appointmentType: type({ bufferAfterMinutes: -5 }) }))).toThrow(/bufferAfter/);
    expect(() => computeOpenSlots(dayInput(d, { appointmentType: type({ requiredResourceKinds: [] }) }))).toThrow(RangeError);
    expect(() => computeOpenSlots(dayInput(d, { policy: { horizonDays: -1, minNoticeMinutes: 0 } }))).toThrow(/horizon/);
    expect(() => computeOpenSlots(dayInput(d, { rules: [rule(C1, 1, '17:00', '09:00')] }))).toThrow(/overnight/);
    expect(() => computeOpenSlots(dayInput(d, { rules: [rule(C1, 1, '9:00', '17:00')] }))).toThrow(RangeError);
    expect(() => computeOpenSlots(dayInput(d, { holidays: ['2026-02-30'] }))).toThrow(RangeError);
    expect(() => computeOpenSlots(dayInput(d, { now: Number.NaN }))).toThrow(/now/);
    expect(() => assertValidAvailabilityRule(rule(C1, 8 as IsoWeekday, '09:00', '10:00'))).toThrow(/weekday/);
    expect(() => assertValidAvailabilityRule(rule(C1, 1, '09:00', '10:00', { effectiveFrom: 'soon' }))).toThrow(RangeError);
  });
});

describe('computeOpenSlots — agrees with a brute-force reference', () => {
  // Reference: enumerate the same grid, then check every minute of each candidate naively.
  function reference(input: ComputeOpenSlotsInput, firstDate: string, days: number): number[] {
    const t = input.appointmentType;
    const policy = input.policy!;
    const notBefore = Math.max(input.from, input.now + policy.minNoticeMinutes * MIN);
    const active: { start: number; end: number }[] = [];
    for (let i = 0; i < days; i++) {
      const date = addDaysToLocalDate(firstDate, i);
      if (input.holidays?.includes(date)) continue;
      const dn = dayNumberOfLocalDate(date);
      if (
        input.timeOff?.some(
          (o) => o.span === 'local-dates' && dayNumberOfLocalDate(o.fromDate) <= dn && dn <= dayNumberOfLocalDate(o.toDate),
        )
      )
        continue;
      for (const r of input.rules) {
        if (r.weekday !== isoWeekdayOfLocalDate(date)) continue;
        if (r.effectiveFrom && date < r.effectiveFrom) continue;
        if (r.effectiveUntil && date > r.effectiveUntil) continue;
        active.push({ start: at(date, r.startTime), end: at(date, r.endTime) });
      }
    }
    const horizonEnd = at(addDaysToLocalDate(firstDate, policy.horizonDays + 1), '00:00');
    const starts = new Set<number>();
    for (const w of active) {
      for (let s = w.start; s < w.end; s += t.slotStepMinutes * MIN) {
        const e = s + t.durationMinutes * MIN;
        if (s < notBefore || e > input.to || s >= horizonEnd) continue;
        let ok = true;
        for (let m = s; m < e && ok; m += MIN) {
          if (!active.some((a) => a.start <= m && m < a.end)) ok = false;
          if (input.timeOff?.some((o) => o.span === 'instants' && o.start <= m && m < o.end)) ok = false;
        }
        const cs = s - t.bufferBeforeMinutes * MIN;
        const ce = e + t.bufferAfterMinutes * MIN;
        for (const a of input.appointments ?? []) {
          const as = a.start - a.bufferBeforeMinutes * MIN;
          const ae = a.end + a.bufferAfterMinutes * MIN;
          if (as < ce && cs < ae) ok = false;
        }
        if (ok) starts.add(s);
      }
    }
    return [...starts].sort((a, b) => a - b);
  }

  const quarter = (max: number) => fc.integer({ min: 0, max }).map((q) => q * 15);
  const hhmm = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
  const ruleArb = fc
    .record({ weekday: fc.integer({ min: 1, max: 7 }), start: quarter(92), len: fc.integer({ min: 1, max: 40 }) })
    .map(({ weekday, start, len }) =>
      rule(C1, weekday as IsoWeekday, hhmm(start), hhmm(Math.min(1440, start + len * 15)), {
        effectiveFrom: weekday === 3 ? '2026-03-11' : null,
      }),
    );

  it.each([
    ['spring-forward week', '2026-03-05'],
    ['fall-back week', '2026-10-29'],
  ])('%s', (_label, firstDate) => {
    const days = 7;
    const base = at(firstDate, '00:00');
    const apptArb = fc
      .record({ offset: quarter(days * 96 - 1), len: fc.integer({ min: 1, max: 12 }), b: quarter(2), a: quarter(2) })
      .map(({ offset, len, b, a }, ) => appt('x', base + offset * MIN, base + (offset + len * 15) * MIN, [C1], { bufferBeforeMinutes: b, bufferAfterMinutes: a }));
    fc.assert(
      fc.property(
        fc.array(ruleArb, { minLength: 1, maxLength: 6 }),
        fc.array(apptArb, { maxLength: 8 }),
        fc.record({
          duration: fc.constantFrom(15, 30, 45, 60, 90),
          step: fc.constantFrom(15, 30, 60),
          before: fc.constantFrom(0, 5, 15),
          after: fc.constantFrom(0, 10, 30),
          notice: fc.constantFrom(0, 90, 600),
          horizon: fc.integer({ min: 0, max: 8 }),
          holiday: fc.option(fc.integer({ min: 0, max: days - 1 })),
          offRange: fc.option(fc.record({ offset: quarter(days * 96 - 1), len: fc.integer({ min: 1, max: 40 }) })),
          dayOff: fc.option(fc.integer({ min: 0, max: days - 1 })),
          nowOffset: fc.integer({ min: 0, max: 24 * 60 - 1 }),
        }),
        (rules, appointments, p) => {
          const now = base + p.nowOffset * MIN;
          const timeOff: TimeOff[] = [];
          if (p.offRange) {
            timeOff.push({ span: 'instants', resource: C1, start: base + p.offRange.offset * MIN, end: base + (p.offRange.offset + p.offRange.len * 15) * MIN });
          }
          if (p.dayOff !== null) {
            const date = addDaysToLocalDate(firstDate, p.dayOff);
            timeOff.push({ span: 'local-dates', resource: C1, fromDate: date, toDate: date });
          }
          const input: ComputeOpenSlotsInput = {
            zone: LA,
            now,
            from: now,
            to: at(addDaysToLocalDate(firstDate, days), '00:00'),
            appointmentType: type({
              durationMinutes: p.duration,
              slotStepMinutes: p.step,
              bufferBeforeMinutes: p.before,
              bufferAfterMinutes: p.after,
            }),
            candidates: { clinician: ['c1'] },
            rules,
            appointments: appointments.map((a, i) => ({ ...a, id: `a${i}` })),
            timeOff,
            holidays: p.holiday === null ? [] : [addDaysToLocalDate(firstDate, p.holiday)],
            policy: { horizonDays: p.horizon, minNoticeMinutes: p.notice },
          };
          const actual = computeOpenSlots(input).map((s) => s.start);
          expect(actual).toEqual(reference(input, firstDate, days));
        },
      ),
      { numRuns: 150 },
    );
  });
});

// Speed is measured by bench/, never by a timed test; this checks the large case is right.
describe('computeOpenSlots — a large clinic', () => {
  it('200 clinicians × 60 days with bookings yields every clinician’s slots', () => {
    const now = at('2026-03-01', '08:00');
    const to = now + 61 * 24 * H;
    const clinicians = Array.from({ length: 200 }, (_, i) => ref('clinician', `c${i}`));
    const perClinician = clinicians.map((c, i) => {
      const rules = ([1, 2, 3, 4, 5] as const).flatMap((wd) => [rule(c, wd, '09:00', '12:00'), rule(c, wd, '13:00', '17:00')]);
      const appointments: BookedAppointment[] = [];
      for (let day = 0; day < 60; day++) {
        const date = addDaysToLocalDate('2026-03-01', day);
        for (const time of ['09:00', '11:00', '14:00', '15:30']) {
          if ((day + i) % 3 === 0) continue;
          const s = at(date, time);
          appointments.push(appt(`${c.id}-${day}-${time}`, s, s + 60 * MIN, [c], { bufferAfterMinutes: 10 }));
        }
      }
      return { c, rules, appointments };
    });
    let total = 0;
    for (const { c, rules, appointments } of perClinician) {
      total += computeOpenSlots({
        zone: LA,
        now,
        from: now,
        to,
        appointmentType: type({ durationMinutes: 60, slotStepMinutes: 15, bufferBeforeMinutes: 5, bufferAfterMinutes: 10 }),
        candidates: { clinician: [c.id] },
        rules,
        appointments,
        holidays: ['2026-04-03'],
        policy: { horizonDays: 60, minNoticeMinutes: 120 },
      }).length;
    }
    expect(total).toBeGreaterThan(200 * 40 * 5);
  });
});
