import { describe, expect, it } from 'vitest';
import { countTermHits, lightStem, scoreMatches, textRelevance, wordsOf } from './ranking';

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
