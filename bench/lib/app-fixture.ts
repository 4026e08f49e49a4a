import { randomBytes } from 'node:crypto';
import { loadConfig, type Config } from '../../src/server/config';
import { openDatabase, type Database } from '../../src/server/db/database';
import { migrateToLatest } from '../../src/server/db/migrate';
import { DEMO_PASSWORD, seedDemoClinic } from '../../src/server/db/seed/demo-clinic';
import { hashPassword } from '../../src/server/modules/auth/passwords';
import type { App } from '../../src/server/http/types';
import type { StartOptions } from './types';

/**
 * Helpers for modules that benchmark the real service: a production-like config on a
 * throwaway DATA_DIR (or a throwaway PostgreSQL database), migrated and seeded with
 * the demo clinic, and a signed-in session cookie.
 */

/** The log level the server runs at during the bench: the app's default unless overridden. */
export function benchLogLevel(): string {
  return process.env.BENCH_LOG_LEVEL || 'info';
}

/** Secrets for a bench's throwaway data; pass the same ones to every process that opens it. */
export interface BenchSecrets {
  readonly APP_SECRET: string;
  readonly DATA_ENCRYPTION_KEY: string;
}

export function newBenchSecrets(): BenchSecrets {
  return { APP_SECRET: randomBytes(32).toString('base64'), DATA_ENCRYPTION_KEY: randomBytes(32).toString('base64') };
}

export function benchConfig(options: StartOptions, secrets: BenchSecrets = newBenchSecrets()): Config {
  return loadConfig({
    // Production mode: the same code path a clinic runs (secrets given, no demo auto-seed;
    // the bench seeds its own throwaway database explicitly below).
    NODE_ENV: 'production',
    DATA_DIR: options.workDir,
    DATABASE_URL: options.database === 'postgres' ? (options.postgresUrl ?? undefined) : undefined,
    ...secrets,
    HOST: '127.0.0.1',
    PORT: '0',
    LOG_LEVEL: benchLogLevel(),
  });
}

/** Opens the configured database, migrates it from empty and seeds the demo clinic. */
export async function openSeededDatabase(config: Config): Promise<Database> {
  const database = openDatabase(config.database);
  await migrateToLatest(database.db);
  await seedDemoClinic(database.db, await hashPassword(DEMO_PASSWORD), new Date(), config.secrets.dataEncryptionKey);
  return database;
}

/** Signs in through the real login route and returns the `cookie` request header. */
export async function signIn(app: App, email: string, password = DEMO_PASSWORD): Promise<string> {
  const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password } });
  if (res.statusCode !== 200) throw new Error(`sign-in as ${email} failed: ${res.statusCode} ${res.body}`);
  const cookies = res.cookies.map((c) => `${c.name}=${c.value}`);
  if (cookies.length === 0) throw new Error(`sign-in as ${email} set no cookie`);
  return cookies.join('; ');
}

/** The SQLite pragmas that make a commit durable, read back from the live handle. */
export function sqliteDurabilityNote(database: Database): string | null {
  if (!database.sqlite) return null;
  const journal = database.sqlite.pragma('journal_mode', { simple: true });
  const sync = database.sqlite.pragma('synchronous', { simple: true });
  const syncName = ['OFF', 'NORMAL', 'FULL', 'EXTRA'][Number(sync)] ?? String(sync);
  return `sqlite journal_mode=${String(journal)}, synchronous=${syncName}`;
}
