import type { Kysely } from 'kysely';
import type { DB, EligibilityDecisionKind } from '../../db/schema';
import { AppError } from '../../http/errors';

/**
 * The dosing gate's view of eligibility (issue 4): only a current, signed `eligible`
 * decision by a prescriber lets dosing appointments be booked.
 *
 * "Current" means: the patient's latest signed decision (every new decision supersedes
 * the previous one), not superseded, and not expired — a decision expires at its own
 * `valid_until` (set by the prescriber) or, when the clinic sets
 * `clinic_intake_settings.eligibility_valid_days`, that many days after signing.
 */
export interface CurrentEligibility {
  decisionId: string;
  decision: EligibilityDecisionKind;
  signedAt: string;
  signedByName: string;
  /** Earliest of the decision's own valid_until and the clinic's validity window; null = open-ended. */
  expiresAt: string | null;
  expired: boolean;
}

export async function findCurrentEligibility(
  db: Kysely<DB>,
  patientId: string,
  now: Date = new Date(),
): Promise<CurrentEligibility | null> {
  const row = await db
    .selectFrom('eligibility_decisions as d')
    .leftJoin('clinic_intake_settings as s', 's.organization_id', 'd.organization_id')
    .select(['d.id', 'd.decision', 'd.signed_at', 'd.signed_by_name', 'd.valid_until', 's.eligibility_valid_days'])
    .where('d.patient_id', '=', patientId)
    .where('d.superseded_by_id', 'is', null)
    .orderBy('d.signed_at', 'desc')
    .orderBy('d.id', 'desc')
    .executeTakeFirst();
  if (!row) return null;
  const candidates: string[] = [];
  if (row.valid_until) candidates.push(row.valid_until);
  if (row.eligibility_valid_days !== null && row.eligibility_valid_days !== undefined) {
    candidates.push(new Date(Date.parse(row.signed_at) + row.eligibility_valid_days * 86_400_000).toISOString());
  }
  const expiresAt = candidates.length > 0 ? candidates.sort()[0]! : null;
  return {
    decisionId: row.id,
    decision: row.decision,
    signedAt: row.signed_at,
    signedByName: row.signed_by_name,
    expiresAt,
    expired: expiresAt !== null && expiresAt <= now.toISOString(),
  };
}

const DECISION_LABEL: Record<EligibilityDecisionKind, string> = {
  eligible: 'eligible',
  not_eligible: 'not eligible',
  needs_more_information: 'needs more information',
  refer_out: 'refer out',
};

/**
 * Throws a 409 `conflict` naming `patientId` unless the patient's current signed
 * eligibility decision is `eligible`. Call it before booking a dosing appointment.
 */
export async function assertEligibleForDosing(
  db: Kysely<DB>,
  patientId: string,
  options: { now?: Date } = {},
): Promise<void> {
  const current = await findCurrentEligibility(db, patientId, options.now ?? new Date());
  if (!current) {
    throw new AppError(
      'conflict',
      'This patient has no signed eligibility decision yet; a prescriber must record "eligible" before a dosing session can be booked',
      { field: 'patientId' },
    );
  }
  if (current.decision !== 'eligible') {
    throw new AppError(
      'conflict',
      `The patient's current eligibility decision is "${DECISION_LABEL[current.decision]}"; only an "eligible" decision allows booking a dosing session`,
      { field: 'patientId' },
    );
  }
  if (current.expired) {
    throw new AppError(
      'conflict',
      `The patient's eligibility decision expired on ${current.expiresAt}; a prescriber must review eligibility again before a dosing session can be booked`,
      { field: 'patientId' },
    );
  }
}
