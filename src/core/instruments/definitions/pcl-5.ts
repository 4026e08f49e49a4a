/**
 * PCL-5 — PTSD Checklist for DSM-5 (Weathers, Litz, Keane, Palmieri, Marx & Schnurr 2013,
 * US Department of Veterans Affairs National Center for PTSD). Public domain [73].
 * Item wording: the standard PCL-5 (past-month version without Criterion A) as published by
 * the National Center for PTSD (ptsd.va.gov, PCL-5_Standard.pdf).
 * Scoring (clinical-facts.md §6 [70][71][72]): total 0–80; provisional PTSD at a total of
 * 31–33; DSM-5 rule (items ≥ 2 count as endorsed: ≥1 B, ≥1 C, ≥2 D, ≥2 E).
 * There are NO validated severity bands, so none are defined here (on purpose).
 */
import type { InstrumentDefinition } from '../instrument-definition.schema';
import { likertItems, scale } from './answer-scales';

const SEVERITY = scale(['Not at all', 'A little bit', 'Moderately', 'Quite a bit', 'Extremely']);

export const PCL5_ITEM_TEXTS = [
  'Repeated, disturbing, and unwanted memories of the stressful experience?',
  'Repeated, disturbing dreams of the stressful experience?',
  'Suddenly feeling or acting as if the stressful experience were actually happening again (as if you were actually back there reliving it)?',
  'Feeling very upset when something reminded you of the stressful experience?',
  'Having strong physical reactions when something reminded you of the stressful experience (for example, heart pounding, trouble breathing, sweating)?',
  'Avoiding memories, thoughts, or feelings related to the stressful experience?',
  'Avoiding external reminders of the stressful experience (for example, people, places, conversations, activities, objects, or situations)?',
  'Trouble remembering important parts of the stressful experience?',
  'Having strong negative beliefs about yourself, other people, or the world (for example, having thoughts such as: I am bad, there is something seriously wrong with me, no one can be trusted, the world is completely dangerous)?',
  'Blaming yourself or someone else for the stressful experience or what happened after it?',
  'Having strong negative feelings such as fear, horror, anger, guilt, or shame?',
  'Loss of interest in activities that you used to enjoy?',
  'Feeling distant or cut off from other people?',
  'Trouble experiencing positive feelings (for example, being unable to feel happiness or have loving feelings for people close to you)?',
  'Irritable behavior, angry outbursts, or acting aggressively?',
  'Taking too many risks or doing things that could cause you harm?',
  'Being "superalert" or watchful or on guard?',
  'Feeling jumpy or easily startled?',
  'Having difficulty concentrating?',
  'Trouble falling or staying asleep?',
] as const;

const ids = (from: number, to: number): string[] => Array.from({ length: to - from + 1 }, (_, i) => `pcl5_${from + i}`);

export const pcl5: InstrumentDefinition = {
  code: 'pcl-5',
  title: 'PTSD Checklist for DSM-5 (PCL-5)',
  version: '1.0.0',
  kind: 'measure',
  licence: 'Public domain: developed by the US Department of Veterans Affairs National Center for PTSD (Weathers et al. 2013). clinical-facts.md §6 [73].',
  source: 'Standard PCL-5 (past month) from the National Center for PTSD, ptsd.va.gov. clinical-facts.md §6 [70][73].',
  recallPeriod: 'past month',
  groups: [
    {
      id: 'intrusion',
      preamble:
        'Below is a list of problems that people sometimes have in response to a very stressful experience. Please read each problem carefully and then choose one answer to indicate how much you have been bothered by that problem in the past month. In the past month, how much were you bothered by:',
      items: likertItems('pcl5_', PCL5_ITEM_TEXTS, SEVERITY).slice(0, 7),
    },
    {
      id: 'mood-and-arousal',
      preamble: 'In the past month, how much were you bothered by:',
      items: likertItems('pcl5_', PCL5_ITEM_TEXTS, SEVERITY).slice(7),
    },
  ],
  scoring: {
    kind: 'sum',
    itemIds: ids(1, 20),
    subscales: [
      { id: 'b-intrusion', label: 'Cluster B — intrusion (items 1–5)', itemIds: ids(1, 5) },
      { id: 'c-avoidance', label: 'Cluster C — avoidance (items 6–7)', itemIds: ids(6, 7) },
      { id: 'd-cognition-mood', label: 'Cluster D — negative alterations in cognition and mood (items 8–14)', itemIds: ids(8, 14) },
      { id: 'e-arousal', label: 'Cluster E — alterations in arousal and reactivity (items 15–20)', itemIds: ids(15, 20) },
    ],
  },
  missingItems: { kind: 'require-all' },
  indicators: [
    {
      id: 'provisional-ptsd-cutoff',
      label: 'Provisional PTSD by total score (≥ 33)',
      match: 'all',
      conditions: [{ kind: 'total', op: 'gte', value: 33 }],
      source:
        'National Center for PTSD: a total of 31–33 suggests provisional PTSD (clinical-facts.md §6 [70][71][72]). 33 is the top of that range; clinics may lower it to 31 or 32.',
    },
    {
      id: 'provisional-ptsd-dsm5',
      label: 'Provisional PTSD by DSM-5 symptom rule (items ≥ 2: ≥1 B, ≥1 C, ≥2 D, ≥2 E)',
      match: 'all',
      conditions: [
        { kind: 'count', itemIds: ids(1, 5), itemOp: 'gte', itemValue: 2, op: 'gte', value: 1 },
        { kind: 'count', itemIds: ids(6, 7), itemOp: 'gte', itemValue: 2, op: 'gte', value: 1 },
        { kind: 'count', itemIds: ids(8, 14), itemOp: 'gte', itemValue: 2, op: 'gte', value: 2 },
        { kind: 'count', itemIds: ids(15, 20), itemOp: 'gte', itemValue: 2, op: 'gte', value: 2 },
      ],
      source: 'PCL-5 DSM-5 scoring rule; clinical-facts.md §6 [70][71].',
    },
  ],
  outcome: {
    meaningfulChange: 10,
    source:
      'Change of 5–10 points = reliable change, 10–20 = clinically meaningful (clinical-facts.md §6 [70][71][72]); 10 is the lower end of the meaningful range.',
  },
};
