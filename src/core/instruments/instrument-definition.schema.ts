/**
 * Instrument definition format: questionnaires are data, not code.
 *
 * One format serves the bundled instruments (PHQ-9, GAD-7, PCL-5, AUDIT, AUDIT-C,
 * SCOFF, PGIC, the medical & psychiatric history form) and files a clinic admin
 * imports for instruments the clinic itself holds a licence for (e.g. C-SSRS,
 * DAST-10). `validateInstrumentDefinition` checks an imported file: first its shape
 * (TypeBox), then the cross-references a schema cannot express (ids exist, bands
 * cover the score range without gaps or overlaps, ...). Every error names its field.
 *
 * Pure: no I/O, no clock.
 */
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';

// ---------------------------------------------------------------------------
// Building blocks
// ---------------------------------------------------------------------------

/** A stored answer for one option: a number (Likert scores) or a short string code ('yes'). */
export const OptionValueSchema = Type.Union([Type.Number(), Type.String({ minLength: 1, maxLength: 64 })]);
export type OptionValue = Static<typeof OptionValueSchema>;

export const CompareOpSchema = Type.Union([
  Type.Literal('eq'),
  Type.Literal('neq'),
  Type.Literal('gt'),
  Type.Literal('gte'),
  Type.Literal('lt'),
  Type.Literal('lte'),
]);
export type CompareOp = Static<typeof CompareOpSchema>;

export const AnswerOptionSchema = Type.Object(
  {
    value: OptionValueSchema,
    label: Type.String({ minLength: 1 }),
    /**
     * Points this option contributes to a score. Defaults to `value` when `value` is a
     * number. Needed when the stored value is not the score (yes/no items, or the
     * reverse-scored item of an imported instrument).
     */
    score: Type.Optional(Type.Number()),
  },
  { additionalProperties: false },
);
export type AnswerOption = Static<typeof AnswerOptionSchema>;

/** Show an item only when an earlier item's answer matches (e.g. "is it controlled?" after "hypertension: yes"). */
export const ShowIfSchema = Type.Object(
  {
    itemId: Type.String({ minLength: 1 }),
    op: CompareOpSchema,
    value: OptionValueSchema,
  },
  { additionalProperties: false },
);
export type ShowIf = Static<typeof ShowIfSchema>;

const itemBase = {
  id: Type.String({ minLength: 1, maxLength: 64, pattern: '^[a-z0-9][a-z0-9_-]*$' }),
  text: Type.String({ minLength: 1 }),
  help: Type.Optional(Type.String()),
  /** Defaults to true. An optional item is never "missing". */
  required: Type.Optional(Type.Boolean()),
  showIf: Type.Optional(ShowIfSchema),
};

export const ChoiceItemSchema = Type.Object(
  { ...itemBase, kind: Type.Literal('choice'), options: Type.Array(AnswerOptionSchema, { minItems: 2 }) },
  { additionalProperties: false },
);
export const MultiChoiceItemSchema = Type.Object(
  { ...itemBase, kind: Type.Literal('multi-choice'), options: Type.Array(AnswerOptionSchema, { minItems: 1 }) },
  { additionalProperties: false },
);
export const NumberItemSchema = Type.Object(
  {
    ...itemBase,
    kind: Type.Literal('number'),
    unit: Type.Optional(Type.String()),
    min: Type.Optional(Type.Number()),
    max: Type.Optional(Type.Number()),
    integer: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export const TextItemSchema = Type.Object(
  { ...itemBase, kind: Type.Literal('text'), maxLength: Type.Optional(Type.Integer({ minimum: 1 })) },
  { additionalProperties: false },
);
export const ItemSchema = Type.Union([ChoiceItemSchema, MultiChoiceItemSchema, NumberItemSchema, TextItemSchema]);
export type Item = Static<typeof ItemSchema>;
export type ChoiceItem = Static<typeof ChoiceItemSchema>;

/** One group is one screen in the patient portal. */
export const ItemGroupSchema = Type.Object(
  {
    id: Type.String({ minLength: 1, maxLength: 64, pattern: '^[a-z0-9][a-z0-9_-]*$' }),
    title: Type.Optional(Type.String()),
    /** Stem shown above the items, e.g. "Over the last 2 weeks, how often ...". */
    preamble: Type.Optional(Type.String()),
    items: Type.Array(ItemSchema, { minItems: 1 }),
  },
  { additionalProperties: false },
);
export type ItemGroup = Static<typeof ItemGroupSchema>;

/** Inclusive bounds: a total t is in the band when min <= t <= max. */
export const BandSchema = Type.Object(
  {
    id: Type.String({ minLength: 1, maxLength: 64 }),
    label: Type.String({ minLength: 1 }),
    min: Type.Number(),
    max: Type.Number(),
  },
  { additionalProperties: false },
);
export type Band = Static<typeof BandSchema>;

/** Bands that apply instead of the default ones when the scoring context matches (AUDIT-C cut-off by sex). */
export const BandVariantSchema = Type.Object(
  {
    contextKey: Type.String({ minLength: 1 }),
    contextValue: Type.String({ minLength: 1 }),
    bands: Type.Array(BandSchema, { minItems: 1 }),
  },
  { additionalProperties: false },
);
export type BandVariant = Static<typeof BandVariantSchema>;

// ---------------------------------------------------------------------------
// Scoring rule
// ---------------------------------------------------------------------------

export const SubscaleSchema = Type.Object(
  {
    id: Type.String({ minLength: 1, maxLength: 64 }),
    label: Type.String({ minLength: 1 }),
    itemIds: Type.Array(Type.String(), { minItems: 1 }),
    bands: Type.Optional(Type.Array(BandSchema, { minItems: 1 })),
  },
  { additionalProperties: false },
);
export type Subscale = Static<typeof SubscaleSchema>;

export const ScoringRuleSchema = Type.Union([
  /** Total = sum of the chosen options' scores over itemIds (all or a subset, e.g. AUDIT-C). */
  Type.Object(
    {
      kind: Type.Literal('sum'),
      itemIds: Type.Array(Type.String(), { minItems: 1 }),
      subscales: Type.Optional(Type.Array(SubscaleSchema)),
    },
    { additionalProperties: false },
  ),
  /**
   * Total = number of items answered `countValue` (SCOFF: 'yes'), plus the number of
   * `reversedItemIds` answered anything else (an imported DAST-10's item 3 scores for "no").
   */
  Type.Object(
    {
      kind: Type.Literal('count'),
      itemIds: Type.Array(Type.String(), { minItems: 1 }),
      countValue: OptionValueSchema,
      reversedItemIds: Type.Optional(Type.Array(Type.String())),
    },
    { additionalProperties: false },
  ),
  /** Total = the score of one item (PGIC). */
  Type.Object({ kind: Type.Literal('single'), itemId: Type.String() }, { additionalProperties: false }),
  /** A form: nothing is scored (the medical history). */
  Type.Object({ kind: Type.Literal('none') }, { additionalProperties: false }),
]);
export type ScoringRule = Static<typeof ScoringRuleSchema>;

/**
 * What to do when scored items are missing. Default `require-all`: the response is
 * `incomplete` and gets no total. `prorate` only where the instrument's manual says so:
 * total = round(sum of answered × items / answered) when at most `maxMissing` are missing.
 */
export const MissingItemRuleSchema = Type.Union([
  Type.Object({ kind: Type.Literal('require-all') }, { additionalProperties: false }),
  Type.Object(
    {
      kind: Type.Literal('prorate'),
      maxMissing: Type.Integer({ minimum: 1 }),
      source: Type.String({ minLength: 1 }),
    },
    { additionalProperties: false },
  ),
]);
export type MissingItemRule = Static<typeof MissingItemRuleSchema>;

/** A positive answer that must reach a clinician at once (PHQ-9 item 9 > 0). */
export const CriticalItemSchema = Type.Object(
  {
    itemId: Type.String({ minLength: 1 }),
    op: CompareOpSchema,
    value: OptionValueSchema,
    reason: Type.String({ minLength: 1 }),
  },
  { additionalProperties: false },
);
export type CriticalItem = Static<typeof CriticalItemSchema>;

/** Conditions used by indicators. */
export const IndicatorConditionSchema = Type.Union([
  Type.Object(
    { kind: Type.Literal('total'), op: CompareOpSchema, value: Type.Number() },
    { additionalProperties: false },
  ),
  Type.Object(
    { kind: Type.Literal('item'), itemId: Type.String(), op: CompareOpSchema, value: OptionValueSchema },
    { additionalProperties: false },
  ),
  /** Sum of item scores over itemIds compared with value (AUDIT items 4–6 total >= 2). */
  Type.Object(
    {
      kind: Type.Literal('sum'),
      itemIds: Type.Array(Type.String(), { minItems: 1 }),
      op: CompareOpSchema,
      value: Type.Number(),
    },
    { additionalProperties: false },
  ),
  /** Number of itemIds whose score satisfies itemOp/itemValue, compared with op/value (PCL-5 DSM-5 rule). */
  Type.Object(
    {
      kind: Type.Literal('count'),
      itemIds: Type.Array(Type.String(), { minItems: 1 }),
      itemOp: CompareOpSchema,
      itemValue: Type.Number(),
      op: CompareOpSchema,
      value: Type.Number(),
    },
    { additionalProperties: false },
  ),
]);
export type IndicatorCondition = Static<typeof IndicatorConditionSchema>;

/**
 * A published secondary reading of a complete response: "provisional PTSD" on PCL-5,
 * or AUDIT's "step up one zone" rule. `escalateBand` moves `adjustedBand` up that many bands.
 */
export const IndicatorSchema = Type.Object(
  {
    id: Type.String({ minLength: 1, maxLength: 64 }),
    label: Type.String({ minLength: 1 }),
    match: Type.Union([Type.Literal('all'), Type.Literal('any')]),
    conditions: Type.Array(IndicatorConditionSchema, { minItems: 1 }),
    escalateBand: Type.Optional(Type.Integer({ minimum: 1 })),
    source: Type.String({ minLength: 1 }),
  },
  { additionalProperties: false },
);
export type Indicator = Static<typeof IndicatorSchema>;

/** Change between two totals that counts as response / remission / meaningful change. */
export const OutcomeCriteriaSchema = Type.Object(
  {
    /** Response when (baseline − current) / baseline >= this fraction (PHQ-9: 0.5). */
    responseMinReduction: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 1 })),
    /** Remission when current < this (PHQ-9: 5). */
    remissionBelow: Type.Optional(Type.Number()),
    /** Meaningful change when baseline − current >= this (PCL-5: 10). */
    meaningfulChange: Type.Optional(Type.Number({ exclusiveMinimum: 0 })),
    source: Type.String({ minLength: 1 }),
  },
  { additionalProperties: false },
);
export type OutcomeCriteria = Static<typeof OutcomeCriteriaSchema>;

// ---------------------------------------------------------------------------
// The definition
// ---------------------------------------------------------------------------

export const InstrumentDefinitionSchema = Type.Object(
  {
    /** Stable code clients use, e.g. `phq-9`. */
    code: Type.String({ minLength: 2, maxLength: 64, pattern: '^[a-z0-9][a-z0-9-]*$' }),
    title: Type.String({ minLength: 1 }),
    /** Version of this definition; stored responses keep the version they were answered on. */
    version: Type.String({ minLength: 1, maxLength: 32, pattern: '^[0-9A-Za-z][0-9A-Za-z.+-]*$' }),
    kind: Type.Union([Type.Literal('measure'), Type.Literal('form')]),
    /** Who owns the text and on what terms it is used here. */
    licence: Type.String({ minLength: 1 }),
    /** Where the item wording came from. */
    source: Type.String({ minLength: 1 }),
    /** Recall period shown to the patient, e.g. "last 2 weeks". */
    recallPeriod: Type.Optional(Type.String()),
    groups: Type.Array(ItemGroupSchema, { minItems: 1 }),
    scoring: ScoringRuleSchema,
    missingItems: MissingItemRuleSchema,
    bands: Type.Optional(Type.Array(BandSchema, { minItems: 1 })),
    bandVariants: Type.Optional(Type.Array(BandVariantSchema)),
    /** Source of the bands and cut-offs. */
    bandSource: Type.Optional(Type.String({ minLength: 1 })),
    criticalItems: Type.Optional(Type.Array(CriticalItemSchema)),
    indicators: Type.Optional(Type.Array(IndicatorSchema)),
    outcome: Type.Optional(OutcomeCriteriaSchema),
  },
  { additionalProperties: false },
);
export type InstrumentDefinition = Static<typeof InstrumentDefinitionSchema>;

export interface DefinitionError {
  /** Dotted path into the file, e.g. `groups[0].items[2].options[1].value`. */
  field: string;
  message: string;
}

export type DefinitionValidation =
  | { ok: true; definition: InstrumentDefinition }
  | { ok: false; errors: DefinitionError[] };

// ---------------------------------------------------------------------------
// Helpers shared with scoring
// ---------------------------------------------------------------------------

export function allItems(definition: InstrumentDefinition): Item[] {
  return definition.groups.flatMap((g) => g.items);
}

/** The points an option contributes; undefined when it has none (string value without `score`). */
export function optionScore(option: AnswerOption): number | undefined {
  if (option.score !== undefined) return option.score;
  return typeof option.value === 'number' ? option.value : undefined;
}

/** Items whose answers the scoring rule reads. */
export function scoredItemIds(scoring: ScoringRule): string[] {
  switch (scoring.kind) {
    case 'sum':
      return scoring.itemIds;
    case 'count':
      return scoring.itemIds;
    case 'single':
      return [scoring.itemId];
    case 'none':
      return [];
  }
}

export function compare(a: OptionValue, op: CompareOp, b: OptionValue): boolean {
  switch (op) {
    case 'eq':
      return a === b;
    case 'neq':
      return a !== b;
    case 'gt':
      return typeof a === 'number' && typeof b === 'number' && a > b;
    case 'gte':
      return typeof a === 'number' && typeof b === 'number' && a >= b;
    case 'lt':
      return typeof a === 'number' && typeof b === 'number' && a < b;
    case 'lte':
      return typeof a === 'number' && typeof b === 'number' && a <= b;
  }
}

// ---------------------------------------------------------------------------
// Validation of imported files
// ---------------------------------------------------------------------------

function pointerToField(pointer: string): string {
  if (pointer === '' || pointer === '/') return '(root)';
  return pointer
    .split('/')
    .slice(1)
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((acc, part) => (/^\d+$/.test(part) ? `${acc}[${part}]` : acc ? `${acc}.${part}` : part), '');
}

/**
 * A failed union (items, scoring rule, conditions) only says "Expected union value". When the
 * value has a `kind` naming one member, report that member's errors instead, with full paths.
 */
function discriminatedMember(schema: TSchema, value: unknown): TSchema | undefined {
  const members = (schema as { anyOf?: TSchema[] }).anyOf;
  if (!members || typeof value !== 'object' || value === null) return undefined;
  const kind = (value as { kind?: unknown }).kind;
  if (typeof kind !== 'string') return undefined;
  return members.find((m) => (m as { properties?: { kind?: { const?: unknown } } }).properties?.kind?.const === kind);
}

function collectErrors(schema: TSchema, value: unknown, prefix: string, out: DefinitionError[], seen: Set<string>): void {
  for (const e of Value.Errors(schema, value)) {
    const member = discriminatedMember(e.schema, e.value);
    if (member) {
      collectErrors(member, e.value, prefix + e.path, out, seen);
      continue;
    }
    const field = pointerToField(prefix + e.path);
    // A failed union reports once per branch; keep the first message per field.
    if (seen.has(field)) continue;
    seen.add(field);
    out.push({ field, message: e.message });
  }
}

function structuralErrors(input: unknown): DefinitionError[] {
  const errors: DefinitionError[] = [];
  collectErrors(InstrumentDefinitionSchema, input, '', errors, new Set());
  return errors;
}

function checkBands(bands: Band[], field: string, range: { min: number; max: number } | undefined): DefinitionError[] {
  const errors: DefinitionError[] = [];
  const ids = new Set<string>();
  bands.forEach((b, i) => {
    if (b.min > b.max) errors.push({ field: `${field}[${i}]`, message: `min ${b.min} is greater than max ${b.max}` });
    if (ids.has(b.id)) errors.push({ field: `${field}[${i}].id`, message: `duplicate band id "${b.id}"` });
    ids.add(b.id);
  });
  for (let i = 1; i < bands.length; i++) {
    const prev = bands[i - 1]!;
    const cur = bands[i]!;
    if (cur.min <= prev.max) {
      errors.push({ field: `${field}[${i}].min`, message: `band overlaps or is out of order with band "${prev.id}" (ends at ${prev.max})` });
    } else if (cur.min !== prev.max + 1) {
      errors.push({ field: `${field}[${i}].min`, message: `gap between ${prev.max} and ${cur.min}: bands must be contiguous (next min = previous max + 1)` });
    }
  }
  if (range && bands.length > 0) {
    const first = bands[0]!;
    const last = bands[bands.length - 1]!;
    if (first.min !== range.min) errors.push({ field: `${field}[0].min`, message: `bands must start at the lowest possible score ${range.min}` });
    if (last.max !== range.max) errors.push({ field: `${field}[${bands.length - 1}].max`, message: `bands must end at the highest possible score ${range.max}` });
  }
  return errors;
}

/** Lowest and highest possible total for a scoring rule (undefined for forms). */
export function scoreRange(definition: InstrumentDefinition, itemIds?: string[]): { min: number; max: number } | undefined {
  const byId = new Map(allItems(definition).map((i) => [i.id, i]));
  const scoring = definition.scoring;
  if (scoring.kind === 'none') return undefined;
  if (scoring.kind === 'count' && !itemIds) return { min: 0, max: scoring.itemIds.length };
  const ids = itemIds ?? scoredItemIds(scoring);
  let min = 0;
  let max = 0;
  for (const id of ids) {
    const item = byId.get(id);
    if (!item || item.kind !== 'choice') return undefined;
    const scores = item.options.map(optionScore);
    if (scores.some((s) => s === undefined)) return undefined;
    min += Math.min(...(scores as number[]));
    max += Math.max(...(scores as number[]));
  }
  return { min, max };
}

function semanticErrors(def: InstrumentDefinition): DefinitionError[] {
  const errors: DefinitionError[] = [];
  const itemIndex = new Map<string, { item: Item; field: string; order: number }>();
  const groupIds = new Set<string>();
  let order = 0;

  def.groups.forEach((group, gi) => {
    if (groupIds.has(group.id)) errors.push({ field: `groups[${gi}].id`, message: `duplicate group id "${group.id}"` });
    groupIds.add(group.id);
    group.items.forEach((item, ii) => {
      const field = `groups[${gi}].items[${ii}]`;
      if (itemIndex.has(item.id)) errors.push({ field: `${field}.id`, message: `duplicate item id "${item.id}"` });
      if (item.kind === 'choice' || item.kind === 'multi-choice') {
        const values = new Set<OptionValue>();
        item.options.forEach((o, oi) => {
          if (values.has(o.value)) errors.push({ field: `${field}.options[${oi}].value`, message: `duplicate option value ${JSON.stringify(o.value)}` });
          values.add(o.value);
        });
      }
      if (item.kind === 'number' && item.min !== undefined && item.max !== undefined && item.min > item.max) {
        errors.push({ field: `${field}.min`, message: `min ${item.min} is greater than max ${item.max}` });
      }
      if (item.showIf) {
        const target = itemIndex.get(item.showIf.itemId);
        if (!target) errors.push({ field: `${field}.showIf.itemId`, message: `"${item.showIf.itemId}" is not an earlier item` });
      }
      itemIndex.set(item.id, { item, field, order: order++ });
    });
  });

  const requireScoredChoice = (id: string, field: string): void => {
    const entry = itemIndex.get(id);
    if (!entry) {
      errors.push({ field, message: `unknown item "${id}"` });
      return;
    }
    if (entry.item.kind !== 'choice') {
      errors.push({ field, message: `item "${id}" must be a single-choice item to be scored` });
      return;
    }
    entry.item.options.forEach((o, oi) => {
      if (optionScore(o) === undefined) {
        errors.push({ field: `${entry.field}.options[${oi}].score`, message: `option ${JSON.stringify(o.value)} of scored item "${id}" needs a numeric value or score` });
      }
    });
  };
  const requireItem = (id: string, field: string): void => {
    if (!itemIndex.has(id)) errors.push({ field, message: `unknown item "${id}"` });
  };

  const scoring = def.scoring;
  switch (scoring.kind) {
    case 'sum': {
      const seen = new Set<string>();
      scoring.itemIds.forEach((id, i) => {
        if (seen.has(id)) errors.push({ field: `scoring.itemIds[${i}]`, message: `item "${id}" listed twice` });
        seen.add(id);
        requireScoredChoice(id, `scoring.itemIds[${i}]`);
      });
      (scoring.subscales ?? []).forEach((s, si) => {
        s.itemIds.forEach((id, i) => {
          if (!seen.has(id)) errors.push({ field: `scoring.subscales[${si}].itemIds[${i}]`, message: `item "${id}" is not one of the scored items` });
        });
      });
      break;
    }
    case 'count': {
      scoring.itemIds.forEach((id, i) => {
        const entry = itemIndex.get(id);
        if (!entry) errors.push({ field: `scoring.itemIds[${i}]`, message: `unknown item "${id}"` });
        else if (entry.item.kind !== 'choice') errors.push({ field: `scoring.itemIds[${i}]`, message: `item "${id}" must be a single-choice item to be counted` });
        else if (!entry.item.options.some((o) => o.value === scoring.countValue)) {
          errors.push({ field: `scoring.itemIds[${i}]`, message: `item "${id}" has no option with value ${JSON.stringify(scoring.countValue)}` });
        }
      });
      (scoring.reversedItemIds ?? []).forEach((id, i) => {
        if (!scoring.itemIds.includes(id)) errors.push({ field: `scoring.reversedItemIds[${i}]`, message: `item "${id}" is not one of the counted items` });
      });
      break;
    }
    case 'single':
      requireScoredChoice(scoring.itemId, 'scoring.itemId');
      break;
    case 'none':
      break;
  }

  if (def.kind === 'form' && scoring.kind !== 'none') errors.push({ field: 'scoring.kind', message: 'a form is not scored: use kind "none"' });
  if (def.kind === 'measure' && scoring.kind === 'none') errors.push({ field: 'scoring.kind', message: 'a measure needs a scoring rule' });
  if (def.missingItems.kind === 'prorate') {
    if (scoring.kind !== 'sum') errors.push({ field: 'missingItems.kind', message: 'prorating applies only to a sum scoring rule' });
    else if (def.missingItems.maxMissing >= scoring.itemIds.length) {
      errors.push({ field: 'missingItems.maxMissing', message: 'maxMissing must be less than the number of scored items' });
    }
  }

  const range = scoreRange(def);
  if (def.bands) {
    if (scoring.kind === 'none') errors.push({ field: 'bands', message: 'a form without scoring cannot have bands' });
    else errors.push(...checkBands(def.bands, 'bands', range));
  }
  (def.bandVariants ?? []).forEach((v, vi) => {
    if (!def.bands) errors.push({ field: `bandVariants[${vi}]`, message: 'band variants need default bands' });
    errors.push(...checkBands(v.bands, `bandVariants[${vi}].bands`, range));
    const defaultIds = (def.bands ?? []).map((b) => b.id).join(',');
    // Variants change cut-offs, not categories: the UI and stored scores rely on the same ids.
    if (def.bands && v.bands.map((b) => b.id).join(',') !== defaultIds) {
      errors.push({ field: `bandVariants[${vi}].bands`, message: `variant band ids must match the default band ids (${defaultIds})` });
    }
  });
  if (scoring.kind === 'sum') {
    (scoring.subscales ?? []).forEach((s, si) => {
      if (s.bands) errors.push(...checkBands(s.bands, `scoring.subscales[${si}].bands`, scoreRange(def, s.itemIds)));
    });
  }
  if ((def.bands || def.bandVariants) && !def.bandSource) {
    errors.push({ field: 'bandSource', message: 'bands need a source' });
  }

  (def.criticalItems ?? []).forEach((c, ci) => {
    const entry = itemIndex.get(c.itemId);
    if (!entry) {
      errors.push({ field: `criticalItems[${ci}].itemId`, message: `unknown item "${c.itemId}"` });
      return;
    }
    if (entry.item.kind === 'choice' && !entry.item.options.some((o) => compare(o.value, c.op, c.value))) {
      errors.push({ field: `criticalItems[${ci}]`, message: `no option of item "${c.itemId}" can satisfy ${c.op} ${JSON.stringify(c.value)}` });
    }
  });

  (def.indicators ?? []).forEach((ind, ii) => {
    if (ind.escalateBand && !def.bands) errors.push({ field: `indicators[${ii}].escalateBand`, message: 'escalation needs bands' });
    ind.conditions.forEach((c, ci) => {
      const field = `indicators[${ii}].conditions[${ci}]`;
      if (c.kind === 'total' && scoring.kind === 'none') errors.push({ field, message: 'a form has no total' });
      if (c.kind === 'item') requireItem(c.itemId, `${field}.itemId`);
      if (c.kind === 'sum' || c.kind === 'count') c.itemIds.forEach((id, i) => requireScoredChoice(id, `${field}.itemIds[${i}]`));
    });
  });

  if (def.outcome && scoring.kind === 'none') errors.push({ field: 'outcome', message: 'a form has no total to compare' });
  return errors;
}

/**
 * Validate an instrument definition file (admin import). Returns the typed definition,
 * or every error found, each naming its field.
 */
export function validateInstrumentDefinition(input: unknown): DefinitionValidation {
  const structural = structuralErrors(input);
  if (structural.length > 0) return { ok: false, errors: structural };
  const definition = input as InstrumentDefinition;
  const semantic = semanticErrors(definition);
  if (semantic.length > 0) return { ok: false, errors: semantic };
  return { ok: true, definition };
}
