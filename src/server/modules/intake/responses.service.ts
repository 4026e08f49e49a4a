import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { assessOutcomeChange } from '../../../core/instruments/outcome-change';
import { allItems, type InstrumentDefinition } from '../../../core/instruments/instrument-definition.schema';
import { InvalidAnswersError, scoreResponse, type Answers, type ScoreResult } from '../../../core/instruments/score-response';
import { CRISIS_MESSAGE, CRISIS_RESOURCES } from '../../../core/safety/crisis-resources';
import type {
  ResponseListQuery,
  ScoreEntry,
  ScoreHistory,
  ScoreSummary,
  StoredResponse,
  SubmitResponseBody,
  SubmitResponseResult,
} from '../../../core/schemas/intake.schema';
import { fieldCipherFor, type FieldCipher } from '../../crypto/field-encryption';
import type { DB, ResponseEntryMode } from '../../db/schema';
import type { Deps } from '../../deps';
import { AppError } from '../../http/errors';
import { withPatientAccess } from '../access/patient-access';
import { assertPostSessionLink } from '../dosing/post-session-link';
import type { RequestMeta, SessionActor } from '../auth/auth.service';
import { currentDefinition, definitionById, storeDefinition } from './instrument-catalog';
import * as repo from './intake.repository';

export const answersContext = (responseId: string) => `questionnaire_responses.answers:${responseId}`;
export const scoreContext = (responseId: string) => `questionnaire_responses.score:${responseId}`;

export function cipherOf(deps: Deps): FieldCipher {
  return fieldCipherFor(deps.config.secrets.dataEncryptionKey);
}

export function toScoreSummary(score: ScoreResult): ScoreSummary {
  return {
    status: score.status,
    total: score.total ?? null,
    band: score.band?.id ?? null,
    bandLabel: score.band?.label ?? null,
    adjustedBand: score.adjustedBand?.id ?? null,
    adjustedBandLabel: score.adjustedBand?.label ?? null,
    indicators: score.indicators ?? [],
    subscales: (score.subscales ?? []).map((s) => ({ id: s.id, label: s.label, total: s.total, band: s.band?.id ?? null })),
    missingItemIds: score.missingItemIds,
  };
}

/** Drops cleared answers (null / empty) so stored answers only hold what was answered. */
function compact(answers: Record<string, unknown>): Record<string, Answers[string]> {
  return Object.fromEntries(
    Object.entries(answers).filter(([, v]) => v !== null && v !== undefined && v !== '' && !(Array.isArray(v) && v.length === 0)),
  ) as Record<string, Answers[string]>;
}

function scoreOrThrow(def: InstrumentDefinition, answers: Answers): ScoreResult {
  try {
    return scoreResponse(def, answers);
  } catch (error) {
    if (error instanceof InvalidAnswersError) {
      const first = error.issues[0]!;
      throw new AppError('validation', `Item ${first.itemId}: ${first.message}`, {
        field: `answers.${first.itemId}`,
        details: error.issues.map((i) => ({ field: `answers.${i.itemId}`, message: i.message })),
      });
    }
    throw error;
  }
}

function itemText(def: InstrumentDefinition, itemId: string): string {
  return allItems(def).find((i) => i.id === itemId)?.text ?? itemId;
}

export function answerLabel(def: InstrumentDefinition, itemId: string, value: unknown): string {
  const item = allItems(def).find((i) => i.id === itemId);
  if (!item) return String(value);
  if (item.kind === 'choice' || item.kind === 'multi-choice') {
    const values = Array.isArray(value) ? value : [value];
    return values.map((v) => item.options.find((o) => o.value === v)?.label ?? String(v)).join('; ');
  }
  if (item.kind === 'number' && item.unit) return `${String(value)} ${item.unit}`;
  return String(value);
}

/** Numeric value of a critical answer for the alert row (choice values are numbers on Likert items; 1 for a matched string). */
function numericAnswer(value: unknown): number {
  return typeof value === 'number' ? value : 1;
}

/**
 * Save progress on, or submit, a questionnaire response. Partial saves (`complete:false`)
 * continue the patient's open draft of that instrument — on any device — and keep the
 * definition version the draft was started on. Any critical answer, even in a partial save,
 * raises a high-priority safety alert at once (once per response and item): in-app for the
 * care team, an e-mail without clinical detail through the outbox, and crisis resources in
 * the reply for the patient's screen. Bad answers are a 400 naming the item; nothing is saved.
 */
export async function submitResponse(
  deps: Deps,
  actor: SessionActor,
  patientId: string,
  body: SubmitResponseBody,
  meta: RequestMeta,
): Promise<SubmitResponseResult> {
  const result = await withPatientAccess(
    deps,
    actor,
    patientId,
    'clinical',
    'write',
    meta,
    async () => {
      const entryMode: ResponseEntryMode = actor.role === 'patient' ? 'portal' : body.entryMode === 'paper' ? 'paper' : 'staff';
      if (actor.role !== 'patient' && body.entryMode === 'portal') {
        throw new AppError('validation', 'Staff enter responses as "paper" or "staff", not "portal"', { field: 'entryMode' });
      }
      if (body.administeredOn && body.administeredOn > deps.now().toISOString().slice(0, 10)) {
        throw new AppError('validation', 'administeredOn cannot be in the future', { field: 'administeredOn' });
      }
      const at = deps.now().toISOString();
      const cipher = cipherOf(deps);
      let queuedMail = false;
      const outcome = await deps.db.transaction().execute(async (trx) => {
        await repo.lockPatientIntake(trx, deps.database.dialect, patientId);
        const draft = body.responseId
          ? await repo.findResponseById(trx, body.responseId)
          : await repo.findOpenDraft(trx, patientId, body.instrument, body.dosingSessionId);
        if (body.responseId) {
          if (!draft || draft.patient_id !== patientId) throw new AppError('not_found', 'No such saved response for this patient', { field: 'responseId' });
          if (draft.status === 'submitted') throw new AppError('conflict', 'This response was already submitted; start a new one', { field: 'responseId' });
          if (draft.instrument_code !== body.instrument) {
            throw new AppError('validation', `The saved response is for ${draft.instrument_code}, not ${body.instrument}`, { field: 'instrument' });
          }
        }
        // A post-session measure (issue 5): linked by the request, or by the draft the therapist asked for.
        if (draft && body.dosingSessionId !== undefined && (draft.dosing_session_id ?? null) !== body.dosingSessionId) {
          throw new AppError('validation', 'The saved response belongs to another dosing session (or to none)', { field: 'dosingSessionId' });
        }
        const dosingSessionId = body.dosingSessionId ?? draft?.dosing_session_id ?? null;
        if (dosingSessionId !== null) await assertPostSessionLink(trx, actor.organizationId, patientId, dosingSessionId, body.instrument);
        let def: InstrumentDefinition;
        let definitionId: string;
        if (draft?.definition_id) {
          const stored = await definitionById(trx, draft.definition_id);
          if (!stored) throw new Error('response definition missing');
          def = stored;
          definitionId = draft.definition_id;
        } else {
          const resolved = await currentDefinition(trx, actor.organizationId, body.instrument);
          if (!resolved) throw new AppError('validation', `Unknown questionnaire "${body.instrument}"`, { field: 'instrument' });
          def = resolved.definition;
          definitionId = await storeDefinition(trx, actor.organizationId, resolved, at);
        }

        const previous = draft ? cipher.decryptJson<Record<string, Answers[string]>>(draft.answers_enc, answersContext(draft.id)) : {};
        const answers = compact({ ...previous, ...body.answers });
        const score = scoreOrThrow(def, answers);
        if (body.complete && score.status === 'incomplete') {
          const missing = score.missingItemIds[0]!;
          throw new AppError('validation', `Item ${missing} is required: answer "${itemText(def, missing)}" before submitting`, {
            field: `answers.${missing}`,
            details: score.missingItemIds.map((id) => ({ field: `answers.${id}`, message: 'required' })),
          });
        }

        const id = draft?.id ?? randomUUID();
        const submitted = body.complete;
        const row = {
          answers_enc: cipher.encryptJson(answers, answersContext(id)),
          score_status: submitted ? score.status : null,
          score_total: submitted ? (score.total ?? null) : null,
          score_band: submitted ? (score.band?.id ?? null) : null,
          score_detail_enc: submitted ? cipher.encryptJson(score, scoreContext(id)) : null,
          status: submitted ? ('submitted' as const) : ('in_progress' as const),
          entry_mode: entryMode,
          entered_by: actor.userId,
          administered_on: body.administeredOn ?? draft?.administered_on ?? null,
          updated_at: at,
          submitted_at: submitted ? at : null,
        };
        if (draft) {
          const changed = await repo.updateDraft(trx, id, row);
          if (changed !== 1) throw new AppError('conflict', 'This response was submitted meanwhile (another device?); reload to see it', { field: 'responseId' });
        } else {
          await repo.insertResponse(trx, {
            id,
            organization_id: actor.organizationId,
            patient_id: patientId,
            instrument_code: def.code,
            instrument_version: def.version,
            definition_id: definitionId,
            started_at: at,
            dosing_session_id: dosingSessionId,
            ...row,
          });
        }

        // Safety: one alert per response and critical item, raised now.
        const existing = await repo.findAlertsForResponse(trx, id);
        const alerted = new Set(existing.map((a) => a.item_id));
        const newHits = score.criticalHits.filter((h) => !alerted.has(h.itemId));
        for (const hit of newHits) {
          await repo.insertAlert(trx, {
            id: randomUUID(),
            organization_id: actor.organizationId,
            patient_id: patientId,
            response_id: id,
            priority: 'high',
            instrument_code: def.code,
            item_id: hit.itemId,
            answer_value: numericAnswer(answers[hit.itemId]),
            status: 'open',
            raised_at: at,
            acknowledged_at: null,
            acknowledged_by: null,
            follow_up_enc: null,
            escalated_at: null,
            escalation_claimed_by: null,
          });
        }
        if (newHits.length > 0) {
          const team = await repo.findCareTeamClinicians(trx, patientId);
          for (const member of team) {
            // No clinical detail (and no patient identifier) in the e-mail: only a prompt to sign in.
            await deps.outbox.enqueue(trx, {
              organizationId: actor.organizationId,
              kind: 'safety-alert',
              to: member.email,
              subject: 'Threshold: a high-priority alert needs your review',
              text: [
                'A high-priority safety alert was raised for a patient on your care team.',
                '',
                `Please sign in to Threshold to review and acknowledge it: ${deps.config.publicUrl}/staff/alerts`,
                '',
                'For privacy, this message contains no patient details.',
              ].join('\n'),
            });
            queuedMail = true;
          }
        }
        const alerts = [...existing, ...(newHits.length > 0 ? (await repo.findAlertsForResponse(trx, id)).filter((a) => !alerted.has(a.item_id)) : [])];
        return { id, def, score, submitted, alerts, critical: score.criticalHits.length > 0 };
      });
      if (queuedMail) deps.outbox.nudge();
      return outcome;
    },
    { instrument: body.instrument, complete: body.complete, entryMode: body.entryMode ?? null, ...(body.dosingSessionId ? { dosingSessionId: body.dosingSessionId } : {}) },
  );
  return {
    id: result.id,
    instrument: result.def.code,
    version: result.def.version,
    status: result.submitted ? 'submitted' : 'in_progress',
    score: toScoreSummary(result.score),
    alerts: result.alerts.map((a) => ({ id: a.id, priority: 'high', instrument: a.instrument_code, itemId: a.item_id, status: a.status, raisedAt: a.raised_at })),
    crisisResources: result.critical ? CRISIS_RESOURCES.map((r) => ({ ...r })) : [],
    crisisMessage: result.critical ? CRISIS_MESSAGE : null,
  };
}

export async function toStoredResponse(db: Kysely<DB>, cipher: FieldCipher, row: Awaited<ReturnType<typeof repo.listResponses>>[number]): Promise<StoredResponse> {
  const def = row.definition_id ? await definitionById(db, row.definition_id) : null;
  const score = row.score_detail_enc ? cipher.decryptJson<ScoreResult>(row.score_detail_enc, scoreContext(row.id)) : null;
  return {
    id: row.id,
    instrument: row.instrument_code,
    instrumentTitle: def?.title ?? row.instrument_code,
    version: row.instrument_version,
    status: row.status,
    entryMode: row.entry_mode,
    enteredByName: row.entered_by_name,
    administeredOn: row.administered_on,
    answers: cipher.decryptJson(row.answers_enc, answersContext(row.id)),
    score: score ? toScoreSummary(score) : null,
    startedAt: row.started_at,
    updatedAt: row.updated_at,
    submittedAt: row.submitted_at,
    dosingSessionId: row.dosing_session_id,
  };
}

/** Saved drafts (to resume) and submitted responses with their answers. */
export function listPatientResponses(deps: Deps, actor: SessionActor, patientId: string, query: ResponseListQuery, meta: RequestMeta) {
  return withPatientAccess(
    deps,
    actor,
    patientId,
    'clinical',
    'read',
    meta,
    async () => {
      const rows = await repo.listResponses(deps.db, patientId, query);
      const cipher = cipherOf(deps);
      return { items: await Promise.all(rows.map((r) => toStoredResponse(deps.db, cipher, r))) };
    },
    { view: 'responses' },
  );
}

/** Scores (oldest first) and, per instrument with outcome criteria, baseline vs latest. */
export async function loadScoreHistory(db: Kysely<DB>, cipher: FieldCipher, patientId: string): Promise<ScoreHistory> {
  const rows = (await repo.listSubmittedResponses(db, patientId)).filter((r) => r.score_status === 'scored');
  const items: ScoreEntry[] = [];
  const byInstrument = new Map<string, { def: InstrumentDefinition | null; totals: number[] }>();
  for (const r of rows) {
    const def = r.definition_id ? await definitionById(db, r.definition_id) : null;
    const band = def?.bands?.find((b) => b.id === r.score_band) ?? def?.bandVariants?.flatMap((v) => v.bands).find((b) => b.id === r.score_band);
    items.push({
      responseId: r.id,
      instrument: r.instrument_code,
      instrumentTitle: def?.title ?? r.instrument_code,
      version: r.instrument_version,
      total: r.score_total,
      band: r.score_band,
      bandLabel: band?.label ?? null,
      // AUDIT's "step up one zone" rule: the adjusted band lives in the encrypted score detail.
      adjustedBand: def?.indicators?.some((i) => i.escalateBand) && r.score_detail_enc
        ? (cipher.decryptJson<ScoreResult>(r.score_detail_enc, scoreContext(r.id)).adjustedBand?.id ?? null)
        : null,
      status: r.score_status ?? 'scored',
      entryMode: r.entry_mode,
      submittedAt: r.submitted_at ?? r.updated_at,
    });
    if (r.score_total !== null) {
      const entry = byInstrument.get(r.instrument_code) ?? { def, totals: [] };
      entry.totals.push(r.score_total);
      entry.def = def ?? entry.def;
      byInstrument.set(r.instrument_code, entry);
    }
  }
  const outcomes: ScoreHistory['outcomes'] = [];
  for (const [instrument, { def, totals }] of byInstrument) {
    if (!def?.outcome || totals.length < 2) continue;
    const change = assessOutcomeChange(def.outcome, totals[0]!, totals[totals.length - 1]!);
    outcomes.push({ instrument, ...change });
  }
  return { items, outcomes };
}

export function getScores(deps: Deps, actor: SessionActor, patientId: string, meta: RequestMeta): Promise<ScoreHistory> {
  return withPatientAccess(deps, actor, patientId, 'clinical', 'read', meta, () => loadScoreHistory(deps.db, cipherOf(deps), patientId), { view: 'scores' });
}
