import { describe, expect, it } from 'vitest';
import { DateTime } from 'luxon';
import { defaultClinicProtocol } from '../protocol/clinic-protocol.schema';
import { computePreparationWindows, prepItemStatus, resolvePrepAnchor } from './preparation-window';

const P = defaultClinicProtocol;
const LA = 'America/Los_Angeles';
const at = (iso: string) => DateTime.fromISO(iso, { zone: LA }).toMillis();
const utc = (ms: number) => new Date(ms).toISOString();
const byId = (ws: ReturnType<typeof computePreparationWindows>) => Object.fromEntries(ws.map((w) => [w.id, w]));

describe('computePreparationWindows — spring forward, 2026-03-08 (America/Los_Angeles)', () => {
  // Dose Sunday 2026-03-08 10:00 PDT (17:00Z); clocks went 02:00 PST → 03:00 PDT that morning.
  const T = at('2026-03-08T10:00');
  const w = byId(computePreparationWindows(P, { doseStart: T, clinicZone: LA, route: 'ivInfusion' }));

  it('the dose instant is 17:00Z', () => expect(utc(T)).toBe('2026-03-08T17:00:00.000Z'));

  it('elapsed-hour windows are real hours: no solid food from T−6 h, no clear liquids from T−2 h', () => {
    expect(utc(w['no-solid-food']!.start)).toBe('2026-03-08T11:00:00.000Z');
    expect(w['no-solid-food']!.startLocal).toBe('2026-03-08T04:00:00.000-07:00');
    expect(w['no-solid-food']!.end).toBe(T);
    expect(w['no-clear-liquids']!.startLocal).toBe('2026-03-08T08:00:00.000-07:00');
  });

  it('no alcohol from T−24 h reads 09:00 PST the day before (24 real hours, 25 wall-clock hours earlier)', () => {
    expect(utc(w['no-alcohol']!.start)).toBe('2026-03-07T17:00:00.000Z');
    expect(w['no-alcohol']!.startLocal).toBe('2026-03-07T09:00:00.000-08:00');
    expect(w['no-alcohol']!.endLocal).toBe('2026-03-09T10:00:00.000-07:00');
  });

  it('wall-clock anchors stay on the wall clock: benzodiazepines from 18:00 PST the evening before', () => {
    expect(w['no-benzodiazepines']!.startLocal).toBe('2026-03-07T18:00:00.000-08:00');
    expect(utc(w['no-benzodiazepines']!.start)).toBe('2026-03-08T02:00:00.000Z');
  });

  it('no driving until 08:00 the next day; keep 24 h free', () => {
    expect(w['no-driving']!.endLocal).toBe('2026-03-09T08:00:00.000-07:00');
    expect(utc(w['keep-24h-free']!.end)).toBe('2026-03-09T17:00:00.000Z');
  });

  it('filters items by route, sorted by start', () => {
    const ids = Object.keys(w);
    expect(ids).not.toContain('esketamine-no-food');
    expect(ids).toContain('no-solid-food');
    const list = computePreparationWindows(P, { doseStart: T, clinicZone: LA, route: 'ivInfusion' });
    expect(list.map((x) => x.start)).toEqual([...list.map((x) => x.start)].sort((a, b) => a - b));
    expect(list.every((x) => x.source.length > 0)).toBe(true);
  });

  it('esketamine: no food 2 h, no liquids 30 min, nasal steroid due by T−1 h', () => {
    const e = byId(computePreparationWindows(P, { doseStart: T, clinicZone: LA, route: 'intranasalEsketamine' }));
    expect(Object.keys(e)).not.toContain('no-solid-food');
    expect(e['esketamine-no-food']!.startLocal).toBe('2026-03-08T08:00:00.000-07:00');
    expect(e['esketamine-no-liquids']!.startLocal).toBe('2026-03-08T09:30:00.000-07:00');
    // The local day starts at 00:00 PST; the task is due 09:00 PDT.
    expect(e['esketamine-nasal-steroid']!.startLocal).toBe('2026-03-08T00:00:00.000-08:00');
    expect(e['esketamine-nasal-steroid']!.endLocal).toBe('2026-03-08T09:00:00.000-07:00');
  });

  it('the day before the change: T+24 h lands at 11:00 PDT', () => {
    const t = at('2026-03-07T10:00');
    const x = byId(computePreparationWindows(P, { doseStart: t, clinicZone: LA, route: 'ivInfusion' }));
    expect(x['keep-24h-free']!.endLocal).toBe('2026-03-08T11:00:00.000-07:00');
    expect(x['no-driving']!.endLocal).toBe('2026-03-08T08:00:00.000-07:00');
  });

  it('a wall time skipped by spring-forward moves forward (02:30 → 03:30 PDT)', () => {
    expect(utc(resolvePrepAnchor({ kind: 'local-time', dayOffset: 0, time: '02:30' }, T, LA))).toBe('2026-03-08T10:30:00.000Z');
  });
});

describe('computePreparationWindows — fall back, 2026-11-01 (America/Los_Angeles)', () => {
  // Dose Sunday 2026-11-01 10:00 PST (18:00Z); clocks went 02:00 PDT → 01:00 PST that morning.
  const T = at('2026-11-01T10:00');
  const w = byId(computePreparationWindows(P, { doseStart: T, clinicZone: LA, route: 'ivInfusion' }));

  it('the dose instant is 18:00Z', () => expect(utc(T)).toBe('2026-11-01T18:00:00.000Z'));

  it('no solid food from T−6 h reads 04:00 PST (6 real hours, both after the change)', () => {
    expect(w['no-solid-food']!.startLocal).toBe('2026-11-01T04:00:00.000-08:00');
  });

  it('an elapsed offset that crosses the change: T−10 h reads 01:00 PDT (11 wall-clock hours earlier)', () => {
    expect(DateTime.fromMillis(resolvePrepAnchor({ kind: 'offset-hours', hours: -10 }, T, LA), { zone: LA }).toISO()).toBe(
      '2026-11-01T01:00:00.000-07:00',
    );
  });

  it('no alcohol from T−24 h reads 11:00 PDT the day before (23 wall-clock hours earlier)', () => {
    expect(utc(w['no-alcohol']!.start)).toBe('2026-10-31T18:00:00.000Z');
    expect(w['no-alcohol']!.startLocal).toBe('2026-10-31T11:00:00.000-07:00');
  });

  it('benzodiazepines from 18:00 PDT the evening before', () => {
    expect(w['no-benzodiazepines']!.startLocal).toBe('2026-10-31T18:00:00.000-07:00');
    expect(utc(w['no-benzodiazepines']!.start)).toBe('2026-11-01T01:00:00.000Z');
  });

  it('a dose the evening before the change: T+24 h is 17:00 PST wall clock', () => {
    const t = at('2026-10-31T18:00');
    const x = byId(computePreparationWindows(P, { doseStart: t, clinicZone: LA, route: 'ivInfusion' }));
    expect(x['keep-24h-free']!.endLocal).toBe('2026-11-01T17:00:00.000-08:00');
    expect(x['no-driving']!.endLocal).toBe('2026-11-01T08:00:00.000-08:00');
  });

  it('an ambiguous wall time (01:30 occurs twice) resolves to the first, PDT', () => {
    expect(utc(resolvePrepAnchor({ kind: 'local-time', dayOffset: 0, time: '01:30' }, T, LA))).toBe('2026-11-01T08:30:00.000Z');
  });
});

describe('computePreparationWindows — input checks', () => {
  it('rejects an unknown zone', () => {
    expect(() => computePreparationWindows(P, { doseStart: 0, clinicZone: 'Mars/Olympus', route: 'im' })).toThrow(RangeError);
  });
  it('fractional offsets are exact (30 min)', () => {
    expect(resolvePrepAnchor({ kind: 'offset-hours', hours: -0.5 }, 3_600_000, 'UTC')).toBe(1_800_000);
  });
});

describe('prepItemStatus', () => {
  const abstain = { kind: 'abstain' as const, start: 1000, end: 2000 };
  const task = { kind: 'task' as const, start: 1000, end: 2000 };
  it('abstain: upcoming → in-effect → ended-unconfirmed; confirmed wins', () => {
    expect(prepItemStatus(abstain, 999, null)).toBe('upcoming');
    expect(prepItemStatus(abstain, 1000, null)).toBe('in-effect');
    expect(prepItemStatus(abstain, 1999, null)).toBe('in-effect');
    expect(prepItemStatus(abstain, 2000, null)).toBe('ended-unconfirmed');
    expect(prepItemStatus(abstain, 1500, { at: 1400 })).toBe('confirmed');
    expect(prepItemStatus(abstain, 2500, { at: 1999 })).toBe('confirmed');
  });
  it('task: not-yet-open → due → overdue; done wins', () => {
    expect(prepItemStatus(task, 999, null)).toBe('not-yet-open');
    expect(prepItemStatus(task, 1000, null)).toBe('due');
    expect(prepItemStatus(task, 1999, null)).toBe('due');
    expect(prepItemStatus(task, 2000, null)).toBe('overdue');
    expect(prepItemStatus(task, 2500, { at: 1500 })).toBe('done');
  });
  it('a completion recorded after now does not count yet', () => {
    expect(prepItemStatus(task, 1500, { at: 1600 })).toBe('due');
  });
});
