/* eslint-disable @typescript-eslint/no-explicit-any -- these tests mutate parsed JSON uploads of arbitrary shape, as an admin file could be */
import { describe, expect, it } from 'vitest';
import { scoreRange, validateInstrumentDefinition, type DefinitionError, type InstrumentDefinition } from './instrument-definition.schema';
import { scoreResponse } from './score-response';
import { fixtureCountInstrument, fixtureProratedInstrument } from './test-support/fixture-instrument';

/** The fixture as an admin would upload it: parsed JSON, then mutated per case. */
function upload(mutate: (d: Record<string, any>) => void = () => {}, base: () => InstrumentDefinition = fixtureCountInstrument): unknown {
  const d = JSON.parse(JSON.stringify(base())) as Record<string, any>;
  mutate(d);
  return d;
}

function errorsOf(input: unknown): DefinitionError[] {
  const r = validateInstrumentDefinition(input);
  return r.ok ? [] : r.errors;
}

describe('validateInstrumentDefinition — import of a licensed-instrument file (fixture)', () => {
  it('accepts the fixture and returns a usable definition', () => {
    const r = validateInstrumentDefinition(upload());
    expect(r.ok).toBe(true);
    if (r.ok) expect(scoreResponse(r.definition, { w1: 'yes', w2: 'no', w4: 'no' }).total).toBe(2);
    expect(validateInstrumentDefinition(upload(undefined, fixtureProratedInstrument)).ok).toBe(true);
  });

  it('rejects non-objects', () => {
    expect(errorsOf(null)[0]?.field).toBe('(root)');
    expect(errorsOf('phq-9')[0]?.field).toBe('(root)');
  });

  it.each<[string, string, (d: Record<string, any>) => void]>([
    ['missing code', 'code', (d) => delete d.code],
    ['bad code', 'code', (d) => (d.code = 'PHQ 9')],
    ['bad version', 'version', (d) => (d.version = ' 1')],
    ['missing licence', 'licence', (d) => delete d.licence],
    ['unknown property', 'extra', (d) => (d.extra = 1)],
    ['no groups', 'groups', (d) => (d.groups = [])],
    ['item without text', 'groups[0].items[1].text', (d) => delete d.groups[0].items[1].text],
    ['one option only', 'groups[0].items[0].options', (d) => d.groups[0].items[0].options.pop()],
    ['option without label', 'groups[0].items[0].options[1].label', (d) => delete d.groups[0].items[0].options[1].label],
    ['unknown item kind', 'groups[1].items[1]', (d) => (d.groups[1].items[1].kind = 'slider')],
    ['unknown scoring kind', 'scoring', (d) => (d.scoring = { kind: 'mean', itemIds: ['w1'] })],
    ['band bound not a number', 'bands[0].max', (d) => (d.bands[0].max = '1')],
  ])('shape: %s → field %s', (_name, field, mutate) => {
    expect(errorsOf(upload(mutate)).map((e) => e.field)).toContain(field);
  });

  it.each<[string, string, RegExp, (d: Record<string, any>) => void]>([
    ['duplicate item id', 'groups[1].items[0].id', /duplicate item/, (d) => (d.groups[1].items[0].id = 'w1')],
    ['duplicate group id', 'groups[1].id', /duplicate group/, (d) => (d.groups[1].id = 'sky')],
    ['duplicate option value', 'groups[0].items[0].options[1].value', /duplicate option/, (d) => (d.groups[0].items[0].options[1].value = 'yes')],
    ['showIf forward reference', 'groups[0].items[0].showIf.itemId', /earlier item/, (d) => (d.groups[0].items[0].showIf = { itemId: 'w2', op: 'eq', value: 'yes' })],
    ['scored item unknown', 'scoring.itemIds[4]', /unknown item/, (d) => d.scoring.itemIds.push('w99')],
    ['counted item lacks countValue', 'scoring.itemIds[0]', /no option/, (d) => (d.scoring.countValue = 'sometimes')],
    ['reversed item not counted', 'scoring.reversedItemIds[0]', /not one of the counted/, (d) => (d.scoring.reversedItemIds = ['w5'])],
    ['band gap', 'bands[1].min', /gap/, (d) => (d.bands[1].min = 3)],
    ['band overlap', 'bands[1].min', /overlaps/, (d) => (d.bands[1].min = 1)],
    ['band min > max', 'bands[2]', /greater than/, (d) => (d.bands[2].min = 5)],
    ['bands do not start at 0', 'bands[0].min', /lowest possible score 0/, (d) => (d.bands[0].min = 1)],
    ['bands do not reach the maximum', 'bands[2].max', /highest possible score 4/, (d) => (d.bands[2].max = 3)],
    ['bands beyond the maximum', 'bands[2].max', /highest possible score 4/, (d) => (d.bands[2].max = 9)],
    ['duplicate band id', 'bands[1].id', /duplicate band/, (d) => (d.bands[1].id = 'calm')],
    ['bands without a source', 'bandSource', /source/, (d) => delete d.bandSource],
    ['critical item unknown', 'criticalItems[0].itemId', /unknown item/, (d) => (d.criticalItems[0].itemId = 'w42')],
    ['critical predicate impossible', 'criticalItems[0]', /can satisfy/, (d) => (d.criticalItems[0].value = 'maybe')],
    ['prorating a count rule', 'missingItems.kind', /only to a sum/, (d) => (d.missingItems = { kind: 'prorate', maxMissing: 1, source: 'x' })],
    ['form with a scoring rule', 'scoring.kind', /form is not scored/, (d) => (d.kind = 'form')],
  ])('semantics: %s → field %s', (_name, field, message, mutate) => {
    const errors = errorsOf(upload(mutate));
    expect(errors).toContainEqual({ field, message: expect.stringMatching(message) });
  });

  it.each<[string, string, RegExp, (d: Record<string, any>) => void]>([
    ['scored item with string options and no score', 'groups[0].items[0].options[0].score', /numeric value or score/, (d) => (d.groups[0].items[0].options = [{ value: 'a', label: 'A' }, { value: 'b', label: 'B' }])],
    ['scoring a text item', 'scoring.itemIds[0]', /single-choice/, (d) => (d.groups[0].items[0] = { id: 'e1', kind: 'text', text: 'Hm' })],
    ['prorating too many', 'missingItems.maxMissing', /less than/, (d) => (d.missingItems.maxMissing = 4)],
    ['subscale item not scored', 'scoring.subscales[0].itemIds[1]', /not one of the scored/, (d) => (d.scoring.subscales[0].itemIds = ['e1', 'e9'])],
    ['scored item listed twice', 'scoring.itemIds[3]', /listed twice/, (d) => (d.scoring.itemIds[3] = 'e1')],
    ['measure without scoring', 'scoring.kind', /needs a scoring rule/, (d) => ((d.scoring = { kind: 'none' }), delete d.bands)],
    ['band variant with different ids', 'bandVariants[0].bands', /must match/, (d) => (d.bandVariants = [{ contextKey: 'sex', contextValue: 'male', bands: [{ id: 'x', label: 'X', min: 0, max: 12 }] }])],
    ['indicator on unknown item', 'indicators[0].conditions[0].itemIds[0]', /unknown item/, (d) => (d.indicators = [{ id: 'i', label: 'I', match: 'all', conditions: [{ kind: 'sum', itemIds: ['zz'], op: 'gte', value: 1 }], source: 's' }])],
  ])('semantics (sum fixture): %s → field %s', (_name, field, message, mutate) => {
    expect(errorsOf(upload(mutate, fixtureProratedInstrument))).toContainEqual({ field, message: expect.stringMatching(message) });
  });

  it('reports several errors at once', () => {
    const errors = errorsOf(
      upload((d) => {
        d.groups[1].items[0].id = 'w1';
        d.bands[1].min = 3;
      }),
    );
    expect(errors.length).toBeGreaterThanOrEqual(2);
  });

  it('accepts a count instrument imported with a reverse-scored item and skip logic (C-SSRS/DAST-like shape)', () => {
    const r = validateInstrumentDefinition(upload((d) => (d.version = '2024.1-clinic')));
    expect(r.ok).toBe(true);
  });
});

describe('scoreRange', () => {
  it('computes min/max from option scores', () => {
    expect(scoreRange(fixtureProratedInstrument())).toEqual({ min: 0, max: 12 });
    expect(scoreRange(fixtureCountInstrument())).toEqual({ min: 0, max: 4 });
    expect(scoreRange(fixtureProratedInstrument(), ['e1'])).toEqual({ min: 0, max: 3 });
  });
});
