import { Migrator, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import * as foundation from './migrations/2026-11-26-0001-foundation';
import * as directory from './migrations/2026-11-26-0002-directory';
import * as scheduling from './migrations/2026-11-26-0003-scheduling';
import * as intake from './migrations/2026-11-26-0004-intake';
import * as dosing from './migrations/2026-11-26-0005-dosing';
import * as directorySearchTerms from './migrations/2026-11-26-0006-directory-search-terms';
import * as auditDatabase from './migrations/2026-11-26-0008-audit-database';
import * as postSessionMeasure from './migrations/2026-11-26-0009-post-session-measure';
import * as directorySearchVectorInline from './migrations/2026-11-26-0010-directory-search-vector-inline';

/**
 * Migrations are listed statically (not read from the folder at run time) so the
 * same list works under tsx, in tests and in a bundled build. Names sort by date.
 */
const migrations: Record<string, Migration> = {
  '2026-11-26-0001-foundation': foundation,
  '2026-11-26-0002-directory': directory,
  '2026-11-26-0003-scheduling': scheduling,
  '2026-11-26-0004-intake': intake,
  '2026-11-26-0005-dosing': dosing,
  '2026-11-26-0006-directory-search-terms': directorySearchTerms,
  '2026-11-26-0008-audit-database': auditDatabase,
  '2026-11-26-0009-post-session-measure': postSessionMeasure,
  '2026-11-26-0010-directory-search-vector-inline': directorySearchVectorInline,
};

const provider: MigrationProvider = {
  getMigrations: () => Promise.resolve(migrations),
};

export async function migrateToLatest(db: Kysely<any>): Promise<string[]> {
  return migrateTo(db, 'latest');
}

/** Up or down to the named migration (tests of a migration start from the one before it). */
export async function migrateTo(db: Kysely<any>, target: string | 'latest'): Promise<string[]> {
  const migrator = new Migrator({ db, provider });
  const { error, results } = target === 'latest' ? await migrator.migrateToLatest() : await migrator.migrateTo(target);
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new Error(`migration ${failed} failed: ${error instanceof Error ? error.message : String(error)}`);
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
