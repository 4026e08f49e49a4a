import { sql, type Kysely } from 'kysely';

// Frozen in time: this migration never imports application code.
//
// SQLite only: the audit log moves into a database file of its own, attached to every
// connection as `audit` (db/database.ts), so unqualified `audit_events` still names it.
// Why: the audit writer thread commits every few milliseconds; in the same file as the
// clinical data each of those commits (a) takes the one write lock that clinical writes
// need, and (b) makes every other connection drop its page cache before its next read.
// In its own file neither happens. The table is recreated with `seq integer primary key`
// (the rowid itself, one b-tree fewer per row than the separate key index it had).
// Each step is idempotent: a transaction across attached WAL databases is atomic per
// file, not across files, so a run interrupted between the two is simply run again.
// PostgreSQL keeps the table where it is.

const COLUMNS =
  'seq, at, organization_id, actor_user_id, actor_role, patient_id, resource, action, outcome, break_glass, ip, request_id, detail, prev_hash, hash';

async function isSqlite(db: Kysely<any>): Promise<boolean> {
  return db.getExecutor().adapter.constructor.name === 'SqliteAdapter';
}

async function tableIn(db: Kysely<any>, schema: 'main' | 'audit'): Promise<boolean> {
  const rows = await sql<{ n: number }>`select count(*) as n from ${sql.raw(schema)}.sqlite_master where type = 'table' and name = 'audit_events'`.execute(db);
  return Number(rows.rows[0]?.n ?? 0) > 0;
}

export async function up(db: Kysely<any>): Promise<void> {
  if (!(await isSqlite(db))) return;
  await sql`create table if not exists audit.audit_events (
    seq integer primary key,
    at text not null,
    organization_id text,
    actor_user_id text,
    actor_role text,
    patient_id text,
    resource text not null,
    action text not null,
    outcome text not null,
    break_glass integer not null default 0,
    ip text,
    request_id text,
    detail text,
    prev_hash text not null,
    hash text not null
  )`.execute(db);
  await sql`create index if not exists audit.audit_by_org_at on audit_events (organization_id, at)`.execute(db);
  await sql`create index if not exists audit.audit_by_patient on audit_events (patient_id, seq)`.execute(db);
  await sql`create index if not exists audit.audit_by_actor on audit_events (actor_user_id, seq)`.execute(db);
  if (await tableIn(db, 'main')) {
    await sql`insert or ignore into audit.audit_events (${sql.raw(COLUMNS)}) select ${sql.raw(COLUMNS)} from main.audit_events`.execute(db);
    await sql`drop table main.audit_events`.execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  if (!(await isSqlite(db))) return;
  if (!(await tableIn(db, 'main'))) {
    await db.schema
      .createTable('main.audit_events')
      .addColumn('seq', 'bigint', (c) => c.primaryKey())
      .addColumn('at', 'text', (c) => c.notNull())
      .addColumn('organization_id', 'text')
      .addColumn('actor_user_id', 'text')
      .addColumn('actor_role', 'text')
      .addColumn('patient_id', 'text')
      .addColumn('resource', 'text', (c) => c.notNull())
      .addColumn('action', 'text', (c) => c.notNull())
      .addColumn('outcome', 'text', (c) => c.notNull())
      .addColumn('break_glass', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('ip', 'text')
      .addColumn('request_id', 'text')
      .addColumn('detail', 'text')
      .addColumn('prev_hash', 'text', (c) => c.notNull())
      .addColumn('hash', 'text', (c) => c.notNull())
      .execute();
    await sql`create index main.audit_by_org_at on audit_events (organization_id, at)`.execute(db);
    await sql`create index main.audit_by_patient on audit_events (patient_id, seq)`.execute(db);
    await sql`create index main.audit_by_actor on audit_events (actor_user_id, seq)`.execute(db);
  }
  if (await tableIn(db, 'audit')) {
    await sql`insert or ignore into main.audit_events (${sql.raw(COLUMNS)}) select ${sql.raw(COLUMNS)} from audit.audit_events`.execute(db);
    await sql`drop table audit.audit_events`.execute(db);
  }
}
