/**
 * Check-in gate: may this patient be checked in for a dose now? Pure function of
 * (protocol, facts, now) returning every reason it may not, so the chair-side UI can show
 * them all at once. Instants are epoch ms (UTC); calendar-day rules use the clinic zone.
 */
import { DateTime } from 'luxon';
import type { ClinicProtocol, PreDoseVitalRule } from '../protocol/clinic-protocol.schema';
import { breaksRule, VITAL_LABELS, type EpochMs, type VitalReading } from './vital-alerts';

export type EligibilityStatus = 'eligible' | 'ineligible' | 'deferred' | 'pending';

export interface CheckInFacts {
  /** IANA zone of the clinic, e.g. `America/Los_Angeles`: "today" is the clinic's day. */
  clinicZone: string;
  /** The latest eligibility decision, or null if none. */
  eligibility: { status: EligibilityStatus; decidedAt: EpochMs; expiresAt: EpochMs | null } | null;
  consent: { currentVersion: string; signedVersion: string | null; signedAt: EpochMs | null; withdrawnAt?: EpochMs | null };
  /** Pre-dose measures completed (instrument code and time). */
  completedMeasures: ReadonlyArray<{ instrument: string; completedAt: EpochMs }>;
  /** Safety alerts (e.g. PHQ-9 item 9) still open for this patient. */
  openSafetyAlerts: ReadonlyArray<{ id: string; summary: string }>;
  weight: { kg: number; measuredAt: EpochMs } | null;
  preDoseVitals: { reading: VitalReading; at: EpochMs } | null;
  /** `not-applicable` when the patient cannot become pregnant (recorded by a clinician). */
  pregnancy: 'not-applicable' | 'confirmed-not-pregnant' | 'pregnant' | 'unknown';
  fastingConfirmed: boolean;
  abstinenceConfirmed: boolean;
  escort: { name: string; phone: string } | null;
  next24hKeptFreeConfirmed: boolean;
  /** Start of the patient's last dosing session (dose given), or null. */
  lastDosingSessionAt: EpochMs | null;
}

export type CheckInReasonCode =
  | 'eligibility-missing'
  | 'eligibility-not-eligible'
  | 'eligibility-expired'
  | 'consent-not-signed'
  | 'consent-outdated'
  | 'consent-withdrawn'
  | 'pre-dose-measure-missing'
  | 'open-safety-alert'
  | 'weight-missing'
  | 'weight-out-of-window'
  | 'pre-dose-vitals-missing'
  | 'pre-dose-vitals-stale'
  | 'pre-dose-vitals-out-of-range'
  | 'pregnancy-status-unconfirmed'
  | 'pregnant'
  | 'fasting-not-confirmed'
  | 'abstinence-not-confirmed'
  | 'escort-missing'
  | 'next-24h-not-kept-free'
  | 'too-soon-since-last-session';

export interface GateReason {
  code: CheckInReasonCode;
  message: string;
  /** true = a prescriber may proceed anyway with a recorded reason. */
  overridable: boolean;
  /** The protocol rule or setting behind the reason, when there is one. */
  rule?: string;
  source?: string;
}

export interface GateDecision {
  allowed: boolean;
  reasons: GateReason[];
  /** Every reason is overridable (so a prescriber override can let the step proceed). */
  overridable: boolean;
}

/** Whole clinic-calendar days from `from` to `to` (same local date = 0). */
export function calendarDaysBetween(from: EpochMs, to: EpochMs, zone: string): number {
  const a = DateTime.fromMillis(from, { zone }).startOf('day');
  const b = DateTime.fromMillis(to, { zone }).startOf('day');
  // Days, not 24 h units: a DST day is 23 or 25 h long but still one day.
  return Math.round(b.diff(a, 'days').days);
}

const timeText = (at: EpochMs, zone: string) => DateTime.fromMillis(at, { zone }).toFormat('yyyy-LL-dd HH:mm');

export function describeReading(r: VitalReading): string {
  const parts: string[] = [];
  if (r.sbp != null || r.dbp != null) parts.push(`BP ${r.sbp ?? '–'}/${r.dbp ?? '–'} mmHg`);
  if (r.hr != null) parts.push(`HR ${r.hr} bpm`);
  if (r.spo2 != null) parts.push(`SpO2 ${r.spo2}%`);
  if (r.rr != null) parts.push(`RR ${r.rr}/min`);
  return parts.join(', ');
}

function vitalsReasons(rules: readonly PreDoseVitalRule[], reading: VitalReading): GateReason[] {
  const shown = describeReading(reading);
  const out: GateReason[] = [];
  // One reason per field and direction: the hard stop wins over a caution.
  const chosen = new Map<string, PreDoseVitalRule>();
  for (const rule of rules) {
    const v = reading[rule.field];
    if (typeof v !== 'number' || !Number.isFinite(v) || !breaksRule(v, rule)) continue;
    const key = `${rule.field}:${rule.comparison}`;
    const cur = chosen.get(key);
    if (
      !cur ||
      (cur.overridable && !rule.overridable) ||
      (cur.overridable === rule.overridable &&
        (rule.comparison === 'above' ? rule.value > cur.value : rule.value < cur.value))
    )
      chosen.set(key, rule);
  }
  for (const rule of chosen.values()) {
    const v = reading[rule.field] as number;
    const { name, unit } = VITAL_LABELS[rule.field];
    out.push({
      code: 'pre-dose-vitals-out-of-range',
      message:
        `Pre-dose reading ${shown}: ${name.toLowerCase()} ${v} ${unit} is ${rule.comparison} ${rule.value} ${unit}. ` +
        (rule.overridable ? 'Consider delaying; a prescriber may proceed with a reason.' : 'Dosing is blocked; repeat the reading later.'),
      overridable: rule.overridable,
      rule: rule.id,
      source: rule.source,
    });
  }
  return out;
}

export function evaluateCheckInGate(protocol: ClinicProtocol, facts: CheckInFacts, now: EpochMs): GateDecision {
  const pre = protocol.preDose;
  const zone = facts.clinicZone;
  const reasons: GateReason[] = [];
  const add = (r: GateReason) => reasons.push(r);

  // Eligibility: an `eligible` decision that has not expired.
  const el = facts.eligibility;
  if (!el) {
    add({ code: 'eligibility-missing', message: 'No eligibility decision is recorded.', overridable: false });
  } else if (el.status !== 'eligible') {
    add({ code: 'eligibility-not-eligible', message: `The eligibility decision is "${el.status}", not "eligible".`, overridable: false });
  } else if (el.expiresAt !== null && now >= el.expiresAt) {
    add({ code: 'eligibility-expired', message: `The eligibility decision expired on ${timeText(el.expiresAt, zone)}.`, overridable: false });
  }

  // Consent: the current version signed and not withdrawn.
  const c = facts.consent;
  if (c.withdrawnAt != null && c.withdrawnAt <= now) {
    add({ code: 'consent-withdrawn', message: 'The patient has withdrawn consent.', overridable: false });
  } else if (c.signedVersion === null) {
    add({ code: 'consent-not-signed', message: `Consent (version ${c.currentVersion}) has not been signed.`, overridable: false });
  } else if (c.signedVersion !== c.currentVersion) {
    add({
      code: 'consent-outdated',
      message: `Consent version ${c.signedVersion} is signed; the current version ${c.currentVersion} is not.`,
      overridable: false,
    });
  }

  // Pre-dose measures completed on the clinic's today.
  for (const instrument of pre.requiredMeasures.value) {
    const doneToday = facts.completedMeasures.some(
      (m) => m.instrument === instrument && m.completedAt <= now && calendarDaysBetween(m.completedAt, now, zone) === 0,
    );
    if (!doneToday) {
      add({
        code: 'pre-dose-measure-missing',
        message: `Today's pre-dose ${instrument.toUpperCase()} has not been completed.`,
        overridable: true,
        rule: 'preDose.requiredMeasures',
        source: pre.requiredMeasures.source,
      });
    }
  }
  for (const alert of facts.openSafetyAlerts) {
    add({
      code: 'open-safety-alert',
      message: `An open safety alert must be reviewed first: ${alert.summary}`,
      overridable: false,
    });
  }

  // Weight within the window (0 days = today).
  if (!facts.weight) {
    add({ code: 'weight-missing', message: 'No weight is recorded.', overridable: false });
  } else {
    const days = calendarDaysBetween(facts.weight.measuredAt, now, zone);
    if (days > pre.weightMaxAgeDays.value || days < 0) {
      const windowText = pre.weightMaxAgeDays.value === 0 ? 'today' : `within ${pre.weightMaxAgeDays.value} day(s)`;
      add({
        code: 'weight-out-of-window',
        message: `Weight ${facts.weight.kg} kg was measured ${timeText(facts.weight.measuredAt, zone)}; it must be measured ${windowText}.`,
        overridable: true,
        rule: 'preDose.weightMaxAgeDays',
        source: pre.weightMaxAgeDays.source,
      });
    }
  }

  // Pre-dose vitals: present, recent, within the blocking thresholds (reading shown).
  const v = facts.preDoseVitals;
  if (!v) {
    add({ code: 'pre-dose-vitals-missing', message: 'No pre-dose vital signs are recorded.', overridable: false });
  } else {
    const ageMin = (now - v.at) / 60_000;
    if (ageMin > pre.vitalsMaxAgeMinutes.value || ageMin < 0) {
      add({
        code: 'pre-dose-vitals-stale',
        message: `The pre-dose reading (${describeReading(v.reading)}) was taken ${timeText(v.at, zone)}; take a new one (limit ${pre.vitalsMaxAgeMinutes.value} min).`,
        overridable: false,
        rule: 'preDose.vitalsMaxAgeMinutes',
        source: pre.vitalsMaxAgeMinutes.source,
      });
    } else {
      if (v.reading.sbp == null || v.reading.dbp == null) {
        add({ code: 'pre-dose-vitals-missing', message: 'The pre-dose reading has no blood pressure.', overridable: false });
      }
      reasons.push(...vitalsReasons(pre.vitalRules, v.reading));
    }
  }

  if (pre.requirePregnancyStatus.value) {
    if (facts.pregnancy === 'unknown') {
      add({
        code: 'pregnancy-status-unconfirmed',
        message: 'Pregnancy status has not been confirmed today.',
        overridable: false,
        source: pre.requirePregnancyStatus.source,
      });
    } else if (facts.pregnancy === 'pregnant') {
      add({
        code: 'pregnant',
        message: 'The patient is pregnant; ketamine/esketamine is not recommended in pregnancy. Review eligibility.',
        overridable: false,
        source: pre.requirePregnancyStatus.source,
      });
    }
  }
  if (pre.requireFastingConfirmation.value && !facts.fastingConfirmed) {
    add({ code: 'fasting-not-confirmed', message: 'The patient has not confirmed fasting.', overridable: true, source: pre.requireFastingConfirmation.source });
  }
  if (pre.requireAbstinenceConfirmation.value && !facts.abstinenceConfirmed) {
    add({
      code: 'abstinence-not-confirmed',
      message: 'The patient has not confirmed abstaining from alcohol and other substances.',
      overridable: true,
      source: pre.requireAbstinenceConfirmation.source,
    });
  }
  if (pre.requireEscort.value) {
    const e = facts.escort;
    if (!e || e.name.trim() === '' || e.phone.trim() === '') {
      add({
        code: 'escort-missing',
        message: 'An escort for the ride home (name and phone) is not recorded.',
        overridable: true,
        source: pre.requireEscort.source,
      });
    }
  }
  if (pre.require24hKeptFree.value && !facts.next24hKeptFreeConfirmed) {
    add({
      code: 'next-24h-not-kept-free',
      message: 'The patient has not confirmed the next 24 hours are kept free (no driving, no important decisions).',
      overridable: true,
      source: pre.require24hKeptFree.source,
    });
  }

  if (facts.lastDosingSessionAt !== null) {
    const days = calendarDaysBetween(facts.lastDosingSessionAt, now, zone);
    const min = pre.minDaysBetweenSessions.value;
    if (days < min) {
      add({
        code: 'too-soon-since-last-session',
        message: `The last dosing session was ${timeText(facts.lastDosingSessionAt, zone)} (${days} day(s) ago); the protocol asks for at least ${min}.`,
        overridable: true,
        rule: 'preDose.minDaysBetweenSessions',
        source: pre.minDaysBetweenSessions.source,
      });
    }
  }

  return { allowed: reasons.length === 0, reasons, overridable: reasons.every((r) => r.overridable) };
}
