import { describe, expect, it } from 'vitest';
import type { ContraindicationEvaluation } from '../screening/contraindications';
import { checkDecision, overrideRequirement } from './eligibility-decision';

const source = { citation: 'test', status: 'confirmed' as const };
const absoluteFlag: ContraindicationEvaluation = {
  flags: [
    { ruleId: 'aneurysmal-vascular-disease', title: 'A', level: 'absolute', category: 'label-contraindication', reason: 'r', source },
    { ruleId: 'pregnancy', title: 'P', level: 'relative', category: 'label-warning', reason: 'r', source },
  ],
  undetermined: [],
};
const undeterminedAbsolute: ContraindicationEvaluation = {
  flags: [],
  undetermined: [{ ruleId: 'intracerebral-hemorrhage', title: 'I', level: 'absolute', missingFacts: ['history.hx_intracerebral_hemorrhage'] }],
};
const clear: ContraindicationEvaluation = { flags: [], undetermined: [{ ruleId: 'x', title: 'x', level: 'relative', missingFacts: [] }] };
const now = '2026-11-26T18:00:00.000Z';

describe('eligibility decision rules', () => {
  it('requires an override reason only for eligible over absolute flags or undetermined absolute rules', () => {
    expect(overrideRequirement('eligible', absoluteFlag)).toEqual({ ruleIds: ['aneurysmal-vascular-disease'], required: true });
    expect(overrideRequirement('eligible', undeterminedAbsolute)).toEqual({ ruleIds: ['intracerebral-hemorrhage'], required: true });
    expect(overrideRequirement('eligible', clear)).toEqual({ ruleIds: [], required: false });
    expect(overrideRequirement('not_eligible', absoluteFlag).required).toBe(false);
    expect(overrideRequirement('refer_out', undeterminedAbsolute).required).toBe(false);
  });

  it('names the field of each problem', () => {
    expect(checkDecision({ decision: 'eligible', rationale: 'short' }, clear, now)).toEqual([
      { field: 'rationale', message: expect.stringContaining('rationale') },
    ]);
    const problems = checkDecision({ decision: 'eligible', rationale: 'Reviewed history and scores.', overrideReason: ' ' }, absoluteFlag, now);
    expect(problems.map((p) => p.field)).toEqual(['overrideReason']);
    expect(problems[0]!.message).toContain('aneurysmal-vascular-disease');
    expect(
      checkDecision({ decision: 'eligible', rationale: 'Reviewed history and scores.', overrideReason: 'Repaired in 2019, cleared by vascular surgeon.' }, absoluteFlag, now),
    ).toEqual([]);
    expect(checkDecision({ decision: 'not_eligible', rationale: 'Reviewed history and scores.', validUntil: now }, clear, now).map((p) => p.field)).toEqual([
      'validUntil',
    ]);
  });
});
