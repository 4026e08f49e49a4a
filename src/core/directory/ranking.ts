/**
 * Text relevance of a directory match, computed from the matched columns' hit counts
 * (query terms counted in the column text with a light stemmer) and lengths: BM25F's
 * term-frequency saturation and length normalisation per column, with column weights
 * (name ≫ keywords > bio).
 *
 * Why not FTS5's own bm25(): it derives each query phrase's IDF by scanning that phrase's
 * whole doclist on every query — for a word in 90 % of 100,000 profiles, plus the facet
 * and grid-cell phrases of the filters, that alone cost more than the 10 ms budget
 * (bench/targets/directory-search.ts). Matching is AND (every result contains every
 * term), so IDF would only re-weight terms that all results share; dropping it changes
 * little in the order and removes the only cost that grows with the directory.
 */

export const BM25_K1 = 1.2;
export const BM25_B = 0.75;

export interface ColumnHits {
  /** Matched term occurrences in the column. */
  readonly hits: number;
  /** Column length in words. */
  readonly length: number;
  /** Average length of the column over the scored set (≥ 1). */
  readonly averageLength: number;
  readonly weight: number;
}

/** Σ weight · tf·(k1+1) / (tf + k1·(1 − b + b·len/avg)); 0 when nothing matched. */
export function textRelevance(columns: readonly ColumnHits[], k1 = BM25_K1, b = BM25_B): number {
  let score = 0;
  for (const c of columns) {
    if (c.hits <= 0) continue;
    const norm = 1 - b + (b * c.length) / Math.max(1, c.averageLength);
    score += (c.weight * (c.hits * (k1 + 1))) / (c.hits + k1 * norm);
  }
  return score;
}

/**
 * A light English stem for counting term frequency in ranking (matching itself is the
 * database's, with the porter stemmer): lower-case, common inflections removed, so
 * "survivors"/"survivor", "therapies"/"therapy", "healing"/"heal" count as the same word.
 */
export function lightStem(word: string): string {
  let w = word.toLowerCase();
  if (w.length > 4 && w.endsWith('ies')) return `${w.slice(0, -3)}y`;
  for (const suffix of ['ations', 'ation', 'ings', 'ing', 'ness', 'ions', 'ion', 'ed', 'es', 'ly', 's']) {
    if (w.length - suffix.length >= 4 && w.endsWith(suffix)) {
      w = w.slice(0, -suffix.length);
      break;
    }
  }
  return w;
}

const NON_ASCII_WORD = /[\p{L}\p{N}\p{M}]/u;

/** Words of a text: runs of letters and digits (what the FTS tokenizer indexes). */
export function wordsOf(text: string | null): string[] {
  if (!text) return [];
  const out: string[] = [];
  let start = -1;
  for (let i = 0; i <= text.length; i++) {
    const c = i < text.length ? text.charCodeAt(i) : 32;
    // ASCII letters and digits on the fast path; beyond ASCII, Unicode letters and numbers.
    const isWord = (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c > 127 && NON_ASCII_WORD.test(text[i]!));
    if (isWord && start < 0) start = i;
    else if (!isWord && start >= 0) {
      out.push(text.slice(start, i));
      start = -1;
    }
  }
  return out;
}

/** Occurrences of any of the stemmed terms among the words, and the word count. */
export function countTermHits(text: string | null, stems: ReadonlySet<string>): { hits: number; length: number } {
  const words = wordsOf(text);
  let hits = 0;
  for (const w of words) if (stems.has(lightStem(w))) hits++;
  return { hits, length: words.length };
}

/** Column weights: a name match outranks keywords (approaches, conditions), which outrank the bio. */
export const COLUMN_WEIGHTS = { name: 10, keywords: 4, bio: 1 } as const;

/**
 * Scores a set of matches (every one contains every term: the database matched them)
 * from their name, keywords and bio, with column lengths averaged over the set.
 */
export function scoreMatches(
  rows: readonly { name: string | null; keywords: string | null; bio: string | null }[],
  terms: readonly string[],
): number[] {
  if (rows.length === 0) return [];
  const stems = new Set(terms.map(lightStem));
  const counted = rows.map((r) => [countTermHits(r.name, stems), countTermHits(r.keywords, stems), countTermHits(r.bio, stems)] as const);
  const avg = [0, 1, 2].map((i) => Math.max(1, counted.reduce((s, c) => s + c[i]!.length, 0) / rows.length));
  const weights = [COLUMN_WEIGHTS.name, COLUMN_WEIGHTS.keywords, COLUMN_WEIGHTS.bio];
  return counted.map((cols) =>
    textRelevance(cols.map((c, i) => ({ hits: c.hits, length: c.length, averageLength: avg[i]!, weight: weights[i]! }))),
  );
}
