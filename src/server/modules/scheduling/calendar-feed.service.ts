import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { isClinicalRole } from '../../../core/access/roles';
import { APPOINTMENT_KIND_LABELS, type CalendarFeedStatus } from '../../../core/schemas/scheduling.schema';
import type { Deps } from '../../deps';
import { AppError } from '../../http/errors';
import type { RequestMeta, SessionActor } from '../auth/auth.service';
import { buildIcs } from './ics';
import * as repo from './scheduling.repository';

const hash = (token: string) => createHash('sha256').update(token).digest('hex');
const DAY_MS = 86_400_000;

function requireClinician(actor: SessionActor): void {
  if (!isClinicalRole(actor.role)) throw new AppError('forbidden', 'Calendar feeds are for clinicians');
}

export function feedUrl(deps: Deps, token: string): string {
  return `${deps.config.publicUrl}/api/calendar/${token}.ics`;
}

export async function getFeedStatus(deps: Deps, actor: SessionActor): Promise<CalendarFeedStatus> {
  requireClinician(actor);
  const row = await repo.findActiveFeedToken(deps.db, actor.userId);
  return { active: row !== undefined, createdAt: row?.created_at ?? null };
}

/** Creates a new private feed URL, revoking any earlier one. The token is shown once. */
export async function createFeed(deps: Deps, actor: SessionActor, meta: RequestMeta): Promise<CalendarFeedStatus> {
  requireClinician(actor);
  const token = randomBytes(32).toString('base64url');
  const at = deps.now().toISOString();
  await deps.db.transaction().execute(async (trx) => {
    await repo.revokeFeedTokens(trx, actor.userId, at);
    await repo.insertFeedToken(trx, { id: randomUUID(), organization_id: actor.organizationId, user_id: actor.userId, token_hash: hash(token), created_at: at });
  });
  await audit(deps, actor, 'create', meta);
  return { active: true, createdAt: at, url: feedUrl(deps, token) };
}

export async function revokeFeed(deps: Deps, actor: SessionActor, meta: RequestMeta): Promise<CalendarFeedStatus> {
  requireClinician(actor);
  await repo.revokeFeedTokens(deps.db, actor.userId, deps.now().toISOString());
  await audit(deps, actor, 'revoke', meta);
  return { active: false, createdAt: null };
}

function audit(deps: Deps, actor: SessionActor, action: string, meta: RequestMeta) {
  return deps.audit.record({
    organizationId: actor.organizationId,
    actorUserId: actor.userId,
    actorRole: actor.role,
    patientId: null,
    resource: 'calendar_feed',
    action,
    outcome: 'allowed',
    ip: meta.ip,
    requestId: meta.requestId,
  });
}

/**
 * The clinician's appointments from 30 days back to 180 ahead as iCalendar. No patient
 * names or clinical detail: a feed lives in a third-party calendar. Returns null for an
 * unknown or revoked token (the route answers 404 either way).
 */
export async function renderFeed(deps: Deps, token: string): Promise<string | null> {
  if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) return null;
  const feed = await repo.findFeedByHash(deps.db, hash(token));
  if (!feed || feed.revoked_at !== null || feed.active !== 1) return null;
  const now = deps.now();
  const rows = await repo.findFeedAppointments(
    deps.db,
    feed.user_id,
    new Date(now.getTime() - 30 * DAY_MS).toISOString(),
    new Date(now.getTime() + 180 * DAY_MS).toISOString(),
  );
  return buildIcs({
    name: `${feed.display_name} — ${feed.clinic_name}`,
    method: 'publish',
    now,
    events: rows.map((r) => ({
      uid: `${r.id}@threshold`,
      start: new Date(r.start_at),
      end: new Date(r.end_at),
      summary: `${APPOINTMENT_KIND_LABELS[r.kind]}${r.room_name ? ` · ${r.room_name}` : ''}`,
      description: `Details in Threshold: ${deps.config.publicUrl}/staff/calendar`,
      ...(r.room_name ? { location: r.room_name } : {}),
      cancelled: r.status === 'cancelled',
      lastModified: new Date(r.updated_at),
      sequence: Math.floor(Date.parse(r.updated_at) / 1000),
    })),
  });
}
