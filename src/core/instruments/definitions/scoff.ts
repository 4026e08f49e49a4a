/**
 * SCOFF — eating-disorder screen (Morgan, Reid & Lacey 1999, BMJ 319:1467).
 * Item wording: the five questions as printed in the BMJ paper [81] (UK "one stone" = 14 lb
 * ≈ 6.35 kg, added in brackets). Scoring: 1 point per "yes"; ≥ 2 = possible eating disorder [81][82].
 * ⚠️ LICENCE UNCLEAR: clinical-facts.md found no licence statement. The clinic should confirm
 * terms with the authors/BMJ before commercial use.
 */
import type { InstrumentDefinition } from '../instrument-definition.schema';
import { YES_NO } from './answer-scales';

export const scoff: InstrumentDefinition = {
  code: 'scoff',
  title: 'SCOFF eating disorder screen',
  version: '1.0.0',
  kind: 'measure',
  licence:
    'UNCLEAR — no licence statement found (clinical-facts.md §6). Published in the BMJ (Morgan, Reid & Lacey 1999). Confirm terms with the authors or publisher before commercial use.',
  source: 'Morgan, Reid & Lacey 1999, BMJ 319:1467 (the five SCOFF questions). clinical-facts.md §6 [81].',
  groups: [
    {
      id: 'scoff',
      items: [
        { id: 'scoff_1', kind: 'choice', text: 'Do you make yourself Sick because you feel uncomfortably full?', options: YES_NO },
        { id: 'scoff_2', kind: 'choice', text: 'Do you worry you have lost Control over how much you eat?', options: YES_NO },
        { id: 'scoff_3', kind: 'choice', text: 'Have you recently lost more than One stone (14 lb, about 6.35 kg) in a 3 month period?', options: YES_NO },
        { id: 'scoff_4', kind: 'choice', text: 'Do you believe yourself to be Fat when others say you are too thin?', options: YES_NO },
        { id: 'scoff_5', kind: 'choice', text: 'Would you say that Food dominates your life?', options: YES_NO },
      ],
    },
  ],
  scoring: { kind: 'count', itemIds: ['scoff_1', 'scoff_2', 'scoff_3', 'scoff_4', 'scoff_5'], countValue: 'yes' },
  missingItems: { kind: 'require-all' },
  bands: [
    { id: 'negative', label: 'Negative screen', min: 0, max: 1 },
    { id: 'positive', label: 'Possible eating disorder (≥ 2)', min: 2, max: 5 },
  ],
  bandSource: 'Morgan et al. 1999: ≥ 2 "yes" answers = possible eating disorder; clinical-facts.md §6 [81][82].',
};
