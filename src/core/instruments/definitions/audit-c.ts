/**
 * AUDIT-C — the three consumption items of the WHO AUDIT (Bush et al. 1998; Bradley et al.
 * 2003/2007). Licence as AUDIT (public domain, WHO) [76]. Item wording: WHO AUDIT items 1–3 [74].
 * Positive screen: total ≥ 4 for men, ≥ 3 for women (clinical-facts.md §6 [77][78]).
 * When sex is not supplied in the scoring context, the default bands use the LOWER cut-off
 * (≥ 3), so no one is missed; pass `{ sex: 'male' }` to apply ≥ 4.
 */
import type { InstrumentDefinition } from '../instrument-definition.schema';
import { AUDIT_CONSUMPTION_ITEMS, AUDIT_DRINK_PREAMBLE } from './audit';

export const auditC: InstrumentDefinition = {
  code: 'audit-c',
  title: 'AUDIT-C (alcohol consumption)',
  version: '1.0.0',
  kind: 'measure',
  licence: 'Public domain: World Health Organization AUDIT items 1–3 (Babor et al. 2001). clinical-facts.md §6 [76].',
  source: 'WHO AUDIT manual, 2nd ed., items 1–3; AUDIT-C per Bush et al. 1998 and Bradley et al. 2003. clinical-facts.md §6 [74][77][78].',
  recallPeriod: 'past year',
  groups: [{ id: 'consumption', preamble: AUDIT_DRINK_PREAMBLE, items: AUDIT_CONSUMPTION_ITEMS }],
  scoring: { kind: 'sum', itemIds: ['audit_1', 'audit_2', 'audit_3'] },
  missingItems: { kind: 'require-all' },
  bands: [
    { id: 'negative', label: 'Negative screen', min: 0, max: 2 },
    { id: 'positive', label: 'Positive screen', min: 3, max: 12 },
  ],
  bandVariants: [
    {
      contextKey: 'sex',
      contextValue: 'male',
      bands: [
        { id: 'negative', label: 'Negative screen', min: 0, max: 3 },
        { id: 'positive', label: 'Positive screen', min: 4, max: 12 },
      ],
    },
    {
      contextKey: 'sex',
      contextValue: 'female',
      bands: [
        { id: 'negative', label: 'Negative screen', min: 0, max: 2 },
        { id: 'positive', label: 'Positive screen', min: 3, max: 12 },
      ],
    },
  ],
  bandSource:
    'Bush 1998; Bradley 2003/2007: positive ≥ 4 men, ≥ 3 women (clinical-facts.md §6 [77][78]). Without sex, Threshold applies the lower cut-off (≥ 3).',
};
