import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** The local cluster CI uses (trust auth on 127.0.0.1). BENCH_PG_URL overrides it. */
export function adminUrl(): string {
  return process.env.BENCH_PG_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
}

/** Creates a fresh, empty database and returns its URL and a function that drops it. */
export async function createFreshDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `threshold_bench_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl(), connectionTimeoutMillis: 3000 });
  await admin.connect();
  try {
    await admin.query(`create database ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl());
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: adminUrl() });
      await c.connect();
      try {
        await c.query(`drop database if exists ${name} with (force)`);
      } finally {
        await c.end();
      }
    },
  };
}
