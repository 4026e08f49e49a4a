import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { openDatabase, type Database } from '../../src/server/db/database';
import { migrateToLatest } from '../../src/server/db/migrate';

/**
 * Integration tests run against a real database: SQLite by default, PostgreSQL when
 * TEST_DATABASE=postgres (the same suite, as Kysely's own tests do). Each test file
 * gets a fresh database of its own.
 */
export type TestDialect = 'sqlite' | 'postgres';
export const TEST_DIALECT: TestDialect = process.env.TEST_DATABASE === 'postgres' ? 'postgres' : 'sqlite';
const PG_ADMIN_URL = process.env.TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface TestDatabase {
  database: Database;
  dataDir: string;
  databaseConfig: { kind: 'sqlite'; file: string } | { kind: 'postgres'; url: string };
  drop(): Promise<void>;
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'threshold-test-'));
  if (TEST_DIALECT === 'sqlite') {
    const databaseConfig = { kind: 'sqlite' as const, file: path.join(dataDir, 'test.sqlite') };
    const database = openDatabase(databaseConfig);
    await migrateToLatest(database.db);
    return {
      database,
      dataDir,
      databaseConfig,
      async drop() {
        await database.close();
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  }
  const name = `threshold_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  const databaseConfig = { kind: 'postgres' as const, url: url.toString() };
  const database = openDatabase(databaseConfig);
  await migrateToLatest(database.db);
  return {
    database,
    dataDir,
    databaseConfig,
    async drop() {
      await database.close();
      const a = new pg.Client({ connectionString: PG_ADMIN_URL });
      await a.connect();
      await a.query(`drop database if exists ${name} with (force)`);
      await a.end();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
