/**
 * The SQLite audit writer, in a worker thread with its own connection. better-sqlite3
 * is synchronous: a durable COMMIT (fsync) on the main thread would stall every request
 * while the disk works. Here the fsync overlaps request handling, and everything that
 * arrives while one commit runs goes into the next (group commit). Callers on the main
 * thread still wait for the acknowledgement, so each audit row is durable before the
 * response leaves.
 */
import { parentPort, workerData } from 'node:worker_threads';
import BetterSqlite3 from 'better-sqlite3';
import { attachAuditDatabase } from '../../db/database';
import { GENESIS_HASH, hashAuditRow, type ChainedFields } from './audit-chain';

export type UnchainedRow = Omit<ChainedFields, 'seq'>;
export interface WriterRequest {
  batchId: number;
  rows: UnchainedRow[];
}
export type WriterReply = { batchIds: number[]; ok: true } | { batchIds: number[]; ok: false; message: string };

const { file, key } = workerData as { file: string; key: string };
const port = parentPort!;
const db = new BetterSqlite3(file);
// audit_events lives in its own file (migration 0008).
attachAuditDatabase(db, file);
db.pragma('journal_mode = WAL');
db.pragma('synchronous = FULL');
db.pragma('busy_timeout = 5000');

const readHead = db.prepare<[], { seq: number; hash: string }>('select seq, hash from audit_events order by seq desc limit 1');
const insert = db.prepare(
  `insert into audit_events (seq, at, organization_id, actor_user_id, actor_role, patient_id, resource, action, outcome,
     break_glass, ip, request_id, detail, prev_hash, hash)
   values (@seq, @at, @organization_id, @actor_user_id, @actor_role, @patient_id, @resource, @action, @outcome,
     @break_glass, @ip, @request_id, @detail, @prev_hash, @hash)`,
);
// IMMEDIATE takes the write lock before reading the head, so the chain cannot fork
// even if another connection appends at the same moment.
const appendAll = db.transaction((rows: UnchainedRow[]) => {
  let prev = readHead.get() ?? { seq: 0, hash: GENESIS_HASH };
  for (const row of rows) {
    const fields = { ...row, seq: Number(prev.seq) + 1 };
    const hash = hashAuditRow(key, prev.hash, fields);
    insert.run({ ...fields, prev_hash: prev.hash, hash });
    prev = { seq: fields.seq, hash };
  }
});

let pending: WriterRequest[] = [];
let scheduled = false;

function commitPending(): void {
  scheduled = false;
  const batch = pending;
  pending = [];
  const batchIds = batch.map((b) => b.batchId);
  try {
    appendAll.immediate(batch.flatMap((b) => b.rows));
    port.postMessage({ batchIds, ok: true } satisfies WriterReply);
  } catch (error) {
    port.postMessage({ batchIds, ok: false, message: error instanceof Error ? error.message : String(error) } satisfies WriterReply);
  }
}

port.on('message', (message: WriterRequest | 'close') => {
  if (message === 'close') {
    if (pending.length > 0) commitPending();
    db.close();
    port.close();
    return;
  }
  pending.push(message);
  if (!scheduled) {
    scheduled = true;
    setImmediate(commitPending);
  }
});
