import type { Kysely } from 'kysely';
import type { CheckInFacts, EligibilityStatus } from '../../../core/dosing/check-in-gate';
import type { VitalReading } from '../../../core/dosing/vital-alerts';
import type { DB, DosingSessionsTable, EligibilityDecisionKind } from '../../db/schema';
import type { FieldCipher } from '../../crypto/field-encryption';
import { findPublished, findSignatureForDocument, listSignatures } from '../consents/consents.repository';
import { findCurrentEligibility } from '../eligibility/dosing-eligibility';
import { listAlerts as listSafetyAlerts, listSubmittedResponses } from '../intake/intake.repository';
import * as repo from './dosing.repository';

const ELIGIBILITY: Record<EligibilityDecisionKind, EligibilityStatus> = {
  eligible: 'eligible',
  not_eligible: 'ineligible',
  refer_out: 'ineligible',
  needs_more_information: 'pending',
};

/**
 * Consent for KAP treatment, through the consent module (issue 4): the currently published
 * version of the clinic's document, whether the patient signed it, and otherwise the latest
 * version they did sign (so the gate can say "version 1 signed, version 2 is current").
 */
async function consentFacts(db: Kysely<DB>, organizationId: string, patientId: string): Promise<CheckInFacts['consent']> {
  const [current, signatures] = await Promise.all([findPublished(db, organizationId, 'kap_treatment'), listSignatures(db, patientId)]);
  const signedCurrent = current ? await findSignatureForDocument(db, patientId, current.id) : undefined;
  const latestKap = signatures.filter((s) => s.kind === 'kap_treatment').sort((a, b) => b.version - a.version)[0];
  const currentSig = signedCurrent ? signatures.find((x) => x.id === signedCurrent.id) : undefined;
  const signed = currentSig ? { version: currentSig.version, at: currentSig.signed_at } : latestKap ? { version: latestKap.version, at: latestKap.signed_at } : null;
  return {
    currentVersion: current ? String(current.version) : 'none published',
    signedVersion: signed ? String(signed.version) : null,
    signedAt: signed ? Date.parse(signed.at) : null,
    withdrawnAt: null,
  };
}

const sameInstrument = (a: string, b: string) => a.toLowerCase().replace(/[^a-z0-9]/g, '') === b.toLowerCase().replace(/[^a-z0-9]/g, '');

export const readingOf = (r: { hr: number | null; sbp: number | null; dbp: number | null; spo2: number | null; rr: number | null }): VitalReading => ({
  hr: r.hr,
  sbp: r.sbp,
  dbp: r.dbp,
  spo2: r.spo2,
  rr: r.rr,
});

/** Everything the check-in gate needs, gathered from the database (inside the caller's transaction). */
export async function gatherCheckInFacts(
  db: Kysely<DB>,
  cipher: FieldCipher,
  session: DosingSessionsTable,
  clinicZone: string,
  now: Date,
  requiredMeasures: readonly string[],
): Promise<{ facts: CheckInFacts; preDoseReading: { at: string; reading: VitalReading } | null }> {
  const [eligibility, consent, responses, safety, preDose, last] = await Promise.all([
    findCurrentEligibility(db, session.patient_id, now),
    consentFacts(db, session.organization_id, session.patient_id),
    listSubmittedResponses(db, session.patient_id),
    listSafetyAlerts(db, { organizationId: session.organization_id, status: 'open', patientId: session.patient_id }),
    repo.latestReading(db, session.id, ['scheduled']),
    repo.findOtherSessionsLastDose(db, session.patient_id, session.id),
  ]);
  const escortName = cipher.decryptNullable(session.escort_name_enc, `dosing_sessions.escort_name:${session.id}`);
  const escortPhone = cipher.decryptNullable(session.escort_phone_enc, `dosing_sessions.escort_phone:${session.id}`);
  const facts: CheckInFacts = {
    clinicZone,
    eligibility: eligibility
      ? {
          status: ELIGIBILITY[eligibility.decision],
          decidedAt: Date.parse(eligibility.signedAt),
          expiresAt: eligibility.expiresAt ? Date.parse(eligibility.expiresAt) : null,
        }
      : null,
    consent,
    completedMeasures: responses
      .filter((r) => r.submitted_at !== null)
      .map((r) => ({
        // The protocol may name an instrument "phq9" where the questionnaire engine says "phq-9".
        instrument: requiredMeasures.find((m) => sameInstrument(m, r.instrument_code)) ?? r.instrument_code,
        completedAt: Date.parse(r.submitted_at as string),
      })),
    openSafetyAlerts: safety.map((a) => ({
      id: a.id,
      summary: `${a.instrument_code.toUpperCase()} item ${a.item_id} answered ${a.answer_value} (raised ${a.raised_at.slice(0, 16).replace('T', ' ')} UTC)`,
    })),
    weight:
      session.weight_kg !== null && session.weight_measured_at
        ? { kg: session.weight_kg, measuredAt: Date.parse(session.weight_measured_at) }
        : null,
    preDoseVitals: preDose ? { reading: readingOf(preDose), at: Date.parse(preDose.at) } : null,
    pregnancy: session.pregnancy_status as CheckInFacts['pregnancy'],
    fastingConfirmed: session.fasting_confirmed === 1,
    abstinenceConfirmed: session.abstinence_confirmed === 1,
    escort: escortName || escortPhone ? { name: escortName ?? '', phone: escortPhone ?? '' } : null,
    next24hKeptFreeConfirmed: session.next24h_free_confirmed === 1,
    lastDosingSessionAt: last?.first_dose_at ? Date.parse(last.first_dose_at) : null,
  };
  return { facts, preDoseReading: preDose ? { at: preDose.at, reading: readingOf(preDose) } : null };
}
