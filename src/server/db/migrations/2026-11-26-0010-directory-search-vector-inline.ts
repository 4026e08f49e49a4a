import { sql, type Kysely } from 'kysely';

// Frozen in time: this migration never imports application code.
//
// PostgreSQL directory search reads `search_vector` from the row of every candidate in the
// bounding box (the `@@` check) and of every match (`ts_rank`). A profile row is ~3 KB, above
// the ~2 KB past which PostgreSQL moves the largest values out of the row, and the vector
// (~0.8 KB) was the first to go: every check then read the TOAST index and a chunk, ~6 buffers
// a row (the typical search at 100,000 providers, EXPLAIN (ANALYZE, BUFFERS): 9,835 buffers
// and 13 ms before, 1,716 buffers and 3.5–5 ms after).
// - `storage main`: the vector stays in the row (compressed first if it must); the other long
//   values (stored term data, stems, bio), which PostgreSQL search never reads, go out of line
//   instead. Rows written before are rewritten so that they take the new layout too: an
//   update recomputes a stored generated column only when a column it is computed from is
//   set (`search_vector = default` alone keeps the old out-of-line value).
// - GIN `fastupdate = off`: new entries went to the index's pending list, which every scan of
//   the index reads in full until a vacuum merges it (after a bulk load, ~500 pages and 2.5 ms
//   a scan), and whose estimated cost kept the planner off the index even for a word in 42
//   profiles. Profile writes are rare; each now updates the index directly. The entries
//   already pending are merged here.
// SQLite: nothing (its search reads the FTS5 index and the covering area index).

async function isSqlite(db: Kysely<any>): Promise<boolean> {
  const name = db.getExecutor().adapter.constructor.name;
  if (name === 'SqliteAdapter') return true;
  if (name === 'PostgresAdapter') return false;
  try {
    await sql`select sqlite_version()`.execute(db);
    return true;
  } catch {
    return false;
  }
}

export async function up(db: Kysely<any>): Promise<void> {
  if (await isSqlite(db)) return;
  await sql`alter table directory_providers alter column search_vector set storage main`.execute(db);
  // While the pending list still takes the new entries: merged once below, in bulk.
  await sql`update directory_providers set display_name = display_name`.execute(db);
  await sql`alter index directory_providers_search set (fastupdate = off)`.execute(db);
  await sql`select gin_clean_pending_list('directory_providers_search'::regclass)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  if (await isSqlite(db)) return;
  await sql`alter index directory_providers_search reset (fastupdate)`.execute(db);
  // Rows keep their layout: either one reads the same.
  await sql`alter table directory_providers alter column search_vector set storage extended`.execute(db);
}
