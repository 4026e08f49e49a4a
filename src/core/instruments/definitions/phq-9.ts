/**
 * PHQ-9 — Patient Health Questionnaire-9 (Kroenke, Spitzer & Williams 2001, J Gen Intern Med 16:606).
 * Item wording: the standard English PHQ-9 as released by Pfizer for free use
 * (clinical-facts.md §6 [62][65]). Bands and cut-offs: Kroenke 2001 [62][63].
 * Response/remission: NCQA/HEDIS (Psychiatric Services 2020) [64].
 * Missing items: clinical-facts.md gives no prorating rule for PHQ-9, so a response with a
 * missing item is incomplete and not scored (change `missingItems` only with the manual in hand).
 */
import type { InstrumentDefinition } from '../instrument-definition.schema';
import { likertItems, scale } from './answer-scales';

const FREQUENCY = scale(['Not at all', 'Several days', 'More than half the days', 'Nearly every day']);

export const PHQ9_ITEM_TEXTS = [
  'Little interest or pleasure in doing things',
  'Feeling down, depressed, or hopeless',
  'Trouble falling or staying asleep, or sleeping too much',
  'Feeling tired or having little energy',
  'Poor appetite or overeating',
  'Feeling bad about yourself — or that you are a failure or have let yourself or your family down',
  'Trouble concentrating on things, such as reading the newspaper or watching television',
  'Moving or speaking so slowly that other people could have noticed? Or the opposite — being so fidgety or restless that you have been moving around a lot more than usual',
  'Thoughts that you would be better off dead or of hurting yourself in some way',
] as const;

export const phq9: InstrumentDefinition = {
  code: 'phq-9',
  title: 'Patient Health Questionnaire (PHQ-9)',
  version: '1.0.0',
  kind: 'measure',
  licence:
    'Developed by Drs Robert L. Spitzer, Janet B.W. Williams, Kurt Kroenke and colleagues, with an educational grant from Pfizer Inc. No permission required to reproduce, translate, display or distribute (Pfizer free-access release, 2010).',
  source: 'Standard English PHQ-9 (Kroenke, Spitzer & Williams 2001; Pfizer PHQ screeners). clinical-facts.md §6 [62][65].',
  recallPeriod: 'last 2 weeks',
  groups: [
    {
      id: 'symptoms',
      preamble: 'Over the last 2 weeks, how often have you been bothered by any of the following problems?',
      items: likertItems('phq9_', PHQ9_ITEM_TEXTS, FREQUENCY),
    },
    {
      id: 'difficulty',
      items: [
        {
          id: 'phq9_difficulty',
          kind: 'choice',
          // Not part of the total (Kroenke 2001); optional.
          required: false,
          text: 'If you checked off any problems, how difficult have these problems made it for you to do your work, take care of things at home, or get along with other people?',
          options: scale(['Not difficult at all', 'Somewhat difficult', 'Very difficult', 'Extremely difficult']),
        },
      ],
    },
  ],
  scoring: { kind: 'sum', itemIds: PHQ9_ITEM_TEXTS.map((_, i) => `phq9_${i + 1}`) },
  missingItems: { kind: 'require-all' },
  bands: [
    { id: 'minimal', label: 'Minimal', min: 0, max: 4 },
    { id: 'mild', label: 'Mild', min: 5, max: 9 },
    { id: 'moderate', label: 'Moderate', min: 10, max: 14 },
    { id: 'moderately-severe', label: 'Moderately severe', min: 15, max: 19 },
    { id: 'severe', label: 'Severe', min: 20, max: 27 },
  ],
  bandSource: 'Kroenke, Spitzer & Williams 2001 (J Gen Intern Med 16:606); clinical-facts.md §6 [62][63].',
  criticalItems: [
    {
      itemId: 'phq9_9',
      op: 'gt',
      value: 0,
      reason:
        'PHQ-9 item 9 (thoughts of being better off dead or of self-harm) answered above "Not at all". Simon et al. 2013: one-year suicide-attempt risk rose from 0.4% to 4% across its answers (clinical-facts.md §6 [66][67]).',
    },
  ],
  indicators: [
    {
      id: 'positive-screen',
      label: 'Positive screen for major depression (total ≥ 10)',
      match: 'all',
      conditions: [{ kind: 'total', op: 'gte', value: 10 }],
      source: 'Kroenke 2001: total ≥ 10 has sensitivity and specificity of 88% for major depression; clinical-facts.md §6 [62][63].',
    },
  ],
  outcome: {
    responseMinReduction: 0.5,
    remissionBelow: 5,
    source: 'NCQA/HEDIS depression response (≥ 50% reduction) and remission (< 5); Psychiatric Services 2020, doi 10.1176/appi.ps.201900295; clinical-facts.md §6 [64].',
  },
};
