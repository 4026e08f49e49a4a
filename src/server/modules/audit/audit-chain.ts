import { createHmac } from 'node:crypto';

/**
 * The audit log is a hash chain: each row's hash covers its own content and the
 * previous row's hash, keyed with the clinic's APP_SECRET so that a person with
 * database access alone cannot forge a consistent chain.
 */

export const GENESIS_HASH = '0'.repeat(64);

export interface ChainedFields {
  seq: number;
  at: string;
  organization_id: string | null;
  actor_user_id: string | null;
  actor_role: string | null;
  patient_id: string | null;
  resource: string;
  action: string;
  outcome: string;
  break_glass: number;
  ip: string | null;
  request_id: string | null;
  detail: string | null;
}

// The key arrives base64-encoded from config; decoding it once per key, not per row,
// matters to the writer thread, which hashes every audit row.
const decodedKeys = new Map<string, Buffer>();
function keyBytes(key: string): Buffer {
  let bytes = decodedKeys.get(key);
  if (!bytes) {
    bytes = Buffer.from(key, 'base64');
    if (decodedKeys.size > 16) decodedKeys.clear();
    decodedKeys.set(key, bytes);
  }
  return bytes;
}

/**
 * A row's chained fields after `seq`, in the chain's fixed order: what the SQLite writer
 * thread receives (a flat array crosses the thread boundary cheaper than an object).
 */
export type AuditTuple = [
  at: string,
  organization_id: string | null,
  actor_user_id: string | null,
  actor_role: string | null,
  patient_id: string | null,
  resource: string,
  action: string,
  outcome: string,
  break_glass: number,
  ip: string | null,
  request_id: string | null,
  detail: string | null,
];

export function auditTupleOf(row: Omit<ChainedFields, 'seq'>): AuditTuple {
  return [
    row.at,
    row.organization_id,
    row.actor_user_id,
    row.actor_role,
    row.patient_id,
    row.resource,
    row.action,
    row.outcome,
    row.break_glass,
    row.ip,
    row.request_id,
    row.detail,
  ];
}

/** The chain hash of the row `seq` with the fields `tuple`, following `prevHash`. */
export function hashAuditTuple(key: string, prevHash: string, seq: number, tuple: AuditTuple): string {
  // A fixed field order (not JSON.stringify of an object) keeps the hash stable
  // whatever order a driver returns columns in.
  const canonical = JSON.stringify([seq, ...tuple]);
  return createHmac('sha256', keyBytes(key)).update(prevHash).update('\n').update(canonical).digest('hex');
}

export function hashAuditRow(key: string, prevHash: string, row: ChainedFields): string {
  return hashAuditTuple(key, prevHash, row.seq, auditTupleOf(row));
}

export type ChainBreak = { seq: number; problem: 'gap' | 'prev_hash_mismatch' | 'hash_mismatch'; expectedSeq?: number };

/**
 * Checks consecutive rows (in seq order) continuing from `prev`. Returns the first
 * break, or null with the state to continue from on the next page.
 */
export function verifyChainPage(
  key: string,
  prev: { seq: number; hash: string },
  rows: readonly (ChainedFields & { prev_hash: string; hash: string })[],
): { broken: ChainBreak | null; last: { seq: number; hash: string } } {
  let last = prev;
  for (const row of rows) {
    if (Number(row.seq) !== last.seq + 1) {
      return { broken: { seq: Number(row.seq), problem: 'gap', expectedSeq: last.seq + 1 }, last };
    }
    if (row.prev_hash !== last.hash) return { broken: { seq: Number(row.seq), problem: 'prev_hash_mismatch' }, last };
    if (hashAuditRow(key, row.prev_hash, { ...row, seq: Number(row.seq) }) !== row.hash) {
      return { broken: { seq: Number(row.seq), problem: 'hash_mismatch' }, last };
    }
    last = { seq: Number(row.seq), hash: row.hash };
  }
  return { broken: null, last };
}
