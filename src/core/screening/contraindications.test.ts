import { describe, expect, it } from 'vitest';
import { COMPLETE_HISTORY } from '../instruments/test-support/complete-history';
import { medicalHistory } from '../instruments/definitions/medical-history';
import type { ContraindicationRule } from './contraindication-rule.schema';
import { validateContraindicationRules } from './contraindication-rule.schema';
import { evaluateContraindications, type IntakeFacts } from './contraindications';
import { DEFAULT_CONTRAINDICATION_RULES } from './default-contraindication-rules';

const CLEAN: IntakeFacts = {
  history: COMPLETE_HISTORY,
  measures: { 'phq-9': { total: 12, band: 'moderate', items: { phq9_9: 0 } }, 'audit-c': { total: 1, band: 'negative' }, audit: { total: 3, band: 'zone-1' } },
};
const withHistory = (h: Record<string, unknown>): IntakeFacts => ({ ...CLEAN, history: { ...CLEAN.history, ...(h as IntakeFacts['history']) } });
const ids = (f: IntakeFacts) => evaluateContraindications(DEFAULT_CONTRAINDICATION_RULES, f).flags.map((x) => x.ruleId);

describe('default contraindication rules', () => {
  it('validate as a rule set, every rule has a source, ids are unique', () => {
    const r = validateContraindicationRules(JSON.parse(JSON.stringify(DEFAULT_CONTRAINDICATION_RULES)));
    expect(r.ok ? [] : r.errors).toEqual([]);
  });

  it('refer only to items that exist on the history form', () => {
    const formIds = new Set(medicalHistory.groups.flatMap((g) => g.items.map((i) => i.id)));
    const walk = (c: ContraindicationRule['when']): string[] =>
      c.kind === 'history' ? [c.itemId] : c.kind === 'all' || c.kind === 'any' ? c.conditions.flatMap(walk) : c.kind === 'not' ? walk(c.condition) : [];
    for (const rule of DEFAULT_CONTRAINDICATION_RULES) for (const id of walk(rule.when)) expect(formIds, `${rule.id} → ${id}`).toContain(id);
  });

  it('a clean intake yields no flags and nothing undetermined except the optional BP reading', () => {
    const r = evaluateContraindications(DEFAULT_CONTRAINDICATION_RULES, CLEAN);
    expect(r.flags).toEqual([]);
    expect(r.undetermined.map((u) => u.ruleId)).toEqual(['reported-bp-above-140-90']);
  });

  it.each([
    ['aneurysmal-vascular-disease', 'absolute', 'label-contraindication', { hx_aneurysm: 'yes' }],
    ['intracerebral-hemorrhage', 'absolute', 'label-contraindication', { hx_intracerebral_hemorrhage: 'yes' }],
    ['ketamine-hypersensitivity', 'absolute', 'label-contraindication', { hx_ketamine_hypersensitivity: 'yes' }],
    ['uncontrolled-hypertension', 'relative', 'research-exclusion', { hx_hypertension: 'yes', hx_hypertension_controlled: 'no' }],
    ['psychosis-history', 'relative', 'research-exclusion', { hx_psychosis: 'yes' }],
    ['mania-or-bipolar', 'relative', 'research-exclusion', { hx_mania: 'yes' }],
    ['mania-or-bipolar', 'relative', 'research-exclusion', { hx_bipolar: 'yes' }],
    ['active-substance-use-disorder', 'relative', 'research-exclusion', { hx_sud_current: 'yes' }],
    ['recent-non-prescribed-use', 'relative', 'research-exclusion', { hx_nonprescribed_recent: ['cannabis'] }],
    ['pregnancy', 'relative', 'label-warning', { hx_pregnant: 'yes' }],
    ['breastfeeding', 'relative', 'label-warning', { hx_breastfeeding: 'yes' }],
    ['hepatic-impairment', 'relative', 'label-warning', { hx_liver: 'yes' }],
    ['significant-cardiac-disease', 'relative', 'label-warning', { hx_cardiac: ['arrhythmia'] }],
    ['significant-cardiac-disease', 'relative', 'label-warning', { hx_cardiac: ['heart-failure', 'valve-disease'] }],
    ['cerebrovascular-disease', 'relative', 'label-warning', { hx_stroke: 'yes' }],
    ['raised-intracranial-pressure', 'relative', 'clinic-exclusion', { hx_intracranial_pressure: 'yes' }],
    ['maoi-use', 'relative', 'research-exclusion', { hx_medication_classes: ['maoi'] }],
    ['past-substance-use-disorder', 'informational', 'label-warning', { hx_sud_past: 'yes' }],
    ['non-medical-ketamine-use', 'informational', 'label-warning', { hx_ketamine_past: 'non-medical' }],
    ['non-medical-ketamine-use', 'informational', 'label-warning', { hx_ketamine_past: 'both' }],
    ['benzodiazepine-use', 'informational', 'research-exclusion', { hx_medication_classes: ['benzodiazepine', 'z-drug'] }],
    ['cognitive-impairment', 'informational', 'label-warning', { hx_cognitive_impairment: 'yes' }],
    ['cystitis', 'informational', 'label-warning', { hx_cystitis: 'yes' }],
    ['glaucoma-raised-intraocular-pressure', 'informational', 'clinic-exclusion', { hx_glaucoma: 'yes' }],
  ])('%s → %s (%s)', (ruleId, level, category, answers) => {
    const r = evaluateContraindications(DEFAULT_CONTRAINDICATION_RULES, withHistory(answers));
    const flag = r.flags.find((f) => f.ruleId === ruleId);
    expect(flag).toMatchObject({ ruleId, level, category, reason: expect.any(String), source: { citation: expect.any(String) } });
  });

  it('does not flag controlled hypertension, medical-only ketamine use, or other cardiac conditions', () => {
    expect(ids(withHistory({ hx_hypertension: 'yes', hx_hypertension_controlled: 'yes' }))).toEqual([]);
    expect(ids(withHistory({ hx_ketamine_past: 'medical' }))).toEqual([]);
    expect(ids(withHistory({ hx_cardiac: ['valve-disease', 'other'] }))).toEqual([]);
  });

  it('BP above 140/90: 141/80 and 120/91 flag; 140/90 does not', () => {
    expect(ids(withHistory({ hx_bp_systolic: 141, hx_bp_diastolic: 80 }))).toEqual(['reported-bp-above-140-90']);
    expect(ids(withHistory({ hx_bp_systolic: 120, hx_bp_diastolic: 91 }))).toEqual(['reported-bp-above-140-90']);
    const r = evaluateContraindications(DEFAULT_CONTRAINDICATION_RULES, withHistory({ hx_bp_systolic: 140, hx_bp_diastolic: 90 }));
    expect(r.flags).toEqual([]);
    expect(r.undetermined).toEqual([]);
  });

  it('PHQ-9 item 9: 0 no flag, 1 informational flag; missing PHQ-9 → undetermined', () => {
    expect(ids({ ...CLEAN, measures: { ...CLEAN.measures, 'phq-9': { items: { phq9_9: 1 } } } })).toEqual(['phq9-item9-positive']);
    const r = evaluateContraindications(DEFAULT_CONTRAINDICATION_RULES, { ...CLEAN, measures: { 'audit-c': { band: 'negative' } } });
    expect(r.undetermined).toContainEqual(expect.objectContaining({ ruleId: 'phq9-item9-positive', missingFacts: ['measures.phq-9.items.phq9_9'] }));
  });

  it('alcohol screen: AUDIT zone III/IV or AUDIT-C positive', () => {
    expect(ids({ ...CLEAN, measures: { ...CLEAN.measures, audit: { band: 'zone-3' } } })).toEqual(['hazardous-alcohol-use']);
    expect(ids({ ...CLEAN, measures: { ...CLEAN.measures, audit: { band: 'zone-2' } } })).toEqual([]);
    expect(ids({ ...CLEAN, measures: { ...CLEAN.measures, 'audit-c': { band: 'positive' } } })).toEqual(['hazardous-alcohol-use']);
  });

  it('"not sure" and missing answers make a rule undetermined, never silently clear', () => {
    const r = evaluateContraindications(DEFAULT_CONTRAINDICATION_RULES, withHistory({ hx_aneurysm: 'unsure', hx_pregnant: undefined }));
    expect(r.flags).toEqual([]);
    expect(r.undetermined).toEqual(
      expect.arrayContaining([
        { ruleId: 'aneurysmal-vascular-disease', title: expect.any(String), level: 'absolute', missingFacts: ['history.hx_aneurysm'] },
        expect.objectContaining({ ruleId: 'pregnancy', missingFacts: ['history.hx_pregnant'] }),
      ]),
    );
    const u = evaluateContraindications(DEFAULT_CONTRAINDICATION_RULES, withHistory({ hx_hypertension: 'yes' })).undetermined;
    expect(u).toContainEqual(expect.objectContaining({ ruleId: 'uncontrolled-hypertension', missingFacts: ['history.hx_hypertension_controlled'] }));
  });

  it('sorts flags absolute → relative → informational', () => {
    const r = evaluateContraindications(DEFAULT_CONTRAINDICATION_RULES, withHistory({ hx_cystitis: 'yes', hx_psychosis: 'yes', hx_aneurysm: 'yes' }));
    expect(r.flags.map((f) => f.level)).toEqual(['absolute', 'relative', 'informational']);
  });

  it('the glaucoma rule is marked unconfirmed; label rules are confirmed', () => {
    const byId = Object.fromEntries(DEFAULT_CONTRAINDICATION_RULES.map((r) => [r.id, r]));
    expect(byId['glaucoma-raised-intraocular-pressure']?.source.status).toBe('unconfirmed');
    expect(byId['glaucoma-raised-intraocular-pressure']?.reason).toMatch(/UNCONFIRMED/);
    expect(byId['aneurysmal-vascular-disease']?.source.status).toBe('confirmed');
  });
});

describe('clinic-configured rules', () => {
  const rule = (over: Partial<ContraindicationRule>): ContraindicationRule => ({
    id: 'r',
    title: 'R',
    level: 'absolute',
    category: 'clinic-exclusion',
    enabled: true,
    when: { kind: 'history', itemId: 'hx_psychosis', op: 'eq', value: 'yes' },
    reason: 'clinic policy',
    source: { citation: 'Clinic protocol v3', status: 'confirmed' },
    ...over,
  });

  it('a clinic can make psychosis absolute, or disable a rule', () => {
    const f = withHistory({ hx_psychosis: 'yes' });
    expect(evaluateContraindications([rule({})], f).flags[0]).toMatchObject({ ruleId: 'r', level: 'absolute', reason: 'clinic policy' });
    expect(evaluateContraindications([rule({ enabled: false })], f)).toEqual({ flags: [], undetermined: [] });
  });

  it('three-valued all/any/not', () => {
    const yes = { kind: 'history' as const, itemId: 'a', op: 'eq' as const, value: 'yes' };
    const yesB = { ...yes, itemId: 'b' };
    const facts = (h: Record<string, string | undefined>): IntakeFacts => ({ history: h, measures: {} });
    const ev = (when: ContraindicationRule['when'], h: Record<string, string | undefined>) => {
      const r = evaluateContraindications([rule({ when })], facts(h));
      return r.flags.length ? 'true' : r.undetermined.length ? 'unknown' : 'false';
    };
    expect(ev({ kind: 'any', conditions: [yes, yesB] }, { a: 'yes' })).toBe('true');
    expect(ev({ kind: 'any', conditions: [yes, yesB] }, { a: 'no' })).toBe('unknown');
    expect(ev({ kind: 'any', conditions: [yes, yesB] }, { a: 'no', b: 'no' })).toBe('false');
    expect(ev({ kind: 'all', conditions: [yes, yesB] }, { a: 'no' })).toBe('false');
    expect(ev({ kind: 'all', conditions: [yes, yesB] }, { a: 'yes' })).toBe('unknown');
    expect(ev({ kind: 'all', conditions: [yes, yesB] }, { a: 'yes', b: 'yes' })).toBe('true');
    expect(ev({ kind: 'not', condition: yes }, { a: 'no' })).toBe('true');
    expect(ev({ kind: 'not', condition: yes }, {})).toBe('unknown');
  });

  it('measure total and band conditions with gte / in', () => {
    const when = { kind: 'measure' as const, instrument: 'phq-9', field: 'total' as const, op: 'gte' as const, value: 20 };
    expect(evaluateContraindications([rule({ when })], { history: {}, measures: { 'phq-9': { total: 20 } } }).flags).toHaveLength(1);
    expect(evaluateContraindications([rule({ when })], { history: {}, measures: { 'phq-9': { total: 19 } } }).flags).toHaveLength(0);
  });

  it('validation names the bad field', () => {
    const bad = JSON.parse(JSON.stringify([rule({}), rule({ id: 'r' })]));
    bad[0].level = 'severe';
    let r = validateContraindicationRules(bad);
    expect(r.ok ? [] : r.errors.map((e) => e.field)).toContain('[0].level');
    r = validateContraindicationRules([rule({}), rule({})]);
    expect(r.ok ? [] : r.errors).toEqual([{ field: '[1].id', message: 'duplicate rule id "r"' }]);
    r = validateContraindicationRules([rule({ when: { kind: 'any', conditions: [{ kind: 'history', itemId: 'x', op: 'in', value: 'yes' }] } })]);
    expect(r.ok ? [] : r.errors).toEqual([{ field: '[0].when.conditions[0].value', message: 'op "in" needs a list of values' }]);
    r = validateContraindicationRules([rule({ when: { kind: 'measure', instrument: 'phq-9', field: 'item', op: 'gt', value: 0 } })]);
    expect(r.ok ? [] : r.errors.map((e) => e.field)).toEqual(['[0].when.itemId']);
  });
});
