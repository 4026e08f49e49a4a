import { sql, type Insertable, type Kysely, type RawBuilder, type Selectable, type Updateable } from 'kysely';
import { haversineMiles, type BoundingBox, type Coordinates } from '../../../core/directory/geo';
import { scoreMatches } from '../../../core/directory/ranking';
import { boundingBoxSqlRanges } from '../../../core/directory/geo';
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

export interface TextQuery {
  /** The search terms (for ranking). */
  terms: readonly string[];
  /** FTS5 MATCH expression (SQLite). */
  fts: string;
  /** to_tsquery expression (PostgreSQL). */
  tsquery: string;
}

export interface CandidateRow {
  user_id: string;
  display_name: string;
  latitude: number;
  longitude: number;
  /** Higher is better; null without text. */
  score: number | null;
}

/**
 * The WHERE clause of a search as one SQL fragment (same text on both dialects): the
 * visibility flag and bounding box first (served by the (visible, latitude, longitude)
 * index), then cheap integer and text comparisons on the candidate rows.
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
  parts.push(sql`${p('licence_expires_on')} >= ${f.cutoffDate}`);
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
  return sql.join(parts, sql` and `);
}

// The text columns come with each match (same row read as the filters): ranking counts
// term hits in them in JS. FTS5's highlight() would re-read and re-tokenize every match
// (measured +5 ms per query at 100k) and bm25() scans whole doclists (see ranking.ts).
const TEXT_COLUMNS = sql`directory_providers.search_keywords as tx_keywords, directory_providers.bio as tx_bio`;
type TextRow = CandidateRow & { tx_keywords: string; tx_bio: string };

/** Text score of each match (see core/directory/ranking.ts for why not bm25()). */
function scored(rows: TextRow[], terms: readonly string[]): CandidateRow[] {
  const scores = scoreMatches(
    rows.map((r) => ({ name: r.display_name, keywords: r.tx_keywords, bio: r.tx_bio })),
    terms,
  );
  return rows.map((r, i) => ({ user_id: r.user_id, display_name: r.display_name, latitude: r.latitude, longitude: r.longitude, score: scores[i]! }));
}

const FTS_JOIN = sql`directory_provider_fts cross join directory_providers on directory_providers.seq = directory_provider_fts.rowid`;

/**
 * Every provider inside the bounding box that passes the filters and the text, as slim
 * rows (id, name, coordinates, text score) for exact distance and ordering in the
 * service.
 * - Without text: one range scan of the covering (visible, latitude, longitude, filters…)
 *   index; rows outside the box or failing a filter cost no table read.
 * - SQLite with text: FTS5 first (CROSS JOIN fixes the order), with the filters and the
 *   grid cells covering the box in the MATCH expression, so FTS5 intersects doclists and
 *   returns only the matches in the area; the survivors are then checked in SQL (box,
 *   visibility, expiry, fee) by primary key. With `scoreText` (relevance sort) each
 *   match's keywords and bio come along and are scored in JS; without it (nearest first)
 *   the rows stay slim and the service scores only the page it shows.
 * - PostgreSQL with text: the GIN tsvector index and the b-tree box, combined by the
 *   planner (bitmap AND) from its statistics.
 */
export async function findCandidatesInBox(
  db: Kysely<DB>,
  dialect: Dialect,
  box: BoundingBox,
  filters: SearchFilters,
  text: TextQuery | null,
  options: { scoreText: boolean; within?: { center: Coordinates; radiusMiles: number } } = { scoreText: true },
): Promise<{ rows: CandidateRow[]; plan: string }> {
  const where = filterSql(filters, box);
  if (!text) {
    const { rows } = await sql<CandidateRow>`select user_id, display_name, latitude, longitude, null as score
      from directory_providers where ${where}`.execute(db);
    return { rows, plan: 'covering-index box' };
  }
  if (dialect === 'postgres') {
    const { rows } = await sql<CandidateRow>`select user_id, display_name, latitude, longitude,
        ts_rank(search_vector, q) as score
      from directory_providers, to_tsquery('english', ${text.tsquery}) q
      where ${where} and search_vector @@ q`.execute(db);
    return { rows, plan: 'pg gin+btree' };
  }
  if (!options.scoreText) {
    // Nearest-first: the caller scores only the page (see distanceWindow in core/directory/search.ts).
    const { rows } = await sql<CandidateRow>`select directory_providers.user_id, directory_providers.display_name,
        directory_providers.latitude, directory_providers.longitude, null as score
      from ${FTS_JOIN}
      where directory_provider_fts match ${text.fts} and ${where}`.execute(db);
    return { rows, plan: 'fts5 cells+facets, page scored' };
  }
  const { rows } = await sql<TextRow>`select directory_providers.user_id, directory_providers.display_name,
      directory_providers.latitude, directory_providers.longitude, null as score, ${TEXT_COLUMNS}
    from ${FTS_JOIN}
    where directory_provider_fts match ${text.fts} and ${where}`.execute(db);
  // The box's corners lie beyond the radius: those matches are never ranked, so not scored.
  const within = options.within;
  const inside = within ? rows.filter((r) => haversineMiles(within.center, r) <= within.radiusMiles) : rows;
  return { rows: scored(inside, text.terms), plan: 'fts5 cells+facets' };
}

/**
 * A page of a search without a location: ordered in SQL (text relevance, or name),
 * with the total. On SQLite any text or facet filter goes through the FTS5 index.
 */
export async function findPageWithoutLocation(
  db: Kysely<DB>,
  dialect: Dialect,
  filters: SearchFilters,
  query: { tsquery: string | null; fts: string | null; terms: readonly string[] },
  limit: number,
  offset: number,
): Promise<{ rows: CandidateRow[]; total: number }> {
  const where = filterSql(filters, null);
  if (dialect === 'postgres' && query.tsquery) {
    const [page, count] = await Promise.all([
      sql<CandidateRow>`select user_id, display_name, latitude, longitude, ts_rank(search_vector, q) as score
        from directory_providers, to_tsquery('english', ${query.tsquery}) q
        where ${where} and search_vector @@ q
        order by score desc, display_name, user_id limit ${limit} offset ${offset}`.execute(db),
      sql<{ n: number }>`select count(*) as n from directory_providers, to_tsquery('english', ${query.tsquery}) q
        where ${where} and search_vector @@ q`.execute(db),
    ]);
    return { rows: page.rows, total: Number(count.rows[0]?.n ?? 0) };
  }
  if (dialect === 'sqlite' && query.fts && query.tsquery) {
    // Ranking nationwide needs every match scored: the slow case, measured by the bench.
    const { rows } = await sql<TextRow>`select directory_providers.user_id, directory_providers.display_name,
        directory_providers.latitude, directory_providers.longitude, null as score, ${TEXT_COLUMNS}
      from ${FTS_JOIN} where directory_provider_fts match ${query.fts} and ${where}`.execute(db);
    const all = scored(rows, query.terms).sort(
      (a, b) => (b.score ?? 0) - (a.score ?? 0) || a.display_name.localeCompare(b.display_name) || (a.user_id < b.user_id ? -1 : 1),
    );
    return { rows: all.slice(offset, offset + limit), total: all.length };
  }
  if (dialect === 'sqlite' && query.fts) {
    const [page, count] = await Promise.all([
      sql<CandidateRow>`select directory_providers.user_id, directory_providers.display_name,
          directory_providers.latitude, directory_providers.longitude, null as score
        from ${FTS_JOIN} where directory_provider_fts match ${query.fts} and ${where}
        order by directory_providers.display_name, directory_providers.user_id limit ${limit} offset ${offset}`.execute(db),
      sql<{ n: number }>`select count(*) as n from ${FTS_JOIN} where directory_provider_fts match ${query.fts} and ${where}`.execute(db),
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

/**
 * Full rows with their clinic listing, for the providers on one page of results. The ids
 * travel as one JSON array parameter, so every page size shares one SQL text (and one
 * cached prepared statement) instead of one per length of the IN list.
 */
export async function findCardsByUserIds(db: Kysely<DB>, dialect: Dialect, userIds: readonly string[]) {
  if (userIds.length === 0) return [];
  const ids = JSON.stringify(userIds);
  return db
    .selectFrom('directory_providers as p')
    .innerJoin('directory_clinics as c', 'c.organization_id', 'p.organization_id')
    .selectAll('p')
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
 * Merges the SQLite full-text index into one segment. Searches over a fragmented index
 * cost about twice as much (see bench/README.md); a start-up compaction keeps a
 * long-running clinic's index tidy after its writes (≈1 s at 100,000 providers).
 * PostgreSQL's GIN index needs nothing of the kind.
 */
export async function compactSearchIndex(db: Kysely<DB>, dialect: 'sqlite' | 'postgres'): Promise<void> {
  if (dialect !== 'sqlite') return;
  await sql`insert into directory_provider_fts(directory_provider_fts) values ('optimize')`.execute(db);
}
