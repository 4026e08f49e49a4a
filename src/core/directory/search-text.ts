/**
 * The searchable text of a directory profile, derived once when the profile is written
 * (not on every search):
 *
 * - `search_stems`: the distinct stems of name, keywords and bio, space-separated. The
 *   SQLite full-text index (FTS5, `ascii` tokenizer) indexes exactly these tokens, so it
 *   matches the same words as the term data below.
 * - `search_terms`: per distinct stem, its hit count in name, keywords and bio, as
 *   ` stem:NKB` entries (one base-36 digit per column). A search checks a term with one
 *   `instr(search_terms, ' stem:')` and reads its counts with `substr` at that position,
 *   inside the covering area index: no table row, no bio text, no JS string scanning.
 * - the three column lengths in words, for BM25F length normalisation.
 *
 * Words: runs of Unicode letters and digits, accents removed (NFKD without combining
 * marks), lower-cased, at most MAX_WORD_LENGTH characters, English words of ASCII letters
 * Porter-stemmed. Query terms go through the same function, so the index, the term data
 * and the query agree by construction.
 */
import { stemmer } from 'stemmer';
import { isStopWord, MAX_QUERY_TERMS } from './search';

/** Bumped whenever the derivation below changes: rows with another version are re-derived at start-up. */
export const SEARCH_TEXT_VERSION = 1;
/** Longer words are cut (a query term is cut the same way: searchTermsOf). */
export const MAX_WORD_LENGTH = 40;
/** Counts are one base-36 digit: BM25 saturates long before 35 hits. */
export const MAX_TERM_COUNT = 35;

const WORD = /[\p{L}\p{N}]+/gu;
const MARKS = /\p{M}+/gu;

// Stemming is pure and the vocabulary of a directory is small: a bounded memo makes
// deriving 100,000 profiles (a bulk import, a version bump) cost a map lookup per word.
const STEM_MEMO_MAX = 50_000;
const stemMemo = new Map<string, string>();

const ASCII_WORD = /^[a-z]+$/;

/** The Porter stem (the `stemmer` package: Porter 1980, as SQLite's and PostgreSQL's English stemmers). */
export function stemOf(word: string): string {
  let stem = stemMemo.get(word);
  if (stem === undefined) {
    // Porter's algorithm is defined for English words; anything else (digits, other
    // scripts, accented names) is indexed as written.
    stem = ASCII_WORD.test(word) ? stemmer(word) : word;
    if (stemMemo.size >= STEM_MEMO_MAX) stemMemo.clear();
    stemMemo.set(word, stem);
  }
  return stem;
}

/** A text's words, folded (accents removed, lower-case, cut at MAX_WORD_LENGTH), in order. */
export function foldedWordsOf(text: string | null | undefined): string[] {
  if (!text) return [];
  // Marks are removed after lower-casing: lower-casing can itself add one ("İ" → "i̇").
  const folded = text.normalize('NFKD').toLowerCase().replace(MARKS, '');
  const out: string[] = [];
  for (const match of folded.matchAll(WORD)) out.push(match[0].slice(0, MAX_WORD_LENGTH));
  return out;
}

/** The stems of a text's words, in order, repeats kept. */
export function stemsOfText(text: string | null | undefined): string[] {
  return foldedWordsOf(text).map(stemOf);
}

/**
 * The distinct stems a free-text query asks for, in order: stop words dropped, at most
 * MAX_QUERY_TERMS words (as searchTermsOf, which PostgreSQL's tsquery uses).
 */
export function queryStemsOf(text: string | undefined): string[] {
  const words: string[] = [];
  for (const word of foldedWordsOf(text)) {
    if (isStopWord(word) || words.includes(word)) continue;
    words.push(word);
    if (words.length === MAX_QUERY_TERMS) break;
  }
  return [...new Set(words.map(stemOf))];
}

export interface SearchTextColumns {
  search_stems: string;
  search_terms: string;
  search_name_length: number;
  search_keywords_length: number;
  search_bio_length: number;
  search_version: number;
}

/** The stored search text of a profile (see the file comment). */
export function searchTextColumnsOf(p: { name: string; keywords: string; bio: string }): SearchTextColumns {
  const columns = [stemsOfText(p.name), stemsOfText(p.keywords), stemsOfText(p.bio)] as const;
  const counts = new Map<string, [number, number, number]>();
  columns.forEach((stems, column) => {
    for (const stem of stems) {
      let c = counts.get(stem);
      if (!c) counts.set(stem, (c = [0, 0, 0]));
      c[column] = Math.min(MAX_TERM_COUNT, c[column]! + 1);
    }
  });
  let terms = '';
  for (const [stem, c] of counts) terms += ` ${stem}:${c.map((n) => n.toString(36)).join('')}`;
  return {
    search_stems: [...counts.keys()].join(' '),
    search_terms: terms,
    search_name_length: columns[0].length,
    search_keywords_length: columns[1].length,
    search_bio_length: columns[2].length,
    search_version: SEARCH_TEXT_VERSION,
  };
}

/** What `instr(search_terms, …)` looks for: the entry of one stem. */
export function termEntryPrefix(stem: string): string {
  return ` ${stem}:`;
}

/**
 * Where a stem's counts start in `search_terms`, counted in code points as SQLite's
 * `instr`/`substr` count characters (a letter outside the BMP is one SQL character but
 * two JS ones).
 */
export function termEntryPrefixLength(stem: string): number {
  return [...termEntryPrefix(stem)].length;
}

/** The three hit counts (name, keywords, bio) of a term from its `NKB` digits; zeros when absent. */
export function decodeTermCounts(digits: string | null | undefined): [number, number, number] {
  if (!digits || digits.length < 3) return [0, 0, 0];
  return [parseInt(digits[0]!, 36) || 0, parseInt(digits[1]!, 36) || 0, parseInt(digits[2]!, 36) || 0];
}

/**
 * The summed hit counts (name, keywords, bio) of the stems in a stored `search_terms`, or
 * null when one stem is absent (the profile does not match). What the SQL reads with
 * instr/substr, for callers holding the row.
 */
export function hitsOfStems(searchTerms: string, stems: readonly string[]): [number, number, number] | null {
  const hits: [number, number, number] = [0, 0, 0];
  for (const stem of stems) {
    const prefix = termEntryPrefix(stem);
    const at = searchTerms.indexOf(prefix);
    if (at < 0) return null;
    const [n, k, b] = decodeTermCounts(searchTerms.slice(at + prefix.length, at + prefix.length + 3));
    hits[0] += n;
    hits[1] += k;
    hits[2] += b;
  }
  return hits;
}
