import { describe, expect, it } from 'vitest';
import { auditTupleOf, hashAuditRow, hashAuditTuple, verifyChainPage, GENESIS_HASH } from './audit-chain';

const KEY = Buffer.alloc(32, 3).toString('base64');
const ROW = {
  seq: 7,
  at: '2026-11-26T00:00:00.000Z',
  organization_id: 'o',
  actor_user_id: null,
  actor_role: 'nurse',
  patient_id: 'p',
  resource: 'patient.demographics',
  action: 'read',
  outcome: 'allowed',
  break_glass: 1,
  ip: '::1',
  request_id: null,
  detail: '{"a":"é"}',
};

describe('audit chain hash', () => {
  it('is stable: logs written by earlier versions must still verify', () => {
    // HMAC-SHA256(key, prev_hash + "\n" + JSON of [seq, at, organization_id, actor_user_id,
    // actor_role, patient_id, resource, action, outcome, break_glass, ip, request_id, detail]).
    expect(hashAuditRow(KEY, 'abc', ROW)).toBe('e4edd5e457a2e5bdd83ebdb5568718c92e61f4c9685ceddde41c0936ad66fbf1');
  });

  it('hashes the writer thread’s tuple exactly as the row it becomes', () => {
    expect(hashAuditTuple(KEY, 'abc', ROW.seq, auditTupleOf(ROW))).toBe(hashAuditRow(KEY, 'abc', ROW));
  });

  it('changes with any field, the previous hash or the key', () => {
    const base = hashAuditRow(KEY, 'abc', ROW);
    for (const [field, value] of Object.entries({ seq: 8, at: '2026-11-26T00:00:00.001Z', patient_id: 'q', outcome: 'denied', break_glass: 0, detail: null })) {
      expect(hashAuditRow(KEY, 'abc', { ...ROW, [field]: value })).not.toBe(base);
    }
    expect(hashAuditRow(KEY, 'abd', ROW)).not.toBe(base);
    expect(hashAuditRow(Buffer.alloc(32, 4).toString('base64'), 'abc', ROW)).not.toBe(base);
  });

  it('verifies a page and names the first broken row', () => {
    const first = { ...ROW, seq: 1, prev_hash: GENESIS_HASH, hash: '' };
    first.hash = hashAuditRow(KEY, GENESIS_HASH, first);
    const second = { ...ROW, seq: 2, prev_hash: first.hash, hash: '' };
    second.hash = hashAuditRow(KEY, first.hash, second);
    expect(verifyChainPage(KEY, { seq: 0, hash: GENESIS_HASH }, [first, second]).broken).toBeNull();
    expect(verifyChainPage(KEY, { seq: 0, hash: GENESIS_HASH }, [first, { ...second, outcome: 'denied' }]).broken).toEqual({ seq: 2, problem: 'hash_mismatch' });
    expect(verifyChainPage(KEY, { seq: 0, hash: GENESIS_HASH }, [second]).broken).toEqual({ seq: 2, problem: 'gap', expectedSeq: 1 });
  });
});
