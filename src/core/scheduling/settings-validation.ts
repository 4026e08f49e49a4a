/**
 * Pure checks for editing scheduling settings (weekly hours, time off, holidays,
 * appointment types, booking policy). Each returns the first problem as
 * `{ field, message }` naming the offending field (a dotted path into the payload),
 * or null when the input is usable. The server turns a problem into a 400.
 */
import { type LocalDate, dayNumberOfLocalDate, minutesOfLocalTime } from './zoned-time';

export interface SettingsProblem {
  field: string;
  message: string;
}

export interface WeeklyRuleInput {
  weekday: number;
  startTime: string;
  endTime: string;
  effectiveFrom?: LocalDate | null;
  effectiveUntil?: LocalDate | null;
  /** Appointment kinds the window is for; null/absent = any kind. */
  appointmentKinds?: readonly string[] | null;
}

/** Day number of a real calendar date `YYYY-MM-DD`, or null (rejects 2026-02-30). */
export function dayNumberOrNull(date: string): number | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return null;
  try {
    const n = dayNumberOfLocalDate(date);
    const [y, m, d] = date.split('-').map(Number) as [number, number, number];
    const back = new Date(n * 86_400_000);
    if (back.getUTCFullYear() !== y || back.getUTCMonth() + 1 !== m || back.getUTCDate() !== d) return null;
    return n;
  } catch {
    return null;
  }
}

function minutesOrNull(time: string): number | null {
  if (!/^\d{2}:\d{2}$/.test(time)) return null;
  try {
    return minutesOfLocalTime(time);
  } catch {
    return null;
  }
}

/**
 * A resource's complete weekly rule set: each rule well-formed (weekday 1–7, HH:mm,
 * end after start, effective until not before effective from) and no two rules of the
 * same weekday overlapping in time while their effective date ranges overlap (touching
 * windows, 09:00–12:00 and 12:00–17:00, are fine). Kind-restricted rules overlap too:
 * one person cannot be in two windows at once.
 */
export function validateWeeklyRules(rules: readonly WeeklyRuleInput[], path = 'rules'): SettingsProblem | null {
  const parsed: { i: number; weekday: number; start: number; end: number; from: number; until: number }[] = [];
  for (const [i, r] of rules.entries()) {
    const at = `${path}[${i}]`;
    if (!Number.isInteger(r.weekday) || r.weekday < 1 || r.weekday > 7) {
      return { field: `${at}.weekday`, message: 'weekday must be 1 (Monday) … 7 (Sunday)' };
    }
    const start = minutesOrNull(r.startTime);
    if (start === null || start >= 24 * 60) return { field: `${at}.startTime`, message: 'startTime must be a time HH:mm, 00:00 … 23:59' };
    const end = minutesOrNull(r.endTime);
    if (end === null || end > 24 * 60) return { field: `${at}.endTime`, message: 'endTime must be a time HH:mm, up to 24:00' };
    if (end <= start) return { field: `${at}.endTime`, message: `endTime ${r.endTime} must be after startTime ${r.startTime} (split overnight hours at midnight)` };
    let from = -Infinity;
    let until = Infinity;
    if (r.effectiveFrom) {
      const n = dayNumberOrNull(r.effectiveFrom);
      if (n === null) return { field: `${at}.effectiveFrom`, message: 'effectiveFrom must be a real date YYYY-MM-DD' };
      from = n;
    }
    if (r.effectiveUntil) {
      const n = dayNumberOrNull(r.effectiveUntil);
      if (n === null) return { field: `${at}.effectiveUntil`, message: 'effectiveUntil must be a real date YYYY-MM-DD' };
      until = n;
    }
    if (until < from) return { field: `${at}.effectiveUntil`, message: 'effectiveUntil must not be before effectiveFrom' };
    parsed.push({ i, weekday: r.weekday, start, end, from, until });
  }
  for (let a = 0; a < parsed.length; a++) {
    for (let b = a + 1; b < parsed.length; b++) {
      const x = parsed[a]!;
      const y = parsed[b]!;
      if (x.weekday !== y.weekday) continue;
      const timesOverlap = x.start < y.end && y.start < x.end;
      const datesOverlap = x.from <= y.until && y.from <= x.until;
      if (timesOverlap && datesOverlap) {
        return {
          field: `${path}[${y.i}].startTime`,
          message: `overlaps rule ${x.i + 1} on the same weekday (${rules[x.i]!.startTime}–${rules[x.i]!.endTime}); merge them or change the effective dates`,
        };
      }
    }
  }
  return null;
}

/** Whole local dates `fromDate`…`toDate` inclusive; at most `maxDays` long. */
export function validateDateRange(fromDate: string, toDate: string, maxDays = 366): SettingsProblem | null {
  const from = dayNumberOrNull(fromDate);
  if (from === null) return { field: 'fromDate', message: 'fromDate must be a real date YYYY-MM-DD' };
  const to = dayNumberOrNull(toDate);
  if (to === null) return { field: 'toDate', message: 'toDate must be a real date YYYY-MM-DD' };
  if (to < from) return { field: 'toDate', message: 'toDate must not be before fromDate' };
  if (to - from + 1 > maxDays) return { field: 'toDate', message: `time off spans at most ${maxDays} days at once` };
  return null;
}

export interface AppointmentTypeInput {
  durationMinutes: number;
  bufferBeforeMinutes: number;
  bufferAfterMinutes: number;
  slotStepMinutes: number;
  requiredResources: readonly string[];
}

const KINDS = ['clinician', 'room', 'chair', 'nurse'];

/** Durations within a day, buffers up to 4 h, a step of 5 … 240 min, clinician first and one room-or-chair at most. */
export function validateAppointmentType(t: AppointmentTypeInput): SettingsProblem | null {
  if (!Number.isInteger(t.durationMinutes) || t.durationMinutes < 5 || t.durationMinutes > 720) {
    return { field: 'durationMinutes', message: 'durationMinutes must be a whole number of minutes, 5 … 720' };
  }
  for (const f of ['bufferBeforeMinutes', 'bufferAfterMinutes'] as const) {
    if (!Number.isInteger(t[f]) || t[f] < 0 || t[f] > 240) return { field: f, message: `${f} must be 0 … 240 minutes` };
  }
  if (!Number.isInteger(t.slotStepMinutes) || t.slotStepMinutes < 5 || t.slotStepMinutes > 240) {
    return { field: 'slotStepMinutes', message: 'slotStepMinutes must be 5 … 240 minutes' };
  }
  if (t.requiredResources.length === 0 || t.requiredResources[0] !== 'clinician') {
    return { field: 'requiredResources', message: 'requiredResources must start with clinician (the clinician anchors the slot grid)' };
  }
  for (const k of t.requiredResources) if (!KINDS.includes(k)) return { field: 'requiredResources', message: `unknown resource kind ${k}` };
  if (new Set(t.requiredResources).size !== t.requiredResources.length) {
    return { field: 'requiredResources', message: 'list each resource kind once' };
  }
  if (t.requiredResources.includes('room') && t.requiredResources.includes('chair')) {
    return { field: 'requiredResources', message: 'an appointment holds a room or a chair, not both' };
  }
  return null;
}

/** Horizon 1 … 365 days; notice 0 … 30 days. */
export function validateBookingPolicy(p: { horizonDays: number; minNoticeMinutes: number }): SettingsProblem | null {
  if (!Number.isInteger(p.horizonDays) || p.horizonDays < 1 || p.horizonDays > 365) {
    return { field: 'horizonDays', message: 'horizonDays must be 1 … 365' };
  }
  if (!Number.isInteger(p.minNoticeMinutes) || p.minNoticeMinutes < 0 || p.minNoticeMinutes > 30 * 24 * 60) {
    return { field: 'minNoticeMinutes', message: 'minNoticeMinutes must be 0 … 43200 (30 days)' };
  }
  return null;
}
