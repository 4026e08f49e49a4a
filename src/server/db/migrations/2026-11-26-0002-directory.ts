import { sql, type Kysely } from 'kysely';

// Frozen in time: this migration never imports application code.
//
// The public provider directory: clinic listings and clinician profiles. Search indexes
// differ by dialect (each database gets its own full-text and bounding-box objects):
// - SQLite: an FTS5 external-content table kept in sync by triggers (bm25 ranking) and a
//   b-tree on (visible, latitude, longitude).
// - PostgreSQL: a stored generated tsvector column with a GIN index, and the same b-tree.

async function isSqlite(db: Kysely<any>): Promise<boolean> {
  // The adapter tells the dialect without running a query that could abort a
  // PostgreSQL transaction.
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
  const sqlite = await isSqlite(db);

  await db.schema
    .createTable('directory_clinics')
    .addColumn('organization_id', 'text', (c) => c.primaryKey().references('organizations.id'))
    .addColumn('listed', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('public_name', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('address_line1', 'text', (c) => c.notNull())
    .addColumn('address_line2', 'text')
    .addColumn('city', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('postal_code', 'text', (c) => c.notNull())
    .addColumn('latitude', 'double precision', (c) => c.notNull())
    .addColumn('longitude', 'double precision', (c) => c.notNull())
    .addColumn('phone', 'text', (c) => c.notNull())
    .addColumn('website', 'text')
    .addColumn('email', 'text')
    /** JSON array of USPS state codes. */
    .addColumn('telehealth_states', 'text', (c) => c.notNull())
    .addColumn('photo_url', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('directory_clinics_listed').on('directory_clinics').columns(['listed', 'state']).execute();

  let providers = db.schema.createTable('directory_providers');
  providers = sqlite
    ? providers.addColumn('seq', 'integer', (c) => c.primaryKey()) // rowid alias: the FTS5 content rowid
    : providers.addColumn('seq', 'bigint', (c) => c.primaryKey().generatedByDefaultAsIdentity());
  providers = providers
    .addColumn('user_id', 'text', (c) => c.notNull().unique().references('users.id'))
    .addColumn('organization_id', 'text', (c) => c.notNull().references('organizations.id'))
    .addColumn('listed', 'integer', (c) => c.notNull().defaultTo(0))
    /** listed ∧ clinic listed ∧ licence verified ∧ account active; expiry is checked at query time. */
    .addColumn('visible', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('display_name', 'text', (c) => c.notNull())
    .addColumn('pronouns', 'text')
    .addColumn('credentials', 'text', (c) => c.notNull())
    .addColumn('credentials_mask', 'integer', (c) => c.notNull())
    .addColumn('licence_type', 'text', (c) => c.notNull())
    .addColumn('licence_number', 'text', (c) => c.notNull())
    .addColumn('licence_state', 'text', (c) => c.notNull())
    .addColumn('licence_expires_on', 'text', (c) => c.notNull())
    .addColumn('licence_verified_at', 'text')
    .addColumn('licence_verified_by', 'text')
    .addColumn('conditions', 'text', (c) => c.notNull())
    .addColumn('conditions_mask', 'integer', (c) => c.notNull())
    .addColumn('approaches', 'text', (c) => c.notNull())
    .addColumn('approaches_mask', 'integer', (c) => c.notNull())
    .addColumn('routes', 'text', (c) => c.notNull())
    .addColumn('routes_mask', 'integer', (c) => c.notNull())
    .addColumn('formats', 'text', (c) => c.notNull())
    .addColumn('formats_mask', 'integer', (c) => c.notNull())
    .addColumn('languages', 'text', (c) => c.notNull())
    .addColumn('languages_mask', 'integer', (c) => c.notNull())
    .addColumn('in_person', 'integer', (c) => c.notNull())
    .addColumn('telehealth', 'integer', (c) => c.notNull())
    .addColumn('accepting_new_patients', 'integer', (c) => c.notNull())
    .addColumn('fee_min_usd', 'integer')
    .addColumn('fee_max_usd', 'integer')
    .addColumn('sliding_scale', 'integer', (c) => c.notNull())
    .addColumn('superbill', 'integer', (c) => c.notNull())
    .addColumn('bio', 'text', (c) => c.notNull())
    .addColumn('photo_url', 'text')
    .addColumn('uses_clinic_location', 'integer', (c) => c.notNull())
    .addColumn('address_line1', 'text', (c) => c.notNull())
    .addColumn('address_line2', 'text')
    .addColumn('city', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('postal_code', 'text', (c) => c.notNull())
    .addColumn('latitude', 'double precision', (c) => c.notNull())
    .addColumn('longitude', 'double precision', (c) => c.notNull())
    /** Labels of credentials, approaches, conditions, routes, languages and the clinic name: indexed text. */
    .addColumn('search_keywords', 'text', (c) => c.notNull())
    /** Filter tokens (conditions, routes, flags, state, clinic…) and grid-cell tokens, for the FTS5 index. */
    .addColumn('search_facets', 'text', (c) => c.notNull())
    .addColumn('search_cells', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull());
  if (!sqlite) {
    // Weighted: name (A) above keywords such as approaches and conditions (B) above the bio (C).
    providers = providers.addColumn('search_vector', sql`tsvector`, (c) =>
      c
        .generatedAlwaysAs(
          sql`setweight(to_tsvector('english', coalesce(display_name, '')), 'A') ||
              setweight(to_tsvector('english', coalesce(search_keywords, '')), 'B') ||
              setweight(to_tsvector('english', coalesce(bio, '')), 'C')`,
        )
        .stored(),
    );
  }
  await providers.execute();

  await db.schema.createIndex('directory_providers_org').on('directory_providers').columns(['organization_id']).execute();
  // Bounding-box prefilter: equality on visible, range on latitude; longitude and every
  // filter column are checked inside the index (covering), so rows outside the box or
  // failing a filter never cost a table read.
  await db.schema
    .createIndex('directory_providers_geo')
    .on('directory_providers')
    .columns([
      'visible', 'latitude', 'longitude', 'licence_expires_on', 'conditions_mask', 'approaches_mask', 'routes_mask',
      'formats_mask', 'languages_mask', 'credentials_mask', 'in_person', 'telehealth', 'accepting_new_patients',
      'sliding_scale', 'superbill', 'fee_min_usd', 'licence_state', 'organization_id', 'user_id', 'display_name',
    ])
    .execute();
  // Listing without a location, by name.
  await db.schema.createIndex('directory_providers_name').on('directory_providers').columns(['visible', 'display_name']).execute();

  if (sqlite) {
    await sql`create virtual table directory_provider_fts using fts5(
      display_name, search_keywords, bio, search_facets, search_cells,
      content='directory_providers', content_rowid='seq',
      tokenize='porter unicode61 remove_diacritics 2'
    )`.execute(db);
    await sql`create trigger directory_providers_fts_insert after insert on directory_providers begin
      insert into directory_provider_fts(rowid, display_name, search_keywords, bio, search_facets, search_cells)
      values (new.seq, new.display_name, new.search_keywords, new.bio, new.search_facets, new.search_cells);
    end`.execute(db);
    await sql`create trigger directory_providers_fts_delete after delete on directory_providers begin
      insert into directory_provider_fts(directory_provider_fts, rowid, display_name, search_keywords, bio, search_facets, search_cells)
      values ('delete', old.seq, old.display_name, old.search_keywords, old.bio, old.search_facets, old.search_cells);
    end`.execute(db);
    await sql`create trigger directory_providers_fts_update after update of display_name, search_keywords, bio, search_facets, search_cells on directory_providers begin
      insert into directory_provider_fts(directory_provider_fts, rowid, display_name, search_keywords, bio, search_facets, search_cells)
      values ('delete', old.seq, old.display_name, old.search_keywords, old.bio, old.search_facets, old.search_cells);
      insert into directory_provider_fts(rowid, display_name, search_keywords, bio, search_facets, search_cells)
      values (new.seq, new.display_name, new.search_keywords, new.bio, new.search_facets, new.search_cells);
    end`.execute(db);
  } else {
    await sql`create index directory_providers_search on directory_providers using gin (search_vector)`.execute(db);
  }

  // A deactivated account leaves the directory at once, whichever code path deactivates it.
  // Same rule as the service's isProfileVisible: listed, clinic listed, licence verified, active.
  const recompute = (userRef: string, activeRef: string) => sql.raw(`update directory_providers set visible =
      case when ${activeRef} = 1 and listed = 1 and licence_verified_at is not null
        and exists (select 1 from directory_clinics c where c.organization_id = directory_providers.organization_id and c.listed = 1)
      then 1 else 0 end
    where user_id = ${userRef}`);
  if (sqlite) {
    await sql`create trigger users_directory_visibility after update of active on users begin
      ${recompute('new.id', 'new.active')};
    end`.execute(db);
  } else {
    await sql`create function directory_visibility_of_user() returns trigger language plpgsql as $$
      begin
        ${recompute('new.id', 'new.active')};
        return new;
      end $$`.execute(db);
    await sql`create trigger users_directory_visibility after update of active on users
      for each row execute function directory_visibility_of_user()`.execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  if (!(await isSqlite(db))) {
    await sql`drop trigger if exists users_directory_visibility on users`.execute(db);
    await sql`drop function if exists directory_visibility_of_user()`.execute(db);
  } else {
    await sql`drop trigger if exists users_directory_visibility`.execute(db);
    await sql`drop trigger if exists directory_providers_fts_update`.execute(db);
    await sql`drop trigger if exists directory_providers_fts_delete`.execute(db);
    await sql`drop trigger if exists directory_providers_fts_insert`.execute(db);
    await sql`drop table if exists directory_provider_fts`.execute(db);
  }
  await db.schema.dropTable('directory_providers').ifExists().execute();
  await db.schema.dropTable('directory_clinics').ifExists().execute();
}
