import type BetterSqlite3 from 'better-sqlite3';
import type { Compilable, CompiledQuery, Kysely } from 'kysely';

/**
 * A second, read-only SQLite connection per database, for the hot-path queries below.
 * It runs them synchronously and skips Kysely's executor (a connection mutex and
 * several promise hops per query cost more than the query itself). Being a connection
 * of its own, it only ever sees committed data: it cannot read into a transaction that
 * another request has open on the main connection.
 */
const sqliteReaders = new WeakMap<object, BetterSqlite3.Database>();

/** Called by openDatabase for each SQLite database it opens. */
export function registerSqliteReader(db: Kysely<unknown>, reader: BetterSqlite3.Database): void {
  sqliteReaders.set(db, reader);
}

interface DataVersionState {
  readonly statement: BetterSqlite3.Statement<[], number>;
  version: number;
  /** `inProcessWrites` when `version` was read. */
  writes: number;
  /** Whether `version` was read in the current turn of the event loop. */
  readThisTurn: boolean;
}
const dataVersions = new WeakMap<BetterSqlite3.Database, DataVersionState>();

/**
 * Counts writes made by this process to a SQLite main file: statements other than reads on
 * the main connection (db/database.ts) and writer-thread jobs as they are acknowledged
 * (SqliteWorkerAuditLog). Bumped before the commit is visible to anyone in this process.
 */
let inProcessWrites = 0;
export function noteInProcessWrite(): void {
  inProcessWrites++;
}

/**
 * SQLite's `data_version` of the main database file as the read connection sees it: it
 * changes whenever any other connection (the main one, the writer thread, another
 * process) commits a change to that file, and only then. Commits to the audit log's own
 * file do not count. Null on PostgreSQL and for a transaction (which sees its own writes).
 *
 * Reading it is a statement on the read connection, a few microseconds on every chart
 * read; so it is read again only when this process has written since (any write, counted
 * by `noteInProcessWrite`, exactly) or when a new turn of the event loop has begun. A
 * commit by another process (a script, an operator's sqlite3 shell) is therefore seen
 * from the next turn on, never later: as if the requests of the current turn had all
 * been answered a moment before it.
 */
export function committedDataVersion<DBT>(db: Kysely<DBT>): number | null {
  const reader = sqliteReaders.get(db);
  if (!reader) return null;
  let state = dataVersions.get(reader);
  if (!state) {
    state = { statement: reader.prepare<[], number>('PRAGMA main.data_version').pluck(), version: 0, writes: -1, readThisTurn: false };
    dataVersions.set(reader, state);
  }
  if (state.readThisTurn && state.writes === inProcessWrites) return state.version;
  state.version = state.statement.get()!;
  state.writes = inProcessWrites;
  if (!state.readThisTurn) {
    state.readThisTurn = true;
    const read = state;
    setImmediate(() => {
      read.readThisTurn = false;
    });
  }
  return state.version;
}

/**
 * A query on the hot path, built and compiled once per SQL dialect instead of on every
 * call: Kysely's building and compiling costs several times more than running a small
 * prepared SQLite statement. The query's shape must not depend on its arguments (no
 * `in` lists, no optional clauses): arguments become bound parameters only.
 *
 * It works by compiling with sentinel arguments and remembering which bound parameter
 * each argument became. On SQLite, outside a transaction, the statement runs on the
 * read connection (see above); inside one (`db` is a Transaction), through Kysely on the
 * transaction's own connection, so the transaction sees its own writes.
 */
export function preparedQuery<DBT, Args extends readonly (string | number | null)[], Row>(
  build: (db: Kysely<DBT>, ...args: Args) => Compilable<Row>,
) {
  const compiledByDialect = new Map<unknown, { query: CompiledQuery<Row>; slots: (number | { value: unknown })[] }>();
  const statements = new WeakMap<BetterSqlite3.Database, BetterSqlite3.Statement<unknown[], Row>>();
  return async function run(db: Kysely<DBT>, ...args: Args): Promise<Row[]> {
    const dialectKey = db.getExecutor().adapter.constructor;
    let entry = compiledByDialect.get(dialectKey);
    if (!entry) {
      const sentinels = args.map((_, i) => `\u0000prepared-arg-${i}\u0000`) as unknown as Args;
      const query = build(db, ...sentinels).compile();
      const slots = query.parameters.map((p) => {
        const index = typeof p === 'string' ? sentinels.indexOf(p as never) : -1;
        return index >= 0 ? index : { value: p };
      });
      const used = new Set(slots.filter((s): s is number => typeof s === 'number'));
      if (used.size !== args.length) throw new Error('preparedQuery: every argument must become exactly one kind of bound parameter');
      entry = { query, slots };
      compiledByDialect.set(dialectKey, entry);
    }
    const parameters = entry.slots.map((s) => (typeof s === 'number' ? args[s] : s.value));
    // Only plain selects go to the read connection; a write (even one with RETURNING) runs
    // through Kysely on the connection that owns the write lock.
    const reader = entry.query.query.kind === 'SelectQueryNode' ? sqliteReaders.get(db) : undefined;
    if (reader) {
      let statement = statements.get(reader);
      if (!statement) {
        statement = reader.prepare<unknown[], Row>(entry.query.sql);
        statements.set(reader, statement);
      }
      return statement.all(parameters);
    }
    const result = await db.executeQuery<Row>({ ...entry.query, parameters });
    return result.rows;
  };
}
