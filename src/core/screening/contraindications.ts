/**
 * Evaluate contraindication rules against a patient's intake facts.
 *
 * Three-valued logic: a condition is true, false or unknown (the fact is missing, or the
 * answer is e.g. "not sure"). A rule whose condition is true yields a flag; a rule whose
 * condition is unknown is listed as `undetermined` with the facts it lacks, so a missing
 * answer never reads as "no contraindication". `all` is false if any part is false, `any`
 * is true if any part is true, otherwise unknown wins. Pure.
 */
import type { ContraindicationRule, FactOp, FlagLevel, RuleCategory, RuleCondition, RuleSource } from './contraindication-rule.schema';

type Scalar = number | string;
type FactValue = Scalar | Scalar[] | null | undefined;

export interface MeasureFact {
  total?: number;
  /** Band id, e.g. `moderately-severe`. */
  band?: string;
  /** Answers by item id, e.g. `{ phq9_9: 1 }`. */
  items?: Readonly<Record<string, FactValue>>;
}

export interface IntakeFacts {
  /** Answers to the medical-history form, by item id. */
  history: Readonly<Record<string, FactValue>>;
  /** Latest scored result per instrument code. */
  measures: Readonly<Record<string, MeasureFact | undefined>>;
}

export interface ContraindicationFlag {
  ruleId: string;
  title: string;
  level: FlagLevel;
  category: RuleCategory;
  reason: string;
  source: RuleSource;
}

export interface UndeterminedRule {
  ruleId: string;
  title: string;
  level: FlagLevel;
  /** Facts that were missing or answered "not sure", e.g. `history.hx_aneurysm`, `measures.phq-9.items.phq9_9`. */
  missingFacts: string[];
}

export interface ContraindicationEvaluation {
  /** Sorted: absolute, then relative, then informational; rule order within a level. */
  flags: ContraindicationFlag[];
  undetermined: UndeterminedRule[];
}

type Tri = { value: true } | { value: false } | { value: 'unknown'; missing: string[] };
const TRUE: Tri = { value: true };
const FALSE: Tri = { value: false };

function isMissing(v: FactValue): v is null | undefined {
  return v === null || v === undefined || v === '';
}

function applyOp(actual: Scalar | Scalar[], op: FactOp, expected: Scalar | Scalar[]): boolean {
  if (op === 'includes') return Array.isArray(actual) && !Array.isArray(expected) && actual.includes(expected);
  if (Array.isArray(actual)) return false;
  if (op === 'in') return Array.isArray(expected) && expected.includes(actual);
  if (Array.isArray(expected)) return false;
  switch (op) {
    case 'eq':
      return actual === expected;
    case 'neq':
      return actual !== expected;
    case 'gt':
      return typeof actual === 'number' && typeof expected === 'number' && actual > expected;
    case 'gte':
      return typeof actual === 'number' && typeof expected === 'number' && actual >= expected;
    case 'lt':
      return typeof actual === 'number' && typeof expected === 'number' && actual < expected;
    case 'lte':
      return typeof actual === 'number' && typeof expected === 'number' && actual <= expected;
  }
}

function evaluate(c: RuleCondition, facts: IntakeFacts): Tri {
  switch (c.kind) {
    case 'history': {
      const v = facts.history[c.itemId];
      const name = `history.${c.itemId}`;
      if (isMissing(v)) return { value: 'unknown', missing: [name] };
      if (!Array.isArray(v) && c.unknownValues?.includes(v)) return { value: 'unknown', missing: [name] };
      return applyOp(v, c.op, c.value) ? TRUE : FALSE;
    }
    case 'measure': {
      const m = facts.measures[c.instrument];
      let v: FactValue;
      let name = `measures.${c.instrument}.${c.field}`;
      if (c.field === 'item') {
        name = `measures.${c.instrument}.items.${c.itemId ?? ''}`;
        v = c.itemId ? m?.items?.[c.itemId] : undefined;
      } else {
        v = m?.[c.field];
      }
      if (isMissing(v)) return { value: 'unknown', missing: [name] };
      return applyOp(v, c.op, c.value) ? TRUE : FALSE;
    }
    case 'all': {
      const parts = c.conditions.map((s) => evaluate(s, facts));
      if (parts.some((p) => p.value === false)) return FALSE;
      const unknown = parts.flatMap((p) => (p.value === 'unknown' ? p.missing : []));
      return unknown.length > 0 ? { value: 'unknown', missing: unknown } : TRUE;
    }
    case 'any': {
      const parts = c.conditions.map((s) => evaluate(s, facts));
      if (parts.some((p) => p.value === true)) return TRUE;
      const unknown = parts.flatMap((p) => (p.value === 'unknown' ? p.missing : []));
      return unknown.length > 0 ? { value: 'unknown', missing: unknown } : FALSE;
    }
    case 'not': {
      const inner = evaluate(c.condition, facts);
      if (inner.value === 'unknown') return inner;
      return inner.value ? FALSE : TRUE;
    }
  }
}

const LEVEL_ORDER: Record<FlagLevel, number> = { absolute: 0, relative: 1, informational: 2 };

/** Evaluate every enabled rule. Disabled rules are skipped entirely. */
export function evaluateContraindications(rules: readonly ContraindicationRule[], facts: IntakeFacts): ContraindicationEvaluation {
  const flags: ContraindicationFlag[] = [];
  const undetermined: UndeterminedRule[] = [];
  for (const rule of rules) {
    if (!rule.enabled) continue;
    const r = evaluate(rule.when, facts);
    if (r.value === true) {
      flags.push({ ruleId: rule.id, title: rule.title, level: rule.level, category: rule.category, reason: rule.reason, source: rule.source });
    } else if (r.value === 'unknown') {
      undetermined.push({ ruleId: rule.id, title: rule.title, level: rule.level, missingFacts: [...new Set(r.missing)] });
    }
  }
  // Stable sort keeps rule order within a level.
  flags.sort((a, b) => LEVEL_ORDER[a.level] - LEVEL_ORDER[b.level]);
  return { flags, undetermined };
}
