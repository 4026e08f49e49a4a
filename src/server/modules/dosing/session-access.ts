import type { Kysely } from 'kysely';
import { decidePatientAccess } from '../../../core/access/policy';
import { isClinicalRole } from '../../../core/access/roles';
import type { DB, DosingSessionsTable } from '../../db/schema';
import { AppError } from '../../http/errors';
import { withPatientAccess, type AccessGrant, type WriteAudit } from '../access/patient-access';
import { findPatientAccessFacts } from '../access/patient-access.repository';
import type { RequestMeta, SessionActor } from '../auth/auth.service';
import { findSessionWithUser } from '../auth/auth.repository';
import type { DosingContext } from './dosing-context';
import * as repo from './dosing.repository';
import type { SessionEvent } from './live-events';
import type { StreamAccess, StreamEndReason } from './sse';
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
  work: (session: DosingSessionsTable, grant: AccessGrant, writeAudit: WriteAudit) => Promise<T>,
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
    async (_via, grant, writeAudit) => {
      if (!isClinicalRole(actor.role)) throw new AppError('forbidden', 'The dosing flowsheet is for clinical staff');
      return work(session, grant, writeAudit);
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

/**
 * How a session stream keeps its access true after connect (see `streamSession`): the
 * grant's expiry, and a re-check that reads what the connect-time check read — the
 * caller's sign-in (signed out, deactivated or expired ends the stream; the idle clock
 * does not, since watching a flowsheet is use), the session, and the access decision
 * (care team or a live grant, possibly renewed). An ended stream is audited by reference.
 */
export function streamAccessFor(
  ctx: DosingContext,
  actor: SessionActor,
  session: Pick<DosingSessionsTable, 'id' | 'patient_id'>,
  grant: AccessGrant,
  meta: RequestMeta,
): StreamAccess {
  const { deps } = ctx;
  return {
    until: grant.breakGlassUntil === null ? null : Date.parse(grant.breakGlassUntil),
    async recheck() {
      const now = deps.now();
      const [signIn, current, facts] = await Promise.all([
        findSessionWithUser(deps.db, actor.sessionId),
        repo.findSessionById(deps.db, session.id),
        findPatientAccessFacts(deps.db, session.patient_id, actor.userId, now),
      ]);
      if (!signIn || signIn.active !== 1 || Date.parse(signIn.expires_at) <= now.getTime()) return { ended: 'signed_out' };
      if (signIn.role !== actor.role) return { ended: 'access_revoked' };
      if (!current || current.patient_id !== session.patient_id || !facts) return { ended: 'session_gone' };
      const decision = decidePatientAccess(actor, 'clinical', 'read', {
        patientId: session.patient_id,
        patientOrganizationId: facts.organizationId,
        actorOnCareTeam: facts.onTeam,
        breakGlassActive: facts.breakGlass,
      });
      if (!decision.allowed) return { ended: grant.via === 'break_glass' && !facts.onTeam ? 'break_glass_expired' : 'access_revoked' };
      return { until: decision.via === 'break_glass' && facts.breakGlassUntil ? Date.parse(facts.breakGlassUntil) : null };
    },
    onEnded(reason: StreamEndReason) {
      void deps.audit
        .record({
          organizationId: actor.organizationId,
          actorUserId: actor.userId,
          actorRole: actor.role,
          patientId: session.patient_id,
          resource: 'patient.clinical',
          action: 'read',
          outcome: 'denied',
          breakGlass: grant.via === 'break_glass',
          ip: meta.ip,
          requestId: meta.requestId,
          detail: { sessionId: session.id, stream: true, reason: `stream_ended_${reason}` },
        })
        .catch(() => undefined);
    },
  };
}
