import { describe, expect, it } from 'vitest';
import {
  addDaysToLocalDate,
  dayNumberOfLocalDate,
  instantFromIsoWithOffset,
  instantOfLocalDateTime,
  isoWeekdayOfLocalDate,
  listLocalDays,
  localDateOfInstant,
  minutesOfLocalTime,
  startOfLocalWeek,
  toZonedIso,
  zoneOffsetMinutesAt,
} from './zoned-time';

const LA = 'America/Los_Angeles';
const H = 3_600_000;
const utc = (iso: string) => Date.parse(iso);

describe('local dates and times', () => {
  it('parses and formats local dates, including leap days', () => {
    expect(dayNumberOfLocalDate('1970-01-01')).toBe(0);
    expect(addDaysToLocalDate('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDaysToLocalDate('2026-02-28', 1)).toBe('2026-03-01');
    expect(addDaysToLocalDate('2026-01-01', -1)).toBe('2025-12-31');
  });
  it('rejects malformed or impossible dates', () => {
    for (const bad of ['2026-02-30', '2026-13-01', '2026-1-01', '26-01-01', '', '2026-02-29']) {
      expect(() => dayNumberOfLocalDate(bad)).toThrow(RangeError);
    }
  });
  it('gives ISO weekdays (1 = Monday, 7 = Sunday)', () => {
    expect(isoWeekdayOfLocalDate('2026-03-08')).toBe(7);
    expect(isoWeekdayOfLocalDate('2026-03-09')).toBe(1);
    expect(isoWeekdayOfLocalDate('2026-11-01')).toBe(7);
    expect(isoWeekdayOfLocalDate('1970-01-01')).toBe(4);
    expect(isoWeekdayOfLocalDate('1969-12-29')).toBe(1);
  });
  it('parses local times from 00:00 to 24:00', () => {
    expect(minutesOfLocalTime('00:00')).toBe(0);
    expect(minutesOfLocalTime('09:30')).toBe(570);
    expect(minutesOfLocalTime('24:00')).toBe(1440);
    for (const bad of ['24:01', '9:00', '09:60', '25:00', '0900', '']) {
      expect(() => minutesOfLocalTime(bad)).toThrow(RangeError);
    }
  });
});

describe('instantOfLocalDateTime across DST (America/Los_Angeles)', () => {
  it('uses standard time before and daylight time after spring-forward', () => {
    expect(instantOfLocalDateTime('2026-03-08', '01:59', LA)).toBe(utc('2026-03-08T09:59:00Z'));
    expect(instantOfLocalDateTime('2026-03-08', '03:00', LA)).toBe(utc('2026-03-08T10:00:00Z'));
    expect(instantOfLocalDateTime('2026-03-08', '09:00', LA)).toBe(utc('2026-03-08T16:00:00Z'));
  });
  it('maps a wall time in the spring-forward gap to the transition instant', () => {
    expect(instantOfLocalDateTime('2026-03-08', '02:00', LA)).toBe(utc('2026-03-08T10:00:00Z'));
    expect(instantOfLocalDateTime('2026-03-08', '02:30', LA)).toBe(utc('2026-03-08T10:00:00Z'));
    expect(instantOfLocalDateTime('2026-03-08', '02:59', LA)).toBe(utc('2026-03-08T10:00:00Z'));
  });
  it('maps a repeated fall-back wall time to its first occurrence (PDT)', () => {
    expect(instantOfLocalDateTime('2026-11-01', '01:00', LA)).toBe(utc('2026-11-01T08:00:00Z'));
    expect(instantOfLocalDateTime('2026-11-01', '01:30', LA)).toBe(utc('2026-11-01T08:30:00Z'));
    expect(instantOfLocalDateTime('2026-11-01', '02:00', LA)).toBe(utc('2026-11-01T10:00:00Z'));
    expect(instantOfLocalDateTime('2026-11-01', '00:59', LA)).toBe(utc('2026-11-01T07:59:00Z'));
  });
  it('handles 24:00 as the next midnight', () => {
    expect(instantOfLocalDateTime('2026-03-07', '24:00', LA)).toBe(instantOfLocalDateTime('2026-03-08', '00:00', LA));
  });
  it('handles a zone whose midnight is skipped (America/Santiago, 2026-09-06)', () => {
    // Chile springs forward at 24:00 → 01:00; the day starts at the transition.
    const t = instantOfLocalDateTime('2026-09-06', '00:00', 'America/Santiago');
    expect(toZonedIso(t, 'America/Santiago')).toBe('2026-09-06T01:00:00-03:00');
  });
  it('works in zones without DST and with half-hour offsets', () => {
    expect(instantOfLocalDateTime('2026-07-01', '09:00', 'UTC')).toBe(utc('2026-07-01T09:00:00Z'));
    expect(instantOfLocalDateTime('2026-07-01', '09:00', 'Asia/Kolkata')).toBe(utc('2026-07-01T03:30:00Z'));
    expect(instantOfLocalDateTime('2026-07-01', '09:00', 'America/Phoenix')).toBe(utc('2026-07-01T16:00:00Z'));
  });
  it('rejects unknown zones', () => {
    expect(() => instantOfLocalDateTime('2026-07-01', '09:00', 'Mars/Olympus')).toThrow(RangeError);
    expect(() => toZonedIso(0, 'nope')).toThrow(RangeError);
  });
});

describe('toZonedIso', () => {
  it('renders with the offset in force at that instant', () => {
    expect(toZonedIso(utc('2026-03-08T09:59:00Z'), LA)).toBe('2026-03-08T01:59:00-08:00');
    expect(toZonedIso(utc('2026-03-08T10:00:00Z'), LA)).toBe('2026-03-08T03:00:00-07:00');
    expect(toZonedIso(utc('2026-11-01T08:30:00Z'), LA)).toBe('2026-11-01T01:30:00-07:00');
    expect(toZonedIso(utc('2026-11-01T09:30:00Z'), LA)).toBe('2026-11-01T01:30:00-08:00');
  });
  it('renders UTC as +00:00 and keeps milliseconds only when present', () => {
    expect(toZonedIso(utc('2026-01-01T00:00:00Z'), 'UTC')).toBe('2026-01-01T00:00:00+00:00');
    expect(toZonedIso(utc('2026-01-01T00:00:00.250Z'), 'UTC')).toBe('2026-01-01T00:00:00.250+00:00');
  });
  it('round-trips through instantFromIsoWithOffset', () => {
    const t = utc('2026-11-01T09:30:00Z');
    expect(instantFromIsoWithOffset(toZonedIso(t, LA))).toBe(t);
    expect(instantFromIsoWithOffset('2026-11-01T09:30:00Z')).toBe(t);
  });
  it('rejects ISO strings without an offset', () => {
    expect(() => instantFromIsoWithOffset('2026-11-01T09:30:00')).toThrow(RangeError);
    expect(() => instantFromIsoWithOffset('garbage+01:00')).toThrow(RangeError);
  });
});

describe('localDateOfInstant', () => {
  it('returns the wall-calendar date in the zone', () => {
    expect(localDateOfInstant(utc('2026-03-09T06:59:00Z'), LA)).toBe('2026-03-08');
    expect(localDateOfInstant(utc('2026-03-09T07:00:00Z'), LA)).toBe('2026-03-09');
    expect(localDateOfInstant(utc('2026-03-08T07:59:00Z'), LA)).toBe('2026-03-07');
    expect(localDateOfInstant(utc('2026-03-08T08:00:00Z'), LA)).toBe('2026-03-08');
    expect(localDateOfInstant(utc('2026-03-09T08:00:00Z'), 'UTC')).toBe('2026-03-09');
  });
  it('reports offsets', () => {
    expect(zoneOffsetMinutesAt(utc('2026-07-01T00:00:00Z'), LA)).toBe(-420);
    expect(zoneOffsetMinutesAt(utc('2026-01-01T00:00:00Z'), LA)).toBe(-480);
  });
});

describe('listLocalDays', () => {
  it('gives 23 h on spring-forward day and 25 h on fall-back day, contiguous', () => {
    const spring = listLocalDays('2026-03-07', '2026-03-09', LA);
    expect(spring.map((d) => d.date)).toEqual(['2026-03-07', '2026-03-08', '2026-03-09']);
    expect(spring.map((d) => (d.end - d.start) / H)).toEqual([24, 23, 24]);
    expect(spring[1]!.weekday).toBe(7);
    expect(spring[1]!.start).toBe(utc('2026-03-08T08:00:00Z'));
    expect(spring[1]!.end).toBe(utc('2026-03-09T07:00:00Z'));
    const fall = listLocalDays('2026-10-31', '2026-11-02', LA);
    expect(fall.map((d) => (d.end - d.start) / H)).toEqual([24, 25, 24]);
    for (const days of [spring, fall]) {
      for (let i = 1; i < days.length; i++) expect(days[i]!.start).toBe(days[i - 1]!.end);
    }
  });
  it('returns [] for a reversed range and one day for a single date', () => {
    expect(listLocalDays('2026-03-09', '2026-03-08', LA)).toEqual([]);
    expect(listLocalDays('2026-03-09', '2026-03-09', LA)).toHaveLength(1);
  });
  it('covers a whole year with exactly one 23 h and one 25 h day', () => {
    const days = listLocalDays('2026-01-01', '2026-12-31', LA);
    expect(days).toHaveLength(365);
    const lengths = days.map((d) => (d.end - d.start) / H);
    expect(lengths.filter((h) => h === 23)).toHaveLength(1);
    expect(lengths.filter((h) => h === 25)).toHaveLength(1);
  });
  it('starts weeks on the chosen weekday', () => {
    expect(startOfLocalWeek('2026-03-08')).toBe('2026-03-02');
    expect(startOfLocalWeek('2026-03-09')).toBe('2026-03-09');
    expect(startOfLocalWeek('2026-03-08', 7)).toBe('2026-03-08');
    expect(startOfLocalWeek('2026-03-07', 7)).toBe('2026-03-01');
  });
});
