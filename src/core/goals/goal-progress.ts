/**
 * Treatment goals: the four kinds the clinic uses, and whether a goal tied to a measure
 * has reached its target (e.g. "PHQ-9 below 10"). Pure.
 */
export const GOAL_KINDS = ['insight', 'symptom_reduction', 'personal_growth', 'coping'] as const;
export type GoalKind = (typeof GOAL_KINDS)[number];

export const GOAL_KIND_LABELS: Record<GoalKind, string> = {
  insight: 'New insight into thoughts, feelings or behaviours',
  symptom_reduction: 'Reducing symptoms',
  personal_growth: 'Personal growth',
  coping: 'Coping with difficult feelings',
};

export const TARGET_COMPARATORS = ['below', 'at_or_below', 'above', 'at_or_above'] as const;
export type TargetComparator = (typeof TARGET_COMPARATORS)[number];

export const COMPARATOR_LABELS: Record<TargetComparator, string> = {
  below: 'below',
  at_or_below: 'at or below',
  above: 'above',
  at_or_above: 'at or above',
};

export interface GoalTarget {
  comparator: TargetComparator;
  value: number;
}

export function meetsTarget(target: GoalTarget, total: number): boolean {
  switch (target.comparator) {
    case 'below':
      return total < target.value;
    case 'at_or_below':
      return total <= target.value;
    case 'above':
      return total > target.value;
    case 'at_or_above':
      return total >= target.value;
  }
}

export interface GoalProgress {
  /** The latest total of the measure, when there is one. */
  latestTotal: number | null;
  latestAt: string | null;
  /** null when there is no score yet. */
  targetMet: boolean | null;
}

export function goalProgress(target: GoalTarget, latest: { total: number; at: string } | null): GoalProgress {
  if (!latest) return { latestTotal: null, latestAt: null, targetMet: null };
  return { latestTotal: latest.total, latestAt: latest.at, targetMet: meetsTarget(target, latest.total) };
}

/** "PHQ-9 below 10". */
export function describeTarget(measureTitle: string, target: GoalTarget): string {
  return `${measureTitle} ${COMPARATOR_LABELS[target.comparator]} ${target.value}`;
}
