/**
 * Vital-sign rules during a dosing session. Pure; instants are epoch milliseconds (UTC)
 * as in src/core/scheduling; callers pass `now`.
 */
import type { ClinicProtocol, VitalAlertRule, VitalField } from '../protocol/clinic-protocol.schema';
import { VITAL_FIELDS } from '../protocol/clinic-protocol.schema';

export type EpochMs = number;

/** One reading; any field may be absent (a monitor may send SpO2 and HR only). */
export interface VitalReading {
  hr?: number | null;
  sbp?: number | null;
  dbp?: number | null;
  spo2?: number | null;
  rr?: number | null;
}

export type AlertLevel = 'warning' | 'critical';

export interface VitalAlert {
  /** Rule id from the protocol, or `no-reading`. */
  rule: string;
  level: AlertLevel;
  field: VitalField | null;
  value: number | null;
  threshold: number;
  message: string;
  source: string;
}

export const VITAL_LABELS: Record<VitalField, { name: string; unit: string }> = {
  hr: { name: 'Heart rate', unit: 'bpm' },
  sbp: { name: 'Systolic BP', unit: 'mmHg' },
  dbp: { name: 'Diastolic BP', unit: 'mmHg' },
  spo2: { name: 'SpO2', unit: '%' },
  rr: { name: 'Respiratory rate', unit: '/min' },
};

const present = (v: number | null | undefined): v is number => typeof v === 'number' && Number.isFinite(v);

/** Does `value` break a rule? Rules are strict: `above 180` fires at 181, not at 180. */
export function breaksRule(value: number, rule: { comparison: 'above' | 'below'; value: number }): boolean {
  return rule.comparison === 'above' ? value > rule.value : value < rule.value;
}

const LEVEL_RANK: Record<AlertLevel, number> = { warning: 1, critical: 2 };

/**
 * Evaluate one reading against the protocol's alert rules. When several rules on the same
 * field and direction fire (e.g. SBP > 180 warning and SBP > 200 critical), only the most
 * severe is returned, so one number raises one alert.
 */
export function evaluateVitalReading(protocol: ClinicProtocol, reading: VitalReading): VitalAlert[] {
  return evaluateRules(protocol.vitalAlerts.rules, reading);
}

export function evaluateRules(rules: readonly VitalAlertRule[], reading: VitalReading): VitalAlert[] {
  const best = new Map<string, VitalAlertRule>();
  for (const rule of rules) {
    const v = reading[rule.field];
    if (!present(v) || !breaksRule(v, rule)) continue;
    const key = `${rule.field}:${rule.comparison}`;
    const current = best.get(key);
    const moreSevere =
      !current ||
      LEVEL_RANK[rule.level] > LEVEL_RANK[current.level] ||
      (LEVEL_RANK[rule.level] === LEVEL_RANK[current.level] &&
        (rule.comparison === 'above' ? rule.value > current.value : rule.value < current.value));
    if (moreSevere) best.set(key, rule);
  }
  const out: VitalAlert[] = [];
  for (const rule of best.values()) {
    const v = reading[rule.field] as number;
    const { name, unit } = VITAL_LABELS[rule.field];
    out.push({
      rule: rule.id,
      level: rule.level,
      field: rule.field,
      value: v,
      threshold: rule.value,
      message: `${name} ${v} ${unit} is ${rule.comparison} ${rule.value} ${unit}.`,
      source: rule.source,
    });
  }
  // Stable order: critical first, then field order.
  return out.sort(
    (a, b) =>
      LEVEL_RANK[b.level] - LEVEL_RANK[a.level] ||
      VITAL_FIELDS.indexOf(a.field as VitalField) - VITAL_FIELDS.indexOf(b.field as VitalField),
  );
}

/**
 * "No reading for N minutes": counted from the last reading, or from the start of
 * monitoring if there is none yet. Fires once N minutes have fully elapsed (≥ N).
 */
export function evaluateReadingGap(
  protocol: ClinicProtocol,
  lastReadingAt: EpochMs | null,
  monitoringStartedAt: EpochMs,
  now: EpochMs,
): VitalAlert | null {
  const n = protocol.vitalAlerts.noReadingMinutes.value;
  const since = lastReadingAt ?? monitoringStartedAt;
  const minutes = (now - since) / 60_000;
  if (minutes < n) return null;
  const whole = Math.floor(minutes);
  return {
    rule: 'no-reading',
    level: 'warning',
    field: null,
    value: null,
    threshold: n,
    message:
      lastReadingAt === null
        ? `No vital-sign reading in the ${whole} min since monitoring started (limit ${n} min).`
        : `No vital-sign reading for ${whole} min (limit ${n} min).`,
    source: protocol.vitalAlerts.noReadingMinutes.source,
  };
}

export type EscalationLevel = 'nurse' | 'prescriber' | 'admin';

export interface Escalation {
  level: EscalationLevel;
  /** When the next escalation happens if still unacknowledged; null at the top level. */
  nextEscalationAt: EpochMs | null;
  nextLevel: EscalationLevel | null;
}

/**
 * Who must be notified about an unacknowledged alert raised at `raisedAt`.
 * An alert of age ≥ prescriberAfterMinutes escalates to the prescriber; ≥ adminAfterMinutes
 * to the clinic admin. An acknowledged alert stops escalating at the level reached when
 * it was acknowledged.
 */
export function escalationFor(
  protocol: ClinicProtocol,
  raisedAt: EpochMs,
  now: EpochMs,
  acknowledgedAt: EpochMs | null = null,
): Escalation {
  const { prescriberAfterMinutes, adminAfterMinutes } = protocol.vitalAlerts.escalation;
  const toPrescriber = raisedAt + prescriberAfterMinutes.value * 60_000;
  const toAdmin = raisedAt + adminAfterMinutes.value * 60_000;
  const at = acknowledgedAt !== null && acknowledgedAt < now ? acknowledgedAt : now;
  const acknowledged = acknowledgedAt !== null && acknowledgedAt <= now;
  if (at >= toAdmin) return { level: 'admin', nextEscalationAt: null, nextLevel: null };
  if (at >= toPrescriber)
    return acknowledged
      ? { level: 'prescriber', nextEscalationAt: null, nextLevel: null }
      : { level: 'prescriber', nextEscalationAt: toAdmin, nextLevel: 'admin' };
  if (acknowledged) return { level: 'nurse', nextEscalationAt: null, nextLevel: null };
  return toPrescriber === toAdmin
    ? { level: 'nurse', nextEscalationAt: toAdmin, nextLevel: 'admin' }
    : { level: 'nurse', nextEscalationAt: toPrescriber, nextLevel: 'prescriber' };
}

export interface ReadingFieldError {
  field: VitalField | 'reading';
  message: string;
}

/**
 * Data-entry sanity limits, NOT clinical thresholds: wide on purpose so that a real but
 * alarming value (RR 0 = apnea, SpO2 60 %) is accepted and alerts, while typos and
 * monitor artefacts (HR 0 with leads off, SpO2 120 %) are rejected and named.
 */
export const PLAUSIBLE_RANGES: Record<VitalField, { min: number; max: number }> = {
  hr: { min: 20, max: 300 },
  sbp: { min: 40, max: 300 },
  dbp: { min: 15, max: 200 },
  spo2: { min: 50, max: 100 },
  rr: { min: 0, max: 80 },
};

export function validateVitalReading(reading: VitalReading): ReadingFieldError[] {
  const errors: ReadingFieldError[] = [];
  let any = false;
  for (const field of VITAL_FIELDS) {
    const v = reading[field];
    if (v === undefined || v === null) continue;
    any = true;
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      errors.push({ field, message: `${VITAL_LABELS[field].name} must be a number.` });
      continue;
    }
    const { min, max } = PLAUSIBLE_RANGES[field];
    if (v < min || v > max) {
      errors.push({
        field,
        message: `${VITAL_LABELS[field].name} ${v} ${VITAL_LABELS[field].unit} is outside the plausible range ${min}–${max}.`,
      });
    }
  }
  if (!any) errors.push({ field: 'reading', message: 'A reading needs at least one of hr, sbp, dbp, spo2, rr.' });
  const { sbp, dbp } = reading;
  if (present(sbp) && present(dbp) && dbp >= sbp && !errors.some((e) => e.field === 'dbp' || e.field === 'sbp')) {
    errors.push({ field: 'dbp', message: `Diastolic ${dbp} must be lower than systolic ${sbp}.` });
  }
  return errors;
}
