/**
 * Text relevance of a directory match, computed from the matched columns' hit counts
 * (occurrences of the query's stems) and lengths: BM25F's term-frequency saturation and
 * length normalisation per column, with column weights (name ≫ keywords > bio). The
 * counts and lengths are stored per profile when it is written (search-text.ts), so a
 * search reads three small numbers per term instead of re-reading and re-tokenizing
 * every match's text.
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

/** Column weights: a name match outranks keywords (approaches, conditions), which outrank the bio. */
export const COLUMN_WEIGHTS = { name: 10, keywords: 4, bio: 1 } as const;

export interface MatchCounts {
  /** Query-term hits in name, keywords and bio. */
  readonly hits: readonly [number, number, number];
  /** Lengths in words of name, keywords and bio. */
  readonly lengths: readonly [number, number, number];
}

/**
 * Scores a set of matches (every one contains every term: the index matched them) from
 * their per-column hit counts and lengths (stored per profile when it is written: see
 * search-text.ts), with column lengths averaged over the set.
 */
export function scoreMatches(rows: readonly MatchCounts[]): number[] {
  const n = rows.length;
  if (n === 0) return [];
  const sums = [0, 0, 0];
  for (const row of rows) for (let c = 0; c < 3; c++) sums[c]! += row.lengths[c]!;
  const avg = sums.map((s) => Math.max(1, s / n));
  const weights = [COLUMN_WEIGHTS.name, COLUMN_WEIGHTS.keywords, COLUMN_WEIGHTS.bio];
  const scores = new Array<number>(n);
  for (let r = 0; r < n; r++) {
    const { hits, lengths } = rows[r]!;
    let score = 0;
    for (let c = 0; c < 3; c++) {
      const tf = hits[c]!;
      if (tf <= 0) continue;
      const norm = 1 - BM25_B + (BM25_B * lengths[c]!) / avg[c]!;
      score += (weights[c]! * (tf * (BM25_K1 + 1))) / (tf + BM25_K1 * norm);
    }
    scores[r] = score;
  }
  return scores;
}
