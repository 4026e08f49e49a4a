/**
 * PGIC — Patient Global Impression of Change. Single item, 7-point scale,
 * 1 = very much improved … 7 = very much worse (NINDS Common Data Elements [95]);
 * derived from Guy's 1976 CGI-Improvement (ECDEU) [96]. Public domain (NINDS CDE) [95].
 * Item wording: the seven CGI-I anchors; the stem is Threshold's generic wording (the NINDS
 * CDE stem refers to a painful condition, which does not fit this clinic).
 * No validated cut-offs are given, so the "bands" are the seven anchors themselves.
 */
import type { InstrumentDefinition } from '../instrument-definition.schema';
import { scale } from './answer-scales';

const ANCHORS = ['Very much improved', 'Much improved', 'Minimally improved', 'No change', 'Minimally worse', 'Much worse', 'Very much worse'] as const;

export const pgic: InstrumentDefinition = {
  code: 'pgic',
  title: 'Patient Global Impression of Change (PGIC)',
  version: '1.0.0',
  kind: 'measure',
  licence: 'Public domain (NINDS Common Data Elements). clinical-facts.md §6 [95].',
  source: "7-point scale per NINDS CDE PGIC [95], anchors from Guy 1976 CGI-I [96]; stem written for Threshold.",
  groups: [
    {
      id: 'pgic',
      items: [
        {
          id: 'pgic_1',
          kind: 'choice',
          text: 'Since you started treatment here, how would you describe the change (if any) in your overall condition?',
          options: scale(ANCHORS, 1),
        },
      ],
    },
  ],
  scoring: { kind: 'single', itemId: 'pgic_1' },
  missingItems: { kind: 'require-all' },
  bands: ANCHORS.map((label, i) => ({ id: label.toLowerCase().replace(/ /g, '-'), label, min: i + 1, max: i + 1 })),
  bandSource: 'The scale anchors themselves (NINDS CDE PGIC [95]); no validated cut-offs.',
};
