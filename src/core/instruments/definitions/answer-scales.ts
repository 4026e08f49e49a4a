/**
 * Small builders for the bundled definitions. Every item carries its own options in
 * the data (the API returns items with options), these only avoid retyping them.
 */
import type { AnswerOption, Item } from '../instrument-definition.schema';

export function scale(labels: readonly string[], first = 0): AnswerOption[] {
  return labels.map((label, i) => ({ value: first + i, label }));
}

/** Choice items sharing one option list, ids `${prefix}1`, `${prefix}2`, … */
export function likertItems(prefix: string, texts: readonly string[], options: AnswerOption[]): Item[] {
  return texts.map((text, i) => ({ id: `${prefix}${i + 1}`, kind: 'choice' as const, text, options }));
}

/** Yes/no options stored as 'yes' / 'no'; `score` makes them countable and summable. */
export const YES_NO: AnswerOption[] = [
  { value: 'yes', label: 'Yes', score: 1 },
  { value: 'no', label: 'No', score: 0 },
];

/** Yes/no/unsure for history questions: "unsure" is a real answer the clinician follows up. */
export const YES_NO_UNSURE: AnswerOption[] = [
  { value: 'yes', label: 'Yes' },
  { value: 'no', label: 'No' },
  { value: 'unsure', label: 'Not sure' },
];
