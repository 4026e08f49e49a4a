/**
 * Response / remission / meaningful-change between a baseline and a later total.
 *
 * Criteria are data (`definition.outcome`, overridable per clinic). PHQ-9 defaults:
 * response = reduction of at least 50% from baseline; remission = total < 5
 * (NCQA/HEDIS measures; Psychiatric Services 2020, doi 10.1176/appi.ps.201900295 —
 * clinical-facts.md §6 [64]). Pure.
 */
import type { OutcomeCriteria } from './instrument-definition.schema';

export interface OutcomeChange {
  baseline: number;
  current: number;
  /** current − baseline (negative = fewer symptoms on the bundled measures). */
  change: number;
  /** (baseline − current) / baseline; undefined when the baseline is 0. */
  reductionFraction?: number;
  /** Present only when the criteria define it. */
  response?: boolean;
  remission?: boolean;
  meaningfulImprovement?: boolean;
  meaningfulWorsening?: boolean;
}

/** Small tolerance so 0.5 computed as 0.49999999 still counts as a 50% reduction. */
const EPSILON = 1e-9;

export function assessOutcomeChange(criteria: Omit<OutcomeCriteria, 'source'>, baseline: number, current: number): OutcomeChange {
  if (!Number.isFinite(baseline) || !Number.isFinite(current)) throw new RangeError('baseline and current must be finite numbers');
  const result: OutcomeChange = { baseline, current, change: current - baseline };
  if (baseline > 0) result.reductionFraction = (baseline - current) / baseline;
  if (criteria.responseMinReduction !== undefined) {
    // With a baseline of 0 there is nothing to reduce: no response.
    result.response = result.reductionFraction !== undefined && result.reductionFraction + EPSILON >= criteria.responseMinReduction;
  }
  if (criteria.remissionBelow !== undefined) result.remission = current < criteria.remissionBelow;
  if (criteria.meaningfulChange !== undefined) {
    result.meaningfulImprovement = baseline - current >= criteria.meaningfulChange;
    result.meaningfulWorsening = current - baseline >= criteria.meaningfulChange;
  }
  return result;
}
