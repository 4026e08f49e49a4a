import zipcodes from 'zipcodes';
import { boundingBoxForRadius, type BoundingBox, type Coordinates } from '../../../core/directory/geo';
import { queryStemsOf, searchTextColumnsOf, SEARCH_TEXT_VERSION } from '../../../core/directory/search-text';
import {
  DEFAULT_RADIUS_MILES,
  excerptOf,
  isProfileVisible,
  licenceCutoffDate,
  licenceStatus,
  parseCodeList,
  rankCandidates,
  roundDistance,
  searchKeywordsOf,
  searchTermsOf,
  tsQueryExpression,
  type DirectorySort,
} from '../../../core/directory/search';
import {
  cellTokensCoveringBox,
  cellTokensOfPoint,
  codeToken,
  facetTokensOf,
  flagToken,
  ftsQueryOf,
  latitudeBandOf,
  organizationToken,
  stateToken,
  type FlagName,
} from '../../../core/directory/search-tokens';
import {
  APPROACHES,
  CONDITIONS,
  CREDENTIALS,
  FORMATS,
  KETAMINE_ROUTES,
  LANGUAGES,
  labelOf,
  maskOf,
  normalizeCodes,
  VOCABULARIES,
  type VocabularyEntry,
} from '../../../core/directory/vocabulary';
import type {
  AddressBody,
  ClinicListing,
  ClinicListingBody,
  ClinicPage,
  DirectorySearchQuery,
  DirectorySearchResult,
  ManagedProvider,
  ProviderCard,
  ProviderProfile,
  ProviderProfileBody,
  PublicAddress,
  PublicClinic,
} from '../../../core/schemas/directory.schema';
import type { Kysely } from 'kysely';
import type { DB, Role } from '../../db/schema';
import type { Deps } from '../../deps';
import { AppError } from '../../http/errors';
import type { RequestMeta, SessionActor } from '../auth/auth.service';
import * as repo from './directory.repository';

/** Staff roles that can have a public profile. */
export const LISTABLE_ROLES: readonly Role[] = ['therapist', 'prescriber', 'nurse', 'clinic_admin'];

const json = (codes: readonly string[]) => JSON.stringify(codes);
const parseJson = (text: string): string[] => {
  const v: unknown = JSON.parse(text);
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
};

// ---------- locations ----------

/** A US ZIP code's centroid from the `zipcodes` data package, or null when unknown. */
export function zipCentroid(zip: string): (Coordinates & { label: string }) | null {
  const five = zip.trim().slice(0, 5);
  if (!/^[0-9]{5}$/.test(five)) return null;
  const hit = zipcodes.lookup(five);
  if (!hit || hit.country !== 'US') return null;
  return { latitude: hit.latitude, longitude: hit.longitude, label: `${five} (${hit.city}, ${hit.state})` };
}

function resolveAddress(a: AddressBody, field: string): PublicAddress {
  const hasLat = a.latitude !== undefined && a.latitude !== null;
  const hasLng = a.longitude !== undefined && a.longitude !== null;
  if (hasLat !== hasLng) {
    const missing = hasLat ? 'longitude' : 'latitude';
    throw new AppError('validation', `Give both latitude and longitude, or neither to use the ZIP code's centre`, { field: `${field}.${missing}` });
  }
  let latitude = a.latitude ?? null;
  let longitude = a.longitude ?? null;
  if (latitude === null || longitude === null) {
    const c = zipCentroid(a.postalCode);
    if (!c) throw new AppError('validation', `${a.postalCode} is not a known US ZIP code`, { field: `${field}.postalCode` });
    latitude = c.latitude;
    longitude = c.longitude;
  }
  const clean = (s: string | null | undefined) => (s && s.trim() !== '' ? s.trim() : null);
  return {
    addressLine1: a.addressLine1.trim(),
    addressLine2: clean(a.addressLine2),
    city: a.city.trim(),
    state: a.state,
    postalCode: a.postalCode,
    latitude,
    longitude,
  };
}

// ---------- DTOs ----------

type CardRow = Awaited<ReturnType<typeof repo.findCardsByUserIds>>[number];

function toCard(row: CardRow, distanceMiles: number | null): ProviderCard {
  return {
    id: row.user_id,
    displayName: row.display_name,
    pronouns: row.pronouns,
    credentials: parseJson(row.credentials),
    photoUrl: row.photo_url,
    clinic: { id: row.organization_id, name: row.clinic_name, city: row.clinic_city, state: row.clinic_state },
    city: row.city,
    state: row.state,
    distanceMiles: distanceMiles === null ? null : roundDistance(distanceMiles),
    conditions: parseJson(row.conditions),
    approaches: parseJson(row.approaches),
    routes: parseJson(row.routes),
    formats: parseJson(row.formats),
    languages: parseJson(row.languages),
    inPerson: row.in_person === 1,
    telehealth: row.telehealth === 1,
    acceptingNewPatients: row.accepting_new_patients === 1,
    feeMinUsd: row.fee_min_usd,
    feeMaxUsd: row.fee_max_usd,
    slidingScale: row.sliding_scale === 1,
    superbill: row.superbill === 1,
    bioExcerpt: excerptOf(row.bio),
    licenceVerifiedOn: (row.licence_verified_at ?? '').slice(0, 10),
  };
}

function toPublicClinic(c: repo.ClinicRow): PublicClinic {
  return {
    id: c.organization_id,
    name: c.public_name,
    description: c.description,
    address: {
      addressLine1: c.address_line1,
      addressLine2: c.address_line2,
      city: c.city,
      state: c.state,
      postalCode: c.postal_code,
      latitude: c.latitude,
      longitude: c.longitude,
    },
    phone: c.phone,
    website: c.website,
    email: c.email,
    telehealthStates: parseJson(c.telehealth_states),
    photoUrl: c.photo_url,
  };
}

// ---------- public search ----------

function codesFor(field: string, raw: readonly string[] | undefined, vocabulary: readonly VocabularyEntry[]): string[] {
  const parsed = parseCodeList(field, raw, vocabulary);
  if (!parsed.ok) throw new AppError('validation', parsed.message, { field: parsed.field });
  return parsed.value;
}

function filtersOf(query: DirectorySearchQuery, now: Date): repo.SearchFilters {
  const all: repo.SearchFilters['all'] = [
    { column: 'conditions_mask', mask: maskOf(CONDITIONS, codesFor('conditions', query.conditions, CONDITIONS)) },
    { column: 'approaches_mask', mask: maskOf(APPROACHES, codesFor('approaches', query.approaches, APPROACHES)) },
    { column: 'routes_mask', mask: maskOf(KETAMINE_ROUTES, codesFor('routes', query.routes, KETAMINE_ROUTES)) },
    { column: 'formats_mask', mask: maskOf(FORMATS, codesFor('formats', query.formats, FORMATS)) },
    { column: 'languages_mask', mask: maskOf(LANGUAGES, codesFor('languages', query.languages, LANGUAGES)) },
  ];
  const flags: repo.SearchFilters['flags'] = {
    in_person: query.inPerson,
    telehealth: query.telehealthState ? true : query.telehealth,
    accepting_new_patients: query.acceptingNewPatients,
    sliding_scale: query.slidingScale,
    superbill: query.superbill,
  };
  if (query.telehealthState && query.licenceState && query.telehealthState !== query.licenceState) {
    throw new AppError('validation', 'telehealthState and licenceState name different states; choose one', { field: 'telehealthState' });
  }
  return {
    cutoffDate: licenceCutoffDate(now),
    all,
    credentialsAny: maskOf(CREDENTIALS, codesFor('credentials', query.credentials, CREDENTIALS)),
    flags,
    ...(query.telehealthState || query.licenceState ? { licenceState: query.telehealthState ?? query.licenceState } : {}),
    ...(query.maxFee !== undefined ? { maxFee: query.maxFee } : {}),
    ...(query.clinicId ? { organizationId: query.clinicId } : {}),
  };
}

/** The filters as FTS5 facet tokens (SQLite); the same filters also run in SQL on the survivors. */
function facetTokensOfQuery(query: DirectorySearchQuery, filters: repo.SearchFilters): { allTokens: string[]; anyTokenGroups: string[][] } {
  const allTokens: string[] = [];
  const vocab = [
    ['conditions', query.conditions],
    ['approaches', query.approaches],
    ['routes', query.routes],
    ['formats', query.formats],
    ['languages', query.languages],
  ] as const;
  for (const [name, raw] of vocab) {
    for (const code of codesFor(name, raw, VOCABULARIES[name])) allTokens.push(codeToken(name, code));
  }
  const flagColumns: Record<FlagName, keyof repo.SearchFilters['flags']> = {
    inPerson: 'in_person',
    telehealth: 'telehealth',
    acceptingNewPatients: 'accepting_new_patients',
    slidingScale: 'sliding_scale',
    superbill: 'superbill',
  };
  for (const [flag, column] of Object.entries(flagColumns) as [FlagName, keyof repo.SearchFilters['flags']][]) {
    const value = filters.flags[column];
    if (value !== undefined) allTokens.push(flagToken(flag, value));
  }
  if (filters.licenceState) allTokens.push(stateToken(filters.licenceState));
  if (filters.organizationId) allTokens.push(organizationToken(filters.organizationId));
  const credentials = codesFor('credentials', query.credentials, CREDENTIALS).map((c) => codeToken('credentials', c));
  return { allTokens, anyTokenGroups: credentials.length > 0 ? [credentials] : [] };
}

function originOf(query: DirectorySearchQuery): (Coordinates & { label: string }) | null {
  const hasLat = query.lat !== undefined;
  const hasLng = query.lng !== undefined;
  if (query.zip !== undefined && query.zip.trim() !== '') {
    if (hasLat || hasLng) throw new AppError('validation', 'Search from a ZIP code or from coordinates, not both', { field: 'zip' });
    if (!/^[0-9]{5}(-[0-9]{4})?$/.test(query.zip.trim())) {
      throw new AppError('validation', 'zip must be a 5-digit US ZIP code', { field: 'zip' });
    }
    const c = zipCentroid(query.zip);
    if (!c) throw new AppError('validation', `${query.zip.trim()} is not a known US ZIP code`, { field: 'zip' });
    return c;
  }
  if (hasLat !== hasLng) {
    throw new AppError('validation', 'Give both lat and lng', { field: hasLat ? 'lng' : 'lat' });
  }
  if (hasLat && hasLng) return { latitude: query.lat!, longitude: query.lng!, label: `${query.lat!.toFixed(4)}, ${query.lng!.toFixed(4)}` };
  return null;
}

export interface SearchDiagnostics {
  plan: string;
  candidates: number;
}

export interface SearchOptions {
  /** Filled with the plan taken and the number of matches. */
  diagnostics?: SearchDiagnostics;
  /** Overrides RARE_TEXT_MATCHES (tests compare both SQLite plans on small data). */
  rareTextMatches?: number;
}

/**
 * Below this many profiles containing every word (in the whole directory), SQLite finds
 * the matches through the full-text index; otherwise it reads the area (or, without a
 * location, the whole area index) and checks the words in each entry. The probe reads
 * at most this many doclist entries.
 */
export const RARE_TEXT_MATCHES = 1000;

type Facets = ReturnType<typeof facetTokensOfQuery>;

/**
 * The plan choice (rare or not) per set of words, remembered for a minute per database.
 * The probe costs ~0.4 ms for a common word, a twentieth of a search, and both plans
 * return the same results (the integration tests compare them), so a choice made before
 * the directory changed only costs speed, never a wrong result.
 */
const RARITY_MEMO_MS = 60_000;
const RARITY_MEMO_MAX = 1_000;
const rarityMemo = new WeakMap<Kysely<DB>, Map<string, { rare: boolean; at: number }>>();

async function wordsAreRare(db: Kysely<DB>, textOnly: string, rareTextMatches: number, now: Date): Promise<boolean> {
  let memo = rarityMemo.get(db);
  if (!memo) rarityMemo.set(db, (memo = new Map()));
  const key = `${rareTextMatches} ${textOnly}`;
  const remembered = memo.get(key);
  const age = remembered ? now.getTime() - remembered.at : -1;
  // (A clock set back makes the age negative: probe again.)
  if (remembered && age >= 0 && age < RARITY_MEMO_MS) return remembered.rare;
  const rare = await repo.textMatchesFewerThan(db, textOnly, rareTextMatches);
  memo.delete(key);
  if (memo.size >= RARITY_MEMO_MAX) memo.delete(memo.keys().next().value!);
  memo.set(key, { rare, at: now.getTime() });
  return rare;
}

/** SQLite: the full-text expression to take candidates from when the words are rare, else null (read the area). */
async function rareWordsFullText(
  db: Kysely<DB>,
  stems: readonly string[],
  facets: Facets,
  box: BoundingBox | null,
  rareTextMatches: number,
  now: Date,
): Promise<string | null> {
  if (stems.length === 0 || rareTextMatches <= 0) return null;
  const textOnly = ftsQueryOf({ terms: stems, allTokens: [], anyTokenGroups: [], cells: [] })!;
  if (!(await wordsAreRare(db, textOnly, rareTextMatches, now))) return null;
  return ftsQueryOf({ ...facets, terms: stems, cells: box ? cellTokensCoveringBox(box) : [] });
}

export async function searchProviders(deps: Deps, query: DirectorySearchQuery, options: SearchOptions = {}): Promise<DirectorySearchResult> {
  const { diagnostics } = options;
  const now = deps.now();
  const origin = originOf(query);
  const filters = filtersOf(query, now);
  const sort: DirectorySort = query.sort ?? (origin ? 'distance' : 'relevance');
  if (sort === 'distance' && !origin) {
    throw new AppError('validation', 'Sorting by distance needs a ZIP code or coordinates', { field: 'sort' });
  }
  const facets = facetTokensOfQuery(query, filters);
  const limit = query.limit ?? 20;
  const offset = query.offset ?? 0;
  const dialect = deps.database.dialect;
  let radiusMiles = query.radius ?? DEFAULT_RADIUS_MILES;

  let pageIds: { id: string; distanceMiles: number | null }[];
  let total: number;
  const note = (plan: string, candidates: number) => {
    if (diagnostics) {
      diagnostics.plan = plan;
      diagnostics.candidates = candidates;
    }
  };
  if (dialect === 'sqlite') {
    const stems = queryStemsOf(query.q);
    if (origin || stems.length > 0) {
      const box = origin ? boundingBoxForRadius(origin, radiusMiles) : null;
      const fts = await rareWordsFullText(deps.db, stems, facets, box, options.rareTextMatches ?? RARE_TEXT_MATCHES, now);
      const page = await repo.findRankedPage(deps.db, filters, {
        stems,
        origin: origin && box ? { center: origin, radiusMiles, box } : null,
        sort,
        fts,
        limit,
        offset,
      });
      note(fts ? 'fts5 (rare words), ranked in SQL' : origin ? 'area index, ranked in SQL' : 'area index (whole directory), ranked in SQL', page.total);
      if (!origin) radiusMiles = 0;
      total = page.total;
      pageIds = page.rows.map((r) => ({ id: r.user_id, distanceMiles: r.distance }));
    } else {
      radiusMiles = 0;
      const fts = ftsQueryOf({ ...facets, terms: [], cells: [] });
      const page = fts
        ? await repo.findPageByFacets(deps.db, fts, filters, limit, offset)
        : await repo.findPageWithoutLocation(deps.db, dialect, filters, null, limit, offset);
      note(fts ? 'fts5 facets, by name' : 'by name', page.rows.length);
      total = page.total;
      pageIds = page.rows.map((r) => ({ id: r.user_id, distanceMiles: null }));
    }
  } else {
    const tsquery = tsQueryExpression(searchTermsOf(query.q));
    if (origin) {
      const box = boundingBoxForRadius(origin, radiusMiles);
      const rows = await repo.findCandidatesInBox(deps.db, box, filters, tsquery);
      note('pg gin+btree', rows.length);
      const ranked = rankCandidates(
        rows.map((r) => ({ id: r.user_id, name: r.display_name, latitude: r.latitude, longitude: r.longitude, textScore: r.score === null ? null : Number(r.score) })),
        { center: origin, radiusMiles, sort },
      );
      total = ranked.length;
      pageIds = ranked.slice(offset, offset + limit).map((r) => ({ id: r.candidate.id, distanceMiles: r.distanceMiles }));
    } else {
      radiusMiles = 0;
      const page = await repo.findPageWithoutLocation(deps.db, dialect, filters, tsquery, limit, offset);
      note('pg', page.rows.length);
      total = page.total;
      pageIds = page.rows.map((r) => ({ id: r.user_id, distanceMiles: null }));
    }
  }
  const cards = new Map((await repo.findCardsByUserIds(deps.db, dialect, pageIds.map((p) => p.id))).map((r) => [r.user_id, r]));
  const items = pageIds.flatMap((p) => {
    const row = cards.get(p.id);
    return row ? [toCard(row, p.distanceMiles)] : [];
  });
  return {
    items,
    total,
    limit,
    offset,
    sort,
    origin: origin ? { latitude: origin.latitude, longitude: origin.longitude, label: origin.label, radiusMiles } : null,
  };
}

async function loadVisibleProvider(db: Kysely<DB>, userId: string, now: Date) {
  const row = await repo.findProvider(db, userId);
  if (!row || row.visible !== 1 || licenceStatus(row.licence_expires_on, row.licence_verified_at, now) !== 'verified') return null;
  return row;
}

export async function getProvider(deps: Deps, userId: string): Promise<ProviderProfile> {
  const row = await loadVisibleProvider(deps.db, userId, deps.now());
  const clinic = row ? await repo.findClinic(deps.db, row.organization_id) : undefined;
  if (!row || !clinic || clinic.listed !== 1) throw new AppError('not_found', 'This provider is not listed in the directory');
  return {
    id: row.user_id,
    displayName: row.display_name,
    pronouns: row.pronouns,
    credentials: parseJson(row.credentials),
    photoUrl: row.photo_url,
    city: row.city,
    state: row.state,
    conditions: parseJson(row.conditions),
    approaches: parseJson(row.approaches),
    routes: parseJson(row.routes),
    formats: parseJson(row.formats),
    languages: parseJson(row.languages),
    inPerson: row.in_person === 1,
    telehealth: row.telehealth === 1,
    acceptingNewPatients: row.accepting_new_patients === 1,
    feeMinUsd: row.fee_min_usd,
    feeMaxUsd: row.fee_max_usd,
    slidingScale: row.sliding_scale === 1,
    superbill: row.superbill === 1,
    licenceVerifiedOn: (row.licence_verified_at ?? '').slice(0, 10),
    bio: row.bio,
    licence: {
      type: row.licence_type,
      number: row.licence_number,
      state: row.licence_state,
      expiresOn: row.licence_expires_on,
      verifiedOn: (row.licence_verified_at ?? '').slice(0, 10),
    },
    location: {
      addressLine1: row.address_line1,
      addressLine2: row.address_line2,
      city: row.city,
      state: row.state,
      postalCode: row.postal_code,
      latitude: row.latitude,
      longitude: row.longitude,
    },
    clinic: toPublicClinic(clinic),
  };
}

export async function getClinic(deps: Deps, organizationId: string): Promise<ClinicPage> {
  const clinic = await repo.findClinic(deps.db, organizationId);
  if (!clinic || clinic.listed !== 1) throw new AppError('not_found', 'This clinic is not listed in the directory');
  const result = await searchProviders(deps, { clinicId: organizationId, limit: 50 });
  return { ...toPublicClinic(clinic), providers: result.items };
}

// ---------- clinic admin editing ----------

function requireDirectoryAdmin(actor: SessionActor): void {
  if (actor.role !== 'clinic_admin') throw new AppError('forbidden', 'Only clinic admins can edit the directory listing');
}

function toListing(c: repo.ClinicRow): ClinicListing {
  return { ...toPublicClinic(c), listed: c.listed === 1, updatedAt: c.updated_at };
}

export async function getClinicListing(deps: Deps, actor: SessionActor): Promise<ClinicListing> {
  requireDirectoryAdmin(actor);
  const c = await repo.findClinic(deps.db, actor.organizationId);
  if (!c) throw new AppError('not_found', 'Your clinic has no directory listing yet');
  return toListing(c);
}

const ALL_LABELS = (p: { credentials: string[]; conditions: string[]; approaches: string[]; routes: string[]; formats: string[]; languages: string[] }) => [
  ...p.credentials.map((c) => labelOf(CREDENTIALS, c)),
  ...p.approaches.map((c) => labelOf(APPROACHES, c)),
  ...p.conditions.map((c) => labelOf(CONDITIONS, c)),
  ...p.routes.map((c) => labelOf(KETAMINE_ROUTES, c)),
  ...p.formats.map((c) => labelOf(FORMATS, c)),
  ...p.languages.map((c) => labelOf(LANGUAGES, c)),
];

function keywordsOfRow(row: repo.ProviderRow, clinicName: string): string {
  return searchKeywordsOf({
    labels: ALL_LABELS({
      credentials: parseJson(row.credentials),
      conditions: parseJson(row.conditions),
      approaches: parseJson(row.approaches),
      routes: parseJson(row.routes),
      formats: parseJson(row.formats),
      languages: parseJson(row.languages),
    }),
    licenceType: row.licence_type,
    clinicName,
    city: row.city,
  });
}

/** Re-derive what each profile takes from its clinic (visibility, keywords, location) after the listing changed. */
async function refreshProvidersOfClinic(trx: Kysely<DB>, clinic: repo.ClinicRow, at: string): Promise<void> {
  const rows = await repo.findProvidersOfOrganization(trx, clinic.organization_id);
  for (const row of rows) {
    const user = await repo.findUser(trx, row.user_id);
    const location =
      row.uses_clinic_location === 1
        ? {
            address_line1: clinic.address_line1,
            address_line2: clinic.address_line2,
            city: clinic.city,
            state: clinic.state,
            postal_code: clinic.postal_code,
            latitude: clinic.latitude,
            longitude: clinic.longitude,
          }
        : {};
    const merged = { ...row, ...location };
    const keywords = keywordsOfRow(merged, clinic.public_name);
    await repo.updateProvider(trx, row.user_id, {
      ...location,
      lat_band: latitudeBandOf(merged.latitude),
      ...searchTextColumnsOf({ name: merged.display_name, keywords, bio: merged.bio }),
      visible: isProfileVisible({
        listed: row.listed === 1,
        clinicListed: clinic.listed === 1,
        licenceVerified: row.licence_verified_at !== null,
        accountActive: user?.active === 1,
      })
        ? 1
        : 0,
      search_keywords: keywords,
      search_cells: cellTokensOfPoint(merged.latitude, merged.longitude).join(' '),
      updated_at: at,
    });
  }
}

/** The stored row of a clinic listing (coordinates from the body or the ZIP centroid). */
export function clinicRowOf(organizationId: string, body: ClinicListingBody, createdAt: string, at: string): repo.ClinicRow {
  const address = resolveAddress(body.address, 'address');
  const clean = (s: string | null | undefined) => (s && s.trim() !== '' ? s.trim() : null);
  return {
    organization_id: organizationId,
    listed: body.listed ? 1 : 0,
    public_name: body.publicName.trim(),
    description: body.description.trim(),
    address_line1: address.addressLine1,
    address_line2: address.addressLine2,
    city: address.city,
    state: address.state,
    postal_code: address.postalCode,
    latitude: address.latitude,
    longitude: address.longitude,
    phone: body.phone.trim(),
    website: clean(body.website),
    email: clean(body.email)?.toLowerCase() ?? null,
    telehealth_states: json([...body.telehealthStates].sort()),
    photo_url: clean(body.photoUrl),
    created_at: createdAt,
    updated_at: at,
  };
}

export async function putClinicListing(deps: Deps, actor: SessionActor, body: ClinicListingBody, meta: RequestMeta): Promise<ClinicListing> {
  requireDirectoryAdmin(actor);
  resolveAddress(body.address, 'address'); // 400 before the transaction
  const at = deps.now().toISOString();
  const publicName = body.publicName.trim();
  if (!publicName) throw new AppError('validation', 'publicName is required', { field: 'publicName' });
  const created = await deps.db.transaction().execute(async (trx) => {
    const existing = await repo.findClinic(trx, actor.organizationId);
    await repo.upsertClinic(trx, clinicRowOf(actor.organizationId, body, existing?.created_at ?? at, at));
    const clinic = await repo.findClinic(trx, actor.organizationId);
    await refreshProvidersOfClinic(trx, clinic!, at);
    return !existing;
  });
  await deps.audit.record({
    organizationId: actor.organizationId,
    actorUserId: actor.userId,
    actorRole: actor.role,
    patientId: null,
    resource: 'directory.clinic',
    action: created ? 'create' : 'update',
    outcome: 'allowed',
    detail: { organizationId: actor.organizationId, listed: body.listed },
    ...meta,
  });
  return getClinicListing(deps, actor);
}

type AccountRow = Awaited<ReturnType<typeof repo.findClinicianAccounts>>[number];

function toManaged(a: AccountRow, now: Date, clinicListed: boolean): ManagedProvider {
  if (a.user_id === null || a.display_name === null) {
    return { userId: a.account_id, accountName: a.account_name, role: a.account_role, accountActive: a.account_active === 1, profile: null };
  }
  // The left join makes every profile column nullable in the type; a profile row has them all.
  const p = a as unknown as repo.ProviderRow & AccountRow;
  const status = licenceStatus(p.licence_expires_on, p.licence_verified_at, now);
  return {
    userId: a.account_id,
    accountName: a.account_name,
    role: a.account_role,
    accountActive: a.account_active === 1,
    profile: {
      listed: p.listed === 1,
      displayName: p.display_name,
      pronouns: p.pronouns,
      credentials: parseJson(p.credentials) as ManagedProviderProfile['credentials'],
      licenceType: p.licence_type,
      licenceNumber: p.licence_number,
      licenceState: p.licence_state as ManagedProviderProfile['licenceState'],
      licenceExpiresOn: p.licence_expires_on,
      conditions: parseJson(p.conditions) as ManagedProviderProfile['conditions'],
      approaches: parseJson(p.approaches) as ManagedProviderProfile['approaches'],
      routes: parseJson(p.routes) as ManagedProviderProfile['routes'],
      formats: parseJson(p.formats) as ManagedProviderProfile['formats'],
      inPerson: p.in_person === 1,
      telehealth: p.telehealth === 1,
      languages: parseJson(p.languages) as ManagedProviderProfile['languages'],
      feeMinUsd: p.fee_min_usd,
      feeMaxUsd: p.fee_max_usd,
      slidingScale: p.sliding_scale === 1,
      superbill: p.superbill === 1,
      acceptingNewPatients: p.accepting_new_patients === 1,
      bio: p.bio,
      photoUrl: p.photo_url,
      usesClinicLocation: p.uses_clinic_location === 1,
      location: {
        addressLine1: p.address_line1,
        addressLine2: p.address_line2,
        city: p.city,
        state: p.state,
        postalCode: p.postal_code,
        latitude: p.latitude,
        longitude: p.longitude,
      },
      licenceStatus: status,
      licenceVerifiedAt: p.licence_verified_at,
      searchable: p.visible === 1 && status === 'verified' && clinicListed,
      updatedAt: p.updated_at,
    },
  };
}
type ManagedProviderProfile = NonNullable<ManagedProvider['profile']>;

export async function listManagedProviders(deps: Deps, actor: SessionActor): Promise<ManagedProvider[]> {
  requireDirectoryAdmin(actor);
  const [rows, clinic] = await Promise.all([
    repo.findClinicianAccounts(deps.db, actor.organizationId, LISTABLE_ROLES),
    repo.findClinic(deps.db, actor.organizationId),
  ]);
  const now = deps.now();
  return rows.map((r) => toManaged(r, now, clinic?.listed === 1));
}

async function loadManaged(db: Kysely<DB>, actor: SessionActor, userId: string, now: Date): Promise<ManagedProvider> {
  const [rows, clinic] = await Promise.all([
    repo.findClinicianAccounts(db, actor.organizationId, LISTABLE_ROLES, userId),
    repo.findClinic(db, actor.organizationId),
  ]);
  const row = rows[0];
  // Another clinic's clinician does not exist for this admin: 404, not 403.
  if (!row) throw new AppError('not_found', 'No clinician with this id in your clinic');
  return toManaged(row, now, clinic?.listed === 1);
}

export function getManagedProvider(deps: Deps, actor: SessionActor, userId: string): Promise<ManagedProvider> {
  requireDirectoryAdmin(actor);
  return loadManaged(deps.db, actor, userId, deps.now());
}

function assertRealDate(field: string, value: string): void {
  const d = new Date(`${value}T00:00:00Z`);
  if (Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== value) {
    throw new AppError('validation', `${field} is not a real calendar date`, { field });
  }
}

async function assertListableAccount(trx: Kysely<DB>, actor: SessionActor, userId: string) {
  const user = await repo.findUser(trx, userId);
  if (!user || user.organization_id !== actor.organizationId) throw new AppError('not_found', 'No clinician with this id in your clinic');
  if (!LISTABLE_ROLES.includes(user.role)) {
    throw new AppError('validation', 'Only clinicians (therapists, prescribers, nurses) and clinic admins can have a directory profile', { field: 'userId' });
  }
  return user;
}

/**
 * The stored row of a profile: codes normalised, masks and keywords derived, visibility
 * decided. Used by the admin editor, the demo seed and the benchmark seed alike.
 */
export function providerRowOf(input: {
  userId: string;
  organizationId: string;
  body: ProviderProfileBody;
  location: PublicAddress;
  usesClinicLocation: boolean;
  clinic: Pick<repo.ClinicRow, 'listed' | 'public_name'> | null;
  accountActive: boolean;
  verification: { at: string; by: string | null } | null;
  at: string;
}): Omit<repo.NewProviderRow, 'created_at'> {
  const { body, location } = input;
  const codes = {
    credentials: normalizeCodes(CREDENTIALS, body.credentials),
    conditions: normalizeCodes(CONDITIONS, body.conditions),
    approaches: normalizeCodes(APPROACHES, body.approaches),
    routes: normalizeCodes(KETAMINE_ROUTES, body.routes),
    formats: normalizeCodes(FORMATS, body.formats),
    languages: normalizeCodes(LANGUAGES, body.languages),
  };
  const licenceType = body.licenceType.trim();
  const displayName = body.displayName.trim();
  const bio = body.bio.trim();
  const keywords = searchKeywordsOf({ labels: ALL_LABELS(codes), licenceType, clinicName: input.clinic?.public_name ?? '', city: location.city });
  return {
    user_id: input.userId,
    organization_id: input.organizationId,
    listed: body.listed ? 1 : 0,
    visible: isProfileVisible({
      listed: body.listed,
      clinicListed: input.clinic?.listed === 1,
      licenceVerified: input.verification !== null,
      accountActive: input.accountActive,
    })
      ? 1
      : 0,
    display_name: displayName,
    pronouns: body.pronouns?.trim() || null,
    credentials: json(codes.credentials),
    credentials_mask: maskOf(CREDENTIALS, codes.credentials),
    licence_type: licenceType,
    licence_number: body.licenceNumber.trim().toUpperCase(),
    licence_state: body.licenceState,
    licence_expires_on: body.licenceExpiresOn,
    licence_verified_at: input.verification?.at ?? null,
    licence_verified_by: input.verification?.by ?? null,
    conditions: json(codes.conditions),
    conditions_mask: maskOf(CONDITIONS, codes.conditions),
    approaches: json(codes.approaches),
    approaches_mask: maskOf(APPROACHES, codes.approaches),
    routes: json(codes.routes),
    routes_mask: maskOf(KETAMINE_ROUTES, codes.routes),
    formats: json(codes.formats),
    formats_mask: maskOf(FORMATS, codes.formats),
    languages: json(codes.languages),
    languages_mask: maskOf(LANGUAGES, codes.languages),
    in_person: body.inPerson ? 1 : 0,
    telehealth: body.telehealth ? 1 : 0,
    accepting_new_patients: body.acceptingNewPatients ? 1 : 0,
    fee_min_usd: body.feeMinUsd ?? null,
    fee_max_usd: body.feeMaxUsd ?? null,
    sliding_scale: body.slidingScale ? 1 : 0,
    superbill: body.superbill ? 1 : 0,
    bio,
    photo_url: body.photoUrl?.trim() || null,
    uses_clinic_location: input.usesClinicLocation ? 1 : 0,
    address_line1: location.addressLine1,
    address_line2: location.addressLine2,
    city: location.city,
    state: location.state,
    postal_code: location.postalCode,
    latitude: location.latitude,
    longitude: location.longitude,
    search_keywords: keywords,
    search_facets: facetTokensOf({
      codes,
      flags: {
        inPerson: body.inPerson,
        telehealth: body.telehealth,
        acceptingNewPatients: body.acceptingNewPatients,
        slidingScale: body.slidingScale,
        superbill: body.superbill,
      },
      licenceState: body.licenceState,
      organizationId: input.organizationId,
    }),
    search_cells: cellTokensOfPoint(location.latitude, location.longitude).join(' '),
    ...searchTextColumnsOf({ name: displayName, keywords, bio }),
    lat_band: latitudeBandOf(location.latitude),
    updated_at: input.at,
  };
}

/**
 * Before serving: re-derives the stored search text of profiles written by another
 * version of the derivation (after migration 0006, or a change to the stemmer), then, on
 * SQLite, merges the full-text index into one segment (searches over a fragmented index
 * cost more; ≈1 s at 100,000 providers). PostgreSQL's GIN index needs no compaction.
 */
export async function prepareSearchIndex(db: Kysely<DB>, dialect: 'sqlite' | 'postgres'): Promise<{ rederived: number }> {
  let rederived = 0;
  let afterSeq = 0;
  for (;;) {
    const stale = await repo.findProvidersWithStaleSearchText(db, SEARCH_TEXT_VERSION, afterSeq, 500);
    if (stale.length === 0) break;
    afterSeq = Number(stale[stale.length - 1]!.seq);
    await db.transaction().execute(async (trx) => {
      for (const row of stale) {
        await repo.updateProvider(trx, row.user_id, searchTextColumnsOf({ name: row.display_name, keywords: row.search_keywords, bio: row.bio }));
      }
    });
    rederived += stale.length;
  }
  await repo.compactSearchIndex(db, dialect);
  return { rederived };
}

/** A clinic listing's address as a provider's location. */
export function clinicLocation(c: repo.ClinicRow): PublicAddress {
  return toPublicClinic(c).address;
}

export async function putProviderProfile(
  deps: Deps,
  actor: SessionActor,
  userId: string,
  body: ProviderProfileBody,
  meta: RequestMeta,
): Promise<ManagedProvider> {
  requireDirectoryAdmin(actor);
  assertRealDate('licenceExpiresOn', body.licenceExpiresOn);
  if (!body.inPerson && !body.telehealth) {
    throw new AppError('validation', 'A listed clinician sees people in person, by telehealth, or both', { field: 'inPerson' });
  }
  const feeMin = body.feeMinUsd ?? null;
  const feeMax = body.feeMaxUsd ?? null;
  if (feeMin !== null && feeMax !== null && feeMax < feeMin) {
    throw new AppError('validation', 'feeMaxUsd must be at least feeMinUsd', { field: 'feeMaxUsd' });
  }
  if (feeMin === null && feeMax !== null) throw new AppError('validation', 'Give the lowest fee too', { field: 'feeMinUsd' });
  const displayName = body.displayName.trim();
  if (!displayName) throw new AppError('validation', 'displayName is required', { field: 'displayName' });
  const ownLocation = body.location ? resolveAddress(body.location, 'location') : null;
  const at = deps.now().toISOString();

  const outcome = await deps.db.transaction().execute(async (trx) => {
    const user = await assertListableAccount(trx, actor, userId);
    const clinic = await repo.findClinic(trx, actor.organizationId);
    if (!ownLocation && !clinic) {
      throw new AppError('validation', "Publish the clinic's listing first, or give this clinician's own practice address", { field: 'location' });
    }
    const location: PublicAddress = ownLocation ?? clinicLocation(clinic!);
    const existing = await repo.findProvider(trx, userId);
    const licenceNumber = body.licenceNumber.trim().toUpperCase();
    // A changed licence is a different licence: it needs verifying again.
    const licenceChanged =
      !existing ||
      existing.licence_type !== body.licenceType.trim() ||
      existing.licence_number !== licenceNumber ||
      existing.licence_state !== body.licenceState ||
      existing.licence_expires_on !== body.licenceExpiresOn;
    const row = providerRowOf({
      userId,
      organizationId: actor.organizationId,
      body,
      location,
      usesClinicLocation: !ownLocation,
      clinic: clinic ?? null,
      accountActive: user.active === 1,
      verification: licenceChanged ? null : existing.licence_verified_at ? { at: existing.licence_verified_at, by: existing.licence_verified_by } : null,
      at,
    });
    if (existing) await repo.updateProvider(trx, userId, row);
    else await repo.insertProvider(trx, { ...row, created_at: at });
    return { created: !existing, verificationCleared: licenceChanged && existing?.licence_verified_at != null };
  });
  await deps.audit.record({
    organizationId: actor.organizationId,
    actorUserId: actor.userId,
    actorRole: actor.role,
    patientId: null,
    resource: 'directory.provider',
    action: outcome.created ? 'create' : 'update',
    outcome: 'allowed',
    detail: { userId, listed: body.listed, licenceVerificationCleared: outcome.verificationCleared },
    ...meta,
  });
  return loadManaged(deps.db, actor, userId, deps.now());
}

/** The clinic admin attests today that they checked the licence with the state board. */
export async function setLicenceVerification(
  deps: Deps,
  actor: SessionActor,
  userId: string,
  verified: boolean,
  meta: RequestMeta,
): Promise<ManagedProvider> {
  requireDirectoryAdmin(actor);
  const now = deps.now();
  const at = now.toISOString();
  await deps.db.transaction().execute(async (trx) => {
    const user = await assertListableAccount(trx, actor, userId);
    const row = await repo.findProvider(trx, userId);
    if (!row) throw new AppError('not_found', 'Write this clinician’s directory profile before verifying the licence');
    if (verified && licenceStatus(row.licence_expires_on, null, now) === 'expired') {
      throw new AppError('validation', 'This licence has expired; update the expiry date from the renewed licence first', { field: 'licenceExpiresOn' });
    }
    const clinic = await repo.findClinic(trx, actor.organizationId);
    await repo.updateProvider(trx, userId, {
      licence_verified_at: verified ? at : null,
      licence_verified_by: verified ? actor.userId : null,
      visible: isProfileVisible({ listed: row.listed === 1, clinicListed: clinic?.listed === 1, licenceVerified: verified, accountActive: user.active === 1 }) ? 1 : 0,
      updated_at: at,
    });
  });
  await deps.audit.record({
    organizationId: actor.organizationId,
    actorUserId: actor.userId,
    actorRole: actor.role,
    patientId: null,
    resource: 'directory.licence_verification',
    action: verified ? 'create' : 'delete',
    outcome: 'allowed',
    detail: { userId },
    ...meta,
  });
  return loadManaged(deps.db, actor, userId, now);
}
