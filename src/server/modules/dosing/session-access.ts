import type { Kysely } from 'kysely';
import { isClinicalRole } from '../../../core/access/roles';
import type { DB, DosingSessionsTable } from '../../db/schema';
import { AppError } from '../../http/errors';
import { withPatientAccess } from '../access/patient-access';
import type { RequestMeta, SessionActor } from '../auth/auth.service';
import type { DosingContext } from './dosing-context';
import * as repo from './dosing.repository';
import type { SessionEvent } from './live-events';
import { appendSessionEvents } from './vitals-store';

/**
 * Every session operation goes through here: find the session, then `withPatientAccess`
 * on its patient (resource `clinical`): the audit row, 404 across tenants, 403 within.
 * The dosing flowsheet is staff work: a patient account is refused even on its own session.
 */
export async function withSession<T>(
  ctx: DosingContext,
  actor: SessionActor,
  sessionId: string,
  action: 'read' | 'write',
  meta: RequestMeta,
  work: (session: DosingSessionsTable) => Promise<T>,
  detail?: Record<string, unknown>,
): Promise<T> {
  const session = await repo.findSessionById(ctx.deps.db, sessionId);
  if (!session) throw new AppError('not_found', 'Session not found');
  return withPatientAccess(
    ctx.deps,
    actor,
    session.patient_id,
    'clinical',
    action,
    meta,
    async () => {
      if (!isClinicalRole(actor.role)) throw new AppError('forbidden', 'The dosing flowsheet is for clinical staff');
      return work(session);
    },
    { sessionId, ...detail },
  );
}

/**
 * Append events to a session's stream inside the caller's transaction: reserve their
 * sequence numbers (this locks the session row on PostgreSQL), store them, and queue the
 * NOTIFY. Call `ctx.live.publishCommitted(events)` after the commit.
 */
export function appendEvents(
  ctx: DosingContext,
  trx: Kysely<DB>,
  session: Pick<DosingSessionsTable, 'id' | 'organization_id'>,
  items: { kind: SessionEvent['kind']; data: unknown }[],
): Promise<SessionEvent[]> {
  return appendSessionEvents(trx, session, items, ctx.deps.now().toISOString(), (t, events) => ctx.live.notifyInTransaction(t, events));
}
