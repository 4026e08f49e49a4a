/**
 * Zoned wall-clock arithmetic for scheduling, DST-correct and pure (no clock: callers
 * pass instants; no I/O).
 *
 * Vocabulary used across `src/core/scheduling`:
 * - instant: a point in time as epoch milliseconds (UTC), type `EpochMs`. Numbers are
 *   used internally and in results because they compare and sort cheaply; render them
 *   with `toZonedIso` at the edge (HTTP, email, .ics).
 * - local date: `"YYYY-MM-DD"` on the clinic's wall calendar.
 * - local time: `"HH:mm"` on the clinic's wall clock, `"00:00"`–`"24:00"` (24:00 = the
 *   next local midnight, so a rule can run to the end of the day).
 *
 * DST: a wall time that does not exist (spring-forward gap, e.g. 02:30 on 2026-03-08 in
 * America/Los_Angeles) resolves to the transition instant (the moment the clock jumps,
 * i.e. 03:00 PDT) — "from 02:30" means "from when the clock first reads at least 02:30".
 * A wall time that happens twice (fall-back, e.g. 01:30 on 2026-11-01) resolves to its
 * first occurrence (PDT). Luxon on its own picks the later occurrence, so the resolution
 * here is done by hand on top of luxon's zone offsets.
 */
import { DateTime, IANAZone } from 'luxon';

export type EpochMs = number;
/** `"YYYY-MM-DD"` on a local wall calendar. */
export type LocalDate = string;
/** `"HH:mm"` on a local wall clock, `"00:00"` to `"24:00"`. */
export type LocalTime = string;
/** ISO weekday: 1 = Monday … 7 = Sunday (as luxon's `weekday`). */
export type IsoWeekday = 1 | 2 | 3 | 4 | 5 | 6 | 7;

export const MS_PER_MINUTE = 60_000;
export const MS_PER_DAY = 86_400_000;

const LOCAL_DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const LOCAL_TIME_RE = /^(\d{2}):(\d{2})$/;

/** Returns the IANA zone, or throws RangeError when the name is not a valid zone. */
export function requireValidZone(zone: string): IANAZone {
  const z = IANAZone.create(zone);
  if (!z.isValid) throw new RangeError(`invalid IANA time zone: ${JSON.stringify(zone)}`);
  return z;
}

/** Days since 1970-01-01 of a local date (proleptic Gregorian); throws RangeError if malformed. */
export function dayNumberOfLocalDate(date: LocalDate): number {
  const m = LOCAL_DATE_RE.exec(date);
  if (!m) throw new RangeError(`invalid local date (want YYYY-MM-DD): ${JSON.stringify(date)}`);
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  const ms = Date.UTC(y, mo - 1, d);
  const check = new Date(ms);
  if (check.getUTCFullYear() !== y || check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d) {
    throw new RangeError(`invalid local date: ${JSON.stringify(date)}`);
  }
  return Math.round(ms / MS_PER_DAY);
}

/** The local date `"YYYY-MM-DD"` for a day number (days since 1970-01-01). */
export function localDateOfDayNumber(dayNumber: number): LocalDate {
  return new Date(dayNumber * MS_PER_DAY).toISOString().slice(0, 10);
}

/** The local date `days` days after `date` (negative goes back). */
export function addDaysToLocalDate(date: LocalDate, days: number): LocalDate {
  return localDateOfDayNumber(dayNumberOfLocalDate(date) + days);
}

/** ISO weekday (1 = Monday … 7 = Sunday) of a day number. */
export function isoWeekdayOfDayNumber(dayNumber: number): IsoWeekday {
  // 1970-01-01 was a Thursday (ISO 4).
  return ((((dayNumber + 3) % 7) + 7) % 7 + 1) as IsoWeekday;
}

/** ISO weekday (1 = Monday … 7 = Sunday) of a local date. */
export function isoWeekdayOfLocalDate(date: LocalDate): IsoWeekday {
  return isoWeekdayOfDayNumber(dayNumberOfLocalDate(date));
}

/** Minutes after local midnight of `"HH:mm"` (0–1440); throws RangeError if malformed. */
export function minutesOfLocalTime(time: LocalTime): number {
  const m = LOCAL_TIME_RE.exec(time);
  if (!m) throw new RangeError(`invalid local time (want HH:mm): ${JSON.stringify(time)}`);
  const h = Number(m[1]);
  const min = Number(m[2]);
  if (min > 59 || h > 24 || (h === 24 && min !== 0)) {
    throw new RangeError(`invalid local time: ${JSON.stringify(time)}`);
  }
  return h * 60 + min;
}

/** UTC offset in minutes of `zone` at `instant` (e.g. -420 for PDT). */
export function zoneOffsetMinutesAt(instant: EpochMs, zone: string | IANAZone): number {
  const z = typeof zone === 'string' ? requireValidZone(zone) : zone;
  return z.offset(instant);
}

/**
 * The instant at which a wall-clock reading occurs in `zone`, where the wall reading is
 * given as `wallMs` = that reading interpreted as if it were UTC. Gap → transition
 * instant; overlap → first occurrence (see the module comment).
 */
export function instantOfWallMs(wallMs: number, zone: string | IANAZone): EpochMs {
  const z = typeof zone === 'string' ? requireValidZone(zone) : zone;
  // Offsets in force a day either side bracket any single transition near wallMs.
  const early = z.offset(wallMs - MS_PER_DAY);
  const late = z.offset(wallMs + MS_PER_DAY);
  const tEarly = wallMs - early * MS_PER_MINUTE;
  const tLate = wallMs - late * MS_PER_MINUTE;
  const earlyValid = z.offset(tEarly) === early;
  const lateValid = z.offset(tLate) === late;
  if (earlyValid && lateValid) return Math.min(tEarly, tLate);
  if (earlyValid) return tEarly;
  if (lateValid) return tLate;
  // Gap: the transition lies between the two readings; find it to the minute.
  let lo = Math.min(tEarly, tLate); // offset here is still the pre-transition one
  let hi = Math.max(tEarly, tLate); // offset here is already the post-transition one
  const before = z.offset(lo);
  while (hi - lo > MS_PER_MINUTE) {
    const mid = lo + Math.floor((hi - lo) / 2 / MS_PER_MINUTE) * MS_PER_MINUTE;
    if (mid === lo) break;
    if (z.offset(mid) === before) lo = mid;
    else hi = mid;
  }
  return hi;
}

/** The instant of a local date + local time in `zone` (DST rules as in the module comment). */
export function instantOfLocalDateTime(date: LocalDate, time: LocalTime, zone: string | IANAZone): EpochMs {
  const z = typeof zone === 'string' ? requireValidZone(zone) : zone;
  const dayNumber = dayNumberOfLocalDate(date);
  const wallMs = dayNumber * MS_PER_DAY + minutesOfLocalTime(time) * MS_PER_MINUTE;
  const { uniformOffset } = localDayFacts(dayNumber, z);
  return uniformOffset === null ? instantOfWallMs(wallMs, z) : wallMs - uniformOffset * MS_PER_MINUTE;
}

/** The local date (`"YYYY-MM-DD"`) on the wall calendar of `zone` at `instant`. */
export function localDateOfInstant(instant: EpochMs, zone: string | IANAZone): LocalDate {
  const z = typeof zone === 'string' ? requireValidZone(zone) : zone;
  const wallMs = instant + z.offset(instant) * MS_PER_MINUTE;
  return localDateOfDayNumber(Math.floor(wallMs / MS_PER_DAY));
}

/**
 * ISO 8601 with the zone's offset at that instant, seconds precision unless the instant
 * has milliseconds: `toZonedIso(Date.UTC(2026,2,8,17), 'America/Los_Angeles')` →
 * `"2026-03-08T10:00:00-07:00"`. UTC renders as `"+00:00"` (never `Z`), so clients can
 * always read the clinic's offset from the string.
 */
export function toZonedIso(instant: EpochMs, zone: string): string {
  requireValidZone(zone);
  if (!Number.isFinite(instant)) throw new RangeError(`invalid instant: ${instant}`);
  const dt = DateTime.fromMillis(instant, { zone });
  const iso = dt.toISO({ suppressMilliseconds: true, includeOffset: true });
  if (iso === null) throw new RangeError(`cannot render instant ${instant} in ${zone}`);
  return iso.endsWith('Z') ? `${iso.slice(0, -1)}+00:00` : iso;
}

/**
 * Parses an ISO 8601 instant that carries an explicit offset or `Z` (e.g. from an API
 * request) to epoch ms. A string without offset is ambiguous and rejected (RangeError).
 */
export function instantFromIsoWithOffset(iso: string): EpochMs {
  if (!/(Z|[+-]\d{2}:?\d{2})$/i.test(iso)) {
    throw new RangeError(`instant must carry an offset or Z: ${JSON.stringify(iso)}`);
  }
  const dt = DateTime.fromISO(iso, { setZone: true });
  if (!dt.isValid) throw new RangeError(`invalid ISO instant: ${JSON.stringify(iso)}`);
  return dt.toMillis();
}

/** Local-day facts reused by the availability engine: `[start, end)` and the offset if it is constant all day. */
export interface LocalDayFacts {
  start: EpochMs;
  end: EpochMs;
  /** UTC offset in minutes in force for the whole day, or null on a DST-transition day. */
  uniformOffset: number | null;
}

// Memo of day facts per zone. Deterministic (same answer every time), so it keeps the
// functions pure in effect; it exists because a zone-offset lookup costs ~5 µs and the
// availability engine asks for the same days for every clinician. Bounded in size.
const dayFactsCache = new Map<string, Map<number, LocalDayFacts>>();
let dayFactsCacheSize = 0;
const DAY_FACTS_CACHE_LIMIT = 100_000;

/** Start, end and (when constant) the offset of local day `dayNumber` in `zone`. */
export function localDayFacts(dayNumber: number, zone: IANAZone): LocalDayFacts {
  let byDay = dayFactsCache.get(zone.name);
  if (byDay === undefined) {
    byDay = new Map();
    dayFactsCache.set(zone.name, byDay);
  }
  const hit = byDay.get(dayNumber);
  if (hit !== undefined) return hit;
  const start = instantOfWallMs(dayNumber * MS_PER_DAY, zone);
  const end = instantOfWallMs((dayNumber + 1) * MS_PER_DAY, zone);
  const o1 = zone.offset(start);
  const o2 = zone.offset(end - 1);
  // Uniform only if one offset maps both midnights exactly (not so when midnight itself
  // falls in a gap, as in America/Santiago).
  const uniform =
    o1 === o2 &&
    start === dayNumber * MS_PER_DAY - o1 * MS_PER_MINUTE &&
    end === (dayNumber + 1) * MS_PER_DAY - o1 * MS_PER_MINUTE;
  const facts: LocalDayFacts = Object.freeze({ start, end, uniformOffset: uniform ? o1 : null });
  if (dayFactsCacheSize >= DAY_FACTS_CACHE_LIMIT) {
    dayFactsCache.clear();
    dayFactsCacheSize = 0;
    byDay = new Map();
    dayFactsCache.set(zone.name, byDay);
  }
  byDay.set(dayNumber, facts);
  dayFactsCacheSize++;
  return facts;
}

/** One local calendar day in a zone: `[start, end)` as instants. */
export interface LocalDay {
  date: LocalDate;
  weekday: IsoWeekday;
  /** First instant of the local day (local midnight, or the transition if midnight is skipped). */
  start: EpochMs;
  /** First instant of the next local day. `end - start` is 23 h / 25 h on DST days. */
  end: EpochMs;
}

/** Local days `fromDate`…`toDate` inclusive in `zone`, DST-correct (for day/week calendar views). */
export function listLocalDays(fromDate: LocalDate, toDate: LocalDate, zone: string): LocalDay[] {
  const z = requireValidZone(zone);
  const first = dayNumberOfLocalDate(fromDate);
  const last = dayNumberOfLocalDate(toDate);
  if (last < first) return [];
  if (last - first > 3660) throw new RangeError('listLocalDays: range longer than 10 years');
  const days: LocalDay[] = [];
  for (let n = first; n <= last; n++) {
    const { start, end } = localDayFacts(n, z);
    days.push({ date: localDateOfDayNumber(n), weekday: isoWeekdayOfDayNumber(n), start, end });
  }
  return days;
}

/** The local date starting the week that contains `date` (weekStartsOn: 1 = Monday … 7 = Sunday). */
export function startOfLocalWeek(date: LocalDate, weekStartsOn: IsoWeekday = 1): LocalDate {
  const n = dayNumberOfLocalDate(date);
  const back = (isoWeekdayOfDayNumber(n) - weekStartsOn + 7) % 7;
  return localDateOfDayNumber(n - back);
}
