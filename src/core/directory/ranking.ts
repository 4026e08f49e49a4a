/**
 * Text relevance of a directory match, computed from the matched columns' hit counts
 * (from FTS5 `highlight()`, which reads position lists only) and lengths: BM25F's
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

/** Number of highlighted occurrences (`open` markers) in a `highlight()` result. */
export function countMarked(text: string | null, open: string): number {
  if (!text) return 0;
  let n = 0;
  for (let i = text.indexOf(open); i !== -1; i = text.indexOf(open, i + open.length)) n++;
  return n;
}

/** Length in words, as the unicode61 tokenizer roughly counts them. */
export function wordCount(text: string | null): number {
  if (!text) return 0;
  const m = text.match(/[\p{L}\p{N}]+/gu);
  return m ? m.length : 0;
}

/** Column weights: a name match outranks keywords (approaches, conditions), which outrank the bio. */
export const COLUMN_WEIGHTS = { name: 10, keywords: 4, bio: 1 } as const;

/**
 * Scores a set of matches from their highlighted columns (averages over the set).
 */
export function scoreHighlightedMatches(
  rows: readonly { name: string | null; keywords: string | null; bio: string | null }[],
  open: string,
): number[] {
  if (rows.length === 0) return [];
  const lengths = rows.map((r) => [wordCount(r.name), wordCount(r.keywords), wordCount(r.bio)] as const);
  const avg = [0, 1, 2].map((i) => Math.max(1, lengths.reduce((s, l) => s + l[i]!, 0) / rows.length));
  const weights = [COLUMN_WEIGHTS.name, COLUMN_WEIGHTS.keywords, COLUMN_WEIGHTS.bio];
  return rows.map((r, k) =>
    textRelevance(
      [r.name, r.keywords, r.bio].map((text, i) => ({ hits: countMarked(text, open), length: lengths[k]![i]!, averageLength: avg[i]!, weight: weights[i]! })),
    ),
  );
}
