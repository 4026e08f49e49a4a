import type { FastifyReply, FastifyRequest } from 'fastify';
import { DateTime } from 'luxon';
import { isClinicalRole } from '../../../core/access/roles';
import type { BoardView } from '../../../core/schemas/dosing.schema';
import { AppError } from '../../http/errors';
import { findSessionWithUser } from '../auth/auth.repository';
import type { RequestMeta, SessionActor } from '../auth/auth.service';
import type { DosingContext } from './dosing-context';
import * as repo from './dosing.repository';
import type { LiveNotice } from './live-events';
import { alertView, patientDisplayName, readingView } from './session-view';
import { frame, openEventStream, STREAM_END_MESSAGES } from './sse';

async function denyUnlessClinical(ctx: DosingContext, actor: SessionActor, meta: RequestMeta): Promise<void> {
  if (isClinicalRole(actor.role)) return;
  await ctx.deps.audit.record({
    organizationId: actor.organizationId,
    actorUserId: actor.userId,
    actorRole: actor.role,
    patientId: null,
    resource: 'patient.clinical',
    action: 'list',
    outcome: 'denied',
    ip: meta.ip,
    requestId: meta.requestId,
    detail: { reason: 'role_has_no_clinical_access', view: 'clinic_board' },
  });
  throw new AppError('forbidden', 'The clinic board shows clinical information; it is for clinical staff');
}

/**
 * Every active session of the clinic the caller may see (care team or break-glass), with
 * chair, phase, time of dose, latest vitals and open alerts; plus today's dosing
 * appointments not yet opened. One audit row per patient shown.
 */
export async function getBoard(ctx: DosingContext, actor: SessionActor, meta: RequestMeta): Promise<BoardView> {
  const { deps } = ctx;
  await denyUnlessClinical(ctx, actor, meta);
  const now = deps.now();
  const org = await repo.findOrganization(deps.db, actor.organizationId);
  const zone = org?.time_zone ?? 'UTC';
  const dayStart = DateTime.fromJSDate(now, { zone }).startOf('day');
  const [active, arrivingAll] = await Promise.all([
    repo.listActiveSessions(deps.db, actor.organizationId),
    repo.findDosingAppointmentsWithoutSession(deps.db, actor.organizationId, dayStart.toUTC().toISO()!, dayStart.plus({ days: 1 }).toUTC().toISO()!),
  ]);
  const visible = await repo.visiblePatientIds(
    deps.db,
    actor.userId,
    [...new Set([...active.map((s) => s.patient_id), ...arrivingAll.map((a) => a.patient_id as string)])],
    now.toISOString(),
  );
  const shown = active.filter((s) => visible.has(s.patient_id));
  const arriving = arrivingAll.filter((a) => visible.has(a.patient_id as string));
  const [latest, alerts] = await Promise.all([
    Promise.all(shown.map((s) => repo.latestReading(deps.db, s.id))),
    repo.listOpenAlertsForSessions(
      deps.db,
      shown.map((s) => s.id),
    ),
  ]);
  const patients = new Set([...shown.map((s) => s.patient_id), ...arriving.map((a) => a.patient_id)]);
  await Promise.all(
    [...patients].map((patientId) =>
      deps.audit.record({
        organizationId: actor.organizationId,
        actorUserId: actor.userId,
        actorRole: actor.role,
        patientId,
        resource: 'patient.clinical',
        action: 'list',
        outcome: 'allowed',
        ip: meta.ip,
        requestId: meta.requestId,
        detail: { view: 'clinic_board' },
      }),
    ),
  );
  return {
    generatedAt: now.toISOString(),
    timeZone: zone,
    sessions: shown.map((s, i) => ({
      sessionId: s.id,
      patientId: s.patient_id,
      patientName: patientDisplayName(s),
      roomName: s.room_name ?? null,
      state: s.state,
      scheduledStart: s.start_at,
      firstDoseAt: s.first_dose_at,
      eventSeq: Number(s.event_seq),
      latestVitals: latest[i] ? readingView(latest[i]) : null,
      openAlerts: alerts.filter((a) => a.session_id === s.id).map((a) => alertView(a, null)),
    })),
    arriving: arriving.map((a) => ({
      appointmentId: a.id,
      patientId: a.patient_id as string,
      patientName: patientDisplayName(a),
      roomName: a.room_name ?? null,
      startAt: a.start_at,
    })),
    otherActiveSessions: active.length - shown.length,
  };
}

/**
 * The board, live: a `snapshot` event first (audited like GET /api/board), then the events
 * of every visible session as they commit (`session` events wrap a session event with its
 * sessionId). When a session starts or changes phase the client is told to `refresh`
 * (re-reading the board re-checks access). A reconnect gets a fresh snapshot, so nothing is lost.
 *
 * Access is kept true while the stream runs, as for a session stream (sse.ts): a patient
 * seen only through break-the-glass stops being streamed when the grant expires (checked
 * before each send and by a timer) and the client is told to `refresh`; at every heartbeat
 * visibility (care team, grants) and the caller's sign-in are read again. Signed out or
 * deactivated: `access-ended`, and the stream ends.
 */
export async function streamBoard(ctx: DosingContext, actor: SessionActor, request: FastifyRequest, reply: FastifyReply, meta: RequestMeta): Promise<void> {
  const { deps } = ctx;
  const board = await getBoard(ctx, actor, meta);
  const visibleSessions = new Map(board.sessions.map((s) => [s.sessionId, s.patientId]));
  const visiblePatients = new Set([...board.sessions.map((s) => s.patientId), ...board.arriving.map((a) => a.patientId)]);
  let grantUntil = await repo.breakGlassOnlyUntil(deps.db, actor.userId, [...visiblePatients], deps.now().toISOString());
  const stream = openEventStream(request, reply, deps.config.streamHeartbeatMs);
  stream.write(frame({ kind: 'snapshot', data: board }));
  let expiryTimer: NodeJS.Timeout | null = null;

  /** Stop streaming these patients and ask the client to re-read the board (which applies access). */
  const forget = (patientIds: Iterable<string>) => {
    let changed = false;
    for (const patientId of patientIds) {
      changed = visiblePatients.delete(patientId) || changed;
      grantUntil.delete(patientId);
      for (const [sessionId, p] of visibleSessions) if (p === patientId) visibleSessions.delete(sessionId);
    }
    if (changed) stream.write(frame({ kind: 'refresh', data: { reason: 'access-changed' } }));
  };
  const expireGrants = () => {
    const now = deps.now().getTime();
    forget([...grantUntil].filter(([, until]) => now >= until).map(([patientId]) => patientId));
    armExpiry();
  };
  const armExpiry = () => {
    if (expiryTimer) clearTimeout(expiryTimer);
    expiryTimer = null;
    if (grantUntil.size === 0 || stream.closed()) return;
    const next = Math.min(...grantUntil.values());
    expiryTimer = setTimeout(expireGrants, Math.min(Math.max(next - deps.now().getTime(), 0), 2 ** 31 - 1));
    expiryTimer.unref();
  };
  const recheck = async () => {
    const now = deps.now();
    const signIn = await findSessionWithUser(deps.db, actor.sessionId);
    if (!signIn || signIn.active !== 1 || Date.parse(signIn.expires_at) <= now.getTime() || signIn.role !== actor.role) {
      const reason = signIn && signIn.active === 1 && signIn.role !== actor.role ? 'access_revoked' : 'signed_out';
      stream.end(frame({ kind: 'access-ended', data: { reason, message: STREAM_END_MESSAGES[reason] } }));
      return;
    }
    const ids = [...visiblePatients];
    const [visible, until] = await Promise.all([repo.visiblePatientIds(deps.db, actor.userId, ids, now.toISOString()), repo.breakGlassOnlyUntil(deps.db, actor.userId, ids, now.toISOString())]);
    grantUntil = until;
    forget(ids.filter((id) => !visible.has(id)));
    armExpiry();
  };

  const unsubscribe = ctx.live.subscribeOrganization(actor.organizationId, (notice: LiveNotice) => {
    expireGrants();
    if (!visibleSessions.has(notice.sessionId)) {
      // A session we do not show yet: tell the client to refresh only if it may concern them.
      const created = notice.events?.find((e) => e.kind === 'session-created' || e.kind === 'state');
      const patientId = (created?.data as { patientId?: string } | undefined)?.patientId;
      if (patientId && visiblePatients.has(patientId)) visibleSessions.set(notice.sessionId, patientId);
      if (!notice.events || (patientId && visiblePatients.has(patientId))) stream.write(frame({ kind: 'refresh', data: { sessionId: notice.sessionId } }));
      return;
    }
    if (!notice.events) {
      stream.write(frame({ kind: 'refresh', data: { sessionId: notice.sessionId } }));
      return;
    }
    let out = '';
    for (const e of notice.events) out += frame({ kind: 'session', data: { sessionId: e.sessionId, seq: e.seq, kind: e.kind, data: e.data } });
    stream.write(out);
  });
  stream.onHeartbeat(() => {
    // Fail closed: if access cannot be read, end the stream; the client reconnects and is checked afresh.
    recheck().catch(() => stream.end());
  });
  stream.onClose(() => {
    unsubscribe();
    if (expiryTimer) clearTimeout(expiryTimer);
  });
  armExpiry();
}
