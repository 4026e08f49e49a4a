import { describe, expect, it } from 'vitest';
import { defaultClinicProtocol } from '../protocol/clinic-protocol.schema';
import {
  escalationFor,
  evaluateReadingGap,
  evaluateVitalReading,
  PLAUSIBLE_RANGES,
  validateVitalReading,
} from './vital-alerts';

const P = defaultClinicProtocol;
const MIN = 60_000;
const T0 = Date.UTC(2026, 2, 10, 17, 0);
const ids = (a: { rule: string }[]) => a.map((x) => x.rule);

describe('evaluateVitalReading — every default rule, both sides of its boundary', () => {
  for (const rule of P.vitalAlerts.rules) {
    const beyond = rule.comparison === 'above' ? rule.value + 1 : rule.value - 1;
    it(`${rule.id}: ${rule.field} ${rule.value} does not fire, ${beyond} fires (${rule.level})`, () => {
      expect(ids(evaluateVitalReading(P, { [rule.field]: rule.value }))).not.toContain(rule.id);
      const alerts = evaluateVitalReading(P, { [rule.field]: beyond });
      expect(ids(alerts)).toEqual([rule.id]);
      expect(alerts[0]).toMatchObject({ level: rule.level, field: rule.field, value: beyond, threshold: rule.value, source: rule.source });
    });
  }

  it('the default thresholds are SBP>180/>200, DBP>110/>120, SBP<90, HR>120/>150/<50, SpO2<93/<90, RR<10/>30', () => {
    const t = Object.fromEntries(P.vitalAlerts.rules.map((r) => [r.id, [r.comparison, r.value, r.level]]));
    expect(t).toEqual({
      'sbp-high': ['above', 180, 'warning'],
      'sbp-critical': ['above', 200, 'critical'],
      'dbp-high': ['above', 110, 'warning'],
      'dbp-critical': ['above', 120, 'critical'],
      'sbp-low': ['below', 90, 'warning'],
      'hr-high': ['above', 120, 'warning'],
      'hr-critical': ['above', 150, 'critical'],
      'hr-low': ['below', 50, 'warning'],
      'spo2-low': ['below', 93, 'warning'],
      'spo2-critical': ['below', 90, 'critical'],
      'rr-low': ['below', 10, 'critical'],
      'rr-high': ['above', 30, 'warning'],
    });
  });

  it('one alert per field and direction: critical supersedes warning', () => {
    expect(ids(evaluateVitalReading(P, { sbp: 201 }))).toEqual(['sbp-critical']);
    expect(ids(evaluateVitalReading(P, { spo2: 85 }))).toEqual(['spo2-critical']);
  });

  it('the more extreme of two same-level rules wins', () => {
    const p = structuredClone(P);
    p.vitalAlerts.rules.push({ id: 'sbp-higher', field: 'sbp', comparison: 'above', value: 190, level: 'warning', source: 's' });
    expect(ids(evaluateVitalReading(p, { sbp: 195 }))).toEqual(['sbp-higher']);
    expect(ids(evaluateVitalReading(p, { sbp: 185 }))).toEqual(['sbp-high']);
  });

  it('a normal reading raises nothing; absent fields are ignored', () => {
    expect(evaluateVitalReading(P, { hr: 72, sbp: 122, dbp: 78, spo2: 98, rr: 14 })).toEqual([]);
    expect(evaluateVitalReading(P, {})).toEqual([]);
    expect(evaluateVitalReading(P, { hr: null, sbp: undefined })).toEqual([]);
  });

  it('several fields: critical first, then field order; message shows value and unit', () => {
    const a = evaluateVitalReading(P, { hr: 130, sbp: 210, dbp: 115, spo2: 91, rr: 8 });
    expect(ids(a)).toEqual(['sbp-critical', 'rr-low', 'hr-high', 'dbp-high', 'spo2-low']);
    expect(a[0]?.message).toBe('Systolic BP 210 mmHg is above 200 mmHg.');
  });
});

describe('evaluateReadingGap — "no reading for N minutes"', () => {
  it('fires at N minutes since the last reading, not before', () => {
    expect(evaluateReadingGap(P, T0, T0 - 60 * MIN, T0 + 15 * MIN - 1)).toBeNull();
    const a = evaluateReadingGap(P, T0, T0 - 60 * MIN, T0 + 15 * MIN);
    expect(a).toMatchObject({ rule: 'no-reading', level: 'warning', threshold: 15 });
    expect(a?.message).toBe('No vital-sign reading for 15 min (limit 15 min).');
  });
  it('counts from monitoring start when there is no reading', () => {
    expect(evaluateReadingGap(P, null, T0, T0 + 14 * MIN)).toBeNull();
    expect(evaluateReadingGap(P, null, T0, T0 + 20 * MIN)?.message).toContain('since monitoring started');
  });
  it('uses the configured N', () => {
    const p = structuredClone(P);
    p.vitalAlerts.noReadingMinutes.value = 5;
    expect(evaluateReadingGap(p, T0, T0, T0 + 5 * MIN)).not.toBeNull();
    expect(evaluateReadingGap(p, T0, T0, T0 + 5 * MIN - 1)).toBeNull();
  });
});

describe('escalationFor — nurse → prescriber (5 min) → admin (15 min)', () => {
  it('boundaries on both sides', () => {
    expect(escalationFor(P, T0, T0)).toEqual({ level: 'nurse', nextLevel: 'prescriber', nextEscalationAt: T0 + 5 * MIN });
    expect(escalationFor(P, T0, T0 + 5 * MIN - 1).level).toBe('nurse');
    expect(escalationFor(P, T0, T0 + 5 * MIN)).toEqual({ level: 'prescriber', nextLevel: 'admin', nextEscalationAt: T0 + 15 * MIN });
    expect(escalationFor(P, T0, T0 + 15 * MIN - 1).level).toBe('prescriber');
    expect(escalationFor(P, T0, T0 + 15 * MIN)).toEqual({ level: 'admin', nextLevel: null, nextEscalationAt: null });
  });
  it('stops escalating once acknowledged', () => {
    expect(escalationFor(P, T0, T0 + 60 * MIN, T0 + 2 * MIN)).toEqual({ level: 'nurse', nextLevel: null, nextEscalationAt: null });
    expect(escalationFor(P, T0, T0 + 60 * MIN, T0 + 6 * MIN)).toEqual({ level: 'prescriber', nextLevel: null, nextEscalationAt: null });
    expect(escalationFor(P, T0, T0 + 60 * MIN, T0 + 16 * MIN).level).toBe('admin');
  });
  it('an acknowledgement in the future (clock skew) is ignored', () => {
    expect(escalationFor(P, T0, T0 + 6 * MIN, T0 + 10 * MIN)).toMatchObject({ level: 'prescriber', nextLevel: 'admin' });
  });
  it('equal times go straight from nurse to admin', () => {
    const p = structuredClone(P);
    p.vitalAlerts.escalation.adminAfterMinutes.value = 5;
    expect(escalationFor(p, T0, T0)).toEqual({ level: 'nurse', nextLevel: 'admin', nextEscalationAt: T0 + 5 * MIN });
    expect(escalationFor(p, T0, T0 + 5 * MIN).level).toBe('admin');
  });
});

describe('validateVitalReading', () => {
  it('accepts a normal reading, a partial one, and alarming-but-real values', () => {
    expect(validateVitalReading({ hr: 72, sbp: 120, dbp: 80, spo2: 98, rr: 14 })).toEqual([]);
    expect(validateVitalReading({ spo2: 97 })).toEqual([]);
    expect(validateVitalReading({ rr: 0, spo2: 60 })).toEqual([]);
  });
  for (const [field, { min, max }] of Object.entries(PLAUSIBLE_RANGES)) {
    it(`${field}: ${min} and ${max} accepted, ${min - 1} and ${max + 1} rejected by name`, () => {
      // sbp/dbp are checked alone here so the dbp<sbp rule does not interfere.
      expect(validateVitalReading({ [field]: min })).toEqual([]);
      expect(validateVitalReading({ [field]: max })).toEqual([]);
      expect(validateVitalReading({ [field]: min - 1 }).map((e) => e.field)).toEqual([field]);
      expect(validateVitalReading({ [field]: max + 1 }).map((e) => e.field)).toEqual([field]);
    });
  }
  it('rejects an empty reading and non-numbers', () => {
    expect(validateVitalReading({})).toEqual([{ field: 'reading', message: expect.any(String) }]);
    expect(validateVitalReading({ hr: Number.NaN }).map((e) => e.field)).toEqual(['hr']);
    expect(validateVitalReading({ hr: '80' as unknown as number }).map((e) => e.field)).toEqual(['hr']);
  });
  it('rejects diastolic ≥ systolic', () => {
    expect(validateVitalReading({ sbp: 80, dbp: 80 }).map((e) => e.field)).toEqual(['dbp']);
    expect(validateVitalReading({ sbp: 81, dbp: 80 })).toEqual([]);
  });
  it('names several bad fields at once', () => {
    expect(validateVitalReading({ hr: 400, spo2: 101, rr: 14 }).map((e) => e.field)).toEqual(['hr', 'spo2']);
  });
});
