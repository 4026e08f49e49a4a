import { sql, type Kysely } from 'kysely';
import type { AuditEventsTable, DB } from '../../db/schema';
import type { AuditQuery } from '../../../core/schemas/audit.schema';

export async function findChainHead(db: Kysely<DB>): Promise<{ seq: number; hash: string } | undefined> {
  const row = await db.selectFrom('audit_events').select(['seq', 'hash']).orderBy('seq', 'desc').limit(1).executeTakeFirst();
  return row ? { seq: Number(row.seq), hash: row.hash } : undefined;
}

export async function insertAuditRows(db: Kysely<DB>, rows: AuditEventsTable[]): Promise<void> {
  // Chunked: SQLite caps bound parameters per statement.
  for (let i = 0; i < rows.length; i += 50) {
    await db.insertInto('audit_events').values(rows.slice(i, i + 50)).execute();
  }
}

/** Serialises chain appends across service instances sharing one PostgreSQL. */
export async function lockChainForAppend(db: Kysely<DB>, dialect: 'sqlite' | 'postgres'): Promise<void> {
  if (dialect === 'postgres') await sql`select pg_advisory_xact_lock(7405301)`.execute(db);
}

export async function findChainPage(db: Kysely<DB>, afterSeq: number, limit: number) {
  return db.selectFrom('audit_events').selectAll().where('seq', '>', afterSeq).orderBy('seq', 'asc').limit(limit).execute();
}

export async function findAuditEvents(db: Kysely<DB>, organizationId: string, query: AuditQuery, zoneOffsets: { from?: string; to?: string }) {
  let q = db
    .selectFrom('audit_events')
    .leftJoin('users', 'users.id', 'audit_events.actor_user_id')
    // Same-organization join: a row that names another tenant's patient shows no name.
    .leftJoin('patients', (join) =>
      join.onRef('patients.id', '=', 'audit_events.patient_id').onRef('patients.organization_id', '=', 'audit_events.organization_id'),
    )
    .select([
      'audit_events.seq',
      'audit_events.at',
      'audit_events.actor_user_id',
      'audit_events.actor_role',
      'audit_events.patient_id',
      'audit_events.resource',
      'audit_events.action',
      'audit_events.outcome',
      'audit_events.break_glass',
      'audit_events.ip',
      'audit_events.detail',
      'users.display_name as actor_name',
      'patients.legal_given_name as patient_given_name',
      'patients.legal_family_name as patient_family_name',
    ])
    .where('audit_events.organization_id', '=', organizationId);
  if (query.patientId) q = q.where('audit_events.patient_id', '=', query.patientId);
  if (query.userId) q = q.where('audit_events.actor_user_id', '=', query.userId);
  if (zoneOffsets.from) q = q.where('audit_events.at', '>=', zoneOffsets.from);
  if (zoneOffsets.to) q = q.where('audit_events.at', '<', zoneOffsets.to);
  if (query.beforeSeq) q = q.where('audit_events.seq', '<', query.beforeSeq);
  return q
    .orderBy('audit_events.seq', 'desc')
    .limit(query.limit ?? 100)
    .execute();
}
