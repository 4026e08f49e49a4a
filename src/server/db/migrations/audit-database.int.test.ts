import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { TEST_DIALECT } from '../../../../test/helpers/test-database';
import { KyselyAuditLog } from '../../modules/audit/audit-log';
import { verifyAuditChain } from '../../modules/audit/verify-audit-chain';
import { auditFileOf, openDatabase, type Database } from '../database';
import { migrateTo, migrateToLatest } from '../migrate';
import * as moveToAuditFile from './2026-11-26-0008-audit-database';

const KEY = Buffer.alloc(32, 7).toString('base64');
const BEFORE = '2026-11-26-0006-directory-search-terms';

async function tablesIn(database: Database, schema: 'main' | 'audit'): Promise<string[]> {
  const rows = await sql<{ name: string }>`select name from ${sql.raw(schema)}.sqlite_master where type = 'table' and name = 'audit_events'`.execute(database.db);
  return rows.rows.map((r) => r.name);
}

describe.skipIf(TEST_DIALECT !== 'sqlite')('migration 0008: the audit log in its own SQLite file', () => {
  let dir = '';
  let database: Database | null = null;
  afterEach(async () => {
    await database?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('moves the existing chain out of the main file intact, and back on the way down', async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'threshold-audit-migration-'));
    const file = path.join(dir, 'clinic.sqlite');
    database = openDatabase({ kind: 'sqlite', file });
    await migrateTo(database.db, BEFORE);
    expect(await tablesIn(database, 'main')).toEqual(['audit_events']);
    const log = new KyselyAuditLog(database.db, 'sqlite', KEY);
    for (let i = 0; i < 25; i++) {
      await log.record({ organizationId: 'o', actorUserId: `u${i}`, actorRole: 'therapist', patientId: 'p', resource: 'patient.demographics', action: 'read', outcome: 'allowed' });
    }

    await migrateToLatest(database.db);
    expect(existsSync(auditFileOf(file))).toBe(true);
    expect(await tablesIn(database, 'main')).toEqual([]);
    expect(await tablesIn(database, 'audit')).toEqual(['audit_events']);
    let report = await verifyAuditChain(database.db, KEY);
    expect(report).toMatchObject({ broken: null, rowsChecked: 25 });
    // New rows continue the same chain in the new file.
    await log.record({ organizationId: 'o', actorUserId: 'after', actorRole: 'nurse', patientId: 'p', resource: 'patient.demographics', action: 'read', outcome: 'allowed' });
    report = await verifyAuditChain(database.db, KEY);
    expect(report).toMatchObject({ broken: null, rowsChecked: 26 });

    await migrateTo(database.db, BEFORE);
    expect(await tablesIn(database, 'main')).toEqual(['audit_events']);
    expect(await tablesIn(database, 'audit')).toEqual([]);
    expect(await verifyAuditChain(database.db, KEY)).toMatchObject({ broken: null, rowsChecked: 26 });
  });

  it('finishes a move that was interrupted after the copy (rows in both files)', async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'threshold-audit-migration-'));
    const file = path.join(dir, 'clinic.sqlite');
    database = openDatabase({ kind: 'sqlite', file });
    await migrateTo(database.db, BEFORE);
    const log = new KyselyAuditLog(database.db, 'sqlite', KEY);
    for (let i = 0; i < 5; i++) {
      await log.record({ organizationId: 'o', actorUserId: `u${i}`, actorRole: 'therapist', patientId: 'p', resource: 'patient.demographics', action: 'read', outcome: 'allowed' });
    }
    // As if the audit file had committed its copy and the main file's drop had not: the
    // migration's steps ran, then the main table is back with the same rows.
    await moveToAuditFile.up(database.db);
    await sql`create table main.audit_events as select * from audit.audit_events`.execute(database.db);
    expect(await tablesIn(database, 'main')).toEqual(['audit_events']);
    await migrateToLatest(database.db);
    expect(await tablesIn(database, 'main')).toEqual([]);
    expect(await verifyAuditChain(database.db, KEY)).toMatchObject({ broken: null, rowsChecked: 5 });
  });
});

describe.skipIf(TEST_DIALECT !== 'sqlite')('a fresh SQLite database', () => {
  it('has the audit table and its indexes in the audit file', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'threshold-audit-fresh-'));
    const file = path.join(dir, 'clinic.sqlite');
    const database = openDatabase({ kind: 'sqlite', file });
    try {
      await migrateToLatest(database.db);
      const rows = await sql<{ name: string }>`select name from audit.sqlite_master where type = 'index' and tbl_name = 'audit_events' order by name`.execute(database.db);
      expect(rows.rows.map((r) => r.name)).toEqual(['audit_by_actor', 'audit_by_org_at', 'audit_by_patient']);
    } finally {
      await database.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
