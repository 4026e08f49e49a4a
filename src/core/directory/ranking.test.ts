import { describe, expect, it } from 'vitest';
import { scoreMatches, textRelevance, type MatchCounts } from './ranking';
import { hitsOfStems, queryStemsOf, searchTextColumnsOf } from './search-text';

describe('textRelevance (BM25F without IDF)', () => {
  const col = (hits: number, length = 10, averageLength = 10, weight = 1) => ({ hits, length, averageLength, weight });
  it('is 0 without hits and grows with hits, saturating', () => {
    expect(textRelevance([col(0)])).toBe(0);
    const one = textRelevance([col(1)]);
    const two = textRelevance([col(2)]);
    const ten = textRelevance([col(10)]);
    expect(two).toBeGreaterThan(one);
    expect(ten).toBeGreaterThan(two);
    expect(ten).toBeLessThan(2.2); // k1 + 1 bounds one column of weight 1
    expect(one).toBeCloseTo(1, 10); // tf 1 at average length → (k1+1)/(1+k1) = 1
  });
  it('prefers the same hits in a shorter column, and weights columns', () => {
    expect(textRelevance([col(1, 5)])).toBeGreaterThan(textRelevance([col(1, 50)]));
    expect(textRelevance([col(1, 10, 10, 10)])).toBeGreaterThan(textRelevance([col(3, 10, 10, 1)]));
  });
});

/** Counts of a profile as a search reads them: stored term data, looked up by the query's stems. */
function countsOf(p: { name: string; keywords: string; bio: string }, text: string): MatchCounts {
  const stored = searchTextColumnsOf(p);
  const hits = hitsOfStems(stored.search_terms, queryStemsOf(text));
  if (!hits) throw new Error(`${p.name} does not match ${text}`);
  return { hits, lengths: [stored.search_name_length, stored.search_keywords_length, stored.search_bio_length] };
}

describe('scoreMatches', () => {
  it('ranks a name match above keyword matches above a bio mention', () => {
    const [name, keywords, bio] = scoreMatches(
      [
        { name: 'Dr. Somatic Person', keywords: 'CBT', bio: 'I help people.' },
        { name: 'Alex Kim', keywords: 'Somatic therapy · CBT', bio: 'I help people.' },
        { name: 'Sam Lee', keywords: 'CBT', bio: 'Somatic work with people.' },
      ].map((p) => countsOf(p, 'somatic')),
    );
    expect(name!).toBeGreaterThan(keywords!);
    expect(keywords!).toBeGreaterThan(bio!);
    expect(bio!).toBeGreaterThan(0);
  });
  it('ranks more mentions higher (across word forms) and handles empty sets', () => {
    const [many, once] = scoreMatches(
      [
        { name: 'A', keywords: '', bio: 'trauma work, traumas recovery, complex trauma' },
        { name: 'B', keywords: '', bio: 'trauma work, grief recovery, complex loss' },
      ].map((p) => countsOf(p, 'trauma')),
    );
    expect(many!).toBeGreaterThan(once!);
    expect(scoreMatches([])).toEqual([]);
  });
  it('is BM25F: per-column saturation and length normalisation over the set, weighted', () => {
    const rows = [
      { name: 'Dr. Somatic Person', keywords: 'CBT · Somatic therapy', bio: 'Somatic work, somatic healing, people.' },
      { name: 'Alex Kim', keywords: 'Somatic therapy · CBT', bio: 'I help people with therapies.' },
      { name: 'Sam Lee', keywords: '', bio: 'Somatic work with people and therapies.' },
    ];
    // Hand-counted: stems "somat" and "therapi" (therapy, therapies).
    const counted = [
      { hits: [1, 2, 2], lengths: [3, 3, 5] },
      { hits: [0, 2, 1], lengths: [2, 3, 5] },
      { hits: [0, 0, 2], lengths: [2, 0, 6] },
    ];
    expect(rows.map((r) => countsOf(r, 'somatic therapy'))).toEqual(counted);
    const avg = [0, 1, 2].map((c) => Math.max(1, counted.reduce((s, r) => s + r.lengths[c]!, 0) / counted.length));
    const weights = [10, 4, 1];
    const expected = counted.map((r) => textRelevance([0, 1, 2].map((c) => ({ hits: r.hits[c]!, length: r.lengths[c]!, averageLength: avg[c]!, weight: weights[c]! }))));
    scoreMatches(counted as unknown as MatchCounts[]).forEach((s, i) => expect(s).toBeCloseTo(expected[i]!, 12));
  });
});
