import { describe, expect, it } from 'vitest';
import { DateTime } from 'luxon';
import { defaultClinicProtocol } from '../protocol/clinic-protocol.schema';
import { calendarDaysBetween, evaluateCheckInGate, type CheckInFacts } from './check-in-gate';
import type { VitalReading } from './vital-alerts';

const P = defaultClinicProtocol;
const ZONE = 'America/Los_Angeles';
const MIN = 60_000;
const at = (iso: string) => DateTime.fromISO(iso, { zone: ZONE }).toMillis();
const NOW = at('2026-03-10T10:00'); // Tuesday 10:00 PDT

const facts = (over: Partial<CheckInFacts> = {}): CheckInFacts => ({
  clinicZone: ZONE,
  eligibility: { status: 'eligible', decidedAt: at('2026-02-01T09:00'), expiresAt: at('2026-08-01T00:00') },
  consent: { currentVersion: '3', signedVersion: '3', signedAt: at('2026-02-02T09:00') },
  completedMeasures: [{ instrument: 'phq9', completedAt: NOW - 30 * MIN }],
  openSafetyAlerts: [],
  weight: { kg: 72, measuredAt: NOW - 20 * MIN },
  preDoseVitals: { reading: { sbp: 124, dbp: 78, hr: 72, spo2: 98, rr: 14 }, at: NOW - 5 * MIN },
  pregnancy: 'confirmed-not-pregnant',
  fastingConfirmed: true,
  abstinenceConfirmed: true,
  escort: { name: 'Sam Rivera', phone: '+1 555 0100' },
  next24hKeptFreeConfirmed: true,
  lastDosingSessionAt: at('2026-03-06T10:00'),
  ...over,
});
const codes = (f: CheckInFacts, now = NOW, p = P) => evaluateCheckInGate(p, f, now).reasons.map((r) => r.code);

describe('evaluateCheckInGate', () => {
  it('allows a fully prepared patient', () => {
    expect(evaluateCheckInGate(P, facts(), NOW)).toEqual({ allowed: true, reasons: [], overridable: true });
  });

  describe('eligibility', () => {
    it('missing, not eligible, expired (none overridable)', () => {
      expect(codes(facts({ eligibility: null }))).toEqual(['eligibility-missing']);
      for (const status of ['ineligible', 'deferred', 'pending'] as const) {
        expect(codes(facts({ eligibility: { status, decidedAt: NOW - MIN, expiresAt: null } }))).toEqual(['eligibility-not-eligible']);
      }
      expect(codes(facts({ eligibility: { status: 'eligible', decidedAt: 0, expiresAt: NOW } }))).toEqual(['eligibility-expired']);
      expect(codes(facts({ eligibility: { status: 'eligible', decidedAt: 0, expiresAt: NOW + 1 } }))).toEqual([]);
      expect(codes(facts({ eligibility: { status: 'eligible', decidedAt: 0, expiresAt: null } }))).toEqual([]);
      expect(evaluateCheckInGate(P, facts({ eligibility: null }), NOW).overridable).toBe(false);
    });
  });

  describe('consent', () => {
    it('not signed, outdated version, withdrawn', () => {
      expect(codes(facts({ consent: { currentVersion: '3', signedVersion: null, signedAt: null } }))).toEqual(['consent-not-signed']);
      const r = evaluateCheckInGate(P, facts({ consent: { currentVersion: '3', signedVersion: '2', signedAt: 0 } }), NOW);
      expect(r.reasons.map((x) => x.code)).toEqual(['consent-outdated']);
      expect(r.reasons[0]?.message).toContain('current version 3');
      expect(codes(facts({ consent: { currentVersion: '3', signedVersion: '3', signedAt: 0, withdrawnAt: NOW - MIN } }))).toEqual(['consent-withdrawn']);
      expect(codes(facts({ consent: { currentVersion: '3', signedVersion: '3', signedAt: 0, withdrawnAt: NOW + MIN } }))).toEqual([]);
    });
  });

  describe('pre-dose measures and safety alerts', () => {
    it('a measure done yesterday (clinic time) does not count, even if the same UTC date', () => {
      // 2026-03-09 17:30 PDT = 2026-03-10 00:30 UTC: same UTC date as NOW, previous clinic day.
      const r = evaluateCheckInGate(P, facts({ completedMeasures: [{ instrument: 'phq9', completedAt: at('2026-03-09T17:30') }] }), NOW);
      expect(r.reasons.map((x) => x.code)).toEqual(['pre-dose-measure-missing']);
      expect(r.reasons[0]?.message).toContain('PHQ9');
      expect(r.reasons[0]?.overridable).toBe(true);
      expect(codes(facts({ completedMeasures: [{ instrument: 'phq9', completedAt: at('2026-03-10T00:00') }] }))).toEqual([]);
    });
    it('a different instrument does not count; none required → nothing asked', () => {
      expect(codes(facts({ completedMeasures: [{ instrument: 'gad7', completedAt: NOW - MIN }] }))).toEqual(['pre-dose-measure-missing']);
      const p = structuredClone(P);
      p.preDose.requiredMeasures.value = [];
      expect(codes(facts({ completedMeasures: [] }), NOW, p)).toEqual([]);
    });
    it('an open safety alert blocks and is not overridable', () => {
      const r = evaluateCheckInGate(P, facts({ openSafetyAlerts: [{ id: 'a1', summary: 'PHQ-9 item 9 = 2' }] }), NOW);
      expect(r.reasons).toEqual([expect.objectContaining({ code: 'open-safety-alert', overridable: false })]);
      expect(r.reasons[0]?.message).toContain('PHQ-9 item 9 = 2');
    });
  });

  describe('weight', () => {
    it('missing; measured yesterday with a same-day window; within a 1-day window', () => {
      expect(codes(facts({ weight: null }))).toEqual(['weight-missing']);
      const y = facts({ weight: { kg: 72, measuredAt: at('2026-03-09T23:59') } });
      expect(codes(y)).toEqual(['weight-out-of-window']);
      expect(codes(facts({ weight: { kg: 72, measuredAt: at('2026-03-10T00:00') } }))).toEqual([]);
      const p = structuredClone(P);
      p.preDose.weightMaxAgeDays.value = 1;
      expect(codes(y, NOW, p)).toEqual([]);
      expect(codes(facts({ weight: { kg: 72, measuredAt: at('2026-03-08T23:59') } }), NOW, p)).toEqual(['weight-out-of-window']);
    });
  });

  describe('pre-dose vitals', () => {
    const withVitals = (reading: VitalReading) =>
      facts({ preDoseVitals: { reading, at: NOW - 5 * MIN } });
    const normal = { sbp: 124, dbp: 78, hr: 72, spo2: 98, rr: 14 };

    it('missing, without BP, stale at 61 min, fresh at 60 min', () => {
      expect(codes(facts({ preDoseVitals: null }))).toEqual(['pre-dose-vitals-missing']);
      expect(codes(withVitals({ hr: 70, spo2: 98 }))).toEqual(['pre-dose-vitals-missing']);
      expect(codes(facts({ preDoseVitals: { reading: normal, at: NOW - 60 * MIN } }))).toEqual([]);
      expect(codes(facts({ preDoseVitals: { reading: normal, at: NOW - 61 * MIN } }))).toEqual(['pre-dose-vitals-stale']);
    });

    it('SBP 181 blocks (not overridable) and the message shows the reading', () => {
      const r = evaluateCheckInGate(P, withVitals({ ...normal, sbp: 181 }), NOW);
      expect(r.reasons).toHaveLength(1);
      expect(r.reasons[0]).toMatchObject({ code: 'pre-dose-vitals-out-of-range', rule: 'predose-sbp-block', overridable: false });
      expect(r.reasons[0]?.message).toContain('BP 181/78 mmHg');
      expect(r.reasons[0]?.message).toContain('181 mmHg is above 180 mmHg');
      expect(r.overridable).toBe(false);
    });

    it('SBP 180 is not blocked but is above the 140 caution (overridable)', () => {
      const r = evaluateCheckInGate(P, withVitals({ ...normal, sbp: 180 }), NOW);
      expect(r.reasons.map((x) => [x.rule, x.overridable])).toEqual([['predose-sbp-caution', true]]);
      expect(r.overridable).toBe(true);
    });

    const cases: Array<[string, Partial<typeof normal>, string | null]> = [
      ['SBP 140', { sbp: 140 }, null],
      ['SBP 141', { sbp: 141 }, 'predose-sbp-caution'],
      ['DBP 90', { dbp: 90 }, null],
      ['DBP 91', { dbp: 91 }, 'predose-dbp-caution'],
      ['DBP 110', { dbp: 110 }, 'predose-dbp-caution'],
      ['DBP 111', { dbp: 111 }, 'predose-dbp-block'],
      ['SBP 90', { sbp: 90, dbp: 60 }, null],
      ['SBP 89', { sbp: 89, dbp: 60 }, 'predose-sbp-low'],
      ['HR 150', { hr: 150 }, null],
      ['HR 151', { hr: 151 }, 'predose-hr-high'],
      ['HR 50', { hr: 50 }, null],
      ['HR 49', { hr: 49 }, 'predose-hr-low'],
      ['RR 10', { rr: 10 }, null],
      ['RR 9', { rr: 9 }, 'predose-rr-low'],
      ['RR 30', { rr: 30 }, null],
      ['RR 31', { rr: 31 }, 'predose-rr-high'],
      ['SpO2 93', { spo2: 93 }, null],
      ['SpO2 92', { spo2: 92 }, 'predose-spo2-low'],
    ];
    for (const [name, change, rule] of cases) {
      it(`${name} → ${rule ?? 'passes'}`, () => {
        const r = evaluateCheckInGate(P, withVitals({ ...normal, ...change }), NOW);
        expect(r.reasons.map((x) => x.rule)).toEqual(rule ? [rule] : []);
        if (rule) expect(r.reasons[0]?.overridable).toBe(P.preDose.vitalRules.find((x) => x.id === rule)?.overridable);
      });
    }

    it('repeat reading after a block passes', () => {
      expect(evaluateCheckInGate(P, withVitals({ ...normal, sbp: 186, dbp: 100 }), NOW).allowed).toBe(false);
      expect(evaluateCheckInGate(P, withVitals(normal), NOW).allowed).toBe(true);
    });
  });

  describe('pregnancy, fasting, abstinence, escort, 24 h', () => {
    it('pregnancy unknown or pregnant blocks (not overridable); not applicable passes', () => {
      expect(codes(facts({ pregnancy: 'unknown' }))).toEqual(['pregnancy-status-unconfirmed']);
      expect(codes(facts({ pregnancy: 'pregnant' }))).toEqual(['pregnant']);
      expect(codes(facts({ pregnancy: 'not-applicable' }))).toEqual([]);
      const p = structuredClone(P);
      p.preDose.requirePregnancyStatus.value = false;
      expect(codes(facts({ pregnancy: 'unknown' }), NOW, p)).toEqual([]);
    });
    it('fasting and abstinence (overridable)', () => {
      const r = evaluateCheckInGate(P, facts({ fastingConfirmed: false, abstinenceConfirmed: false }), NOW);
      expect(r.reasons.map((x) => [x.code, x.overridable])).toEqual([
        ['fasting-not-confirmed', true],
        ['abstinence-not-confirmed', true],
      ]);
      const p = structuredClone(P);
      p.preDose.requireFastingConfirmation.value = false;
      p.preDose.requireAbstinenceConfirmation.value = false;
      expect(codes(facts({ fastingConfirmed: false, abstinenceConfirmed: false }), NOW, p)).toEqual([]);
    });
    it('escort needs a name and a phone', () => {
      expect(codes(facts({ escort: null }))).toEqual(['escort-missing']);
      expect(codes(facts({ escort: { name: ' ', phone: '555' } }))).toEqual(['escort-missing']);
      expect(codes(facts({ escort: { name: 'Sam', phone: '' } }))).toEqual(['escort-missing']);
      const p = structuredClone(P);
      p.preDose.requireEscort.value = false;
      expect(codes(facts({ escort: null }), NOW, p)).toEqual([]);
    });
    it('next 24 h kept free', () => {
      expect(codes(facts({ next24hKeptFreeConfirmed: false }))).toEqual(['next-24h-not-kept-free']);
      const p = structuredClone(P);
      p.preDose.require24hKeptFree.value = false;
      expect(codes(facts({ next24hKeptFreeConfirmed: false }), NOW, p)).toEqual([]);
    });
  });

  describe('minimum days since the last dosing session (2 clinic-calendar days)', () => {
    it('1 day blocks (overridable), 2 days pass, no previous session passes', () => {
      const r = evaluateCheckInGate(P, facts({ lastDosingSessionAt: at('2026-03-09T08:00') }), NOW);
      expect(r.reasons).toEqual([expect.objectContaining({ code: 'too-soon-since-last-session', overridable: true })]);
      expect(r.reasons[0]?.message).toContain('1 day(s) ago');
      expect(codes(facts({ lastDosingSessionAt: at('2026-03-08T23:59') }))).toEqual([]);
      expect(codes(facts({ lastDosingSessionAt: null }))).toEqual([]);
    });
    it('counts calendar days across the spring-forward day', () => {
      // Sat 2026-03-07 16:00 PST → Mon 2026-03-09 09:00 PDT is 2 calendar days but only 40 h.
      expect(codes(facts({ lastDosingSessionAt: at('2026-03-07T16:00') }), at('2026-03-09T09:00'))).toEqual(
        expect.not.arrayContaining(['too-soon-since-last-session']),
      );
      expect(codes(facts({ lastDosingSessionAt: at('2026-03-08T00:00') }), at('2026-03-09T23:00'))).toContain('too-soon-since-last-session');
    });
  });

  it('lists every reason at once', () => {
    const r = evaluateCheckInGate(
      P,
      facts({
        eligibility: null,
        consent: { currentVersion: '3', signedVersion: null, signedAt: null },
        completedMeasures: [],
        openSafetyAlerts: [{ id: 'x', summary: 's' }],
        weight: null,
        preDoseVitals: null,
        pregnancy: 'unknown',
        fastingConfirmed: false,
        abstinenceConfirmed: false,
        escort: null,
        next24hKeptFreeConfirmed: false,
        lastDosingSessionAt: NOW - 60 * MIN,
      }),
      NOW,
    );
    expect(r.reasons.map((x) => x.code)).toEqual([
      'eligibility-missing',
      'consent-not-signed',
      'pre-dose-measure-missing',
      'open-safety-alert',
      'weight-missing',
      'pre-dose-vitals-missing',
      'pregnancy-status-unconfirmed',
      'fasting-not-confirmed',
      'abstinence-not-confirmed',
      'escort-missing',
      'next-24h-not-kept-free',
      'too-soon-since-last-session',
    ]);
    expect(r.allowed).toBe(false);
  });
});

describe('calendarDaysBetween', () => {
  it('counts local dates, not 24 h units, across both 2026 DST changes', () => {
    expect(calendarDaysBetween(at('2026-03-07T23:00'), at('2026-03-08T00:30'), ZONE)).toBe(1);
    expect(calendarDaysBetween(at('2026-03-07T12:00'), at('2026-03-09T12:00'), ZONE)).toBe(2);
    expect(calendarDaysBetween(at('2026-10-31T12:00'), at('2026-11-02T12:00'), ZONE)).toBe(2);
    expect(calendarDaysBetween(at('2026-11-01T00:30'), at('2026-11-01T23:30'), ZONE)).toBe(0);
  });
});
