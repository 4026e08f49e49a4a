import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema';
import { GENESIS_HASH, verifyChainPage, type ChainBreak } from './audit-chain';
import { findChainPage } from './audit.repository';

export interface ChainReport {
  rowsChecked: number;
  broken: ChainBreak | null;
}

/** Walks the whole audit log in seq order, page by page, and reports the first break. */
export async function verifyAuditChain(db: Kysely<DB>, key: string, pageSize = 5000): Promise<ChainReport> {
  let last = { seq: 0, hash: GENESIS_HASH };
  let rowsChecked = 0;
  for (;;) {
    const rows = await findChainPage(db, last.seq, pageSize);
    if (rows.length === 0) return { rowsChecked, broken: null };
    const page = verifyChainPage(key, last, rows);
    if (page.broken) return { rowsChecked: rowsChecked + rows.findIndex((r) => Number(r.seq) === page.broken!.seq), broken: page.broken };
    rowsChecked += rows.length;
    last = page.last;
  }
}

export function describeBreak(b: ChainBreak): string {
  switch (b.problem) {
    case 'gap':
      return `row ${b.seq}: expected row ${b.expectedSeq} next — rows were removed or inserted before it`;
    case 'prev_hash_mismatch':
      return `row ${b.seq}: its link to the previous row does not match — a row before it was altered, removed or inserted`;
    case 'hash_mismatch':
      return `row ${b.seq}: its content does not match its hash — the row was altered`;
  }
}
