import { createHash, randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { checkDecision, ELIGIBILITY_DECISION_LABELS, overrideRequirement } from '../../../core/eligibility/eligibility-decision';
import { evaluateContraindications, type ContraindicationEvaluation, type IntakeFacts, type MeasureFact } from '../../../core/screening/contraindications';
import type { AddendumBody, EligibilityDecisionDto, EligibilityView, RecordEligibilityBody } from '../../../core/schemas/intake.schema';
import type { FieldCipher } from '../../crypto/field-encryption';
import type { DB } from '../../db/schema';
import type { Deps } from '../../deps';
import { AppError } from '../../http/errors';
import { withPatientAccess } from '../access/patient-access';
import type { RequestMeta, SessionActor } from '../auth/auth.service';
import { effectiveIntakeSettings } from '../intake/intake-settings';
import * as intakeRepo from '../intake/intake.repository';
import { answersContext, cipherOf } from '../intake/responses.service';
import { findCurrentEligibility } from './dosing-eligibility';
import * as repo from './eligibility.repository';

export const HISTORY_CODE = 'medical-history';
const ctx = (column: string, id: string) => `eligibility_decisions.${column}:${id}`;
const addendumCtx = (id: string) => `eligibility_addenda.text:${id}`;

/** Facts for the contraindication rules: the latest submitted history form and each measure's latest score. */
export async function gatherIntakeFacts(db: Kysely<DB>, cipher: FieldCipher, patientId: string): Promise<IntakeFacts> {
  const submitted = await intakeRepo.listSubmittedResponses(db, patientId); // oldest first
  let history: IntakeFacts['history'] = {};
  const measures: Record<string, MeasureFact> = {};
  for (const r of submitted) {
    const answers = cipher.decryptJson<Record<string, string | number | (string | number)[]>>(r.answers_enc, answersContext(r.id));
    if (r.instrument_code === HISTORY_CODE) history = answers;
    else if (r.score_status === 'scored') {
      measures[r.instrument_code] = {
        ...(r.score_total !== null ? { total: r.score_total } : {}),
        ...(r.score_band !== null ? { band: r.score_band } : {}),
        items: answers,
      };
    }
  }
  return { history, measures };
}

export async function evaluatePatient(db: Kysely<DB>, cipher: FieldCipher, organizationId: string, patientId: string): Promise<ContraindicationEvaluation> {
  const [settings, facts] = await Promise.all([effectiveIntakeSettings(db, organizationId), gatherIntakeFacts(db, cipher, patientId)]);
  return evaluateContraindications(settings.rules, facts);
}

function toDto(cipher: FieldCipher, row: Awaited<ReturnType<typeof repo.listDecisions>>[number], addenda: Awaited<ReturnType<typeof repo.listAddenda>>): EligibilityDecisionDto {
  return {
    id: row.id,
    decision: row.decision,
    decisionLabel: ELIGIBILITY_DECISION_LABELS[row.decision],
    rationale: cipher.decrypt(row.rationale_enc, ctx('rationale', row.id)),
    conditions: cipher.decryptNullable(row.conditions_enc, ctx('conditions', row.id)),
    overriddenRuleIds: JSON.parse(row.overridden_rule_ids) as string[],
    overrideReason: cipher.decryptNullable(row.override_reason_enc, ctx('override_reason', row.id)),
    flagsAtSigning: JSON.parse(row.flags_snapshot) as ContraindicationEvaluation,
    validUntil: row.valid_until,
    signedByName: row.signed_by_name,
    signedAt: row.signed_at,
    contentSha256: row.content_sha256,
    supersededById: row.superseded_by_id,
    addenda: addenda
      .filter((a) => a.decision_id === row.id)
      .map((a) => ({ id: a.id, text: cipher.decrypt(a.text_enc, addendumCtx(a.id)), authorName: a.author_name, createdAt: a.created_at })),
  };
}

/**
 * Newest first by the supersession chain (not only by time: two decisions signed in the
 * same millisecond still list in the order they superseded each other).
 */
function chainOrder<T extends { id: string; supersedes_id: string | null; superseded_by_id: string | null }>(rows: T[]): T[] {
  const byId = new Map(rows.map((r) => [r.id, r]));
  const ordered: T[] = [];
  const seen = new Set<string>();
  for (const head of rows.filter((r) => r.superseded_by_id === null)) {
    let cur: T | undefined = head;
    while (cur && !seen.has(cur.id)) {
      ordered.push(cur);
      seen.add(cur.id);
      cur = cur.supersedes_id ? byId.get(cur.supersedes_id) : undefined;
    }
  }
  return [...ordered, ...rows.filter((r) => !seen.has(r.id))];
}

export async function loadEligibilityView(deps: Deps, db: Kysely<DB>, organizationId: string, patientId: string): Promise<EligibilityView> {
  const cipher = cipherOf(deps);
  const [rows, addenda, evaluation, current] = await Promise.all([
    repo.listDecisions(db, patientId),
    repo.listAddenda(db, patientId),
    evaluatePatient(db, cipher, organizationId, patientId),
    findCurrentEligibility(db, patientId, deps.now()),
  ]);
  return {
    current: current
      ? {
          decisionId: current.decisionId,
          decision: current.decision,
          expiresAt: current.expiresAt,
          expired: current.expired,
          allowsDosing: current.decision === 'eligible' && !current.expired,
        }
      : null,
    decisions: chainOrder(rows).map((r) => toDto(cipher, r, addenda)),
    contraindications: evaluation,
    overrideRequiredFor: overrideRequirement('eligible', evaluation).ruleIds,
  };
}

export function getEligibility(deps: Deps, actor: SessionActor, patientId: string, meta: RequestMeta): Promise<EligibilityView> {
  return withPatientAccess(deps, actor, patientId, 'clinical', 'read', meta, () => loadEligibilityView(deps, deps.db, actor.organizationId, patientId), {
    view: 'eligibility',
  });
}

/** SHA-256 over the content as signed: any later change to a stored decision is detectable. */
export function decisionContentHash(content: Record<string, unknown>): string {
  const keys = Object.keys(content).sort();
  return createHash('sha256')
    .update(JSON.stringify(content, keys))
    .digest('hex');
}

/**
 * A prescriber signs an eligibility decision. The flags are evaluated now, server-side, and
 * stored with the decision; `eligible` over an absolute flag needs a written override reason.
 * Signed decisions are never edited: a new decision supersedes the previous one, and
 * addenda add to it.
 */
export async function recordEligibility(deps: Deps, actor: SessionActor, patientId: string, body: RecordEligibilityBody, meta: RequestMeta): Promise<EligibilityDecisionDto> {
  if (actor.role !== 'prescriber') {
    // Other tenants' patients read as not found (and are not named in this tenant's audit).
    const p = await intakeRepo.findPatientBasics(deps.db, patientId);
    const crossTenant = !p || p.organization_id !== actor.organizationId;
    await deps.audit.record({
      organizationId: actor.organizationId,
      actorUserId: actor.userId,
      actorRole: actor.role,
      patientId: crossTenant ? null : patientId,
      resource: 'patient.eligibility',
      action: 'sign',
      outcome: 'denied',
      ip: meta.ip,
      requestId: meta.requestId,
      detail: crossTenant ? { reason: 'no_such_patient', requestedPatientId: patientId } : { reason: 'only_prescribers_sign_eligibility' },
    });
    if (crossTenant) throw new AppError('not_found', 'Patient not found');
    throw new AppError('forbidden', 'Only a prescriber can sign an eligibility decision');
  }
  const id = randomUUID();
  const signed = await withPatientAccess(
    deps,
    actor,
    patientId,
    'clinical',
    'write',
    meta,
    async () => {
      const cipher = cipherOf(deps);
      const now = deps.now();
      const at = now.toISOString();
      return deps.db.transaction().execute(async (trx) => {
        await intakeRepo.lockPatientIntake(trx, deps.database.dialect, patientId);
        const evaluation = await evaluatePatient(trx, cipher, actor.organizationId, patientId);
        const problems = checkDecision(body, evaluation, at);
        if (problems.length > 0) {
          throw new AppError('validation', problems[0]!.message, { field: problems[0]!.field, details: problems });
        }
        const override = overrideRequirement(body.decision, evaluation);
        const rationale = body.rationale.trim();
        const conditions = body.conditions?.trim() || null;
        const overrideReason = override.required ? body.overrideReason!.trim() : null;
        const previous = await repo.findLatestUnsupersededDecision(trx, patientId);
        const content = {
          id,
          patientId,
          decision: body.decision,
          rationale,
          conditions,
          overriddenRuleIds: override.ruleIds,
          overrideReason,
          flags: evaluation,
          validUntil: body.validUntil ?? null,
          signedBy: actor.userId,
          signedByName: actor.displayName,
          signedAt: at,
          supersedes: previous?.id ?? null,
        };
        await repo.insertDecision(trx, {
          id,
          organization_id: actor.organizationId,
          patient_id: patientId,
          decision: body.decision,
          rationale_enc: cipher.encrypt(rationale, ctx('rationale', id)),
          conditions_enc: cipher.encryptNullable(conditions, ctx('conditions', id)),
          flags_snapshot: JSON.stringify(evaluation),
          overridden_rule_ids: JSON.stringify(override.ruleIds),
          override_reason_enc: cipher.encryptNullable(overrideReason, ctx('override_reason', id)),
          valid_until: body.validUntil ?? null,
          supersedes_id: previous?.id ?? null,
          superseded_by_id: null,
          signed_by: actor.userId,
          signed_by_name: actor.displayName,
          signed_at: at,
          content_sha256: decisionContentHash(content),
        });
        if (previous && (await repo.markSuperseded(trx, previous.id, id)) !== 1) {
          throw new AppError('conflict', 'Another decision was signed at the same moment; reload and review it', { field: 'decision' });
        }
        const rows = await repo.listDecisions(trx, patientId);
        return { dto: toDto(cipher, rows.find((r) => r.id === id)!, []), overridden: override.ruleIds };
      });
    },
    { decisionId: id, decision: body.decision },
  );
  if (signed.overridden.length > 0) {
    // The override itself is an auditable event (rule ids only; the reason is encrypted on the decision).
    await deps.audit.record({
      organizationId: actor.organizationId,
      actorUserId: actor.userId,
      actorRole: actor.role,
      patientId,
      resource: 'patient.eligibility',
      action: 'override_absolute_flag',
      outcome: 'allowed',
      ip: meta.ip,
      requestId: meta.requestId,
      detail: { decisionId: id, ruleIds: signed.overridden },
    });
  }
  return signed.dto;
}

/** Addenda add to a signed decision without changing it (clinicians on the care team). */
export async function addAddendum(deps: Deps, actor: SessionActor, patientId: string, decisionId: string, body: AddendumBody, meta: RequestMeta): Promise<EligibilityDecisionDto> {
  if (actor.role === 'patient') throw new AppError('forbidden', 'Only clinicians add addenda to eligibility decisions');
  return withPatientAccess(
    deps,
    actor,
    patientId,
    'clinical',
    'write',
    meta,
    async () => {
      const text = body.text.trim();
      if (text.length < 3) throw new AppError('validation', 'Write the addendum text', { field: 'text' });
      const cipher = cipherOf(deps);
      return deps.db.transaction().execute(async (trx) => {
        await intakeRepo.lockPatientIntake(trx, deps.database.dialect, patientId);
        const decision = await repo.findDecision(trx, decisionId);
        if (!decision || decision.patient_id !== patientId) throw new AppError('not_found', 'Decision not found', { field: 'decisionId' });
        const addendumId = randomUUID();
        await repo.insertAddendum(trx, {
          id: addendumId,
          organization_id: actor.organizationId,
          patient_id: patientId,
          decision_id: decisionId,
          text_enc: cipher.encrypt(text, addendumCtx(addendumId)),
          author_id: actor.userId,
          author_name: actor.displayName,
          created_at: deps.now().toISOString(),
        });
        return toDto(cipher, decision, await repo.listAddenda(trx, patientId));
      });
    },
    { decisionId, action: 'addendum' },
  );
}
