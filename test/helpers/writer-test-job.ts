import { sql, type Kysely } from 'kysely';
import type { DB } from '../../src/server/db/schema';
import { AppError } from '../../src/server/http/errors';

/**
 * A job for the SQLite writer thread in tests (sqlite-audit-log.int.test.ts): inserts a
 * row into `writer_job_test`, then fails with an AppError when asked to, so the test can
 * see that only the failing job is rolled back.
 */
export async function runWriterJob(db: Kysely<DB>, payload: { id: string; fail?: boolean }): Promise<{ stored: string }> {
  await sql`insert into writer_job_test (id) values (${payload.id})`.execute(db);
  if (payload.fail) throw new AppError('conflict', `job ${payload.id} refused`, { field: 'id' });
  return { stored: payload.id };
}
