import { describe, expect, it } from 'vitest';
import { defaultClinicProtocol } from '../protocol/clinic-protocol.schema';
import {
  evaluateDischarge,
  meanArterialPressure,
  scoreAldreteCirculation,
  scoreAldreteSpo2,
  scoreModifiedAldrete,
  type AldreteInput,
  type DischargeFacts,
} from './discharge';

const P = defaultClinicProtocol;
const MIN = 60_000;
const DOSE = Date.UTC(2026, 2, 10, 17, 0);
const NOW = DOSE + 125 * MIN;

const best: AldreteInput = {
  activity: 'moves-4-limbs',
  respiration: 'deep-breath-and-cough',
  consciousness: 'fully-awake',
  baselineBp: { sbp: 120, dbp: 80 },
  currentBp: { sbp: 120, dbp: 80 },
  spo2: 98,
  onSupplementalOxygen: false,
};

describe('modified Aldrete score (clinical-facts §5)', () => {
  it('a fully recovered patient scores 10', () => {
    expect(scoreModifiedAldrete(best)).toEqual({
      total: 10,
      items: { activity: 2, respiration: 2, circulation: 2, consciousness: 2, spo2: 2 },
      circulationDeviationPercent: 0,
    });
  });
  it('activity 2/1/0', () => {
    expect(scoreModifiedAldrete({ ...best, activity: 'moves-2-limbs' }).items.activity).toBe(1);
    expect(scoreModifiedAldrete({ ...best, activity: 'moves-none' }).items.activity).toBe(0);
  });
  it('respiration 2/1/0', () => {
    expect(scoreModifiedAldrete({ ...best, respiration: 'dyspnea-or-limited' }).items.respiration).toBe(1);
    expect(scoreModifiedAldrete({ ...best, respiration: 'apneic' }).items.respiration).toBe(0);
  });
  it('consciousness 2/1/0', () => {
    expect(scoreModifiedAldrete({ ...best, consciousness: 'rousable-when-called' }).items.consciousness).toBe(1);
    expect(scoreModifiedAldrete({ ...best, consciousness: 'not-responding' }).items.consciousness).toBe(0);
  });
  it('circulation: ±20% = 2, >20–<50% = 1, ≥50% = 0, both directions', () => {
    expect(scoreAldreteCirculation(20)).toBe(2);
    expect(scoreAldreteCirculation(20.1)).toBe(1);
    expect(scoreAldreteCirculation(49.9)).toBe(1);
    expect(scoreAldreteCirculation(50)).toBe(0);
    const at = (sbp: number) => scoreModifiedAldrete({ ...best, currentBp: { sbp, dbp: 80 } }).items.circulation;
    expect([at(144), at(145), at(96), at(95), at(179), at(180), at(61), at(60)]).toEqual([2, 1, 2, 1, 1, 0, 1, 0]);
  });
  it('circulation can use mean arterial pressure', () => {
    expect(meanArterialPressure({ sbp: 120, dbp: 60 })).toBe(80);
    const r = scoreModifiedAldrete({ ...best, baselineBp: { sbp: 120, dbp: 60 }, currentBp: { sbp: 150, dbp: 60 } }, 'mean-arterial'); // MAP 80 → 90 = 12.5%
    expect(r.items.circulation).toBe(2);
    expect(r.circulationDeviationPercent).toBe(12.5);
    expect(scoreModifiedAldrete({ ...best, baselineBp: { sbp: 120, dbp: 60 }, currentBp: { sbp: 150, dbp: 60 } }).items.circulation).toBe(1); // SBP +25%
  });
  it('SpO2: >92 on room air = 2; >90 (or on O2) = 1; ≤90 = 0', () => {
    expect(scoreAldreteSpo2(93, false)).toBe(2);
    expect(scoreAldreteSpo2(92, false)).toBe(1);
    expect(scoreAldreteSpo2(91, false)).toBe(1);
    expect(scoreAldreteSpo2(90, false)).toBe(0);
    expect(scoreAldreteSpo2(99, true)).toBe(1);
    expect(scoreAldreteSpo2(91, true)).toBe(1);
    expect(scoreAldreteSpo2(90, true)).toBe(0);
    expect(scoreAldreteSpo2(85, true)).toBe(0);
  });
  it('a sedated patient on oxygen scores low', () => {
    const r = scoreModifiedAldrete({ ...best, activity: 'moves-2-limbs', consciousness: 'rousable-when-called', onSupplementalOxygen: true });
    expect(r.total).toBe(7);
  });
});

const facts = (over: Partial<DischargeFacts> = {}): DischargeFacts => ({
  routes: ['ivInfusion'],
  doseAt: DOSE,
  aldrete: { activity: 'moves-4-limbs', respiration: 'deep-breath-and-cough', consciousness: 'fully-awake', onSupplementalOxygen: false },
  baselineVitals: { sbp: 120, dbp: 80, hr: 70, spo2: 98, rr: 14 },
  latestVitals: { reading: { sbp: 128, dbp: 82, hr: 76, spo2: 97, rr: 14 }, at: NOW - 5 * MIN },
  alertAndOriented: true,
  steadyGait: true,
  escort: { present: true, name: 'Sam Rivera' },
  openAlertCount: 0,
  ...over,
});
const codes = (f: DischargeFacts, now = NOW) => evaluateDischarge(P, f, now).reasons.map((r) => r.code);

describe('evaluateDischarge', () => {
  it('allows a recovered patient after the observation minimum', () => {
    const d = evaluateDischarge(P, facts(), NOW);
    expect(d).toMatchObject({ allowed: true, reasons: [], observedMinutes: 125, observationMetAt: DOSE + 120 * MIN });
    expect(d.aldrete?.total).toBe(10);
  });

  it('observation minimum: 119:59 blocks, 120:00 passes', () => {
    const fresh = facts({ latestVitals: { reading: facts().latestVitals!.reading, at: DOSE + 119 * MIN } });
    expect(codes(fresh, DOSE + 120 * MIN - 1000)).toEqual(['observation-time-not-met']);
    expect(codes(facts({ latestVitals: { reading: facts().latestVitals!.reading, at: DOSE + 119 * MIN } }), DOSE + 120 * MIN)).toEqual([]);
  });

  it('observation can be overridden for racemic ketamine but not under the Spravato REMS', () => {
    const early = DOSE + 60 * MIN;
    const f = { latestVitals: { reading: facts().latestVitals!.reading, at: early } };
    expect(evaluateDischarge(P, facts(f), early).reasons[0]).toMatchObject({ code: 'observation-time-not-met', overridable: true });
    const esk = evaluateDischarge(P, facts({ ...f, routes: ['intranasalEsketamine'] }), early);
    expect(esk.reasons[0]).toMatchObject({ code: 'observation-time-not-met', overridable: false });
    expect(esk.reasons[0]?.message).toContain('Spravato REMS');
  });

  it('uses the longest minimum of the routes given', () => {
    const p = structuredClone(P);
    p.routes.im.minObservationMinutes.value = 60;
    const t = DOSE + 90 * MIN;
    const f = facts({ routes: ['im'], latestVitals: { reading: facts().latestVitals!.reading, at: t } });
    expect(evaluateDischarge(p, f, t).allowed).toBe(true);
    expect(evaluateDischarge(p, { ...f, routes: ['im', 'ivInfusion'] }, t).allowed).toBe(false);
  });

  it('no dose recorded', () => {
    expect(codes(facts({ doseAt: null }))).toEqual(['no-dose-recorded']);
  });

  it('Aldrete not assessed or below 9 (8 blocks, 9 passes)', () => {
    expect(codes(facts({ aldrete: null }))).toEqual(['aldrete-not-assessed']);
    const nine = facts({ aldrete: { ...facts().aldrete!, activity: 'moves-2-limbs' } });
    expect(codes(nine)).toEqual([]);
    const eight = facts({ aldrete: { ...facts().aldrete!, activity: 'moves-2-limbs', respiration: 'dyspnea-or-limited' } });
    const d = evaluateDischarge(P, eight, NOW);
    expect(d.reasons).toEqual([expect.objectContaining({ code: 'aldrete-below-passing', overridable: true })]);
    expect(d.reasons[0]?.message).toContain('8/10');
  });

  it('Aldrete needs BP and SpO2', () => {
    expect(codes(facts({ latestVitals: { reading: { sbp: 120, dbp: 80, hr: 70 }, at: NOW - MIN } }))).toEqual(['aldrete-not-assessed']);
  });

  it('vitals missing or stale (15 min)', () => {
    expect(codes(facts({ latestVitals: null }))).toEqual(['vitals-missing', 'aldrete-not-assessed']);
    expect(codes(facts({ latestVitals: { reading: facts().latestVitals!.reading, at: NOW - 15 * MIN } }))).toEqual([]);
    expect(codes(facts({ latestVitals: { reading: facts().latestVitals!.reading, at: NOW - 15 * MIN - 1 } }))).toEqual(['vitals-stale']);
    expect(codes(facts({ baselineVitals: null }))).toEqual(['aldrete-not-assessed', 'vitals-missing']);
  });

  it('each of SBP, DBP, HR within ±20% of baseline — boundaries both sides', () => {
    const withLatest = (r: Partial<{ sbp: number; dbp: number; hr: number }>) =>
      facts({ latestVitals: { reading: { sbp: 120, dbp: 80, hr: 70, spo2: 98, ...r }, at: NOW - MIN } });
    expect(codes(withLatest({ sbp: 144 }))).toEqual([]);
    // SBP +21%: circulation scores 1 (Aldrete 9, still passing) and the band is exceeded.
    expect(codes(withLatest({ sbp: 145 }))).toEqual(['vitals-outside-band']);
    expect(codes(withLatest({ sbp: 96 }))).toEqual([]);
    expect(codes(withLatest({ sbp: 95 }))).toEqual(['vitals-outside-band']);
    expect(codes(withLatest({ dbp: 96 }))).toEqual([]);
    expect(codes(withLatest({ dbp: 97 }))).toEqual(['vitals-outside-band']);
    expect(codes(withLatest({ dbp: 64 }))).toEqual([]);
    expect(codes(withLatest({ dbp: 63 }))).toEqual(['vitals-outside-band']);
    expect(codes(withLatest({ hr: 84 }))).toEqual([]);
    const d = evaluateDischarge(P, withLatest({ hr: 85 }), NOW);
    expect(d.reasons.map((r) => r.code)).toEqual(['vitals-outside-band']);
    expect(d.reasons[0]?.message).toBe('Heart rate 85 bpm is 21% from the baseline 70 bpm (band ±20%).');
    expect(codes(withLatest({ hr: 56 }))).toEqual([]);
    expect(codes(withLatest({ hr: 55 }))).toEqual(['vitals-outside-band']);
  });

  it('a field missing from baseline or latest is named', () => {
    const d = evaluateDischarge(P, facts({ baselineVitals: { sbp: 120, dbp: 80, spo2: 98 } }), NOW);
    expect(d.reasons.map((r) => r.code)).toEqual(['vitals-missing']);
    expect(d.reasons[0]?.message).toContain('Heart rate');
  });

  it('alert and oriented, steady gait, escort present and named, open alerts', () => {
    expect(codes(facts({ alertAndOriented: false }))).toEqual(['not-alert-and-oriented']);
    expect(codes(facts({ steadyGait: false }))).toEqual(['gait-not-steady']);
    expect(codes(facts({ escort: null }))).toEqual(['escort-not-present']);
    expect(codes(facts({ escort: { present: false, name: 'Sam' } }))).toEqual(['escort-not-present']);
    expect(codes(facts({ escort: { present: true, name: ' ' } }))).toEqual(['escort-not-present']);
    const alerts = evaluateDischarge(P, facts({ openAlertCount: 1 }), NOW);
    expect(alerts.reasons).toEqual([expect.objectContaining({ code: 'open-alerts', overridable: false })]);
  });

  it('criteria switched off in the protocol are not checked', () => {
    const p = structuredClone(P);
    p.discharge.requireAlertAndOriented.value = false;
    p.discharge.requireSteadyGait.value = false;
    p.discharge.requireEscortPresent.value = false;
    p.discharge.requireNoOpenAlerts.value = false;
    const f = facts({ alertAndOriented: false, steadyGait: false, escort: null, openAlertCount: 3 });
    expect(evaluateDischarge(p, f, NOW).allowed).toBe(true);
  });

  it('overridable only when every reason is', () => {
    expect(evaluateDischarge(P, facts({ steadyGait: false, escort: null }), NOW).overridable).toBe(true);
    expect(evaluateDischarge(P, facts({ steadyGait: false, aldrete: null }), NOW).overridable).toBe(false);
  });
});
