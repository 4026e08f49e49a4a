import { sql, type Insertable, type Kysely, type RawBuilder, type Selectable, type Updateable } from 'kysely';
import { boundingBoxSqlRanges, EARTH_RADIUS_MILES, type BoundingBox, type Coordinates } from '../../../core/directory/geo';
import { BM25_B, BM25_K1, COLUMN_WEIGHTS } from '../../../core/directory/ranking';
import type { DirectorySort } from '../../../core/directory/search';
import { latitudeBandsOf } from '../../../core/directory/search-tokens';
import { termEntryPrefix, termEntryPrefixLength } from '../../../core/directory/search-text';
import type { Dialect } from '../../db/database';
import type { DB, DirectoryClinicsTable, DirectoryProvidersTable, Role } from '../../db/schema';

export type ClinicRow = Selectable<DirectoryClinicsTable>;
export type ProviderRow = Selectable<DirectoryProvidersTable>;
export type NewProviderRow = Insertable<DirectoryProvidersTable>;

// ---------- clinic listings ----------

export function findClinic(db: Kysely<DB>, organizationId: string) {
  return db.selectFrom('directory_clinics').selectAll().where('organization_id', '=', organizationId).executeTakeFirst();
}

export async function upsertClinic(db: Kysely<DB>, row: Insertable<DirectoryClinicsTable>) {
  const { organization_id: _id, created_at: _created, ...changes } = row;
  await db
    .insertInto('directory_clinics')
    .values(row)
    .onConflict((oc) => oc.column('organization_id').doUpdateSet(changes))
    .execute();
}

// ---------- clinician profiles ----------

export function findProvider(db: Kysely<DB>, userId: string) {
  return db.selectFrom('directory_providers').selectAll().where('user_id', '=', userId).executeTakeFirst();
}

export async function insertProvider(db: Kysely<DB>, row: NewProviderRow) {
  await db.insertInto('directory_providers').values(row).execute();
}

export async function updateProvider(db: Kysely<DB>, userId: string, changes: Updateable<DirectoryProvidersTable>) {
  await db.updateTable('directory_providers').set(changes).where('user_id', '=', userId).execute();
}

export function findProvidersOfOrganization(db: Kysely<DB>, organizationId: string) {
  return db.selectFrom('directory_providers').selectAll().where('organization_id', '=', organizationId).execute();
}

/** Staff accounts that can have a directory profile, with their profile if any. */
export function findClinicianAccounts(db: Kysely<DB>, organizationId: string, roles: readonly Role[], userId?: string) {
  let q = db
    .selectFrom('users as u')
    .leftJoin('directory_providers as p', 'p.user_id', 'u.id')
    .select(['u.id as account_id', 'u.display_name as account_name', 'u.role as account_role', 'u.active as account_active'])
    .selectAll('p')
    .where('u.organization_id', '=', organizationId)
    .where('u.role', 'in', [...roles]);
  if (userId) q = q.where('u.id', '=', userId);
  return q.orderBy('u.display_name').execute();
}

export function findUser(db: Kysely<DB>, userId: string) {
  return db.selectFrom('users').select(['id', 'organization_id', 'role', 'active', 'display_name']).where('id', '=', userId).executeTakeFirst();
}

// ---------- public search ----------

export type MaskColumn = 'conditions_mask' | 'approaches_mask' | 'routes_mask' | 'formats_mask' | 'languages_mask';

export interface SearchFilters {
  /** Licences expiring before this date (YYYY-MM-DD) are hidden. */
  cutoffDate: string;
  /** Each mask: the provider offers every one of these. */
  all: readonly { column: MaskColumn; mask: number }[];
  /** Any one of these credentials (0: no filter). */
  credentialsAny: number;
  flags: Partial<Record<'in_person' | 'telehealth' | 'accepting_new_patients' | 'sliding_scale' | 'superbill', boolean>>;
  licenceState?: string;
  maxFee?: number;
  organizationId?: string;
}

export interface CandidateRow {
  user_id: string;
  display_name: string;
  latitude: number;
  longitude: number;
  /** Higher is better; null without text. PostgreSQL only (ts_rank). */
  score: number | null;
}

/**
 * The WHERE clause of a search as one SQL fragment (same text on both dialects): the
 * visibility flag and bounding box first, then cheap integer and text comparisons.
 */
function filterSql(f: SearchFilters, box: BoundingBox | null): RawBuilder<unknown> {
  const p = (column: string) => sql.ref(`directory_providers.${column}`);
  const parts: RawBuilder<unknown>[] = [sql`${p('visible')} = 1`];
  if (box) {
    const ranges = boundingBoxSqlRanges(box);
    parts.push(sql`${p('latitude')} between ${ranges.latitude[0]} and ${ranges.latitude[1]}`);
    const lons = ranges.longitudes.map(([lo, hi]) => sql`${p('longitude')} between ${lo} and ${hi}`);
    parts.push(lons.length === 1 ? lons[0]! : sql`(${sql.join(lons, sql` or `)})`);
  }
  parts.push(...filterOnlySql(f));
  return sql.join(parts, sql` and `);
}

/** The filters alone (no visibility, no box). */
function filterOnlySql(f: SearchFilters): RawBuilder<unknown>[] {
  const p = (column: string) => sql.ref(`directory_providers.${column}`);
  const parts: RawBuilder<unknown>[] = [sql`${p('licence_expires_on')} >= ${f.cutoffDate}`];
  // Masks are integers the service computed from validated codes: inlined as literals
  // so the planner sees constants.
  for (const { column, mask } of f.all) {
    if (mask !== 0) parts.push(sql`(${p(column)} & ${sql.lit(mask)}) = ${sql.lit(mask)}`);
  }
  if (f.credentialsAny !== 0) parts.push(sql`(${p('credentials_mask')} & ${sql.lit(f.credentialsAny)}) <> 0`);
  for (const [column, value] of Object.entries(f.flags)) {
    if (value !== undefined) parts.push(sql`${p(column)} = ${sql.lit(value ? 1 : 0)}`);
  }
  if (f.licenceState) parts.push(sql`${p('licence_state')} = ${f.licenceState}`);
  if (f.maxFee !== undefined) parts.push(sql`${p('fee_min_usd')} <= ${f.maxFee}`);
  if (f.organizationId) parts.push(sql`${p('organization_id')} = ${f.organizationId}`);
  return parts;
}

// ---------- SQLite: the whole search in one statement ----------

const FTS_JOIN = sql`directory_provider_fts cross join directory_providers on directory_providers.seq = directory_provider_fts.rowid`;

/**
 * Whether fewer than `limit` profiles contain every stem (in the whole directory): then
 * the full-text index finds the matches faster than reading an area. Costs at most
 * `limit` doclist entries, however common the words.
 */
export async function textMatchesFewerThan(db: Kysely<DB>, fts: string, limit: number): Promise<boolean> {
  const { rows } = await sql<{ n: number }>`select count(*) as n from
    (select rowid from directory_provider_fts where directory_provider_fts match ${fts} limit ${limit})`.execute(db);
  return Number(rows[0]?.n ?? 0) < limit;
}

export interface RankedPageQuery {
  /** Query stems (core/directory/search-text.ts); empty: no text. */
  stems: readonly string[];
  /** Near a place: the box read from the index, the exact radius kept. */
  origin: { center: Coordinates; radiusMiles: number; box: BoundingBox } | null;
  sort: DirectorySort;
  /** Rare words: take the candidates from this full-text expression instead of the area index. */
  fts: string | null;
  limit: number;
  offset: number;
}

export interface RankedRow {
  user_id: string;
  /** Miles from the centre, or null without one. */
  distance: number | null;
  /** Text relevance, or null without text. */
  score: number | null;
}

const BASE36 = '0123456789abcdefghijklmnopqrstuvwxyz';

/**
 * SQLite: one page of a search, ranked in the database, with the total.
 *
 * Matches come from the covering area index (one range per 0.1° latitude band over the
 * box's longitudes, or the whole index without a place) or, for rare words, from the
 * full-text index joined by key. Each candidate's filters and words are checked inside the
 * index entry: a word is present when its ` stem:` entry is in `search_terms`, and the three
 * base-36 digits after it are its hits in name, keywords and bio (core/directory/search-text.ts).
 * Distance is the haversine formula of core/directory/geo.ts; relevance is the BM25F of
 * core/directory/ranking.ts (same constants, column lengths averaged over the matches
 * within the radius; the integration tests compare both with the core functions). Only the
 * page leaves the database: returning every match to JavaScript cost more (a few µs per
 * row) than finding it.
 */
export async function findRankedPage(db: Kysely<DB>, filters: SearchFilters, q: RankedPageQuery): Promise<{ rows: RankedRow[]; total: number }> {
  const p = (column: string) => sql.ref(`directory_providers.${column}`);
  const terms = q.stems.map((stem, i) => ({ stem, alias: sql.ref(`t${i}`), prefix: termEntryPrefix(stem), skip: termEntryPrefixLength(stem) }));
  const origin = q.origin;
  const distance = origin
    ? sql`2 * ${sql.lit(EARTH_RADIUS_MILES)} * asin(min(1, sqrt(
        pow(sin(radians(${p('latitude')} - ${origin.center.latitude}) / 2), 2)
        + cos(radians(${origin.center.latitude})) * cos(radians(${p('latitude')})) * pow(sin(radians(${p('longitude')} - ${origin.center.longitude}) / 2), 2))))`
    : sql`null`;
  const select = sql.join([
    sql`${p('user_id')} as user_id, ${p('display_name')} as display_name, ${distance} as distance`,
    sql`${p('search_name_length')} as ln, ${p('search_keywords_length')} as lk, ${p('search_bio_length')} as lb`,
    ...terms.map((t) => sql`substr(${p('search_terms')}, instr(${p('search_terms')}, ${t.prefix}) + ${t.skip}, 3) as ${t.alias}`),
  ]);
  const conditions = [...filterOnlySql(filters), ...terms.map((t) => sql`instr(${p('search_terms')}, ${t.prefix}) > 0`)];

  // The candidate rows (one statement per longitude range: two across the antimeridian).
  let sources: RawBuilder<unknown>[];
  if (q.fts) {
    const checks = [filterSql(filters, origin?.box ?? null), ...terms.map((t) => sql`instr(${p('search_terms')}, ${t.prefix}) > 0`)];
    sources = [sql`select ${select} from ${FTS_JOIN} where directory_provider_fts match ${q.fts} and ${sql.join(checks, sql` and `)}`];
  } else if (origin) {
    const ranges = boundingBoxSqlRanges(origin.box);
    const bands = latitudeBandsOf(origin.box);
    sources = ranges.longitudes.map(
      ([lo, hi]) => sql`select ${select} from directory_providers indexed by directory_providers_area
        where ${p('visible')} = 1 and ${p('lat_band')} in (${sql.join(bands)}) and ${p('longitude')} between ${lo} and ${hi}
          and ${p('latitude')} between ${ranges.latitude[0]} and ${ranges.latitude[1]} and ${sql.join(conditions, sql` and `)}`,
    );
  } else {
    sources = [sql`select ${select} from directory_providers indexed by directory_providers_area
      where ${p('visible')} = 1 and ${sql.join(conditions, sql` and `)}`];
  }

  const digit = (i: number) => (t: (typeof terms)[number]) => sql`(instr(${BASE36}, substr(${t.alias}, ${i}, 1)) - 1)`;
  const hits = (i: number) => (terms.length > 0 ? sql.join(terms.map(digit(i)), sql` + `) : sql`0`);
  const column = (h: string, len: string, avg: string, weight: number) =>
    sql`case when ${sql.ref(h)} > 0 then ${sql.lit(weight)} * ${sql.ref(h)} * ${sql.lit(BM25_K1 + 1)}
      / (${sql.ref(h)} + ${sql.lit(BM25_K1)} * (${sql.lit(1 - BM25_B)} + ${sql.lit(BM25_B)} * ${sql.ref(len)} / ${sql.ref(avg)})) else 0 end`;
  const score =
    terms.length > 0
      ? sql`${column('hn', 'ln', 'an', COLUMN_WEIGHTS.name)} + ${column('hk', 'lk', 'ak', COLUMN_WEIGHTS.keywords)} + ${column('hb', 'lb', 'ab', COLUMN_WEIGHTS.bio)}`
      : sql`null`;
  const order =
    q.sort === 'distance' || terms.length === 0
      ? sql`distance, score desc, display_name, user_id`
      : sql`score desc, distance, display_name, user_id`;
  const statement = (tail: RawBuilder<unknown>) => sql`with
    m as materialized (${sql.join(sources, sql` union all `)}),
    h as materialized (select user_id, display_name, distance, ln, lk, lb, ${hits(1)} as hn, ${hits(2)} as hk, ${hits(3)} as hb
      from m ${origin ? sql`where distance <= ${origin.radiusMiles}` : sql``}),
    a as (select count(*) as n, max(1.0, avg(ln)) as an, max(1.0, avg(lk)) as ak, max(1.0, avg(lb)) as ab from h)
    ${tail}`;
  const { rows } = await statement(
    sql`select user_id, distance, ${score} as score, a.n as total from h, a order by ${order} limit ${q.limit} offset ${q.offset}`,
  ).execute(db);
  const page = rows as (RankedRow & { total: number })[];
  if (page.length > 0) return { rows: page.map(({ user_id, distance, score }) => ({ user_id, distance, score })), total: Number(page[0]!.total) };
  // Past the last page: the total still counts.
  const count = await statement(sql`select n from a`).execute(db);
  return { rows: [], total: Number((count.rows[0] as { n: number } | undefined)?.n ?? 0) };
}

/** SQLite: a page by name of the profiles matching facet tokens (no text), with the total. */
export async function findPageByFacets(db: Kysely<DB>, fts: string, filters: SearchFilters, limit: number, offset: number) {
  const where = filterSql(filters, null);
  const [page, count] = await Promise.all([
    sql<CandidateRow>`select directory_providers.user_id, directory_providers.display_name,
        directory_providers.latitude, directory_providers.longitude, null as score
      from ${FTS_JOIN} where directory_provider_fts match ${fts} and ${where}
      order by directory_providers.display_name, directory_providers.user_id limit ${limit} offset ${offset}`.execute(db),
    sql<{ n: number }>`select count(*) as n from ${FTS_JOIN} where directory_provider_fts match ${fts} and ${where}`.execute(db),
  ]);
  return { rows: page.rows, total: Number(count.rows[0]?.n ?? 0) };
}

// ---------- PostgreSQL, and searches without text ----------

/**
 * PostgreSQL: every provider inside the bounding box that passes the filters and the
 * text (GIN tsvector index and the b-tree box, combined by the planner from its
 * statistics), with ts_rank. Without text (either dialect): the box and filters alone.
 * `@@` and ts_rank read `search_vector` from every candidate's row: migration 0010 keeps
 * it in the row, not out of line (one heap read a candidate instead of ~6), and the GIN
 * index without a pending list (the planner then takes the index for a rare word).
 */
export async function findCandidatesInBox(
  db: Kysely<DB>,
  box: BoundingBox,
  filters: SearchFilters,
  tsquery: string | null,
): Promise<CandidateRow[]> {
  const where = filterSql(filters, box);
  if (!tsquery) {
    const { rows } = await sql<CandidateRow>`select user_id, display_name, latitude, longitude, null as score
      from directory_providers where ${where}`.execute(db);
    return rows;
  }
  const { rows } = await sql<CandidateRow>`select user_id, display_name, latitude, longitude,
      ts_rank(search_vector, q) as score
    from directory_providers, to_tsquery('english', ${tsquery}) q
    where ${where} and search_vector @@ q`.execute(db);
  return rows;
}

/**
 * A page of a search without a location and without text on SQLite (by name), or any
 * search without a location on PostgreSQL (text relevance, or name), with the total.
 */
export async function findPageWithoutLocation(
  db: Kysely<DB>,
  dialect: Dialect,
  filters: SearchFilters,
  tsquery: string | null,
  limit: number,
  offset: number,
): Promise<{ rows: CandidateRow[]; total: number }> {
  const where = filterSql(filters, null);
  if (dialect === 'postgres' && tsquery) {
    const [page, count] = await Promise.all([
      sql<CandidateRow>`select user_id, display_name, latitude, longitude, ts_rank(search_vector, q) as score
        from directory_providers, to_tsquery('english', ${tsquery}) q
        where ${where} and search_vector @@ q
        order by score desc, display_name, user_id limit ${limit} offset ${offset}`.execute(db),
      sql<{ n: number }>`select count(*) as n from directory_providers, to_tsquery('english', ${tsquery}) q
        where ${where} and search_vector @@ q`.execute(db),
    ]);
    return { rows: page.rows, total: Number(count.rows[0]?.n ?? 0) };
  }
  const [page, count] = await Promise.all([
    sql<CandidateRow>`select user_id, display_name, latitude, longitude, null as score from directory_providers
      where ${where} order by display_name, user_id limit ${limit} offset ${offset}`.execute(db),
    sql<{ n: number }>`select count(*) as n from directory_providers where ${where}`.execute(db),
  ]);
  return { rows: page.rows, total: Number(count.rows[0]?.n ?? 0) };
}

/** What a result card shows: not the stored search text (term data, stems, tokens), 1–2 KB a row. */
const CARD_COLUMNS = [
  'p.user_id', 'p.organization_id', 'p.display_name', 'p.pronouns', 'p.credentials', 'p.photo_url', 'p.city', 'p.state',
  'p.conditions', 'p.approaches', 'p.routes', 'p.formats', 'p.languages', 'p.in_person', 'p.telehealth',
  'p.accepting_new_patients', 'p.fee_min_usd', 'p.fee_max_usd', 'p.sliding_scale', 'p.superbill', 'p.bio', 'p.licence_verified_at',
] as const;

/**
 * The card columns with their clinic listing, for the providers on one page of results.
 * The ids travel as one JSON array parameter, so every page size shares one SQL text (and
 * one cached prepared statement) instead of one per length of the IN list.
 */
export async function findCardsByUserIds(db: Kysely<DB>, dialect: Dialect, userIds: readonly string[]) {
  if (userIds.length === 0) return [];
  const ids = JSON.stringify(userIds);
  return db
    .selectFrom('directory_providers as p')
    .innerJoin('directory_clinics as c', 'c.organization_id', 'p.organization_id')
    .select(CARD_COLUMNS)
    .select(['c.public_name as clinic_name', 'c.city as clinic_city', 'c.state as clinic_state'])
    .where(
      'p.user_id',
      'in',
      dialect === 'postgres'
        ? sql<string>`(select jsonb_array_elements_text(${ids}::jsonb))`
        : sql<string>`(select value from json_each(${ids}))`,
    )
    .execute();
}

/**
 * The next profiles (by key, after `afterSeq`) whose stored search text was derived by
 * another version of the derivation, or never. Walks the key in order so that a pass over
 * a large directory reads each row once.
 */
export function findProvidersWithStaleSearchText(db: Kysely<DB>, version: number, afterSeq: number, limit: number) {
  return db
    .selectFrom('directory_providers')
    .select(['seq', 'user_id', 'display_name', 'search_keywords', 'bio'])
    .where('seq', '>', afterSeq)
    .where('search_version', '<>', version)
    .orderBy('seq')
    .limit(limit)
    .execute();
}

/**
 * Merges the SQLite full-text index into one segment. Searches over a fragmented index
 * cost about twice as much (see bench/README.md); a start-up compaction keeps a
 * long-running clinic's index tidy after its writes (≈1 s at 100,000 providers).
 * PostgreSQL's GIN index needs nothing of the kind.
 */
export async function compactSearchIndex(db: Kysely<DB>, dialect: 'sqlite' | 'postgres'): Promise<void> {
  if (dialect !== 'sqlite') return;
  await sql`insert into directory_provider_fts(directory_provider_fts) values ('optimize')`.execute(db);
}
