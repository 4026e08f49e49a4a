import { describe, expect, it } from 'vitest';
import { validateInstrumentDefinition } from '../instrument-definition.schema';
import { InvalidAnswersError, scoreResponse } from '../score-response';
import { answersForTotal } from '../test-support/fixture-instrument';
import { COMPLETE_HISTORY } from '../test-support/complete-history';
import { audit } from './audit';
import { auditC } from './audit-c';
import { BUNDLED_INSTRUMENTS, findBundledInstrument } from './bundled-instruments';
import { gad7 } from './gad-7';
import { medicalHistory } from './medical-history';
import { pcl5 } from './pcl-5';
import { pgic } from './pgic';
import { phq9 } from './phq-9';
import { scoff } from './scoff';

const range = (from: number, to: number, prefix: string) => Array.from({ length: to - from + 1 }, (_, i) => `${prefix}${from + i}`);
const PHQ = range(1, 9, 'phq9_');
const GAD = range(1, 7, 'gad7_');
const PCL = range(1, 20, 'pcl5_');

describe('bundled instruments', () => {
  it.each(BUNDLED_INSTRUMENTS.map((d) => [d.code, d] as const))('%s passes import validation (as JSON)', (_code, def) => {
    const result = validateInstrumentDefinition(JSON.parse(JSON.stringify(def)));
    expect(result.ok ? [] : result.errors).toEqual([]);
  });

  it('ships the licensed-OK set and not C-SSRS, DAST-10 or the CADSS', () => {
    expect(BUNDLED_INSTRUMENTS.map((d) => d.code)).toEqual(['phq-9', 'gad-7', 'pcl-5', 'audit', 'audit-c', 'scoff', 'pgic', 'medical-history', 'post-session-check-in']);
    const text = JSON.stringify(BUNDLED_INSTRUMENTS).toLowerCase();
    expect(text).not.toContain('c-ssrs screener');
    expect(findBundledInstrument('dast-10')).toBeUndefined();
    expect(findBundledInstrument('cadss')).toBeUndefined();
    expect(findBundledInstrument('phq-9')).toBe(phq9);
  });

  it('every definition says where its text came from and its licence; SCOFF says the licence is unclear', () => {
    for (const d of BUNDLED_INSTRUMENTS) {
      expect(d.source.length).toBeGreaterThan(10);
      expect(d.licence.length).toBeGreaterThan(5);
    }
    expect(scoff.licence).toMatch(/^UNCLEAR/);
  });
});

describe('PHQ-9 (Kroenke 2001) — bands 0–4 / 5–9 / 10–14 / 15–19 / 20–27', () => {
  it.each([
    [0, 'minimal'],
    [4, 'minimal'],
    [5, 'mild'],
    [9, 'mild'],
    [10, 'moderate'],
    [14, 'moderate'],
    [15, 'moderately-severe'],
    [19, 'moderately-severe'],
    [20, 'severe'],
    [27, 'severe'],
  ])('total %i → %s', (total, band) => {
    const r = scoreResponse(phq9, answersForTotal(PHQ, 3, total));
    expect(r).toMatchObject({ status: 'scored', total, band: { id: band } });
  });

  it('sums items 1–9 and ignores the optional difficulty item', () => {
    const answers = { phq9_1: 3, phq9_2: 2, phq9_3: 1, phq9_4: 0, phq9_5: 3, phq9_6: 2, phq9_7: 1, phq9_8: 0, phq9_9: 0, phq9_difficulty: 3 };
    expect(scoreResponse(phq9, answers).total).toBe(12);
    const { phq9_difficulty: _omit, ...withoutDifficulty } = answers;
    expect(scoreResponse(phq9, withoutDifficulty)).toMatchObject({ status: 'scored', total: 12, missingItemIds: [] });
  });

  it('positive screen at ≥ 10, not at 9', () => {
    expect(scoreResponse(phq9, answersForTotal(PHQ, 3, 9)).indicators).toEqual([expect.objectContaining({ id: 'positive-screen', met: false })]);
    expect(scoreResponse(phq9, answersForTotal(PHQ, 3, 10)).indicators).toEqual([expect.objectContaining({ id: 'positive-screen', met: true })]);
  });

  it('a missing item makes it incomplete — not prorated, not zero', () => {
    const answers: Record<string, number> = answersForTotal(PHQ, 3, 12);
    delete answers.phq9_4;
    const r = scoreResponse(phq9, answers);
    expect(r).toMatchObject({ status: 'incomplete', missingItemIds: ['phq9_4'] });
    expect(r.total).toBeUndefined();
  });

  it.each([1, 2, 3])('item 9 = %i is a critical hit', (v) => {
    const r = scoreResponse(phq9, { ...answersForTotal(PHQ, 0, 0), phq9_9: v });
    expect(r.criticalHits).toEqual([{ itemId: 'phq9_9', reason: expect.stringContaining('item 9') }]);
  });

  it('item 9 = 0 is not a critical hit', () => {
    expect(scoreResponse(phq9, answersForTotal(PHQ, 3, 27 - 3)).criticalHits).toEqual([]); // phq9_9 is 0 in this fill
  });

  it('item 9 > 0 alerts in a partial save too', () => {
    const r = scoreResponse(phq9, { phq9_9: 1 });
    expect(r.status).toBe('incomplete');
    expect(r.criticalHits).toHaveLength(1);
  });

  it.each([[-1], [4], [1.5], ['2'], [true as unknown as number]])('rejects %j naming the item', (bad) => {
    expect(() => scoreResponse(phq9, { ...answersForTotal(PHQ, 3, 0), phq9_3: bad as number })).toThrow(InvalidAnswersError);
    try {
      scoreResponse(phq9, { phq9_3: bad as number });
    } catch (e) {
      expect((e as InvalidAnswersError).field).toBe('phq9_3');
    }
  });
});

describe('GAD-7 (Spitzer 2006) — cut-points 5 / 10 / 15', () => {
  it.each([
    [0, 'minimal'],
    [4, 'minimal'],
    [5, 'mild'],
    [9, 'mild'],
    [10, 'moderate'],
    [14, 'moderate'],
    [15, 'severe'],
    [21, 'severe'],
  ])('total %i → %s', (total, band) => {
    expect(scoreResponse(gad7, answersForTotal(GAD, 3, total))).toMatchObject({ status: 'scored', total, band: { id: band } });
  });

  it('positive screen at ≥ 10', () => {
    expect(scoreResponse(gad7, answersForTotal(GAD, 3, 9)).indicators?.[0]?.met).toBe(false);
    expect(scoreResponse(gad7, answersForTotal(GAD, 3, 10)).indicators?.[0]?.met).toBe(true);
  });

  it('has no critical items; a missing item → incomplete', () => {
    expect(scoreResponse(gad7, answersForTotal(GAD, 3, 21)).criticalHits).toEqual([]);
    const a: Record<string, number> = answersForTotal(GAD, 3, 5);
    delete a.gad7_7;
    expect(scoreResponse(gad7, a).status).toBe('incomplete');
  });
});

describe('PCL-5 (NC-PTSD) — total 0–80, no severity bands, provisional PTSD rules', () => {
  it.each([0, 32, 33, 80])('total %i has no band', (total) => {
    const r = scoreResponse(pcl5, answersForTotal(PCL, 4, total));
    expect(r).toMatchObject({ status: 'scored', total });
    expect(r.band).toBeUndefined();
  });

  it('cut-off indicator: 32 not met, 33 met', () => {
    const met = (total: number) => scoreResponse(pcl5, answersForTotal(PCL, 4, total)).indicators?.find((i) => i.id === 'provisional-ptsd-cutoff')?.met;
    expect(met(32)).toBe(false);
    expect(met(33)).toBe(true);
  });

  const zeros = Object.fromEntries(PCL.map((id) => [id, 0]));
  const dsm = (a: Record<string, number>) => scoreResponse(pcl5, { ...zeros, ...a }).indicators?.find((i) => i.id === 'provisional-ptsd-dsm5')?.met;
  const minimal = { pcl5_1: 2, pcl5_6: 2, pcl5_8: 2, pcl5_9: 2, pcl5_15: 2, pcl5_16: 2 };

  it('DSM-5 rule: exactly 1 B, 1 C, 2 D, 2 E items at ≥ 2 is met', () => {
    expect(dsm(minimal)).toBe(true);
  });

  it.each([
    ['B', { pcl5_1: 1 }],
    ['C', { pcl5_6: 1 }],
    ['D', { pcl5_9: 1 }],
    ['E', { pcl5_16: 1 }],
  ])('DSM-5 rule fails when cluster %s falls short (item at 1 does not count)', (_c, change) => {
    expect(dsm({ ...minimal, ...change })).toBe(false);
  });

  it('reports cluster subscales', () => {
    const r = scoreResponse(pcl5, { ...zeros, pcl5_1: 4, pcl5_5: 1, pcl5_7: 3, pcl5_14: 2, pcl5_20: 4 });
    expect(r.subscales?.map((s) => [s.id, s.total])).toEqual([
      ['b-intrusion', 5],
      ['c-avoidance', 3],
      ['d-cognition-mood', 2],
      ['e-arousal', 4],
    ]);
    expect(r.total).toBe(14);
  });

  it('rejects 5 on a 0–4 item; a missing item → incomplete', () => {
    expect(() => scoreResponse(pcl5, { pcl5_20: 5 })).toThrow(/pcl5_20/);
    const { pcl5_20: _x, ...rest } = zeros;
    expect(scoreResponse(pcl5, rest)).toMatchObject({ status: 'incomplete', missingItemIds: ['pcl5_20'] });
  });
});

describe('AUDIT (WHO 2001) — zones I 0–7, II 8–15, III 16–19, IV 20–40', () => {
  const ITEMS = range(1, 10, 'audit_');
  /** Fill items 1–3 and 7–8 first so the step-up rule (items 4–6, 9–10) stays off. */
  function auditAnswers(total: number): Record<string, number> {
    const order = ['audit_1', 'audit_2', 'audit_3', 'audit_7', 'audit_8', 'audit_4', 'audit_5', 'audit_6'];
    const a: Record<string, number> = Object.fromEntries(ITEMS.map((id) => [id, 0]));
    let left = total;
    for (const id of order) {
      a[id] = Math.min(4, left);
      left -= a[id]!;
    }
    // items 9 and 10 take 0/2/4 only
    for (const id of ['audit_9', 'audit_10']) {
      const v = left >= 4 ? 4 : left >= 2 ? 2 : 0;
      a[id] = v;
      left -= v;
    }
    if (left !== 0) throw new Error(`cannot build ${total}`);
    return a;
  }

  it.each([
    [0, 'zone-1'],
    [7, 'zone-1'],
    [8, 'zone-2'],
    [15, 'zone-2'],
    [16, 'zone-3'],
    [19, 'zone-3'],
    [20, 'zone-4'],
    [40, 'zone-4'],
  ])('total %i → %s', (total, band) => {
    expect(scoreResponse(audit, auditAnswers(total))).toMatchObject({ status: 'scored', total, band: { id: band } });
  });

  it('items 9 and 10 accept only 0, 2, 4 (⚠️ weights)', () => {
    expect(() => scoreResponse(audit, { audit_9: 1 })).toThrow(/audit_9/);
    expect(() => scoreResponse(audit, { audit_10: 3 })).toThrow(/audit_10/);
    expect(() => scoreResponse(audit, { audit_9: 2, audit_10: 4 })).not.toThrow();
  });

  const base = Object.fromEntries(ITEMS.map((id) => [id, 0]));
  it('steps up one zone when items 4–6 total ≥ 2', () => {
    const r = scoreResponse(audit, { ...base, audit_4: 1, audit_6: 1 });
    expect(r).toMatchObject({ total: 2, band: { id: 'zone-1' }, adjustedBand: { id: 'zone-2' } });
    expect(scoreResponse(audit, { ...base, audit_4: 1 }).adjustedBand).toBeUndefined();
  });

  it('steps up when item 9 or 10 = 4, not when = 2', () => {
    expect(scoreResponse(audit, { ...base, audit_9: 4 }).adjustedBand?.id).toBe('zone-2');
    expect(scoreResponse(audit, { ...base, audit_10: 4, audit_1: 4 })).toMatchObject({ total: 8, band: { id: 'zone-2' }, adjustedBand: { id: 'zone-3' } });
    expect(scoreResponse(audit, { ...base, audit_10: 2 }).adjustedBand).toBeUndefined();
    expect(scoreResponse(audit, auditAnswers(17)).adjustedBand).toBeUndefined();
  });

  it('zone IV cannot step further', () => {
    const r = scoreResponse(audit, auditAnswers(40));
    expect(r.band?.id).toBe('zone-4');
    expect(r.adjustedBand).toBeUndefined();
  });

  it('reports the AUDIT-C subscale (items 1–3)', () => {
    expect(scoreResponse(audit, { ...base, audit_1: 2, audit_2: 1, audit_3: 1, audit_8: 4 }).subscales).toEqual([expect.objectContaining({ id: 'audit-c', total: 4 })]);
  });
});

describe('AUDIT-C — positive ≥ 4 men, ≥ 3 women; lower cut-off when sex is unknown', () => {
  const ITEMS = ['audit_1', 'audit_2', 'audit_3'];
  it.each([
    [{ sex: 'male' }, 3, 'negative'],
    [{ sex: 'male' }, 4, 'positive'],
    [{ sex: 'female' }, 2, 'negative'],
    [{ sex: 'female' }, 3, 'positive'],
    [{}, 2, 'negative'],
    [{}, 3, 'positive'],
    [{ sex: 'other' }, 3, 'positive'],
    [{ sex: 'male' }, 0, 'negative'],
    [{ sex: 'male' }, 12, 'positive'],
    [{}, 0, 'negative'],
    [{}, 12, 'positive'],
  ])('%j total %i → %s', (context, total, band) => {
    expect(scoreResponse(auditC, answersForTotal(ITEMS, 4, total), context)).toMatchObject({ total, band: { id: band } });
  });
});

describe('SCOFF (Morgan 1999) — 1 point per yes, ≥ 2 possible eating disorder', () => {
  const ITEMS = range(1, 5, 'scoff_');
  const answers = (yes: number) => Object.fromEntries(ITEMS.map((id, i) => [id, i < yes ? 'yes' : 'no']));
  it.each([
    [0, 'negative'],
    [1, 'negative'],
    [2, 'positive'],
    [5, 'positive'],
  ])('%i yes → %s', (n, band) => {
    expect(scoreResponse(scoff, answers(n))).toMatchObject({ total: n, band: { id: band } });
  });
  it('rejects 1 in place of "yes"; a missing item → incomplete', () => {
    expect(() => scoreResponse(scoff, { scoff_1: 1 })).toThrow(/scoff_1/);
    expect(scoreResponse(scoff, { scoff_1: 'yes' }).status).toBe('incomplete');
  });
});

describe('PGIC — single item 1 (very much improved) … 7 (very much worse)', () => {
  it.each([
    [1, 'very-much-improved'],
    [2, 'much-improved'],
    [3, 'minimally-improved'],
    [4, 'no-change'],
    [5, 'minimally-worse'],
    [6, 'much-worse'],
    [7, 'very-much-worse'],
  ])('%i → %s', (v, band) => {
    expect(scoreResponse(pgic, { pgic_1: v })).toMatchObject({ status: 'scored', total: v, band: { id: band } });
  });
  it.each([0, 8])('rejects %i', (v) => {
    expect(() => scoreResponse(pgic, { pgic_1: v })).toThrow(/pgic_1/);
  });
  it('unanswered → incomplete, no total', () => {
    expect(scoreResponse(pgic, {})).toMatchObject({ status: 'incomplete', missingItemIds: ['pgic_1'] });
  });
});


describe('medical & psychiatric history form', () => {
  it('a full form is complete and unscored', () => {
    const r = scoreResponse(medicalHistory, COMPLETE_HISTORY);
    expect(r).toEqual({ instrumentCode: 'medical-history', instrumentVersion: '1.0.0', status: 'complete', missingItemIds: [], criticalHits: [] });
  });

  it('asks whether hypertension is controlled only when hypertension = yes', () => {
    expect(scoreResponse(medicalHistory, { ...COMPLETE_HISTORY, hx_hypertension: 'yes' })).toMatchObject({
      status: 'incomplete',
      missingItemIds: ['hx_hypertension_controlled'],
    });
    expect(scoreResponse(medicalHistory, { ...COMPLETE_HISTORY, hx_hypertension: 'yes', hx_hypertension_controlled: 'no' }).status).toBe('complete');
  });

  it('covers the topics the issue requires', () => {
    const ids = medicalHistory.groups.flatMap((g) => g.items.map((i) => i.id));
    for (const id of ['hx_psychosis', 'hx_mania', 'hx_bipolar', 'hx_hypertension', 'hx_hypertension_controlled', 'hx_aneurysm', 'hx_cardiac', 'hx_liver', 'hx_glaucoma', 'hx_intracranial_pressure', 'hx_medications', 'hx_allergies', 'hx_sud_current', 'hx_ketamine_past', 'hx_psychedelic_experience', 'hx_pregnant', 'hx_breastfeeding', 'hx_height_cm', 'hx_weight_kg', 'hx_bp_systolic', 'hx_bp_diastolic']) {
      expect(ids).toContain(id);
    }
  });

  it.each([
    ['hx_height_cm', 'out_of_range', 99],
    ['hx_height_cm', 'out_of_range', 251],
    ['hx_weight_kg', 'wrong_type', '70'],
    ['hx_bp_systolic', 'not_integer', 120.5],
    ['hx_bp_diastolic', 'out_of_range', 201],
    ['hx_cardiac', 'wrong_type', 'none'],
    ['hx_cardiac', 'invalid_option', ['gout']],
    ['hx_cardiac', 'duplicate_option', ['arrhythmia', 'arrhythmia']],
    ['hx_allergies', 'too_long', 'x'.repeat(2001)],
    ['hx_pregnant', 'invalid_option', 'maybe'],
  ])('%s → %s', (itemId, code, value) => {
    try {
      scoreResponse(medicalHistory, { ...COMPLETE_HISTORY, [itemId]: value as never });
      expect.unreachable();
    } catch (e) {
      expect((e as InvalidAnswersError).issues).toEqual([expect.objectContaining({ itemId, code })]);
    }
  });

  it('accepts boundary numbers', () => {
    expect(scoreResponse(medicalHistory, { ...COMPLETE_HISTORY, hx_height_cm: 100, hx_weight_kg: 350, hx_bp_systolic: 300, hx_bp_diastolic: 20 }).status).toBe('complete');
  });
});
