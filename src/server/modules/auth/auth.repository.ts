import type { Kysely } from 'kysely';
import { preparedQuery } from '../../db/prepared-query';
import type { DB } from '../../db/schema';

export function findUserByEmail(db: Kysely<DB>, email: string) {
  return db.selectFrom('users').selectAll().where('email', '=', email.toLowerCase()).executeTakeFirst();
}

// On every authenticated request: compiled once (see preparedQuery).
const sessionWithUser = preparedQuery((db: Kysely<DB>, sessionId: string) =>
  db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .innerJoin('organizations', 'organizations.id', 'users.organization_id')
    .select([
      'sessions.id as session_id',
      'sessions.csrf_token',
      'sessions.last_seen_at',
      'sessions.expires_at',
      'users.id as user_id',
      'users.email',
      'users.display_name',
      'users.role',
      'users.organization_id',
      'users.patient_id',
      'users.active',
      'organizations.name as organization_name',
      'organizations.time_zone',
    ])
    .where('sessions.id', '=', sessionId),
);

export async function findSessionWithUser(db: Kysely<DB>, sessionId: string) {
  const [row] = await sessionWithUser(db, sessionId);
  return row;
}

export async function insertSession(
  db: Kysely<DB>,
  row: { id: string; user_id: string; organization_id: string; csrf_token: string; created_at: string; expires_at: string; ip: string | null },
) {
  await db.insertInto('sessions').values({ ...row, last_seen_at: row.created_at }).execute();
}

export async function touchSession(db: Kysely<DB>, sessionId: string, at: string) {
  await db.updateTable('sessions').set({ last_seen_at: at }).where('id', '=', sessionId).execute();
}

export async function deleteSession(db: Kysely<DB>, sessionId: string) {
  await db.deleteFrom('sessions').where('id', '=', sessionId).execute();
}

export async function deleteSessionsOfUser(db: Kysely<DB>, userId: string) {
  await db.deleteFrom('sessions').where('user_id', '=', userId).execute();
}

export async function countLoginFailures(db: Kysely<DB>, key: string, since: string): Promise<{ count: number; oldest: string | null }> {
  const row = await db
    .selectFrom('login_failures')
    .select((eb) => [eb.fn.countAll<number>().as('count'), eb.fn.min('at').as('oldest')])
    .where('throttle_key', '=', key)
    .where('at', '>=', since)
    .executeTakeFirst();
  return { count: Number(row?.count ?? 0), oldest: (row?.oldest as string | null | undefined) ?? null };
}

export async function insertLoginFailures(db: Kysely<DB>, rows: { id: string; throttle_key: string; at: string }[]) {
  await db.insertInto('login_failures').values(rows).execute();
}

export async function clearLoginFailures(db: Kysely<DB>, key: string) {
  await db.deleteFrom('login_failures').where('throttle_key', '=', key).execute();
}

/** Forget failures older than the throttle window for these keys (they no longer count). */
export async function pruneLoginFailures(db: Kysely<DB>, keys: readonly string[], before: string) {
  await db.deleteFrom('login_failures').where('throttle_key', 'in', keys).where('at', '<', before).execute();
}
