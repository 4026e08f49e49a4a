/**
 * Scoring of one questionnaire response against its instrument definition.
 *
 * Pure: the same (definition, answers, context) always gives the same result.
 * Rules:
 *  - Answers are validated first; any invalid value throws `InvalidAnswersError`, whose
 *    issues each name the item. Nothing is scored from a response with a bad value.
 *  - A required, visible item without an answer is missing. Missing scored items follow
 *    the definition's `missingItems` rule; with `require-all` (the default for every
 *    bundled instrument) the response is `incomplete` and gets NO total — a missing item
 *    is never silently scored as zero.
 *  - Items hidden by their `showIf` (the instrument's own skip logic) are not missing and
 *    contribute nothing.
 *  - Critical items are checked on every answered item, even in an incomplete response
 *    and even if hidden by skip logic: a partial save with PHQ-9 item 9 > 0 must still
 *    raise the safety alert.
 */
import {
  allItems,
  compare,
  optionScore,
  scoredItemIds,
  type Band,
  type IndicatorCondition,
  type InstrumentDefinition,
  type Item,
  type OptionValue,
} from './instrument-definition.schema';

export type AnswerValue = OptionValue | OptionValue[] | null | undefined;
export type Answers = Readonly<Record<string, AnswerValue>>;

/** Values a band variant can be selected by, e.g. `{ sex: 'female' }` for AUDIT-C. */
export type ScoringContext = Readonly<Record<string, string | undefined>>;

export type AnswerIssueCode = 'unknown_item' | 'invalid_option' | 'wrong_type' | 'out_of_range' | 'not_integer' | 'too_long' | 'duplicate_option';

export interface AnswerIssue {
  itemId: string;
  code: AnswerIssueCode;
  message: string;
}

/** Thrown by `scoreResponse` when an answer is not allowed; `field` is the first bad item (for `{error:{field}}`). */
export class InvalidAnswersError extends Error {
  readonly issues: AnswerIssue[];
  readonly field: string;
  constructor(issues: AnswerIssue[]) {
    super(issues.map((i) => `${i.itemId}: ${i.message}`).join('; '));
    this.name = 'InvalidAnswersError';
    this.issues = issues;
    this.field = issues[0]?.itemId ?? '';
  }
}

export interface CriticalHit {
  itemId: string;
  reason: string;
}

export interface BandRef {
  id: string;
  label: string;
}

export interface SubscaleScore {
  id: string;
  label: string;
  total: number;
  band?: BandRef;
}

export interface IndicatorResult {
  id: string;
  label: string;
  met: boolean;
}

export interface ScoreResult {
  instrumentCode: string;
  instrumentVersion: string;
  /** `scored`: a measure with a total. `complete`: a form (nothing to score) with every required item answered. */
  status: 'scored' | 'incomplete' | 'complete';
  total?: number;
  /** Band of the total by the published cut-offs. */
  band?: BandRef;
  /** Band after an indicator's escalation (AUDIT "step up one zone"); present only when it differs from `band`. */
  adjustedBand?: BandRef;
  /** True when the total was prorated over missing items (only where the manual allows it). */
  prorated?: boolean;
  subscales?: SubscaleScore[];
  indicators?: IndicatorResult[];
  missingItemIds: string[];
  criticalHits: CriticalHit[];
}

function isMissing(v: AnswerValue): boolean {
  return v === null || v === undefined || (Array.isArray(v) && v.length === 0) || v === '';
}

function validateOne(item: Item, value: AnswerValue): AnswerIssue | undefined {
  if (isMissing(value)) return undefined;
  const issue = (code: AnswerIssueCode, message: string): AnswerIssue => ({ itemId: item.id, code, message });
  switch (item.kind) {
    case 'choice': {
      if (Array.isArray(value)) return issue('wrong_type', 'expected one option value, got a list');
      if (!item.options.some((o) => o.value === value)) {
        return issue('invalid_option', `${JSON.stringify(value)} is not an option; allowed: ${item.options.map((o) => JSON.stringify(o.value)).join(', ')}`);
      }
      return undefined;
    }
    case 'multi-choice': {
      if (!Array.isArray(value)) return issue('wrong_type', 'expected a list of option values');
      const seen = new Set<OptionValue>();
      for (const v of value) {
        if (!item.options.some((o) => o.value === v)) return issue('invalid_option', `${JSON.stringify(v)} is not an option`);
        if (seen.has(v)) return issue('duplicate_option', `${JSON.stringify(v)} chosen twice`);
        seen.add(v);
      }
      return undefined;
    }
    case 'number': {
      if (typeof value !== 'number' || !Number.isFinite(value)) return issue('wrong_type', 'expected a number');
      if (item.integer && !Number.isInteger(value)) return issue('not_integer', 'expected a whole number');
      if (item.min !== undefined && value < item.min) return issue('out_of_range', `${value} is below the minimum ${item.min}`);
      if (item.max !== undefined && value > item.max) return issue('out_of_range', `${value} is above the maximum ${item.max}`);
      return undefined;
    }
    case 'text': {
      if (typeof value !== 'string') return issue('wrong_type', 'expected text');
      if (item.maxLength !== undefined && value.length > item.maxLength) return issue('too_long', `longer than ${item.maxLength} characters`);
      return undefined;
    }
  }
}

/** Every problem with the answers, each naming its item. Empty when all are allowed. */
export function validateAnswers(definition: InstrumentDefinition, answers: Answers): AnswerIssue[] {
  const items = new Map(allItems(definition).map((i) => [i.id, i]));
  const issues: AnswerIssue[] = [];
  for (const [itemId, value] of Object.entries(answers)) {
    const item = items.get(itemId);
    if (!item) {
      issues.push({ itemId, code: 'unknown_item', message: `no item "${itemId}" in ${definition.code} v${definition.version}` });
      continue;
    }
    const issue = validateOne(item, value);
    if (issue) issues.push(issue);
  }
  return issues;
}

/** Whether an item is shown given the answers so far (skip logic; a hidden parent hides its children). */
export function isItemVisible(definition: InstrumentDefinition, itemId: string, answers: Answers): boolean {
  const items = new Map(allItems(definition).map((i) => [i.id, i]));
  const visible = (id: string, depth: number): boolean => {
    const item = items.get(id);
    if (!item || depth > items.size) return false;
    if (!item.showIf) return true;
    if (!visible(item.showIf.itemId, depth + 1)) return false;
    const parent = answers[item.showIf.itemId];
    if (isMissing(parent) || Array.isArray(parent)) return false;
    return compare(parent as OptionValue, item.showIf.op, item.showIf.value);
  };
  return visible(itemId, 0);
}

function bandFor(bands: Band[] | undefined, total: number): Band | undefined {
  return bands?.find((b) => total >= b.min && total <= b.max);
}

function ref(b: Band | undefined): BandRef | undefined {
  return b ? { id: b.id, label: b.label } : undefined;
}

/** Round half up (x.5 → x+1) so a prorated total is an integer the bands cover. */
function roundHalfUp(x: number): number {
  return Math.floor(x + 0.5);
}

/**
 * Score one response. Throws `InvalidAnswersError` if any answer is not allowed.
 * `context` selects band variants (e.g. `{ sex: 'female' }` for AUDIT-C).
 */
export function scoreResponse(definition: InstrumentDefinition, answers: Answers, context: ScoringContext = {}): ScoreResult {
  const issues = validateAnswers(definition, answers);
  if (issues.length > 0) throw new InvalidAnswersError(issues);

  const items = allItems(definition);
  const itemById = new Map(items.map((i) => [i.id, i]));
  const visible = new Map(items.map((i) => [i.id, isItemVisible(definition, i.id, answers)]));

  const missingItemIds = items.filter((i) => i.required !== false && visible.get(i.id) && isMissing(answers[i.id])).map((i) => i.id);

  const criticalHits: CriticalHit[] = [];
  for (const c of definition.criticalItems ?? []) {
    const v = answers[c.itemId];
    if (isMissing(v)) continue;
    const values = Array.isArray(v) ? v : [v as OptionValue];
    if (values.some((x) => compare(x, c.op, c.value))) criticalHits.push({ itemId: c.itemId, reason: c.reason });
  }

  const base = {
    instrumentCode: definition.code,
    instrumentVersion: definition.version,
    missingItemIds,
    criticalHits,
  };

  const scoring = definition.scoring;
  if (scoring.kind === 'none') {
    return { ...base, status: missingItemIds.length === 0 ? 'complete' : 'incomplete' };
  }

  // Score of one answered choice item; undefined when unanswered or hidden.
  const itemScore = (id: string): number | undefined => {
    const item = itemById.get(id);
    const v = answers[id];
    if (!item || item.kind !== 'choice' || isMissing(v) || !visible.get(id)) return undefined;
    const option = item.options.find((o) => o.value === v);
    return option ? optionScore(option) : undefined;
  };

  const scored = scoredItemIds(scoring);
  const scoredSet = new Set(scored);
  const missingScored = missingItemIds.filter((id) => scoredSet.has(id));
  const missingOther = missingItemIds.filter((id) => !scoredSet.has(id));

  const prorate = definition.missingItems.kind === 'prorate' && missingScored.length > 0 && missingScored.length <= definition.missingItems.maxMissing;
  if (missingOther.length > 0 || (missingScored.length > 0 && !prorate)) {
    return { ...base, status: 'incomplete' };
  }

  let total: number;
  switch (scoring.kind) {
    case 'sum': {
      const present = scored.filter((id) => itemScore(id) !== undefined);
      const raw = present.reduce((s, id) => s + (itemScore(id) ?? 0), 0);
      const applicable = scored.filter((id) => visible.get(id)).length;
      total = prorate && present.length > 0 ? roundHalfUp((raw * applicable) / present.length) : raw;
      break;
    }
    case 'count': {
      const reversed = new Set(scoring.reversedItemIds ?? []);
      total = scoring.itemIds.filter((id) => {
        const v = answers[id];
        if (isMissing(v) || !visible.get(id)) return false;
        return reversed.has(id) ? v !== scoring.countValue : v === scoring.countValue;
      }).length;
      break;
    }
    case 'single':
      total = itemScore(scoring.itemId) ?? 0; // present: missing was handled above
      break;
  }

  const variant = (definition.bandVariants ?? []).find((v) => context[v.contextKey] === v.contextValue);
  const bands = variant?.bands ?? definition.bands;
  const band = bandFor(bands, total);

  const result: ScoreResult = { ...base, status: 'scored', total };
  if (band) result.band = ref(band);
  if (prorate) result.prorated = true;

  if (scoring.kind === 'sum' && scoring.subscales) {
    // A subscale is reported only when all its visible items are answered.
    result.subscales = scoring.subscales
      .filter((s) => s.itemIds.every((id) => !visible.get(id) || itemScore(id) !== undefined))
      .map((s) => {
        const subTotal = s.itemIds.reduce((acc, id) => acc + (itemScore(id) ?? 0), 0);
        const sb = ref(bandFor(s.bands, subTotal));
        return sb ? { id: s.id, label: s.label, total: subTotal, band: sb } : { id: s.id, label: s.label, total: subTotal };
      });
  }

  if (definition.indicators) {
    const test = (c: IndicatorCondition): boolean => {
      switch (c.kind) {
        case 'total':
          return compare(total, c.op, c.value);
        case 'item': {
          const v = answers[c.itemId];
          return !isMissing(v) && !Array.isArray(v) && compare(v as OptionValue, c.op, c.value);
        }
        case 'sum':
          return compare(
            c.itemIds.reduce((acc, id) => acc + (itemScore(id) ?? 0), 0),
            c.op,
            c.value,
          );
        case 'count': {
          const n = c.itemIds.filter((id) => {
            const s = itemScore(id);
            return s !== undefined && compare(s, c.itemOp, c.itemValue);
          }).length;
          return compare(n, c.op, c.value);
        }
      }
    };
    result.indicators = definition.indicators.map((ind) => ({
      id: ind.id,
      label: ind.label,
      met: ind.match === 'all' ? ind.conditions.every(test) : ind.conditions.some(test),
    }));
    const steps = definition.indicators.reduce((max, ind, i) => (result.indicators?.[i]?.met && ind.escalateBand ? Math.max(max, ind.escalateBand) : max), 0);
    if (steps > 0 && band && bands) {
      const idx = bands.indexOf(band);
      const up = bands[Math.min(idx + steps, bands.length - 1)];
      if (up && up !== band) result.adjustedBand = ref(up);
    }
  }

  return result;
}
