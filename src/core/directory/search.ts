/**
 * Pure rules of the provider directory search: parsing filter lists, turning free text
 * into safe full-text queries for each database, who is visible, and ordering the
 * candidates that survive the database prefilter. No I/O.
 */
import { haversineMiles, type Coordinates } from './geo';
import type { VocabularyEntry } from './vocabulary';

export type DirectorySort = 'relevance' | 'distance';

export const DEFAULT_RADIUS_MILES = 25;
export const MAX_RADIUS_MILES = 250;
/** Query terms beyond this many are ignored: longer queries only slow the index down. */
export const MAX_QUERY_TERMS = 8;

export type Parsed<T> = { ok: true; value: T } | { ok: false; field: string; message: string };

/**
 * A filter given as repeated parameters and/or comma lists (`?conditions=ptsd,anxiety`),
 * checked against its vocabulary. Returns codes in vocabulary order without duplicates.
 */
export function parseCodeList(field: string, raw: readonly string[] | undefined, vocabulary: readonly VocabularyEntry[]): Parsed<string[]> {
  if (!raw) return { ok: true, value: [] };
  const wanted = new Set<string>();
  for (const part of raw.flatMap((r) => r.split(','))) {
    const code = part.trim();
    if (code === '') continue;
    const entry = vocabulary.find((e) => e.code.toLowerCase() === code.toLowerCase());
    if (!entry) {
      return { ok: false, field, message: `${field}: "${code.slice(0, 40)}" is not one of ${vocabulary.map((e) => e.code).join(', ')}` };
    }
    wanted.add(entry.code);
  }
  return { ok: true, value: vocabulary.filter((e) => wanted.has(e.code)).map((e) => e.code) };
}

// Words that carry no meaning in a provider search; FTS5 has no stop list of its own.
const STOP_WORDS = new Set([
  'a', 'an', 'and', 'are', 'as', 'at', 'be', 'by', 'for', 'from', 'i', 'in', 'is', 'it', 'me', 'my', 'near', 'of', 'on',
  'or', 'the', 'to', 'who', 'with',
]);

export const isStopWord = (word: string): boolean => STOP_WORDS.has(word);

/**
 * Search terms of free text: lower-cased letters and digits only (so nothing the
 * person types can become query syntax), stop words dropped, at most MAX_QUERY_TERMS.
 */
export function searchTermsOf(text: string | undefined): string[] {
  if (!text) return [];
  const terms: string[] = [];
  for (const raw of text.normalize('NFKC').toLowerCase().split(/[^\p{L}\p{N}]+/u)) {
    if (raw === '' || STOP_WORDS.has(raw) || terms.includes(raw)) continue;
    terms.push(raw.slice(0, 40));
    if (terms.length === MAX_QUERY_TERMS) break;
  }
  return terms;
}

/**
 * The same terms for PostgreSQL's `to_tsquery('english', …)`: every term must match.
 * (The SQLite expression is built by ftsQueryOf in search-tokens.ts.) No prefix
 * matching on either database: stemming covers word forms, and prefix expansion of a
 * short common stem is the slowest query an FTS index can be asked.
 */
export function tsQueryExpression(terms: readonly string[]): string | null {
  if (terms.length === 0) return null;
  return terms.join(' & ');
}

/**
 * The last calendar date (YYYY-MM-DD) on which a licence expiring that day is still
 * current at `now`: the date at UTC−12 ("anywhere on Earth"), so a licence valid
 * through a date is never hidden while that date is still running in any US zone.
 */
export function licenceCutoffDate(now: Date): string {
  return new Date(now.getTime() - 12 * 3600_000).toISOString().slice(0, 10);
}

export type LicenceStatus = 'verified' | 'unverified' | 'expired';

export function licenceStatus(expiresOn: string, verifiedAt: string | null, now: Date): LicenceStatus {
  if (expiresOn < licenceCutoffDate(now)) return 'expired';
  return verifiedAt ? 'verified' : 'unverified';
}

/** Whether a profile may appear in public search at all (expiry is checked at query time). */
export function isProfileVisible(p: { listed: boolean; clinicListed: boolean; licenceVerified: boolean; accountActive: boolean }): boolean {
  return p.listed && p.clinicListed && p.licenceVerified && p.accountActive;
}

export interface DirectoryCandidate {
  readonly id: string;
  readonly latitude: number;
  readonly longitude: number;
  readonly name: string;
  /** Full-text relevance, higher is better; null when the search had no text. */
  readonly textScore: number | null;
}

export interface RankedCandidate<T extends DirectoryCandidate> {
  readonly candidate: T;
  /** Miles from the search centre, or null without one. */
  readonly distanceMiles: number | null;
}

/**
 * The candidates the database prefilter returned (bounding box, filters, text), with
 * exact great-circle distance: those beyond the radius dropped, then ordered.
 * - `distance`: nearest first; ties by text relevance, then name.
 * - `relevance`: best text match first; ties (or no text) by distance, then name.
 * Ties end with the id so pages are stable.
 */
export function rankCandidates<T extends DirectoryCandidate>(
  candidates: readonly T[],
  options: { center: Coordinates | null; radiusMiles: number; sort: DirectorySort },
): RankedCandidate<T>[] {
  const { center, radiusMiles, sort } = options;
  const ranked: RankedCandidate<T>[] = [];
  for (const candidate of candidates) {
    if (!center) {
      ranked.push({ candidate, distanceMiles: null });
      continue;
    }
    const d = haversineMiles(center, candidate);
    if (d <= radiusMiles) ranked.push({ candidate, distanceMiles: d });
  }
  const byDistance = (a: RankedCandidate<T>, b: RankedCandidate<T>) => (a.distanceMiles ?? 0) - (b.distanceMiles ?? 0);
  const byText = (a: RankedCandidate<T>, b: RankedCandidate<T>) => (b.candidate.textScore ?? 0) - (a.candidate.textScore ?? 0);
  const byName = (a: RankedCandidate<T>, b: RankedCandidate<T>) =>
    a.candidate.name.localeCompare(b.candidate.name) || (a.candidate.id < b.candidate.id ? -1 : a.candidate.id > b.candidate.id ? 1 : 0);
  ranked.sort(sort === 'distance' ? (a, b) => byDistance(a, b) || byText(a, b) || byName(a, b) : (a, b) => byText(a, b) || byDistance(a, b) || byName(a, b));
  return ranked;
}

/** Distance as shown to people: one decimal under 10 miles, whole miles above. */
export function roundDistance(miles: number): number {
  return miles < 10 ? Math.round(miles * 10) / 10 : Math.round(miles);
}

/** The first `max` characters of a bio, cut at a word boundary, with an ellipsis. */
export function excerptOf(text: string, max = 220): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= max) return flat;
  const cut = flat.slice(0, max);
  const space = cut.lastIndexOf(' ');
  return `${(space > max * 0.6 ? cut.slice(0, space) : cut).replace(/[\s,.;:]+$/, '')}…`;
}

/**
 * The indexed keyword text of a profile: the labels (not codes) of everything a person
 * might type — "EMDR", "PTSD and trauma", "Spanish", "IV infusion" — plus the licence
 * type, the clinic's name and the city.
 */
export function searchKeywordsOf(parts: {
  labels: readonly string[];
  licenceType: string;
  clinicName: string;
  city: string;
}): string {
  return [...parts.labels, parts.licenceType, parts.clinicName, parts.city].filter((s) => s.trim() !== '').join(' · ');
}
