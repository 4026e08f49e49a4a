import { describe, expect, it } from 'vitest';
import { InvalidAnswersError, isItemVisible, scoreResponse, validateAnswers } from './score-response';
import { fixtureCountInstrument, fixtureProratedInstrument } from './test-support/fixture-instrument';

function thrown(fn: () => unknown): InvalidAnswersError {
  try {
    fn();
  } catch (e) {
    if (e instanceof InvalidAnswersError) return e;
    throw e;
  }
  throw new Error('expected InvalidAnswersError');
}

describe('scoreResponse — count rule, skip logic, reverse items (fixture)', () => {
  const def = fixtureCountInstrument();

  it('counts "yes" answers and reversed items answered otherwise', () => {
    const r = scoreResponse(def, { w1: 'yes', w2: 'yes', w3: 'yes', w4: 'no' });
    expect(r).toMatchObject({ status: 'scored', total: 4, band: { id: 'stormy' }, instrumentCode: 'test-weather-check', instrumentVersion: '2.1.0' });
    expect(scoreResponse(def, { w1: 'no', w2: 'no', w4: 'yes' }).total).toBe(0);
    expect(scoreResponse(def, { w1: 'yes', w2: 'no', w4: 'yes' }).total).toBe(1);
  });

  it('does not treat an item hidden by skip logic as missing', () => {
    const r = scoreResponse(def, { w1: 'yes', w2: 'no', w4: 'no' });
    expect(r.missingItemIds).toEqual([]);
    expect(r).toMatchObject({ status: 'scored', total: 2, band: { id: 'wet' } });
  });

  it('requires the follow-up item once it is shown', () => {
    const r = scoreResponse(def, { w1: 'yes', w2: 'yes', w4: 'no' });
    expect(r.status).toBe('incomplete');
    expect(r.missingItemIds).toEqual(['w3']);
    expect(r.total).toBeUndefined();
    expect(r.band).toBeUndefined();
  });

  it('ignores an answer left on an item that became hidden when scoring', () => {
    const r = scoreResponse(def, { w1: 'no', w2: 'no', w3: 'yes', w4: 'yes' });
    expect(r.total).toBe(0);
  });

  it('still raises a critical hit on an answered item, even hidden or in an incomplete response', () => {
    expect(scoreResponse(def, { w3: 'yes' }).criticalHits).toEqual([{ itemId: 'w3', reason: 'Thunder reported (test critical item).' }]);
    expect(scoreResponse(def, { w2: 'yes', w3: 'yes' }).status).toBe('incomplete');
    expect(scoreResponse(def, { w2: 'no', w3: 'yes' }).criticalHits).toHaveLength(1);
    expect(scoreResponse(def, { w3: 'no' }).criticalHits).toEqual([]);
  });

  it('treats null, undefined, empty string as missing — never as zero', () => {
    for (const blank of [null, undefined, '']) {
      const r = scoreResponse(def, { w1: blank, w2: 'no', w4: 'yes' });
      expect(r.status).toBe('incomplete');
      expect(r.missingItemIds).toEqual(['w1']);
    }
  });

  it('an optional item is never missing', () => {
    expect(scoreResponse(def, { w1: 'no', w2: 'no', w4: 'yes' }).missingItemIds).not.toContain('w5');
  });

  it('an empty response is incomplete with every required visible item missing', () => {
    expect(scoreResponse(def, {}).missingItemIds).toEqual(['w1', 'w2', 'w4']);
  });
});

describe('answer validation', () => {
  const def = fixtureCountInstrument();

  it('rejects a value that is not an option, naming the item', () => {
    const e = thrown(() => scoreResponse(def, { w1: 'maybe' }));
    expect(e.field).toBe('w1');
    expect(e.issues).toEqual([expect.objectContaining({ itemId: 'w1', code: 'invalid_option' })]);
  });

  it('rejects an unknown item id', () => {
    expect(thrown(() => scoreResponse(def, { w9: 'yes' })).issues[0]).toMatchObject({ itemId: 'w9', code: 'unknown_item' });
  });

  it('rejects a list on a single-choice item and a number on a text item', () => {
    expect(validateAnswers(def, { w1: ['yes'], w5: 3 })).toEqual([
      expect.objectContaining({ itemId: 'w1', code: 'wrong_type' }),
      expect.objectContaining({ itemId: 'w5', code: 'wrong_type' }),
    ]);
  });

  it('reports every invalid item, not just the first', () => {
    expect(thrown(() => scoreResponse(def, { w1: 1, w2: 'x' })).issues.map((i) => i.itemId)).toEqual(['w1', 'w2']);
  });

  it('is strict about types: "1" is not 1', () => {
    const p = fixtureProratedInstrument();
    expect(validateAnswers(p, { e1: '1' })[0]).toMatchObject({ itemId: 'e1', code: 'invalid_option' });
    expect(validateAnswers(p, { e1: 1 })).toEqual([]);
  });
});

describe('missing items: prorating only where the definition allows it', () => {
  const def = fixtureProratedInstrument();

  it('scores a complete response without prorating', () => {
    const r = scoreResponse(def, { e1: 1, e2: 2, e3: 3, e4: 0 });
    expect(r).toMatchObject({ status: 'scored', total: 6, band: { id: 'high' } });
    expect(r.prorated).toBeUndefined();
    expect(r.subscales).toEqual([{ id: 'first-half', label: 'First half', total: 3 }]);
  });

  it('prorates one missing item: round(sum × 4 / 3), half up', () => {
    // 1+1+2 = 4 → 4 × 4/3 = 5.33 → 5
    expect(scoreResponse(def, { e1: 1, e2: 1, e3: 2 })).toMatchObject({ status: 'scored', total: 5, prorated: true, band: { id: 'low' }, missingItemIds: ['e4'] });
    // 3+3+3 = 9 → 12
    expect(scoreResponse(def, { e1: 3, e2: 3, e3: 3 }).total).toBe(12);
    // 1+0+0 = 1 → 1.33 → 1 ; 1+1+0 = 2 → 2.67 → 3 ; 3+0+0 → 4 ; half-up: no x.5 possible with /3
    expect(scoreResponse(def, { e1: 1, e2: 0, e3: 0 }).total).toBe(1);
    expect(scoreResponse(def, { e1: 1, e2: 1, e3: 0 }).total).toBe(3);
  });

  it('omits a subscale with a missing item', () => {
    expect(scoreResponse(def, { e2: 1, e3: 1, e4: 1 }).subscales).toEqual([]);
  });

  it('does not score when more items are missing than the manual allows', () => {
    const r = scoreResponse(def, { e1: 3, e2: 3 });
    expect(r.status).toBe('incomplete');
    expect(r.total).toBeUndefined();
    expect(r.missingItemIds).toEqual(['e3', 'e4']);
  });
});

describe('isItemVisible', () => {
  const def = fixtureCountInstrument();
  it('follows showIf', () => {
    expect(isItemVisible(def, 'w1', {})).toBe(true);
    expect(isItemVisible(def, 'w3', {})).toBe(false);
    expect(isItemVisible(def, 'w3', { w2: 'no' })).toBe(false);
    expect(isItemVisible(def, 'w3', { w2: 'yes' })).toBe(true);
    expect(isItemVisible(def, 'nope', {})).toBe(false);
  });
});
