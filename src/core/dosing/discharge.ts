/**
 * Recovery and discharge. Modified Aldrete score (Aldrete 1995: SpO2 replaced colour;
 * clinical-facts §5 [40][57][58]) and the discharge checklist. Pure; instants are epoch ms.
 */
import type { ClinicProtocol, RouteId } from '../protocol/clinic-protocol.schema';
import { minimumObservationMinutes } from '../protocol/clinic-protocol.schema';
import { describeReading } from './check-in-gate';
import { VITAL_LABELS, type EpochMs, type VitalReading } from './vital-alerts';

export type AldreteActivity = 'moves-4-limbs' | 'moves-2-limbs' | 'moves-none';
export type AldreteRespiration = 'deep-breath-and-cough' | 'dyspnea-or-limited' | 'apneic';
export type AldreteConsciousness = 'fully-awake' | 'rousable-when-called' | 'not-responding';

export interface AldreteInput {
  activity: AldreteActivity;
  respiration: AldreteRespiration;
  consciousness: AldreteConsciousness;
  baselineBp: { sbp: number; dbp: number };
  currentBp: { sbp: number; dbp: number };
  spo2: number;
  onSupplementalOxygen: boolean;
}

export interface AldreteScore {
  total: number;
  items: { activity: number; respiration: number; circulation: number; consciousness: number; spo2: number };
  /** |current − baseline| ÷ baseline × 100 for the BP measure used. */
  circulationDeviationPercent: number;
}

const ACTIVITY: Record<AldreteActivity, number> = { 'moves-4-limbs': 2, 'moves-2-limbs': 1, 'moves-none': 0 };
const RESPIRATION: Record<AldreteRespiration, number> = { 'deep-breath-and-cough': 2, 'dyspnea-or-limited': 1, apneic: 0 };
const CONSCIOUSNESS: Record<AldreteConsciousness, number> = { 'fully-awake': 2, 'rousable-when-called': 1, 'not-responding': 0 };

export const meanArterialPressure = (bp: { sbp: number; dbp: number }) => bp.dbp + (bp.sbp - bp.dbp) / 3;

/** Circulation: within ±20% of pre-procedure BP = 2; ±20–49% = 1; ±≥50% = 0. Exactly 20% scores 2. */
export function scoreAldreteCirculation(deviationPercent: number): number {
  if (deviationPercent <= 20 + 1e-9) return 2;
  if (deviationPercent < 50 - 1e-9) return 1;
  return 0;
}

/**
 * SpO2: > 92% on room air = 2; needs O2 to stay > 90% = 1; otherwise 0.
 * A room-air SpO2 of 91–92% also scores 1 (it is > 90% but not > 92%). Exactly 90% scores 0:
 * the 1-point band requires > 90%, the conservative reading of the table's gap.
 */
export function scoreAldreteSpo2(spo2: number, onSupplementalOxygen: boolean): number {
  if (!onSupplementalOxygen && spo2 > 92) return 2;
  if (spo2 > 90) return 1;
  return 0;
}

export function scoreModifiedAldrete(input: AldreteInput, bpMeasure: 'systolic' | 'mean-arterial' = 'systolic'): AldreteScore {
  const base = bpMeasure === 'systolic' ? input.baselineBp.sbp : meanArterialPressure(input.baselineBp);
  const cur = bpMeasure === 'systolic' ? input.currentBp.sbp : meanArterialPressure(input.currentBp);
  const deviation = (Math.abs(cur - base) / base) * 100;
  const items = {
    activity: ACTIVITY[input.activity],
    respiration: RESPIRATION[input.respiration],
    circulation: scoreAldreteCirculation(deviation),
    consciousness: CONSCIOUSNESS[input.consciousness],
    spo2: scoreAldreteSpo2(input.spo2, input.onSupplementalOxygen),
  };
  const total = items.activity + items.respiration + items.circulation + items.consciousness + items.spo2;
  return { total, items, circulationDeviationPercent: Math.round(deviation * 10) / 10 };
}

export interface DischargeFacts {
  routes: readonly RouteId[];
  /** Time the (first) dose was given; observation is counted from it. */
  doseAt: EpochMs | null;
  /** Aldrete observations; BP items come from here. Null = not assessed yet. */
  aldrete: Omit<AldreteInput, 'baselineBp' | 'currentBp' | 'spo2'> | null;
  baselineVitals: VitalReading | null;
  latestVitals: { reading: VitalReading; at: EpochMs } | null;
  alertAndOriented: boolean;
  steadyGait: boolean;
  escort: { present: boolean; name: string } | null;
  openAlertCount: number;
}

export type DischargeReasonCode =
  | 'no-dose-recorded'
  | 'observation-time-not-met'
  | 'aldrete-not-assessed'
  | 'aldrete-below-passing'
  | 'vitals-missing'
  | 'vitals-stale'
  | 'vitals-outside-band'
  | 'not-alert-and-oriented'
  | 'gait-not-steady'
  | 'escort-not-present'
  | 'open-alerts';

export interface DischargeReason {
  code: DischargeReasonCode;
  message: string;
  overridable: boolean;
  source?: string;
}

export interface DischargeDecision {
  allowed: boolean;
  reasons: DischargeReason[];
  overridable: boolean;
  aldrete: AldreteScore | null;
  observedMinutes: number | null;
  /** When the minimum observation time is met (null without a dose time). */
  observationMetAt: EpochMs | null;
}

export function evaluateDischarge(protocol: ClinicProtocol, facts: DischargeFacts, now: EpochMs): DischargeDecision {
  const d = protocol.discharge;
  const reasons: DischargeReason[] = [];
  const add = (r: DischargeReason) => reasons.push(r);
  let observedMinutes: number | null = null;
  let observationMetAt: EpochMs | null = null;

  const minObs = minimumObservationMinutes(protocol, facts.routes);
  // The Spravato REMS minimum is FDA-mandated: no override for esketamine (clinical-facts §2a [20]).
  const remsApplies = facts.routes.includes('intranasalEsketamine');
  if (facts.doseAt === null) {
    add({ code: 'no-dose-recorded', message: 'No administration is recorded; observation time cannot be counted.', overridable: false });
  } else {
    observedMinutes = Math.floor((now - facts.doseAt) / 60_000);
    observationMetAt = facts.doseAt + minObs * 60_000;
    if (now < observationMetAt) {
      add({
        code: 'observation-time-not-met',
        message: `Observed ${observedMinutes} min since the dose; the protocol requires at least ${minObs} min${remsApplies ? ' (Spravato REMS)' : ''}.`,
        overridable: !remsApplies,
        source: remsApplies
          ? protocol.routes.intranasalEsketamine.minObservationMinutes.source
          : facts.routes.map((r) => protocol.routes[r].minObservationMinutes.source).join('; '),
      });
    }
  }

  const base = facts.baselineVitals;
  const latest = facts.latestVitals;
  let aldrete: AldreteScore | null = null;
  const latestFresh = latest !== null && now - latest.at <= d.vitalsMaxAgeMinutes.value * 60_000 && latest.at <= now;

  if (!latest) {
    add({ code: 'vitals-missing', message: 'No vital signs are recorded for discharge.', overridable: false });
  } else if (!latestFresh) {
    add({
      code: 'vitals-stale',
      message: `The latest reading (${describeReading(latest.reading)}) is older than ${d.vitalsMaxAgeMinutes.value} min; take a discharge reading.`,
      overridable: false,
      source: d.vitalsMaxAgeMinutes.source,
    });
  }

  if (!facts.aldrete) {
    add({ code: 'aldrete-not-assessed', message: 'The modified Aldrete score has not been assessed.', overridable: false });
  } else if (
    base?.sbp != null && base.dbp != null && latest?.reading.sbp != null && latest.reading.dbp != null && latest.reading.spo2 != null
  ) {
    aldrete = scoreModifiedAldrete(
      {
        ...facts.aldrete,
        baselineBp: { sbp: base.sbp, dbp: base.dbp },
        currentBp: { sbp: latest.reading.sbp, dbp: latest.reading.dbp },
        spo2: latest.reading.spo2,
      },
      d.aldreteBpMeasure.value,
    );
    if (aldrete.total < d.aldretePassingScore.value) {
      add({
        code: 'aldrete-below-passing',
        message: `Modified Aldrete score ${aldrete.total}/10 is below the passing score of ${d.aldretePassingScore.value}.`,
        overridable: true,
        source: d.aldretePassingScore.source,
      });
    }
  } else {
    add({
      code: 'aldrete-not-assessed',
      message: 'The modified Aldrete score needs a baseline BP and a current BP and SpO2.',
      overridable: false,
    });
  }

  if (latest && latestFresh) {
    if (!base) {
      add({ code: 'vitals-missing', message: 'No pre-dose baseline vital signs are recorded.', overridable: false });
    } else {
      const band = d.vitalsBandPercent.value;
      for (const field of ['sbp', 'dbp', 'hr'] as const) {
        const b = base[field];
        const c = latest.reading[field];
        const { name, unit } = VITAL_LABELS[field];
        if (b == null || c == null) {
          add({ code: 'vitals-missing', message: `${name} is missing from the baseline or the latest reading.`, overridable: false });
          continue;
        }
        const dev = (Math.abs(c - b) / b) * 100;
        if (dev > band + 1e-9) {
          add({
            code: 'vitals-outside-band',
            message: `${name} ${c} ${unit} is ${Math.round(dev)}% from the baseline ${b} ${unit} (band ±${band}%).`,
            overridable: true,
            source: d.vitalsBandPercent.source,
          });
        }
      }
    }
  }

  if (d.requireAlertAndOriented.value && !facts.alertAndOriented) {
    add({ code: 'not-alert-and-oriented', message: 'The patient is not yet alert and oriented.', overridable: true, source: d.requireAlertAndOriented.source });
  }
  if (d.requireSteadyGait.value && !facts.steadyGait) {
    add({ code: 'gait-not-steady', message: 'The patient does not yet walk steadily.', overridable: true, source: d.requireSteadyGait.source });
  }
  if (d.requireEscortPresent.value && (!facts.escort || !facts.escort.present || facts.escort.name.trim() === '')) {
    add({
      code: 'escort-not-present',
      message: 'A named escort is not present to take the patient home.',
      overridable: true,
      source: d.requireEscortPresent.source,
    });
  }
  if (d.requireNoOpenAlerts.value && facts.openAlertCount > 0) {
    add({
      code: 'open-alerts',
      message: `${facts.openAlertCount} alert(s) are not yet acknowledged.`,
      overridable: false,
      source: d.requireNoOpenAlerts.source,
    });
  }

  return {
    allowed: reasons.length === 0,
    reasons,
    overridable: reasons.every((r) => r.overridable),
    aldrete,
    observedMinutes,
    observationMetAt,
  };
}
