/**
 * AUDIT — Alcohol Use Disorders Identification Test (WHO; Babor, Higgins-Biddle, Saunders &
 * Monteiro 2001, 2nd ed., WHO/MSD/MSB/01.6a). Public domain [76].
 * Item wording: the WHO AUDIT manual's self-report questionnaire (2nd ed.) [74].
 * Zones (clinical-facts.md §6 [74][75]): I 0–7, II 8–15, III 16–19, IV 20–40; step up
 * one zone if items 4–6 total ≥ 2 or item 9 or 10 = 4.
 * ⚠️ Items 9–10 option weights 0 / 2 / 4 are marked unconfirmed in clinical-facts.md; they are
 * the only weights consistent with the stated 0–40 range and are used here.
 * The self-report form has no skip logic, so every item is required.
 */
import type { AnswerOption, InstrumentDefinition } from '../instrument-definition.schema';
import { scale } from './answer-scales';

const HOW_OFTEN = scale(['Never', 'Less than monthly', 'Monthly', 'Weekly', 'Daily or almost daily']);
const YES_NOT_LAST_YEAR: AnswerOption[] = [
  { value: 0, label: 'No' },
  { value: 2, label: 'Yes, but not in the last year' },
  { value: 4, label: 'Yes, during the last year' },
];

export const AUDIT_CONSUMPTION_ITEMS = [
  { id: 'audit_1', kind: 'choice' as const, text: 'How often do you have a drink containing alcohol?', options: scale(['Never', 'Monthly or less', '2 to 4 times a month', '2 to 3 times a week', '4 or more times a week']) },
  { id: 'audit_2', kind: 'choice' as const, text: 'How many drinks containing alcohol do you have on a typical day when you are drinking?', options: scale(['1 or 2', '3 or 4', '5 or 6', '7, 8, or 9', '10 or more']) },
  { id: 'audit_3', kind: 'choice' as const, text: 'How often do you have six or more drinks on one occasion?', options: HOW_OFTEN },
];

export const AUDIT_DRINK_PREAMBLE =
  'Questions about your use of alcoholic beverages during the past year. A "drink" means one standard drink (for example a can or bottle of beer, a glass of wine, or a single measure of spirits).';

export const audit: InstrumentDefinition = {
  code: 'audit',
  title: 'Alcohol Use Disorders Identification Test (AUDIT)',
  version: '1.0.0',
  kind: 'measure',
  licence: 'Public domain: World Health Organization (Babor et al. 2001). clinical-facts.md §6 [76].',
  source: 'WHO AUDIT manual, 2nd ed. (WHO/MSD/MSB/01.6a), self-report version. clinical-facts.md §6 [74].',
  recallPeriod: 'past year',
  groups: [
    { id: 'consumption', preamble: AUDIT_DRINK_PREAMBLE, items: AUDIT_CONSUMPTION_ITEMS },
    {
      id: 'dependence',
      items: [
        { id: 'audit_4', kind: 'choice', text: 'How often during the last year have you found that you were not able to stop drinking once you had started?', options: HOW_OFTEN },
        { id: 'audit_5', kind: 'choice', text: 'How often during the last year have you failed to do what was normally expected from you because of drinking?', options: HOW_OFTEN },
        { id: 'audit_6', kind: 'choice', text: 'How often during the last year have you needed a first drink in the morning to get yourself going after a heavy drinking session?', options: HOW_OFTEN },
      ],
    },
    {
      id: 'harm',
      items: [
        { id: 'audit_7', kind: 'choice', text: 'How often during the last year have you had a feeling of guilt or remorse after drinking?', options: HOW_OFTEN },
        { id: 'audit_8', kind: 'choice', text: 'How often during the last year have you been unable to remember what happened the night before because you had been drinking?', options: HOW_OFTEN },
        { id: 'audit_9', kind: 'choice', text: 'Have you or someone else been injured as a result of your drinking?', options: YES_NOT_LAST_YEAR },
        { id: 'audit_10', kind: 'choice', text: 'Has a relative or friend, or a doctor or other health worker, been concerned about your drinking or suggested you cut down?', options: YES_NOT_LAST_YEAR },
      ],
    },
  ],
  scoring: {
    kind: 'sum',
    itemIds: Array.from({ length: 10 }, (_, i) => `audit_${i + 1}`),
    subscales: [
      {
        id: 'audit-c',
        label: 'AUDIT-C (items 1–3, consumption)',
        itemIds: ['audit_1', 'audit_2', 'audit_3'],
      },
    ],
  },
  missingItems: { kind: 'require-all' },
  bands: [
    { id: 'zone-1', label: 'Zone I — alcohol education', min: 0, max: 7 },
    { id: 'zone-2', label: 'Zone II — simple advice', min: 8, max: 15 },
    { id: 'zone-3', label: 'Zone III — simple advice plus brief counselling and continued monitoring', min: 16, max: 19 },
    { id: 'zone-4', label: 'Zone IV — referral to specialist for diagnostic evaluation and treatment', min: 20, max: 40 },
  ],
  bandSource: 'WHO AUDIT manual 2nd ed. (Babor et al. 2001), risk zones; clinical-facts.md §6 [74][75].',
  indicators: [
    {
      id: 'step-up-zone',
      label: 'Step up one zone: items 4–6 total ≥ 2, or item 9 or 10 scored 4',
      match: 'any',
      conditions: [
        { kind: 'sum', itemIds: ['audit_4', 'audit_5', 'audit_6'], op: 'gte', value: 2 },
        { kind: 'item', itemId: 'audit_9', op: 'eq', value: 4 },
        { kind: 'item', itemId: 'audit_10', op: 'eq', value: 4 },
      ],
      escalateBand: 1,
      source: 'WHO AUDIT manual 2nd ed.; clinical-facts.md §6 [74][75].',
    },
  ],
};
