import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../db/database';
import { migrateToLatest } from '../../db/migrate';
import { AppError } from '../../http/errors';
import { SqliteWorkerAuditLog } from './sqlite-audit-log';
import { verifyAuditChain } from './verify-audit-chain';

// The SQLite writer thread is SQLite's alone (PostgreSQL commits on the main thread), so
// this file runs on SQLite whatever TEST_DATABASE says.
const JOB = new URL('../../../../test/helpers/writer-test-job.ts', import.meta.url).href;
const key = randomBytes(32).toString('base64');
let dir: string;
let database: Database;
let log: SqliteWorkerAuditLog;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'threshold-writer-'));
  const file = path.join(dir, 'w.sqlite');
  database = openDatabase({ kind: 'sqlite', file });
  await migrateToLatest(database.db);
  await sql`create table writer_job_test (id text primary key)`.execute(database.db);
  log = new SqliteWorkerAuditLog(file, key);
});
afterAll(async () => {
  await log.close();
  await database.close();
  rmSync(dir, { recursive: true, force: true });
});

const entry = (n: number) => ({
  organizationId: 'org',
  actorUserId: 'user',
  actorRole: 'nurse',
  patientId: `patient-${n}`,
  resource: 'patient.clinical',
  action: 'write',
  outcome: 'allowed' as const,
});
const stored = async () => (await sql<{ id: string }>`select id from writer_job_test order by id`.execute(database.db)).rows.map((r) => r.id);

describe('the SQLite writer thread', () => {
  it('commits jobs and audit rows sent together; a failing job is rolled back alone and keeps its AppError', async () => {
    // All in one turn of the event loop: one message, one transaction.
    const [ok1, bad, ok2, ...audited] = await Promise.allSettled([
      log.runJob<{ stored: string }>(JOB, { id: 'a' }),
      log.runJob(JOB, { id: 'b', fail: true }),
      log.runJob<{ stored: string }>(JOB, { id: 'c' }),
      log.record(entry(1)),
      log.record(entry(2)),
    ]);
    expect(ok1).toEqual({ status: 'fulfilled', value: { stored: 'a' } });
    expect(ok2).toEqual({ status: 'fulfilled', value: { stored: 'c' } });
    expect(bad!.status).toBe('rejected');
    const error = (bad as PromiseRejectedResult).reason as AppError;
    expect(error).toBeInstanceOf(AppError);
    expect(error.code).toBe('conflict');
    expect(error.options.field).toBe('id');
    expect(audited.every((r) => r.status === 'fulfilled')).toBe(true);
    // Durable and visible to another connection once acknowledged; b's insert was undone.
    expect(await stored()).toEqual(['a', 'c']);
    const rows = await database.db.selectFrom('audit_events').select(['patient_id']).orderBy('seq').execute();
    expect(rows.map((r) => r.patient_id)).toEqual(['patient-1', 'patient-2']);
  });

  it('keeps the audit chain whole while jobs and rows arrive during commits', async () => {
    const work: Promise<unknown>[] = [];
    for (let i = 0; i < 40; i++) {
      work.push(log.runJob(JOB, { id: `k${String(i).padStart(2, '0')}`, fail: i % 7 === 0 }).catch(() => 'refused'));
      work.push(log.record(entry(100 + i)));
      if (i % 5 === 0) await new Promise((r) => setImmediate(r));
    }
    const results = await Promise.all(work);
    expect(results.filter((r) => r === 'refused')).toHaveLength(6);
    expect((await stored()).filter((id) => id.startsWith('k'))).toHaveLength(34);
    const report = await verifyAuditChain(database.db, key);
    expect(report.broken).toBeNull();
    expect(report.rowsChecked).toBe(42);
  });

  it('keeps the order rows were recorded in when a burst in one turn goes to the writer in several messages', async () => {
    const before = await database.db.selectFrom('audit_events').select((eb) => eb.fn.max('seq').as('seq')).executeTakeFirstOrThrow();
    // Eleven rows in one turn: sent every few rows as they are recorded, the rest at the turn's end.
    await Promise.all(Array.from({ length: 11 }, (_, i) => log.record(entry(500 + i))));
    const rows = await database.db
      .selectFrom('audit_events')
      .select('patient_id')
      .where('seq', '>', Number(before.seq ?? 0))
      .orderBy('seq')
      .execute();
    expect(rows.map((r) => r.patient_id)).toEqual(Array.from({ length: 11 }, (_, i) => `patient-${500 + i}`));
    expect((await verifyAuditChain(database.db, key)).broken).toBeNull();
  });

  it('appends a job’s own audit row in the job’s transaction, only when the job succeeds', async () => {
    const before = (await database.db.selectFrom('audit_events').select('seq').execute()).length;
    const [ok, bad] = await Promise.allSettled([
      log.runJob(JOB, { id: 'w-ok' }, entry(900)),
      log.runJob(JOB, { id: 'w-bad', fail: true }, entry(901)),
    ]);
    expect(ok!.status).toBe('fulfilled');
    expect(bad!.status).toBe('rejected');
    // Already durable when the job's promise settles: no separate record() was awaited.
    const rows = await database.db.selectFrom('audit_events').select(['patient_id', 'outcome']).where('seq', '>', before).orderBy('seq').execute();
    expect(rows).toEqual([{ patient_id: 'patient-900', outcome: 'allowed' }]);
    expect((await stored()).filter((id) => id.startsWith('w-'))).toEqual(['w-ok']);
    expect((await verifyAuditChain(database.db, key)).broken).toBeNull();
  });
});
