/**
 * Synthetic index tokens that let SQLite's FTS5 index answer the whole directory query
 * in one pass: grid-cell tokens for "near here" and facet tokens for the filters. A
 * query such as `depression` + PTSD + telehealth + 25 miles from 90012 becomes an AND of
 * doclists (the word, the facets, an OR of ~20 grid cells), which FTS5 intersects by
 * skipping through its doclist indexes — so a common word never makes it score tens of
 * thousands of matches outside the area (measured: bench/targets/directory-search.ts).
 *
 * Every token ends in a digit so the porter stemmer leaves it alone, and contains only
 * ASCII letters and digits so the unicode61 tokenizer keeps it whole.
 */
import { type BoundingBox, boundingBoxSqlRanges } from './geo';
import { VOCABULARIES, type VocabularyName } from './vocabulary';

/** Grid cell sizes in degrees, finest first. */
export const CELL_SIZES_DEGREES = [0.25, 1, 4, 16] as const;
/** A query uses the finest grid that covers its box in at most this many cells. */
export const MAX_QUERY_CELLS = 30;

const cellToken = (level: number, latitude: number, longitude: number) => {
  const size = CELL_SIZES_DEGREES[level]!;
  const x = Math.floor((Math.min(longitude, 179.999999) + 180) / size);
  const y = Math.floor((Math.min(latitude, 89.999999) + 90) / size);
  return `g${level}x${x}y${y}`;
};

/** The cells (one per grid level) a point lies in: what a profile is indexed with. */
export function cellTokensOfPoint(latitude: number, longitude: number): string[] {
  return CELL_SIZES_DEGREES.map((_, level) => cellToken(level, latitude, longitude));
}

/**
 * Cells that together cover the box, at the finest level needing ≤ MAX_QUERY_CELLS
 * cells (the coarsest level always answers). A superset: the exact bounding-box and
 * distance checks still follow.
 */
export function cellTokensCoveringBox(box: BoundingBox): string[] {
  const { latitude, longitudes } = boundingBoxSqlRanges(box);
  for (let level = 0; level < CELL_SIZES_DEGREES.length; level++) {
    const size = CELL_SIZES_DEGREES[level]!;
    const ys = [Math.floor((latitude[0] + 90) / size), Math.floor((Math.min(latitude[1], 89.999999) + 90) / size)] as const;
    const xRanges = longitudes.map(([lo, hi]) => [Math.floor((lo + 180) / size), Math.floor((Math.min(hi, 179.999999) + 180) / size)] as const);
    const count = (ys[1] - ys[0] + 1) * xRanges.reduce((n, [a, b]) => n + (b - a + 1), 0);
    if (count > MAX_QUERY_CELLS && level < CELL_SIZES_DEGREES.length - 1) continue;
    const tokens: string[] = [];
    for (let y = ys[0]; y <= ys[1]; y++) {
      for (const [a, b] of xRanges) for (let x = a; x <= b; x++) tokens.push(`g${level}x${x}y${y}`);
    }
    return tokens;
  }
  return [];
}

/** Latitude bands of the SQLite area index (migration 0006): 0.1° ≈ 7 miles. */
export const LATITUDE_BANDS_PER_DEGREE = 10;

/** The band a latitude is stored in: floor((latitude + 90) × 10), as migration 0006 backfills it. */
export function latitudeBandOf(latitude: number): number {
  return Math.floor((latitude + 90) * LATITUDE_BANDS_PER_DEGREE);
}

/** Every band a box's latitudes touch, south to north. */
export function latitudeBandsOf(box: BoundingBox): number[] {
  const { latitude } = boundingBoxSqlRanges(box);
  const bands: number[] = [];
  for (let b = latitudeBandOf(latitude[0]); b <= latitudeBandOf(latitude[1]); b++) bands.push(b);
  return bands;
}

const FACET_PREFIX: Record<VocabularyName, string> = {
  credentials: 'fk',
  conditions: 'fc',
  approaches: 'fa',
  routes: 'fr',
  formats: 'ff',
  languages: 'fl',
};

/** Token of one vocabulary code: its (append-only) position in the vocabulary. */
export function codeToken(vocabulary: VocabularyName, code: string): string {
  const i = VOCABULARIES[vocabulary].findIndex((e) => e.code === code);
  if (i < 0) throw new RangeError(`unknown ${vocabulary} code ${code}`);
  return `${FACET_PREFIX[vocabulary]}${i}`;
}

export type FlagName = 'inPerson' | 'telehealth' | 'acceptingNewPatients' | 'slidingScale' | 'superbill';
const FLAG_PREFIX: Record<FlagName, string> = {
  inPerson: 'fip',
  telehealth: 'fth',
  acceptingNewPatients: 'fnp',
  slidingScale: 'fss',
  superbill: 'fsb',
};

export const flagToken = (flag: FlagName, value: boolean) => `${FLAG_PREFIX[flag]}${value ? 1 : 0}`;
export const stateToken = (state: string) => `fst${state.toLowerCase()}0`;
export const organizationToken = (organizationId: string) => `fo${organizationId.toLowerCase().replace(/[^0-9a-f]/g, '')}0`;

export interface FacetSource {
  codes: Record<VocabularyName, readonly string[]>;
  flags: Record<FlagName, boolean>;
  licenceState: string;
  organizationId: string;
}

/** All facet tokens of a profile, space-separated: the indexed `search_facets` text. */
export function facetTokensOf(p: FacetSource): string {
  const tokens: string[] = [];
  for (const name of Object.keys(FACET_PREFIX) as VocabularyName[]) {
    for (const code of p.codes[name]) tokens.push(codeToken(name, code));
  }
  for (const flag of Object.keys(FLAG_PREFIX) as FlagName[]) tokens.push(flagToken(flag, p.flags[flag]));
  tokens.push(stateToken(p.licenceState), organizationToken(p.organizationId));
  return tokens.join(' ');
}

export interface FtsQueryParts {
  /** Stems of the free text (queryStemsOf in search-text.ts); matched in `search_stems`. */
  terms: readonly string[];
  /** Each must be present. */
  allTokens: readonly string[];
  /** Groups of which at least one token must be present (credentials: MD or DO). */
  anyTokenGroups: readonly (readonly string[])[];
  /** Grid cells, at least one present; empty: no location. */
  cells: readonly string[];
}

/**
 * The FTS5 MATCH expression of a whole search, or null when there is nothing for the
 * index to do. Stems are letters and digits, quoted; tokens are [a-z0-9] only: nothing a
 * person types can become FTS5 syntax.
 */
export function ftsQueryOf(q: FtsQueryParts): string | null {
  const parts: string[] = [];
  if (q.terms.length > 0) parts.push(`search_stems : (${q.terms.map((t) => `"${t.replace(/"/g, '')}"`).join(' AND ')})`);
  for (const t of q.allTokens) parts.push(`search_facets : ${t}`);
  for (const group of q.anyTokenGroups) if (group.length > 0) parts.push(`search_facets : (${group.join(' OR ')})`);
  if (q.cells.length > 0) parts.push(`search_cells : (${q.cells.join(' OR ')})`);
  return parts.length > 0 ? parts.join(' AND ') : null;
}
