/**
 * The SQLite writer thread: a worker with its own connection that commits the hot writes
 * — audit rows, and jobs such as vital-sign batches (see SqliteWorkerAuditLog.runJob).
 *
 * Why a thread: better-sqlite3 is synchronous, so a durable COMMIT (fsync) on the main
 * thread stalls every request while the disk works. Why one thread for all hot writes:
 * SQLite has one write lock per database; two connections writing at a high rate make
 * each other wait, and on the main thread that wait (busy_timeout) is a synchronous sleep
 * of the event loop. Here everything that arrives while one commit runs goes into the
 * next transaction (group commit): one BEGIN IMMEDIATE … COMMIT holds the jobs, each in a
 * savepoint of its own (a failing job is rolled back alone and answered with its error),
 * and the audit rows. Callers on the main thread wait for the acknowledgement of the
 * commit that holds their row or job, so it is durable before they answer.
 */
import { parentPort, workerData } from 'node:worker_threads';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { attachAuditDatabase, withStatementCache } from '../../db/database';
import type { DB } from '../../db/schema';
import { GENESIS_HASH, hashAuditTuple, type AuditTuple } from './audit-chain';

/** A job: `module` (a file URL) exports `runWriterJob(db, payload)`, run inside the transaction. */
export interface WriterJob {
  id: number;
  module: string;
  payload: unknown;
  /** An audit row to append in the same transaction if the job succeeds. */
  auditOnSuccess: AuditTuple | null;
}
export interface WriterRequest {
  batchId: number;
  rows: AuditTuple[];
  jobs: WriterJob[];
}
/** An error as it crosses the thread boundary (AppError's code and options included). */
export interface SerializedError {
  name: string;
  message: string;
  code?: unknown;
  options?: unknown;
}
export type JobOutcome = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: SerializedError };
export type WriterReply = { batchIds: number[]; ok: true; jobs: JobOutcome[] } | { batchIds: number[]; ok: false; message: string };

interface JobModule {
  runWriterJob(db: Kysely<DB>, payload: unknown): Promise<unknown>;
}

const { file, key } = workerData as { file: string; key: string };
const port = parentPort!;
const db = new BetterSqlite3(file);
// audit_events lives in its own file (migration 0008): only jobs write the main one.
attachAuditDatabase(db, file);
db.pragma('journal_mode = WAL');
db.pragma('synchronous = FULL');
db.pragma('foreign_keys = ON');
db.pragma('busy_timeout = 5000');
// Jobs use the repositories, which speak Kysely; on this connection Kysely runs inside the
// transaction this thread opened (nothing else uses the connection).
const kysely = new Kysely<DB>({ dialect: new SqliteDialect({ database: withStatementCache(db) }) });

const readHead = db.prepare<[], { seq: number; hash: string }>('select seq, hash from audit_events order by seq desc limit 1');
// Positional parameters: binding a row by name costs a property lookup per column.
const insert = db.prepare<[number, ...AuditTuple, string, string]>(
  `insert into audit_events (seq, at, organization_id, actor_user_id, actor_role, patient_id, resource, action, outcome,
     break_glass, ip, request_id, detail, prev_hash, hash)
   values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
);

/** Chain and insert rows; the caller holds the write lock (BEGIN IMMEDIATE), so the chain cannot fork. */
function appendRows(rows: AuditTuple[]): void {
  const head = readHead.get();
  let seq = head ? Number(head.seq) : 0;
  let prevHash = head ? head.hash : GENESIS_HASH;
  for (const row of rows) {
    seq++;
    const hash = hashAuditTuple(key, prevHash, seq, row);
    insert.run(seq, ...row, prevHash, hash);
    prevHash = hash;
  }
}

const modules = new Map<string, Promise<JobModule>>();
function moduleOf(url: string): Promise<JobModule> {
  let m = modules.get(url);
  if (!m) {
    m = import(url) as Promise<JobModule>;
    modules.set(url, m);
  }
  return m;
}

function serializeError(error: unknown): SerializedError {
  if (error instanceof Error) {
    const e = error as Error & { code?: unknown; options?: unknown };
    return { name: e.name, message: e.message, code: e.code, options: e.options };
  }
  return { name: 'Error', message: String(error) };
}

async function commit(batch: WriterRequest[]): Promise<WriterReply> {
  const batchIds = batch.map((b) => b.batchId);
  const jobs = batch.flatMap((b) => b.jobs);
  const rows = batch.flatMap((b) => b.rows);
  try {
    // Load job modules before taking the lock (the first job of a kind imports its module).
    const runners = await Promise.all(jobs.map((j) => moduleOf(j.module)));
    const outcomes: JobOutcome[] = [];
    db.exec('BEGIN IMMEDIATE');
    try {
      for (const [i, job] of jobs.entries()) {
        db.exec('SAVEPOINT writer_job');
        try {
          const value = await runners[i]!.runWriterJob(kysely, job.payload);
          db.exec('RELEASE writer_job');
          outcomes.push({ id: job.id, ok: true, value });
          if (job.auditOnSuccess) rows.push(job.auditOnSuccess);
        } catch (error) {
          db.exec('ROLLBACK TO writer_job');
          db.exec('RELEASE writer_job');
          outcomes.push({ id: job.id, ok: false, error: serializeError(error) });
        }
      }
      if (rows.length > 0) appendRows(rows);
      db.exec('COMMIT');
    } catch (error) {
      if (db.inTransaction) db.exec('ROLLBACK');
      throw error;
    }
    return { batchIds, ok: true, jobs: outcomes };
  } catch (error) {
    return { batchIds, ok: false, message: error instanceof Error ? error.message : String(error) };
  }
}

let pending: WriterRequest[] = [];
let scheduled = false;
let committing: Promise<void> | null = null;

/** One transaction at a time; what arrives meanwhile waits for the next. */
function commitPending(): Promise<void> {
  scheduled = false;
  if (committing) return committing;
  committing = (async () => {
    while (pending.length > 0) {
      const batch = pending;
      pending = [];
      port.postMessage(await commit(batch));
    }
  })().finally(() => {
    committing = null;
  });
  return committing;
}

port.on('message', (message: WriterRequest | 'close') => {
  if (message === 'close') {
    void (async () => {
      await committing;
      if (pending.length > 0) await commitPending();
      await kysely.destroy();
      port.close();
    })();
    return;
  }
  pending.push(message);
  if (!scheduled && !committing) {
    scheduled = true;
    setImmediate(() => void commitPending());
  }
});
