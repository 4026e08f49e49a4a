import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { PostSessionMeasureView } from '../../../core/schemas/post-session.schema';
import type { DB, DosingSessionsTable } from '../../db/schema';
import { AppError } from '../../http/errors';
import type { RequestMeta, SessionActor } from '../auth/auth.service';
import { currentDefinition, definitionById, storeDefinition } from '../intake/instrument-catalog';
import * as intakeRepo from '../intake/intake.repository';
import { answersContext, cipherOf, toStoredResponse } from '../intake/responses.service';
import type { DosingContext } from './dosing-context';
import { assertPostSessionLink, measureOfSession, POST_SESSION_STATES } from './post-session-link';
import { withSession } from './session-access';

/**
 * The optional post-session experience measure (issue 5): once a session is in recovery or
 * discharged, and the session's protocol offers it, the therapist asks the patient to answer
 * it in the portal (a draft linked to the session) or enters the paper form; the patient may
 * answer their own. It is stored as an ordinary questionnaire response with
 * `dosing_session_id`, so it is versioned, encrypted and scored like any instrument.
 */

async function viewOf(ctx: DosingContext, db: Kysely<DB>, session: DosingSessionsTable): Promise<PostSessionMeasureView> {
  const measure = await measureOfSession(db, session);
  const resolved = await currentDefinition(db, session.organization_id, measure.instrument.value);
  const rows = await intakeRepo.listResponsesForDosingSession(db, session.id);
  const cipher = cipherOf(ctx.deps);
  const responses = await Promise.all(rows.map((r) => toStoredResponse(db, cipher, r)));
  return {
    offered: measure.offered.value,
    available: POST_SESSION_STATES.includes(session.state),
    instrument: measure.instrument.value,
    instrumentTitle: resolved?.definition.title ?? null,
    instrumentSource: measure.instrument.source,
    patientId: session.patient_id,
    responses,
  };
}

export function getPostSessionMeasure(ctx: DosingContext, actor: SessionActor, sessionId: string, meta: RequestMeta): Promise<PostSessionMeasureView> {
  return withSession(ctx, actor, sessionId, 'read', meta, (session) => viewOf(ctx, ctx.deps.db, session), { view: 'post_session_measure' });
}

/**
 * The therapist asks the patient to answer the measure in the portal: an empty draft linked
 * to the session, which the patient's portal lists and resumes. Idempotent: an open draft
 * for the session is kept; a submitted one is a 409.
 */
export function requestPostSessionMeasure(ctx: DosingContext, actor: SessionActor, sessionId: string, meta: RequestMeta): Promise<{ created: boolean; view: PostSessionMeasureView }> {
  const { deps } = ctx;
  return withSession(
    ctx,
    actor,
    sessionId,
    'write',
    meta,
    async (session) => {
      const at = deps.now().toISOString();
      const created = await deps.db.transaction().execute(async (trx) => {
        await intakeRepo.lockPatientIntake(trx, deps.database.dialect, session.patient_id);
        const measure = await measureOfSession(trx, session);
        await assertPostSessionLink(trx, session.organization_id, session.patient_id, session.id, measure.instrument.value);
        if (await intakeRepo.findOpenDraft(trx, session.patient_id, measure.instrument.value, session.id)) return false;
        const resolved = await currentDefinition(trx, session.organization_id, measure.instrument.value);
        if (!resolved) throw new AppError('conflict', `The protocol's measure "${measure.instrument.value}" is not available in this clinic`, { field: 'instrument' });
        const definitionId = await storeDefinition(trx, session.organization_id, resolved, at);
        const def = (await definitionById(trx, definitionId)) ?? resolved.definition;
        const id = randomUUID();
        await intakeRepo.insertResponse(trx, {
          id,
          organization_id: session.organization_id,
          patient_id: session.patient_id,
          instrument_code: def.code,
          instrument_version: def.version,
          definition_id: definitionId,
          status: 'in_progress',
          answers_enc: cipherOf(deps).encryptJson({}, answersContext(id)),
          score_status: null,
          score_total: null,
          score_band: null,
          score_detail_enc: null,
          entry_mode: 'portal',
          entered_by: actor.userId,
          administered_on: null,
          started_at: at,
          updated_at: at,
          submitted_at: null,
          dosing_session_id: session.id,
        });
        return true;
      });
      return { created, view: await viewOf(ctx, deps.db, session) };
    },
    { action: 'request_post_session_measure' },
  );
}
