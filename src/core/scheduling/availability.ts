/**
 * Availability engine: open slots = weekly rules − holidays − time off − booked
 * appointments (with their buffers and the candidate's own), limited by the booking
 * horizon and minimum notice, in the clinic's IANA zone, DST-correct. Pure: no I/O and no
 * clock — callers pass `now`.
 *
 * Instants are epoch milliseconds (`EpochMs`, UTC) in and out; the server renders them
 * with `toZonedIso(instant, clinicZone)`. Local dates/times follow `zoned-time.ts`
 * (a rule time inside the spring-forward gap starts/ends at the transition; a time that
 * happens twice on the fall-back day means its first occurrence).
 *
 * Semantics, chosen deliberately:
 * - A resource is available only inside its own rules (rooms and chairs need rules too).
 * - The appointment itself must lie inside availability; its buffers must not overlap
 *   another appointment's buffered block, but may fall outside working hours or in time
 *   off (buffers keep bookings apart; they are not working time). So a 09:00–17:00 rule
 *   with 60-minute appointments offers 09:00 … 16:00 whatever the buffers.
 * - Buffered blocks: an appointment occupies `[start − before, end + after)` on every one
 *   of its resources; a candidate conflicts when the two buffered blocks overlap.
 *   Intervals are half-open, so touching blocks do not conflict.
 * - Slot grid: starts are `windowStart + k × slotStep` for each rule window of the
 *   anchor resource (the first required kind, normally the clinician), stepping in real
 *   minutes. Bookings do not shift the grid. On DST days the grid follows elapsed time, so
 *   a 01:00–03:00 rule gives 1 h of slots on spring-forward day and 3 h on fall-back day —
 *   exactly the time that passes between the two wall-clock readings.
 * - Horizon: a slot may start on any local date from today up to today + horizonDays
 *   (inclusive). Minimum notice: a slot may start no earlier than now + minNoticeMinutes.
 * - Query window: slots with `from <= start` and `end <= to`.
 * - Multi-resource: every required kind needs one free resource from its candidate list;
 *   candidates are tried in the order given (put preferred ones first) and the chosen ones
 *   are reported in `resources`, in requirement order. A kind listed twice needs two
 *   distinct resources.
 *
 * Cost: O(rules × days + appointments × log appointments + slots × required resources).
 */
import {
  type EpochMs,
  type IsoWeekday,
  type LocalDate,
  type LocalTime,
  MS_PER_DAY,
  MS_PER_MINUTE,
  dayNumberOfLocalDate,
  instantOfWallMs,
  isoWeekdayOfDayNumber,
  localDateOfInstant,
  localDayFacts,
  minutesOfLocalTime,
  requireValidZone,
} from './zoned-time';
import { type Interval, mergeIntervals, subtractMergedIntervals } from './intervals';
import type { IANAZone } from 'luxon';

export type ResourceKind = 'clinician' | 'room' | 'chair' | 'nurse';
export const RESOURCE_KINDS: readonly ResourceKind[] = ['clinician', 'room', 'chair', 'nurse'];

/** A schedulable resource. Ids need only be unique within a kind. */
export interface ResourceRef {
  kind: ResourceKind;
  id: string;
}

/** A weekly recurring availability window of one resource, in the clinic's wall clock. */
export interface AvailabilityRule {
  resource: ResourceRef;
  weekday: IsoWeekday;
  /** `"HH:mm"`; must be before `endTime` (overnight windows: split at midnight). */
  startTime: LocalTime;
  /** `"HH:mm"`, `"24:00"` allowed for end of day. */
  endTime: LocalTime;
  /** First local date the rule applies (inclusive); null/absent = always. */
  effectiveFrom?: LocalDate | null;
  /** Last local date the rule applies (inclusive); null/absent = open-ended. */
  effectiveUntil?: LocalDate | null;
}

/** Time off / exception for one resource: an instant range, or whole local dates. */
export type TimeOff =
  | { span: 'instants'; resource: ResourceRef; start: EpochMs; end: EpochMs }
  | { span: 'local-dates'; resource: ResourceRef; fromDate: LocalDate; toDate: LocalDate };

export interface AppointmentTypeSpec {
  durationMinutes: number;
  bufferBeforeMinutes: number;
  bufferAfterMinutes: number;
  /** Distance between candidate starts, in minutes. */
  slotStepMinutes: number;
  /** One resource of each listed kind is needed; the first is the slot-grid anchor. */
  requiredResourceKinds: readonly ResourceKind[];
}

export interface BookingPolicy {
  /** Bookable local dates: today … today + horizonDays. */
  horizonDays: number;
  /** Earliest bookable start: now + minNoticeMinutes. */
  minNoticeMinutes: number;
}

/**
 * Operational defaults (not clinical): 60 days ahead, 2 hours' notice so front desk can
 * see a booking before the visitor arrives. See docs/clinical-references.md § Scheduling.
 */
export const DEFAULT_BOOKING_POLICY: Readonly<BookingPolicy> = Object.freeze({
  horizonDays: 60,
  minNoticeMinutes: 120,
});

/** Status values for which an appointment no longer holds its resources. */
export const NON_BLOCKING_APPOINTMENT_STATUSES: readonly string[] = ['cancelled'];

/** An existing appointment as the scheduling core sees it. */
export interface BookedAppointment {
  id: string;
  start: EpochMs;
  end: EpochMs;
  bufferBeforeMinutes: number;
  bufferAfterMinutes: number;
  resources: readonly ResourceRef[];
  /** Appointments whose status is in NON_BLOCKING_APPOINTMENT_STATUSES are ignored. */
  status?: string;
}

export interface ComputeOpenSlotsInput {
  /** The clinic's IANA zone; rules, holidays and local-date time off are read in it. */
  zone: string;
  now: EpochMs;
  /** Query window: slots with from <= start and end <= to. */
  from: EpochMs;
  to: EpochMs;
  appointmentType: AppointmentTypeSpec;
  /** Candidate resource ids per kind, in order of preference. */
  candidates: Partial<Record<ResourceKind, readonly string[]>>;
  /** Rules of the candidate resources (rules of other resources are ignored). */
  rules: readonly AvailabilityRule[];
  timeOff?: readonly TimeOff[];
  /** Clinic holidays: local dates on which no resource is available. */
  holidays?: readonly LocalDate[];
  /** Existing appointments touching the candidate resources (others are ignored). */
  appointments?: readonly BookedAppointment[];
  /** Defaults to DEFAULT_BOOKING_POLICY. */
  policy?: BookingPolicy;
  /** Ignore this appointment (when moving it, it must not block itself). */
  excludeAppointmentId?: string;
}

export interface OpenSlot {
  start: EpochMs;
  end: EpochMs;
  /** The resources chosen, one per required kind, in requirement order. */
  resources: ResourceRef[];
}

/** Map key of a resource: `"kind:id"`. */
export function resourceKey(r: ResourceRef): string {
  return `${r.kind}:${r.id}`;
}

/** Throws RangeError when an appointment type cannot produce slots meaningfully. */
export function assertValidAppointmentTypeSpec(t: AppointmentTypeSpec): void {
  const positive = (name: string, v: number) => {
    if (!Number.isInteger(v) || v <= 0) throw new RangeError(`${name} must be a positive integer (got ${v})`);
  };
  const nonNegative = (name: string, v: number) => {
    if (!Number.isInteger(v) || v < 0) throw new RangeError(`${name} must be a non-negative integer (got ${v})`);
  };
  positive('durationMinutes', t.durationMinutes);
  positive('slotStepMinutes', t.slotStepMinutes);
  nonNegative('bufferBeforeMinutes', t.bufferBeforeMinutes);
  nonNegative('bufferAfterMinutes', t.bufferAfterMinutes);
  if (t.requiredResourceKinds.length === 0) throw new RangeError('requiredResourceKinds must not be empty');
  for (const k of t.requiredResourceKinds) {
    if (!RESOURCE_KINDS.includes(k)) throw new RangeError(`unknown resource kind: ${JSON.stringify(k)}`);
  }
}

/** Throws RangeError when the booking policy is not usable. */
export function assertValidBookingPolicy(p: BookingPolicy): void {
  if (!Number.isInteger(p.horizonDays) || p.horizonDays < 0) {
    throw new RangeError(`horizonDays must be a non-negative integer (got ${p.horizonDays})`);
  }
  if (!Number.isInteger(p.minNoticeMinutes) || p.minNoticeMinutes < 0) {
    throw new RangeError(`minNoticeMinutes must be a non-negative integer (got ${p.minNoticeMinutes})`);
  }
}

/** Throws RangeError when a rule's times or dates are malformed or the window is empty/reversed. */
export function assertValidAvailabilityRule(rule: AvailabilityRule): void {
  parseRule(rule);
}

interface ParsedRule {
  startMin: number;
  endMin: number;
  fromDay: number;
  untilDay: number;
}

function parseRule(rule: AvailabilityRule): ParsedRule {
  if (!Number.isInteger(rule.weekday) || rule.weekday < 1 || rule.weekday > 7) {
    throw new RangeError(`rule weekday must be 1 (Mon) … 7 (Sun) (got ${rule.weekday})`);
  }
  const startMin = minutesOfLocalTime(rule.startTime);
  const endMin = minutesOfLocalTime(rule.endTime);
  if (endMin <= startMin) {
    throw new RangeError(
      `rule endTime ${rule.endTime} must be after startTime ${rule.startTime} (split overnight windows at midnight)`,
    );
  }
  const fromDay = rule.effectiveFrom ? dayNumberOfLocalDate(rule.effectiveFrom) : -Infinity;
  const untilDay = rule.effectiveUntil ? dayNumberOfLocalDate(rule.effectiveUntil) : Infinity;
  return { startMin, endMin, fromDay, untilDay };
}

interface DayInfo {
  dayNumber: number;
  weekday: IsoWeekday;
  /** UTC offset in minutes valid for the whole day, or null on a DST-transition day. */
  uniformOffset: number | null;
}

function buildDays(firstDay: number, lastDay: number, zone: IANAZone): DayInfo[] {
  const days: DayInfo[] = [];
  for (let n = firstDay; n <= lastDay; n++) {
    const { uniformOffset } = localDayFacts(n, zone);
    days.push({ dayNumber: n, weekday: isoWeekdayOfDayNumber(n), uniformOffset });
  }
  return days;
}

function instantOfDayMinute(day: DayInfo, minute: number, zone: IANAZone): EpochMs {
  const wallMs = day.dayNumber * MS_PER_DAY + minute * MS_PER_MINUTE;
  return day.uniformOffset === null ? instantOfWallMs(wallMs, zone) : wallMs - day.uniformOffset * MS_PER_MINUTE;
}

interface ResourceState {
  ref: ResourceRef;
  rules: { rule: ParsedRule; weekday: IsoWeekday }[];
  dayOff: { from: number; to: number }[];
  blocked: Interval[];
  /** Rule windows (unmerged), used as grid anchors. */
  windows: Interval[];
  /** Merged windows − blocked. */
  allowed: Interval[];
  /** Scan pointer into `allowed`, valid because slot starts are visited in order. */
  cursor: number;
}

/**
 * Open slots for one appointment type, sorted by start. See the module comment for the
 * exact semantics. Throws RangeError on malformed input (bad zone, times, dates, specs).
 */
export function computeOpenSlots(input: ComputeOpenSlotsInput): OpenSlot[] {
  const zone = requireValidZone(input.zone);
  const type = input.appointmentType;
  assertValidAppointmentTypeSpec(type);
  const policy = input.policy ?? DEFAULT_BOOKING_POLICY;
  assertValidBookingPolicy(policy);
  for (const [name, v] of [['now', input.now], ['from', input.from], ['to', input.to]] as const) {
    if (!Number.isFinite(v)) throw new RangeError(`${name} must be a finite epoch-ms instant`);
  }

  const durationMs = type.durationMinutes * MS_PER_MINUTE;
  const stepMs = type.slotStepMinutes * MS_PER_MINUTE;
  const candBefore = type.bufferBeforeMinutes * MS_PER_MINUTE;
  const candAfter = type.bufferAfterMinutes * MS_PER_MINUTE;

  const notBefore = Math.max(input.from, input.now + policy.minNoticeMinutes * MS_PER_MINUTE);
  const todayDay = dayNumberOfLocalDate(localDateOfInstant(input.now, zone));
  const lastBookableDay = todayDay + policy.horizonDays;
  const startsBefore = localDayFacts(lastBookableDay + 1, zone).start;
  const endsBy = input.to;
  if (notBefore + durationMs > endsBy || notBefore >= startsBefore) return [];

  // Resource pools per requirement, and the state of every distinct candidate resource.
  const states = new Map<string, ResourceState>();
  const pools: ResourceState[][] = [];
  for (const kind of type.requiredResourceKinds) {
    const ids = input.candidates[kind] ?? [];
    const pool: ResourceState[] = [];
    for (const id of ids) {
      const ref: ResourceRef = { kind, id };
      const key = resourceKey(ref);
      let state = states.get(key);
      if (!state) {
        state = { ref, rules: [], dayOff: [], blocked: [], windows: [], allowed: [], cursor: 0 };
        states.set(key, state);
      }
      if (!pool.includes(state)) pool.push(state);
    }
    if (pool.length === 0) return [];
    pools.push(pool);
  }

  for (const rule of input.rules) {
    const state = states.get(resourceKey(rule.resource));
    if (state) state.rules.push({ rule: parseRule(rule), weekday: rule.weekday });
  }
  for (const off of input.timeOff ?? []) {
    const state = states.get(resourceKey(off.resource));
    if (!state) continue;
    switch (off.span) {
      case 'instants':
        if (off.end > off.start) state.blocked.push({ start: off.start, end: off.end });
        break;
      case 'local-dates':
        state.dayOff.push({ from: dayNumberOfLocalDate(off.fromDate), to: dayNumberOfLocalDate(off.toDate) });
        break;
    }
  }
  for (const appt of input.appointments ?? []) {
    if (appt.id === input.excludeAppointmentId) continue;
    if (appt.status !== undefined && NON_BLOCKING_APPOINTMENT_STATUSES.includes(appt.status)) continue;
    // The candidate's core [s, s+D) is forbidden where its buffered block would meet this one.
    const start = appt.start - appt.bufferBeforeMinutes * MS_PER_MINUTE - candAfter;
    const end = appt.end + appt.bufferAfterMinutes * MS_PER_MINUTE + candBefore;
    if (end <= notBefore || start >= endsBy) continue;
    for (const r of appt.resources) {
      states.get(resourceKey(r))?.blocked.push({ start, end });
    }
  }

  const holidays = new Set<number>();
  for (const h of input.holidays ?? []) holidays.add(dayNumberOfLocalDate(h));

  const firstDay = dayNumberOfLocalDate(localDateOfInstant(notBefore, zone));
  // Windows are needed up to the latest possible slot end (a slot on the last bookable
  // day may run past midnight into the next day's window).
  const lastEnd = Math.min(endsBy, startsBefore + durationMs);
  const lastDay = dayNumberOfLocalDate(localDateOfInstant(lastEnd - 1, zone));
  if (lastDay < firstDay) return [];
  const days = buildDays(firstDay, lastDay, zone);

  for (const state of states.values()) {
    const byWeekday: ParsedRule[][] = [[], [], [], [], [], [], [], []];
    for (const r of state.rules) byWeekday[r.weekday]!.push(r.rule);
    for (const day of days) {
      const rules = byWeekday[day.weekday]!;
      if (rules.length === 0 || holidays.has(day.dayNumber)) continue;
      if (state.dayOff.some((o) => o.from <= day.dayNumber && day.dayNumber <= o.to)) continue;
      for (const rule of rules) {
        if (day.dayNumber < rule.fromDay || day.dayNumber > rule.untilDay) continue;
        const start = instantOfDayMinute(day, rule.startMin, zone);
        const end = instantOfDayMinute(day, rule.endMin, zone);
        if (end > start) state.windows.push({ start, end });
      }
    }
    state.allowed = subtractMergedIntervals(mergeIntervals(state.windows), mergeIntervals(state.blocked));
  }

  // Candidate starts on the anchor resources' grids.
  const starts: number[] = [];
  for (const anchor of pools[0]!) {
    for (const w of anchor.windows) {
      let s = w.start;
      if (s < notBefore) s += Math.ceil((notBefore - s) / stepMs) * stepMs;
      for (; s < w.end && s < startsBefore && s + durationMs <= endsBy; s += stepMs) starts.push(s);
    }
  }
  starts.sort((a, b) => a - b);

  const slots: OpenSlot[] = [];
  const chosen: ResourceState[] = [];
  let previous = NaN;
  for (const s of starts) {
    if (s === previous) continue;
    previous = s;
    const e = s + durationMs;
    chosen.length = 0;
    let ok = true;
    for (const pool of pools) {
      let picked: ResourceState | undefined;
      for (const state of pool) {
        if (!chosen.includes(state) && isFreeFor(state, s, e)) {
          picked = state;
          break;
        }
      }
      if (!picked) {
        ok = false;
        break;
      }
      chosen.push(picked);
    }
    if (ok) slots.push({ start: s, end: e, resources: chosen.map((c) => ({ ...c.ref })) });
  }
  return slots;
}

/** True when `[s, e)` lies inside one allowed interval; advances the state's scan cursor. */
function isFreeFor(state: ResourceState, s: number, e: number): boolean {
  const allowed = state.allowed;
  while (state.cursor < allowed.length && allowed[state.cursor]!.end <= s) state.cursor++;
  const iv = allowed[state.cursor];
  return iv !== undefined && iv.start <= s && e <= iv.end;
}

/**
 * The open slot starting exactly at `start`, or null — for re-checking a requested slot at
 * booking time (the 409 "slot is gone" path). Uses the same grid and rules as
 * `computeOpenSlots`, so a start that is off the grid is not open.
 */
export function findOpenSlotStartingAt(
  input: Omit<ComputeOpenSlotsInput, 'from' | 'to'>,
  start: EpochMs,
): OpenSlot | null {
  const end = start + input.appointmentType.durationMinutes * MS_PER_MINUTE;
  const slots = computeOpenSlots({ ...input, from: start, to: end });
  return slots.find((slot) => slot.start === start) ?? null;
}
