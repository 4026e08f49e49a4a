import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  decodeTermCounts,
  foldedWordsOf,
  hitsOfStems,
  MAX_TERM_COUNT,
  queryStemsOf,
  searchTextColumnsOf,
  stemsOfText,
  termEntryPrefix,
  termEntryPrefixLength,
} from './search-text';

describe('words and stems', () => {
  it('splits on anything but letters and digits, removes accents, lower-cases', () => {
    expect(foldedWordsOf('IV infusion · PTSD/trauma, 12-step; Tomás 治疗 İstanbul')).toEqual(['iv', 'infusion', 'ptsd', 'trauma', '12', 'step', 'tomas', '治疗', 'istanbul']);
    expect(foldedWordsOf(null)).toEqual([]);
    expect(stemsOfText('Survivors of depressive episodes')).toEqual(['survivor', 'of', 'depress', 'episod']);
  });
  it('queries: stop words dropped, stems distinct, same folding as profiles', () => {
    expect(queryStemsOf('Therapist for the survivors and SURVIVOR')).toEqual(['therapist', 'survivor']);
    expect(queryStemsOf('  ')).toEqual([]);
    expect(queryStemsOf('"somatic" OR NEAR(ortiz*:')).toEqual(['somat', 'ortiz']);
  });
});

describe('searchTextColumnsOf (stored once per profile)', () => {
  const stored = searchTextColumnsOf({ name: 'Dr. Lena Ortiz, MD', keywords: 'Trauma · Somatic therapy', bio: 'Trauma survivors; trauma-informed somatic care.' });
  it('stores distinct stems for the full-text index and counts per column', () => {
    expect(stored.search_stems.split(' ')).toEqual(['dr', 'lena', 'ortiz', 'md', 'trauma', 'somat', 'therapi', 'survivor', 'inform', 'care']);
    expect(stored.search_terms).toContain(' trauma:012');
    expect(stored.search_terms).toContain(' somat:011');
    expect(stored.search_terms).toContain(' ortiz:100');
    expect([stored.search_name_length, stored.search_keywords_length, stored.search_bio_length]).toEqual([4, 3, 6]);
  });
  it('reads summed hits back per query, or null when a stem is missing', () => {
    expect(hitsOfStems(stored.search_terms, queryStemsOf('traumatic somatic'))).toBeNull();
    expect(hitsOfStems(stored.search_terms, queryStemsOf('trauma somatic'))).toEqual([0, 2, 3]);
    // An entry is found only whole: "trauma" is not "traumat…", "care" is not "career".
    expect(hitsOfStems(stored.search_terms, ['traum'])).toBeNull();
    expect(hitsOfStems(' career:001', ['care'])).toBeNull();
  });
  it('caps counts at one base-36 digit', () => {
    const many = searchTextColumnsOf({ name: 'X', keywords: '', bio: 'ketamine '.repeat(50) });
    expect(hitsOfStems(many.search_terms, ['ketamin'])).toEqual([0, 0, MAX_TERM_COUNT]);
    expect(many.search_bio_length).toBe(50);
    expect(decodeTermCounts('00z')).toEqual([0, 0, 35]);
    expect(decodeTermCounts(null)).toEqual([0, 0, 0]);
  });
  it('counts prefix lengths in code points, as SQLite does', () => {
    expect(termEntryPrefix('ab')).toBe(' ab:');
    expect(termEntryPrefixLength('ab')).toBe(4);
    expect(termEntryPrefixLength('𠀀x')).toBe(4); // one astral letter is one SQL character
  });
  it('every word of a profile is found by a query for it, with its count (property)', () => {
    const word = fc.constantFrom('therapy', 'therapies', 'Trauma', 'traumas', 'Tomás', 'tomas', '治疗', 'b12', 'integration', 'integrative', 'a', 'é');
    const text = fc.array(word, { maxLength: 30 }).map((ws) => ws.join(' '));
    fc.assert(
      fc.property(text, text, text, word, (name, keywords, bio, q) => {
        const stored = searchTextColumnsOf({ name, keywords, bio });
        const stems = queryStemsOf(q);
        const hits = hitsOfStems(stored.search_terms, stems);
        const count = (t: string) => Math.min(MAX_TERM_COUNT, stemsOfText(t).filter((s) => stems.includes(s)).length);
        const expected: [number, number, number] = [count(name), count(keywords), count(bio)];
        if (stems.length === 0) return;
        if (expected.every((n) => n === 0)) expect(hits).toBeNull();
        else expect(hits).toEqual(expected);
        // The full-text index holds exactly the distinct stems.
        expect(new Set(stored.search_stems.split(' ').filter(Boolean))).toEqual(new Set(stemsOfText(`${name} ${keywords} ${bio}`)));
      }),
      { numRuns: 500 },
    );
  });
});
