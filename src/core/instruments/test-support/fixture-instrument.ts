/**
 * A made-up instrument for tests of the import path and the scoring engine. It is NOT a
 * copy of any licensed instrument (C-SSRS, DAST-10, …): the wording is invented.
 */
import type { InstrumentDefinition } from '../instrument-definition.schema';

export function fixtureCountInstrument(): InstrumentDefinition {
  return {
    code: 'test-weather-check',
    title: 'Weather check (test fixture)',
    version: '2.1.0',
    kind: 'measure',
    licence: 'Test fixture written for Threshold tests; no third-party text.',
    source: 'Invented for tests.',
    groups: [
      {
        id: 'sky',
        items: [
          { id: 'w1', kind: 'choice', text: 'Did you see clouds today?', options: [{ value: 'yes', label: 'Yes' }, { value: 'no', label: 'No' }] },
          { id: 'w2', kind: 'choice', text: 'Did it rain?', options: [{ value: 'yes', label: 'Yes' }, { value: 'no', label: 'No' }] },
          {
            id: 'w3',
            kind: 'choice',
            text: 'Was there thunder?',
            showIf: { itemId: 'w2', op: 'eq', value: 'yes' },
            options: [{ value: 'yes', label: 'Yes' }, { value: 'no', label: 'No' }],
          },
        ],
      },
      {
        id: 'ground',
        items: [
          // Reverse-scored: counts when answered "no".
          { id: 'w4', kind: 'choice', text: 'Was the ground dry?', options: [{ value: 'yes', label: 'Yes' }, { value: 'no', label: 'No' }] },
          { id: 'w5', kind: 'text', text: 'Anything else?', required: false },
        ],
      },
    ],
    scoring: { kind: 'count', itemIds: ['w1', 'w2', 'w3', 'w4'], countValue: 'yes', reversedItemIds: ['w4'] },
    missingItems: { kind: 'require-all' },
    bands: [
      { id: 'calm', label: 'Calm', min: 0, max: 1 },
      { id: 'wet', label: 'Wet', min: 2, max: 3 },
      { id: 'stormy', label: 'Stormy', min: 4, max: 4 },
    ],
    bandSource: 'Invented for tests.',
    criticalItems: [{ itemId: 'w3', op: 'eq', value: 'yes', reason: 'Thunder reported (test critical item).' }],
  };
}

/** A sum instrument whose (invented) manual allows prorating one missing item. */
export function fixtureProratedInstrument(): InstrumentDefinition {
  const options = [0, 1, 2, 3].map((v) => ({ value: v, label: `Level ${v}` }));
  return {
    code: 'test-energy',
    title: 'Energy scale (test fixture)',
    version: '1.0.0',
    kind: 'measure',
    licence: 'Test fixture.',
    source: 'Invented for tests.',
    groups: [{ id: 'g', items: ['e1', 'e2', 'e3', 'e4'].map((id) => ({ id, kind: 'choice' as const, text: `Energy ${id}`, options })) }],
    scoring: { kind: 'sum', itemIds: ['e1', 'e2', 'e3', 'e4'], subscales: [{ id: 'first-half', label: 'First half', itemIds: ['e1', 'e2'] }] },
    missingItems: { kind: 'prorate', maxMissing: 1, source: 'Invented manual, section 2.' },
    bands: [
      { id: 'low', label: 'Low', min: 0, max: 5 },
      { id: 'high', label: 'High', min: 6, max: 12 },
    ],
    bandSource: 'Invented for tests.',
  };
}

/** Answers giving `total` on a sum of `itemIds`, each scored 0..maxPerItem (filled greedily). */
export function answersForTotal(itemIds: readonly string[], maxPerItem: number, total: number): Record<string, number> {
  if (total < 0 || total > itemIds.length * maxPerItem) throw new RangeError(`total ${total} impossible`);
  let left = total;
  return Object.fromEntries(
    itemIds.map((id) => {
      const v = Math.min(maxPerItem, left);
      left -= v;
      return [id, v];
    }),
  );
}
