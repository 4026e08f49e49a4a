import { describe, expect, it } from 'vitest';
import { phq9 } from './definitions/phq-9';
import { pcl5 } from './definitions/pcl-5';
import { assessOutcomeChange } from './outcome-change';

const phq = phq9.outcome!;

describe('PHQ-9 response (≥ 50% reduction) and remission (< 5) [clinical-facts §6, 64]', () => {
  it.each([
    [20, 10, true],
    [20, 11, false],
    [10, 5, true],
    [10, 6, false],
    [15, 7, true], // 53%
    [15, 8, false], // 46.7%
    [3, 1, true],
    [27, 0, true],
  ])('baseline %i → %i: response %s', (baseline, current, response) => {
    expect(assessOutcomeChange(phq, baseline, current).response).toBe(response);
  });

  it.each([
    [4, true],
    [5, false],
    [0, true],
  ])('current %i: remission %s', (current, remission) => {
    expect(assessOutcomeChange(phq, 18, current).remission).toBe(remission);
  });

  it('reports change and reduction fraction', () => {
    expect(assessOutcomeChange(phq, 20, 8)).toEqual({ baseline: 20, current: 8, change: -12, reductionFraction: 0.6, response: true, remission: false });
  });

  it('a baseline of 0 has no reduction fraction and no response', () => {
    const r = assessOutcomeChange(phq, 0, 0);
    expect(r.reductionFraction).toBeUndefined();
    expect(r.response).toBe(false);
    expect(r.remission).toBe(true);
  });

  it('worsening is not response', () => {
    expect(assessOutcomeChange(phq, 10, 15)).toMatchObject({ change: 5, response: false });
  });

  it('criteria are configurable', () => {
    expect(assessOutcomeChange({ responseMinReduction: 0.3 }, 10, 7).response).toBe(true);
    expect(assessOutcomeChange({ responseMinReduction: 0.3 }, 10, 8).response).toBe(false);
    expect(assessOutcomeChange({}, 10, 8)).toEqual({ baseline: 10, current: 8, change: -2, reductionFraction: 0.2 });
  });

  it('rejects non-finite totals', () => {
    expect(() => assessOutcomeChange(phq, Number.NaN, 1)).toThrow(RangeError);
  });
});

describe('PCL-5 meaningful change (10 points) [70–72]', () => {
  it.each([
    [50, 40, true, false],
    [50, 41, false, false],
    [40, 50, false, true],
    [40, 49, false, false],
  ])('%i → %i', (b, c, improved, worsened) => {
    expect(assessOutcomeChange(pcl5.outcome!, b, c)).toMatchObject({ meaningfulImprovement: improved, meaningfulWorsening: worsened });
  });
});
