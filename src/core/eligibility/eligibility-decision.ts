/**
 * Rules for recording an eligibility decision (pure). The prescriber decides; the software
 * makes sure the decision is documented: an `eligible` decision over an absolute
 * contraindication flag — or over an absolute rule that could not be evaluated because a
 * fact is missing — needs a written override reason, which is kept and shown on the chart.
 */
import type { ContraindicationEvaluation } from '../screening/contraindications';

export const ELIGIBILITY_DECISIONS = ['eligible', 'not_eligible', 'needs_more_information', 'refer_out'] as const;
export type EligibilityDecision = (typeof ELIGIBILITY_DECISIONS)[number];

export const ELIGIBILITY_DECISION_LABELS: Record<EligibilityDecision, string> = {
  eligible: 'Eligible',
  not_eligible: 'Not eligible',
  needs_more_information: 'Needs more information',
  refer_out: 'Refer out',
};

/** Minimum length of a written reason (override, rationale): enough to say why. */
export const MIN_REASON_LENGTH = 10;

export interface OverrideRequirement {
  /** Absolute rules flagged, or undetermined, that an `eligible` decision would override. */
  ruleIds: string[];
  required: boolean;
}

export function overrideRequirement(decision: EligibilityDecision, evaluation: ContraindicationEvaluation): OverrideRequirement {
  if (decision !== 'eligible') return { ruleIds: [], required: false };
  const ruleIds = [
    ...evaluation.flags.filter((f) => f.level === 'absolute').map((f) => f.ruleId),
    ...evaluation.undetermined.filter((u) => u.level === 'absolute').map((u) => u.ruleId),
  ];
  return { ruleIds, required: ruleIds.length > 0 };
}

export type DecisionProblem = { field: 'rationale' | 'overrideReason' | 'validUntil'; message: string };

/** Problems with a decision a prescriber is about to sign; empty when it may be signed. */
export function checkDecision(
  input: { decision: EligibilityDecision; rationale: string; overrideReason?: string | null; validUntil?: string | null },
  evaluation: ContraindicationEvaluation,
  nowIso: string,
): DecisionProblem[] {
  const problems: DecisionProblem[] = [];
  if (input.rationale.trim().length < MIN_REASON_LENGTH) {
    problems.push({ field: 'rationale', message: `Write a rationale of at least ${MIN_REASON_LENGTH} characters` });
  }
  const req = overrideRequirement(input.decision, evaluation);
  if (req.required && (input.overrideReason ?? '').trim().length < MIN_REASON_LENGTH) {
    problems.push({
      field: 'overrideReason',
      message: `An eligible decision overrides absolute contraindication rule(s) ${req.ruleIds.join(', ')}: write the reason for the override (at least ${MIN_REASON_LENGTH} characters)`,
    });
  }
  if (input.validUntil && input.validUntil <= nowIso) {
    problems.push({ field: 'validUntil', message: 'validUntil must be in the future' });
  }
  return problems;
}
