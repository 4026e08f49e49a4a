import { hash, randomBytes, randomUUID } from 'node:crypto';
import type { Actor } from '../../../core/access/policy';
import type { Role } from '../../../core/access/roles';
import type { LoginBody, Me } from '../../../core/schemas/auth.schema';
import type { Deps } from '../../deps';
import { AppError } from '../../http/errors';
import * as repo from './auth.repository';
import { dummyPasswordHash, verifyPassword } from './passwords';
import type { SessionRow } from './session-cache';

export interface SessionActor extends Actor {
  readonly sessionId: string;
  readonly email: string;
  readonly displayName: string;
  readonly csrfToken: string;
  readonly organizationName: string;
  readonly timeZone: string;
}

export interface RequestMeta {
  readonly ip: string | null;
  readonly requestId: string | null;
}

// One-shot `hash` (Node ≥ 20.12): a quarter of createHash's cost, paid on every request.
const hashToken = (token: string) => hash('sha256', token, 'hex');

export function toMe(actor: SessionActor): Me {
  return {
    id: actor.userId,
    email: actor.email,
    displayName: actor.displayName,
    role: actor.role,
    organizationId: actor.organizationId,
    organizationName: actor.organizationName,
    timeZone: actor.timeZone,
    csrfToken: actor.csrfToken,
    ...(actor.patientId ? { patientId: actor.patientId } : {}),
  };
}

async function assertNotThrottled(deps: Deps, keys: { key: string; limit: number }[]): Promise<void> {
  const { windowMinutes } = deps.config.loginThrottle;
  const now = deps.now().getTime();
  const since = new Date(now - windowMinutes * 60_000).toISOString();
  for (const { key, limit } of keys) {
    const { count, oldest } = await repo.countLoginFailures(deps.db, key, since);
    if (count >= limit) {
      const freeAt = (oldest ? Date.parse(oldest) : now) + windowMinutes * 60_000;
      const retryAfterSeconds = Math.max(1, Math.ceil((freeAt - now) / 1000));
      throw new AppError('rate_limited', 'Too many failed sign-in attempts. Please wait and try again.', {
        retryAfterSeconds,
      });
    }
  }
}

export async function login(deps: Deps, body: LoginBody, meta: RequestMeta): Promise<{ token: string; me: Me }> {
  const email = body.email.trim().toLowerCase();
  const accountKey = `account:${email}`;
  const addressKey = `address:${meta.ip ?? 'unknown'}`;
  await assertNotThrottled(deps, [
    { key: accountKey, limit: deps.config.loginThrottle.perAccount },
    { key: addressKey, limit: deps.config.loginThrottle.perAddress },
  ]);

  const user = await repo.findUserByEmail(deps.db, email);
  const ok = user ? await verifyPassword(user.password_hash, body.password) : await verifyPassword(await dummyPasswordHash(), body.password);
  if (!user || !ok || user.active !== 1) {
    const at = deps.now().toISOString();
    const windowStart = new Date(deps.now().getTime() - deps.config.loginThrottle.windowMinutes * 60_000).toISOString();
    await deps.db.transaction().execute(async (trx) => {
      await repo.pruneLoginFailures(trx, [accountKey, addressKey], windowStart);
      await repo.insertLoginFailures(trx, [
        { id: randomUUID(), throttle_key: accountKey, at },
        { id: randomUUID(), throttle_key: addressKey, at },
      ]);
    });
    await deps.audit.record({
      organizationId: user?.organization_id ?? null,
      actorUserId: user?.id ?? null,
      actorRole: user?.role ?? null,
      patientId: null,
      resource: 'auth.session',
      action: 'login',
      outcome: 'denied',
      ip: meta.ip,
      requestId: meta.requestId,
      detail: { reason: !user ? 'unknown_account' : !ok ? 'wrong_password' : 'inactive_account' },
    });
    throw new AppError('unauthenticated', 'That email and password do not match an active account.', { field: 'password' });
  }

  const token = randomBytes(32).toString('base64url');
  const now = deps.now();
  const csrfToken = randomBytes(24).toString('base64url');
  const sessionId = hashToken(token);
  await deps.db.transaction().execute(async (trx) => {
    await repo.clearLoginFailures(trx, accountKey);
    await repo.insertSession(trx, {
      id: sessionId,
      user_id: user.id,
      organization_id: user.organization_id,
      csrf_token: csrfToken,
      created_at: now.toISOString(),
      expires_at: new Date(now.getTime() + deps.config.session.absoluteHours * 3_600_000).toISOString(),
      ip: meta.ip,
    });
  });
  await deps.audit.record({
    organizationId: user.organization_id,
    actorUserId: user.id,
    actorRole: user.role,
    patientId: null,
    resource: 'auth.session',
    action: 'login',
    outcome: 'allowed',
    ip: meta.ip,
    requestId: meta.requestId,
  });
  const actor = await resolveSession(deps, token);
  if (!actor) throw new Error('session vanished right after it was created');
  return { token, me: toMe(actor) };
}

/** The signed-in actor for a cookie token, or null when absent, expired or idle too long. */
export async function resolveSession(deps: Deps, token: string): Promise<SessionActor | null> {
  const sessionId = hashToken(token);
  let row = deps.sessions.get(sessionId);
  if (!row) {
    row = await repo.findSessionWithUser(deps.db, sessionId);
    if (!row) return null;
    // Remembered from when it was read, not from when it was last used: the time to live
    // bounds how old a remembered row can be.
    deps.sessions.set(sessionId, row);
  }
  const now = deps.now();
  const { lastSeenMs, expiresMs, actor } = viewOf(sessionId, row);
  const idleLimit = lastSeenMs + deps.config.session.idleMinutes * 60_000;
  if (row.active !== 1 || expiresMs <= now.getTime() || idleLimit <= now.getTime()) {
    deps.sessions.forget(sessionId);
    await repo.deleteSession(deps.db, sessionId);
    return null;
  }
  // Refresh the idle clock at most once a minute: one write per minute, not per request.
  if (now.getTime() - lastSeenMs > 60_000) {
    const at = now.toISOString();
    await repo.touchSession(deps.db, sessionId, at);
    deps.sessions.set(sessionId, { ...row, last_seen_at: at });
  }
  return actor;
}

// What a remembered session row yields on every request, worked out once per row: its
// instants parsed, and one actor, frozen since requests share it (less work and garbage on
// the hot path).
interface SessionView {
  readonly lastSeenMs: number;
  readonly expiresMs: number;
  readonly actor: SessionActor;
}
const views = new WeakMap<SessionRow, SessionView>();
function viewOf(sessionId: string, row: SessionRow): SessionView {
  let view = views.get(row);
  if (!view) {
    view = {
      lastSeenMs: Date.parse(row.last_seen_at),
      expiresMs: Date.parse(row.expires_at),
      actor: Object.freeze({
        sessionId,
        userId: row.user_id,
        role: row.role as Role,
        organizationId: row.organization_id,
        patientId: row.patient_id,
        email: row.email,
        displayName: row.display_name,
        csrfToken: row.csrf_token,
        organizationName: row.organization_name,
        timeZone: row.time_zone,
      }),
    };
    views.set(row, view);
  }
  return view;
}

export async function logout(deps: Deps, actor: SessionActor, meta: RequestMeta): Promise<void> {
  await repo.deleteSession(deps.db, actor.sessionId);
  deps.sessions.forget(actor.sessionId);
  await deps.audit.record({
    organizationId: actor.organizationId,
    actorUserId: actor.userId,
    actorRole: actor.role,
    patientId: null,
    resource: 'auth.session',
    action: 'logout',
    outcome: 'allowed',
    ip: meta.ip,
    requestId: meta.requestId,
  });
}
