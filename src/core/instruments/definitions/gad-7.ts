/**
 * GAD-7 — Generalized Anxiety Disorder 7-item scale (Spitzer et al. 2006, Arch Intern Med 166:1092).
 * Item wording: the standard English GAD-7 released by Pfizer for free use (clinical-facts.md §6 [65][68]).
 * Bands: cut-points 5 / 10 / 15 = mild / moderate / severe [68][69]. No prorating rule is
 * given in clinical-facts.md, so a missing item makes the response incomplete.
 */
import type { InstrumentDefinition } from '../instrument-definition.schema';
import { likertItems, scale } from './answer-scales';

const FREQUENCY = scale(['Not at all', 'Several days', 'More than half the days', 'Nearly every day']);

export const GAD7_ITEM_TEXTS = [
  'Feeling nervous, anxious, or on edge',
  'Not being able to stop or control worrying',
  'Worrying too much about different things',
  'Trouble relaxing',
  'Being so restless that it is hard to sit still',
  'Becoming easily annoyed or irritable',
  'Feeling afraid, as if something awful might happen',
] as const;

export const gad7: InstrumentDefinition = {
  code: 'gad-7',
  title: 'Generalized Anxiety Disorder scale (GAD-7)',
  version: '1.0.0',
  kind: 'measure',
  licence:
    'Developed by Drs Robert L. Spitzer, Janet B.W. Williams, Kurt Kroenke and colleagues, with an educational grant from Pfizer Inc. No permission required to reproduce, translate, display or distribute (Pfizer free-access release, 2010).',
  source: 'Standard English GAD-7 (Spitzer et al. 2006; Pfizer PHQ screeners). clinical-facts.md §6 [65][68].',
  recallPeriod: 'last 2 weeks',
  groups: [
    {
      id: 'symptoms',
      preamble: 'Over the last 2 weeks, how often have you been bothered by the following problems?',
      items: likertItems('gad7_', GAD7_ITEM_TEXTS, FREQUENCY),
    },
    {
      id: 'difficulty',
      items: [
        {
          id: 'gad7_difficulty',
          kind: 'choice',
          required: false,
          text: 'If you checked off any problems, how difficult have these problems made it for you to do your work, take care of things at home, or get along with other people?',
          options: scale(['Not difficult at all', 'Somewhat difficult', 'Very difficult', 'Extremely difficult']),
        },
      ],
    },
  ],
  scoring: { kind: 'sum', itemIds: GAD7_ITEM_TEXTS.map((_, i) => `gad7_${i + 1}`) },
  missingItems: { kind: 'require-all' },
  bands: [
    { id: 'minimal', label: 'Minimal', min: 0, max: 4 },
    { id: 'mild', label: 'Mild', min: 5, max: 9 },
    { id: 'moderate', label: 'Moderate', min: 10, max: 14 },
    { id: 'severe', label: 'Severe', min: 15, max: 21 },
  ],
  bandSource: 'Spitzer et al. 2006 (Arch Intern Med 166:1092): cut-points 5, 10, 15; clinical-facts.md §6 [68][69].',
  indicators: [
    {
      id: 'positive-screen',
      label: 'Positive screen for generalized anxiety disorder (total ≥ 10)',
      match: 'all',
      conditions: [{ kind: 'total', op: 'gte', value: 10 }],
      source: 'Spitzer 2006: total ≥ 10 has sensitivity 89%, specificity 82% for GAD; a 2016 meta-analysis supports ≥ 8 (clinics may lower it). clinical-facts.md §6 [68][69].',
    },
  ],
};
