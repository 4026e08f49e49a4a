import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { countTermHits, countTermHitsFast, lightStem, scoreMatches, termMatcherOf, textRelevance, wordsOf } from './ranking';

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

describe('light stemming and word counting', () => {
  it('folds common inflections', () => {
    expect(lightStem('Survivors')).toBe(lightStem('survivor'));
    expect(lightStem('therapies')).toBe(lightStem('therapy'));
    expect(lightStem('healing')).toBe('heal');
    expect(lightStem('integration')).toBe(lightStem('integrations'));
    expect(lightStem('is')).toBe('is');
  });
  it('splits words like the tokenizer (letters and digits, any script)', () => {
    expect(wordsOf('IV infusion · PTSD/trauma, 12-step; Tomás 治疗')).toEqual(['IV', 'infusion', 'PTSD', 'trauma', '12', 'step', 'Tomás', '治疗']);
    expect(wordsOf(null)).toEqual([]);
    expect(countTermHits('Trauma, trauma and more traumas.', new Set([lightStem('trauma')]))).toEqual({ hits: 3, length: 5 });
  });
});

describe('scoreMatches', () => {
  it('ranks a name match above keyword matches above a bio mention', () => {
    const [name, keywords, bio] = scoreMatches(
      [
        { name: 'Dr. Somatic Person', keywords: 'CBT', bio: 'I help people.' },
        { name: 'Alex Kim', keywords: 'Somatic therapy · CBT', bio: 'I help people.' },
        { name: 'Sam Lee', keywords: 'CBT', bio: 'Somatic work with people.' },
      ],
      ['somatic'],
    );
    expect(name!).toBeGreaterThan(keywords!);
    expect(keywords!).toBeGreaterThan(bio!);
    expect(bio!).toBeGreaterThan(0);
  });
  it('ranks more mentions higher and handles empty sets', () => {
    const [many, once] = scoreMatches(
      [
        { name: 'A', keywords: '', bio: 'trauma work, trauma recovery, complex trauma' },
        { name: 'B', keywords: '', bio: 'trauma work, grief recovery, complex loss' },
      ],
      ['trauma'],
    );
    expect(many!).toBeGreaterThan(once!);
    expect(scoreMatches([], ['x'])).toEqual([]);
  });
});

describe('countTermHitsFast (what ranking runs on every match)', () => {
  it('agrees with countTermHits on hand-picked text', () => {
    const cases: [string, string[]][] = [
      ['Trauma, trauma and more traumas.', ['trauma']],
      ['Therapies for therapy-resistant people; therapist', ['therapy']],
      ['healing heal healed HEALS unhealed', ['healing']],
      ['Tomás treats depression and depressed moods', ['depression', 'tomás']],
      ['İstanbul and istanbul', ['istanbul']],
      ['', ['x']],
      ['a b c', ['ab']],
    ];
    for (const [text, terms] of cases) {
      const matcher = termMatcherOf(terms);
      expect(countTermHitsFast(text, matcher), text).toEqual(countTermHits(text, matcher.stems));
    }
    expect(countTermHitsFast(null, termMatcherOf(['x']))).toEqual({ hits: 0, length: 0 });
  });
  it('agrees with countTermHits on any text and terms (property)', () => {
    const alphabet = fc.constantFrom(...'ab therapies therapy ies y İı é 治疗 😀 ,.-'.split(''), 'ing', 'ies', 'ed', 's', ' ', 'e\u0301');
    const text = fc.array(alphabet, { maxLength: 60 }).map((parts) => parts.join(''));
    const term = fc.array(fc.constantFrom('a', 'b', 'y', 'therap', 'ies', 'ing', 'é', '治'), { minLength: 1, maxLength: 4 }).map((p) => p.join(''));
    fc.assert(
      fc.property(text, fc.array(term, { minLength: 1, maxLength: 3 }), (t, terms) => {
        const matcher = termMatcherOf(terms);
        expect(countTermHitsFast(t, matcher)).toEqual(countTermHits(t, matcher.stems));
      }),
      { numRuns: 2000 },
    );
  });
  it('scoreMatches gives the same scores as the word-by-word definition', () => {
    const rows = [
      { name: 'Dr. Somatic Person', keywords: 'CBT · Somatic therapy', bio: 'Somatic work, somatic healing, people.' },
      { name: 'Alex Kim', keywords: 'Somatic therapy · CBT', bio: 'I help people.' },
      { name: 'Sam Lee', keywords: null, bio: 'Somatic work with people and therapies.' },
    ];
    const terms = ['somatic', 'therapy'];
    const stems = new Set(terms.map(lightStem));
    const counted = rows.map((r) => [countTermHits(r.name, stems), countTermHits(r.keywords, stems), countTermHits(r.bio, stems)]);
    const avg = [0, 1, 2].map((i) => Math.max(1, counted.reduce((s, c) => s + c[i]!.length, 0) / rows.length));
    const weights = [10, 4, 1];
    const expected = counted.map((cols) => textRelevance(cols.map((c, i) => ({ ...c, averageLength: avg[i]!, weight: weights[i]! }))));
    const actual = scoreMatches(rows, terms);
    actual.forEach((s, i) => expect(s).toBeCloseTo(expected[i]!, 12));
  });
});
