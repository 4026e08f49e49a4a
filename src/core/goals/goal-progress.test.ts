import { describe, expect, it } from 'vitest';
import { describeTarget, goalProgress, meetsTarget } from './goal-progress';

describe('goal targets', () => {
  it('compares at the boundary for each comparator', () => {
    expect(meetsTarget({ comparator: 'below', value: 10 }, 9)).toBe(true);
    expect(meetsTarget({ comparator: 'below', value: 10 }, 10)).toBe(false);
    expect(meetsTarget({ comparator: 'at_or_below', value: 10 }, 10)).toBe(true);
    expect(meetsTarget({ comparator: 'at_or_below', value: 10 }, 11)).toBe(false);
    expect(meetsTarget({ comparator: 'above', value: 5 }, 6)).toBe(true);
    expect(meetsTarget({ comparator: 'above', value: 5 }, 5)).toBe(false);
    expect(meetsTarget({ comparator: 'at_or_above', value: 5 }, 5)).toBe(true);
    expect(meetsTarget({ comparator: 'at_or_above', value: 5 }, 4)).toBe(false);
  });
  it('reports no progress without a score, and progress with one', () => {
    expect(goalProgress({ comparator: 'below', value: 10 }, null)).toEqual({ latestTotal: null, latestAt: null, targetMet: null });
    expect(goalProgress({ comparator: 'below', value: 10 }, { total: 12, at: '2026-11-01T00:00:00.000Z' })).toEqual({
      latestTotal: 12,
      latestAt: '2026-11-01T00:00:00.000Z',
      targetMet: false,
    });
  });
  it('describes a target in words', () => {
    expect(describeTarget('PHQ-9', { comparator: 'below', value: 10 })).toBe('PHQ-9 below 10');
  });
});
