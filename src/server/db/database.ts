import BetterSqlite3 from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, type SqliteDatabase, type SqliteStatement } from 'kysely';
import pg from 'pg';
import type { Config } from '../config';
import { noteInProcessWrite, registerSqliteReader } from './prepared-query';
import type { DB } from './schema';

export type Dialect = 'sqlite' | 'postgres';

export interface Database {
  readonly db: Kysely<DB>;
  readonly dialect: Dialect;
  /** Present on PostgreSQL: the pool, for LISTEN/NOTIFY and advisory locks. */
  readonly pgPool: pg.Pool | null;
  /** Present on SQLite: the raw handle, for pragmas and the benchmark baseline. */
  readonly sqlite: BetterSqlite3.Database | null;
  /** Present on SQLite: the file, for writers with a connection of their own. */
  readonly sqliteFile: string | null;
  close(): Promise<void>;
}

/**
 * Kysely's SQLite driver prepares every statement afresh; preparing costs more than
 * running a small query. The app's queries come from a fixed set of shapes, so a
 * bounded cache of prepared statements keyed by SQL text removes that cost.
 */
export function withStatementCache(sqlite: BetterSqlite3.Database, max = 500): SqliteDatabase {
  const cache = new Map<string, BetterSqlite3.Statement>();
  return {
    close: () => sqlite.close(),
    prepare(text: string): SqliteStatement {
      let statement = cache.get(text);
      if (statement) {
        // Map keeps insertion order: re-inserting marks it most recently used.
        cache.delete(text);
      } else {
        statement = sqlite.prepare(text);
        if (cache.size >= max) cache.delete(cache.keys().next().value!);
      }
      cache.set(text, statement);
      // Unless this is a plain read, a write is about to run (an INSERT … RETURNING returns
      // rows but writes; COMMIT counts as read-only to SQLite but returns none): the
      // committed data cache must look at the file again before it next answers.
      if (!(statement.reader && statement.readonly)) noteInProcessWrite();
      return statement as unknown as SqliteStatement;
    },
  };
}

/** The audit log's own SQLite file, beside the main one (see migration 0008). */
export function auditFileOf(mainFile: string): string {
  return mainFile.endsWith('.sqlite') ? `${mainFile.slice(0, -'.sqlite'.length)}.audit.sqlite` : `${mainFile}.audit`;
}

/**
 * Attaches the audit log's file as schema `audit` (created on first use). Every SQLite
 * connection that reads or writes `audit_events` needs it; unqualified, the name then
 * resolves to `audit.audit_events`. The audit file is as durable as the main one.
 */
export function attachAuditDatabase(sqlite: BetterSqlite3.Database, mainFile: string): void {
  sqlite.prepare('ATTACH DATABASE ? AS audit').run(auditFileOf(mainFile));
  sqlite.pragma('audit.journal_mode = WAL');
  sqlite.pragma('audit.synchronous = FULL');
}

// int8 (counts, audit sequence numbers) as JS numbers: they stay far below 2^53.
pg.types.setTypeParser(20, (value: string) => Number(value));

export function openDatabase(database: Config['database']): Database {
  if (database.kind === 'sqlite') {
    const sqlite = new BetterSqlite3(database.file);
    // WAL lets readers run beside the writer; synchronous=FULL makes every commit
    // durable before it returns (audit rows must survive a power cut).
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('synchronous = FULL');
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma('busy_timeout = 5000');
    // 64 MiB page cache (default 2 MiB): directory search joins a few hundred random rows
    // per query; with the default cache each is an OS read (bench/targets/directory-search.ts).
    sqlite.pragma('cache_size = -65536');
    attachAuditDatabase(sqlite, database.file);
    const db = new Kysely<DB>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }) });
    // The read connection for hot-path queries (see preparedQuery), memory-mapped: after
    // another connection commits, it re-reads the pages it needs, and from a mapping that
    // is cheap. (The audit log's frequent commits go to another file and do not count.)
    const reader = new BetterSqlite3(database.file);
    reader.pragma('query_only = ON');
    reader.pragma('mmap_size = 268435456');
    reader.pragma('busy_timeout = 5000');
    registerSqliteReader(db as Kysely<unknown>, reader);
    return {
      db,
      dialect: 'sqlite',
      pgPool: null,
      sqlite,
      sqliteFile: database.file,
      async close() {
        await db.destroy();
        reader.close();
      },
    };
  }
  const pool = new pg.Pool({ connectionString: database.url, max: 10 });
  // An idle client whose backend goes away (restart, failover, admin termination) emits
  // its error on the pool, which discards it and connects afresh on next use; without a
  // listener Node would treat the error as unhandled and crash the service.
  pool.on('error', () => undefined);
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  return {
    db,
    dialect: 'postgres',
    pgPool: pool,
    sqlite: null,
    sqliteFile: null,
    async close() {
      await db.destroy();
    },
  };
}
