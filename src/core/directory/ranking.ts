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

const isWordAt = (text: string, i: number): boolean => {
  const c = text.charCodeAt(i);
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c > 127 && NON_ASCII_WORD.test(text[i]!));
};

/** The query terms prepared for counting: their stems and the prefixes a matching word starts with. */
export interface TermMatcher {
  readonly stems: ReadonlySet<string>;
  /** A word whose lightStem is a stem starts with one of these (lightStem only cuts suffixes, or "-ies" → "-y"). */
  readonly prefixes: readonly string[];
}

export function termMatcherOf(terms: readonly string[]): TermMatcher {
  const stems = new Set(terms.map(lightStem));
  const prefixes = new Set([...stems].map((s) => (s.length > 1 && s.endsWith('y') ? s.slice(0, -1) : s)));
  return { stems, prefixes: [...prefixes] };
}

/**
 * Same result as `countTermHits(text, matcher.stems)`, without splitting the text into
 * words: the words are counted in one pass, and only the words starting with a term's
 * prefix (found by native substring search) are stemmed. Ranking runs this on every
 * match's bio, so it must not cost a string per word.
 */
export function countTermHitsFast(text: string | null, matcher: TermMatcher): { hits: number; length: number } {
  if (!text) return { hits: 0, length: 0 };
  const lower = text.toLowerCase();
  // Lower-casing that changes the length (rare: e.g. "İ") would shift word positions.
  if (lower.length !== text.length) return countTermHits(text, matcher.stems);
  let length = 0;
  let inWord = false;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    const lc = c | 32;
    const w = c < 128 ? (c >= 48 && c <= 57) || (lc >= 97 && lc <= 122) : NON_ASCII_WORD.test(text[i]!);
    if (w && !inWord) length++;
    inWord = w;
  }
  let hits = 0;
  const counted = matcher.prefixes.length > 1 ? new Set<number>() : null;
  for (const prefix of matcher.prefixes) {
    let from = 0;
    for (;;) {
      const at = lower.indexOf(prefix, from);
      if (at < 0) break;
      let end = at + prefix.length;
      if (at > 0 && isWordAt(text, at - 1)) {
        from = at + 1;
        continue;
      }
      while (end < text.length && isWordAt(text, end)) end++;
      from = end;
      if (counted?.has(at)) continue;
      if (matcher.stems.has(lightStem(lower.slice(at, end)))) {
        hits++;
        counted?.add(at);
      }
    }
  }
  return { hits, length };
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
  const matcher = termMatcherOf(terms);
  const n = rows.length;
  // Flat arrays (hits and length per column), no object per match.
  const hits = new Float64Array(n * 3);
  const lengths = new Float64Array(n * 3);
  const sums = new Float64Array(3);
  for (let r = 0; r < n; r++) {
    const row = rows[r]!;
    const texts = [row.name, row.keywords, row.bio];
    for (let c = 0; c < 3; c++) {
      const counted = countTermHitsFast(texts[c]!, matcher);
      hits[r * 3 + c] = counted.hits;
      lengths[r * 3 + c] = counted.length;
      sums[c] = sums[c]! + counted.length;
    }
  }
  const avg = [...sums].map((s) => Math.max(1, s / n));
  const weights = [COLUMN_WEIGHTS.name, COLUMN_WEIGHTS.keywords, COLUMN_WEIGHTS.bio];
  const scores = new Array<number>(n);
  for (let r = 0; r < n; r++) {
    let score = 0;
    for (let c = 0; c < 3; c++) {
      const tf = hits[r * 3 + c]!;
      if (tf <= 0) continue;
      const norm = 1 - BM25_B + (BM25_B * lengths[r * 3 + c]!) / avg[c]!;
      score += (weights[c]! * (tf * (BM25_K1 + 1))) / (tf + BM25_K1 * norm);
    }
    scores[r] = score;
  }
  return scores;
}
