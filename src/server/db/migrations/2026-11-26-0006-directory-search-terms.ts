import { sql, type Kysely } from 'kysely';

// Frozen in time: this migration never imports application code.
//
// Directory search without per-query text work (issue 3's 10 ms target at 100,000
// providers). Each profile stores its searchable text pre-digested by the application
// (src/core/directory/search-text.ts): the distinct word stems, the per-stem hit counts
// in name/keywords/bio, and the three lengths. Existing rows get `search_version = 0`
// and are re-derived by the application at start-up (it owns the stemmer; a migration
// must not import it).
//
// SQLite:
// - the full-text table indexes those stems (`ascii` tokenizer: one stem = one token, so
//   the index and the stored term data match the same words) with the facet and grid-cell
//   tokens; `detail=column`: no positions are needed, and column filters then cost no
//   position-list reads;
// - a covering index clustered by area — (visible, 0.1° latitude band, longitude, …every
//   filter column, the lengths and the term data) — lets a search near a place read only
//   the index entries of its bounding box and check filters and words inside the index.
//   It replaces the (visible, latitude, longitude, …) index, whose latitude range spans
//   the whole continent.
// PostgreSQL keeps its tsvector and b-tree; the new columns are written there too.

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

const NEW_COLUMNS: [string, 'text' | 'integer', string | number][] = [
  ['search_stems', 'text', ''],
  ['search_terms', 'text', ''],
  ['search_name_length', 'integer', 0],
  ['search_keywords_length', 'integer', 0],
  ['search_bio_length', 'integer', 0],
  ['search_version', 'integer', 0],
  ['lat_band', 'integer', 0],
];

const OLD_FTS_COLUMNS = 'display_name, search_keywords, bio, search_facets, search_cells';
const NEW_FTS_COLUMNS = 'search_stems, search_facets, search_cells';

async function createFts(db: Kysely<any>, columns: string, options: string): Promise<void> {
  const cols = sql.raw(columns);
  const old = sql.raw(columns.split(', ').map((c) => `old.${c}`).join(', '));
  const nu = sql.raw(columns.split(', ').map((c) => `new.${c}`).join(', '));
  await sql`create virtual table directory_provider_fts using fts5(${cols}, content='directory_providers', content_rowid='seq', ${sql.raw(options)})`.execute(db);
  await sql`create trigger directory_providers_fts_insert after insert on directory_providers begin
    insert into directory_provider_fts(rowid, ${cols}) values (new.seq, ${nu});
  end`.execute(db);
  await sql`create trigger directory_providers_fts_delete after delete on directory_providers begin
    insert into directory_provider_fts(directory_provider_fts, rowid, ${cols}) values ('delete', old.seq, ${old});
  end`.execute(db);
  await sql`create trigger directory_providers_fts_update after update of ${cols} on directory_providers begin
    insert into directory_provider_fts(directory_provider_fts, rowid, ${cols}) values ('delete', old.seq, ${old});
    insert into directory_provider_fts(rowid, ${cols}) values (new.seq, ${nu});
  end`.execute(db);
  await sql`insert into directory_provider_fts(directory_provider_fts) values ('rebuild')`.execute(db);
}

async function dropFts(db: Kysely<any>): Promise<void> {
  await sql`drop trigger if exists directory_providers_fts_update`.execute(db);
  await sql`drop trigger if exists directory_providers_fts_delete`.execute(db);
  await sql`drop trigger if exists directory_providers_fts_insert`.execute(db);
  await sql`drop table if exists directory_provider_fts`.execute(db);
}

const FILTER_COLUMNS = [
  'licence_expires_on', 'conditions_mask', 'approaches_mask', 'routes_mask', 'formats_mask', 'languages_mask',
  'credentials_mask', 'in_person', 'telehealth', 'accepting_new_patients', 'sliding_scale', 'superbill', 'fee_min_usd',
  'licence_state', 'organization_id',
];

export async function up(db: Kysely<any>): Promise<void> {
  const sqlite = await isSqlite(db);
  for (const [name, type, value] of NEW_COLUMNS) {
    await db.schema
      .alterTable('directory_providers')
      .addColumn(name, type, (c) => c.notNull().defaultTo(value))
      .execute();
  }
  // 0.1° bands of latitude (~7 miles): floor((latitude + 90) × 10), as the application computes it.
  await (sqlite
    ? sql`update directory_providers set lat_band = cast((latitude + 90) * 10 as integer)`
    : sql`update directory_providers set lat_band = floor((latitude + 90) * 10)::integer`
  ).execute(db);
  if (!sqlite) return;

  await dropFts(db);
  await createFts(db, NEW_FTS_COLUMNS, "tokenize='ascii', detail=column");
  await db.schema.dropIndex('directory_providers_geo').ifExists().execute();
  await db.schema
    .createIndex('directory_providers_area')
    .on('directory_providers')
    .columns([
      'visible', 'lat_band', 'longitude', 'latitude', ...FILTER_COLUMNS, 'user_id', 'display_name',
      'search_name_length', 'search_keywords_length', 'search_bio_length', 'search_terms',
    ])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  const sqlite = await isSqlite(db);
  if (sqlite) {
    await dropFts(db);
    await db.schema.dropIndex('directory_providers_area').ifExists().execute();
    await db.schema
      .createIndex('directory_providers_geo')
      .on('directory_providers')
      .columns(['visible', 'latitude', 'longitude', ...FILTER_COLUMNS, 'user_id', 'display_name'])
      .execute();
  }
  for (const [name] of NEW_COLUMNS) await db.schema.alterTable('directory_providers').dropColumn(name).execute();
  if (sqlite) await createFts(db, OLD_FTS_COLUMNS, "tokenize='porter unicode61 remove_diacritics 2'");
}
