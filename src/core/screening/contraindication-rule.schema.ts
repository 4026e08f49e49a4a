/**
 * Contraindication rules as clinic-configurable data.
 *
 * A rule reads intake facts — answers to the medical-history form and scores of measures —
 * and, when its condition holds, yields a flag with a level, a reason and a source.
 * The category keeps "label contraindication", "label warning" and "clinic/research
 * exclusion" apart, as clinical-facts.md §3 asks (third-party sites overstate the label [44]).
 * Pure: no I/O, no clock.
 */
import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';

export const FlagLevelSchema = Type.Union([Type.Literal('absolute'), Type.Literal('relative'), Type.Literal('informational')]);
export type FlagLevel = Static<typeof FlagLevelSchema>;

export const RuleCategorySchema = Type.Union([
  Type.Literal('label-contraindication'),
  Type.Literal('label-warning'),
  Type.Literal('research-exclusion'),
  Type.Literal('clinic-exclusion'),
  Type.Literal('screening-result'),
]);
export type RuleCategory = Static<typeof RuleCategorySchema>;

const Scalar = Type.Union([Type.Number(), Type.String()]);

/**
 * Operators. `includes` tests a multi-choice answer (list) for a value; `in` tests a
 * single answer against a list of values.
 */
export const FactOpSchema = Type.Union([
  Type.Literal('eq'),
  Type.Literal('neq'),
  Type.Literal('gt'),
  Type.Literal('gte'),
  Type.Literal('lt'),
  Type.Literal('lte'),
  Type.Literal('in'),
  Type.Literal('includes'),
]);
export type FactOp = Static<typeof FactOpSchema>;

export const RuleConditionSchema = Type.Recursive(
  (Self) =>
    Type.Union([
  /** An answer on the history form. Answers in `unknownValues` (e.g. 'unsure') make the result unknown. */
  Type.Object(
    {
      kind: Type.Literal('history'),
      itemId: Type.String({ minLength: 1 }),
      op: FactOpSchema,
      value: Type.Union([Scalar, Type.Array(Scalar)]),
      unknownValues: Type.Optional(Type.Array(Scalar)),
    },
    { additionalProperties: false },
  ),
  /** A measure's latest score: its total, its band id, or one item's answer. */
  Type.Object(
    {
      kind: Type.Literal('measure'),
      instrument: Type.String({ minLength: 1 }),
      field: Type.Union([Type.Literal('total'), Type.Literal('band'), Type.Literal('item')]),
      itemId: Type.Optional(Type.String({ minLength: 1 })),
      op: FactOpSchema,
      value: Type.Union([Scalar, Type.Array(Scalar)]),
    },
    { additionalProperties: false },
  ),
  Type.Object({ kind: Type.Literal('all'), conditions: Type.Array(Self, { minItems: 1 }) }, { additionalProperties: false }),
  Type.Object({ kind: Type.Literal('any'), conditions: Type.Array(Self, { minItems: 1 }) }, { additionalProperties: false }),
  Type.Object({ kind: Type.Literal('not'), condition: Self }, { additionalProperties: false }),
    ]),
  { $id: 'RuleCondition' },
);
export type RuleCondition = Static<typeof RuleConditionSchema>;

export const RuleSourceSchema = Type.Object(
  {
    citation: Type.String({ minLength: 1 }),
    /** `unconfirmed`: background knowledge or a secondary source only (⚠️ in clinical-facts.md). */
    status: Type.Union([Type.Literal('confirmed'), Type.Literal('unconfirmed')]),
  },
  { additionalProperties: false },
);
export type RuleSource = Static<typeof RuleSourceSchema>;

export const ContraindicationRuleSchema = Type.Object(
  {
    id: Type.String({ minLength: 1, maxLength: 64, pattern: '^[a-z0-9][a-z0-9-]*$' }),
    title: Type.String({ minLength: 1 }),
    level: FlagLevelSchema,
    category: RuleCategorySchema,
    enabled: Type.Boolean(),
    when: RuleConditionSchema,
    reason: Type.String({ minLength: 1 }),
    source: RuleSourceSchema,
  },
  { additionalProperties: false },
);
export type ContraindicationRule = Static<typeof ContraindicationRuleSchema>;

export const ContraindicationRuleSetSchema = Type.Array(ContraindicationRuleSchema);

export interface RuleSetError {
  field: string;
  message: string;
}

function pointerToField(pointer: string): string {
  if (pointer === '' || pointer === '/') return '(root)';
  return pointer
    .split('/')
    .slice(1)
    .reduce((acc, part) => (/^\d+$/.test(part) ? `${acc}[${part}]` : acc ? `${acc}.${part}` : part), '');
}

function conditionErrors(c: RuleCondition, field: string): RuleSetError[] {
  switch (c.kind) {
    case 'history':
    case 'measure': {
      const errors: RuleSetError[] = [];
      if (c.kind === 'measure' && c.field === 'item' && !c.itemId) errors.push({ field: `${field}.itemId`, message: 'field "item" needs an itemId' });
      if (c.op === 'in' && !Array.isArray(c.value)) errors.push({ field: `${field}.value`, message: 'op "in" needs a list of values' });
      if (c.op !== 'in' && Array.isArray(c.value)) errors.push({ field: `${field}.value`, message: `op "${c.op}" needs a single value` });
      return errors;
    }
    case 'all':
    case 'any':
      return c.conditions.flatMap((sub, i) => conditionErrors(sub, `${field}.conditions[${i}]`));
    case 'not':
      return conditionErrors(c.condition, `${field}.condition`);
  }
}

/** Validate a clinic's rule set (admin edit). Errors name their field, e.g. `[3].when.conditions[0].value`. */
export function validateContraindicationRules(input: unknown): { ok: true; rules: ContraindicationRule[] } | { ok: false; errors: RuleSetError[] } {
  const seen = new Set<string>();
  const structural: RuleSetError[] = [];
  for (const e of Value.Errors(ContraindicationRuleSetSchema, input)) {
    const field = pointerToField(e.path);
    if (seen.has(field)) continue;
    seen.add(field);
    structural.push({ field, message: e.message });
  }
  if (structural.length > 0) return { ok: false, errors: structural };
  const rules = input as ContraindicationRule[];
  const errors: RuleSetError[] = [];
  const ids = new Set<string>();
  rules.forEach((r, i) => {
    if (ids.has(r.id)) errors.push({ field: `[${i}].id`, message: `duplicate rule id "${r.id}"` });
    ids.add(r.id);
    errors.push(...conditionErrors(r.when, `[${i}].when`));
  });
  return errors.length > 0 ? { ok: false, errors } : { ok: true, rules };
}
