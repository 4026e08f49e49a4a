/**
 * Post-session experience check-in — written for Threshold. NOT a validated scale.
 *
 * Issue #5 asks for an optional post-session dissociation/experience measure. No freely
 * usable validated one was found in clinical-facts.md §6: the CADSS (Bremner et al. 1998)
 * is clinician-administered, its licence was not found and its scoring is unconfirmed
 * [87][88][89]; the MEQ30's and EBI's commercial terms were not found [90][91][92][93][94].
 * So Threshold ships this plain-language check-in instead, and says so in its title. A
 * clinic that holds a licence for the CADSS (or another measure) imports it as a definition
 * file like any licensed instrument and names its code in the clinic protocol
 * (`postSession.experienceMeasure.instrument`); a clinic that wants different wording
 * exports this definition (GET /api/questionnaires/post-session-check-in), edits it and
 * imports it under its own code.
 *
 * What it asks follows the domains the Spravato REMS Patient Monitoring Form records after
 * every session — sedation, dissociation [24][25] — and the integration journaling prompts
 * of §7 [104][106]. The "altered-experience total" (sum of the three perception items,
 * 0–12) is a convenience for following one patient across sessions: it has **no bands and
 * no cut-offs**, and is not a dissociation score. See docs/clinical-references.md.
 */
import type { AnswerOption, InstrumentDefinition } from '../instrument-definition.schema';
import { scale } from './answer-scales';

export const POST_SESSION_CHECK_IN_CODE = 'post-session-check-in';

/** Five-point intensity anchors, Threshold's wording (not taken from any scale). */
const HOW_MUCH: AnswerOption[] = scale(['Not at all', 'A little', 'Moderately', 'Quite a bit', 'Extremely']);

export const ALTERED_EXPERIENCE_ITEM_IDS = ['altered_body', 'altered_surroundings', 'altered_time'] as const;

export const postSessionCheckIn: InstrumentDefinition = {
  code: POST_SESSION_CHECK_IN_CODE,
  title: 'Post-session experience check-in (clinic-editable; not a validated scale)',
  version: '1.0.0',
  kind: 'measure',
  licence: 'Written for Threshold; free to use and adapt. Not a validated instrument: no norms, bands or cut-offs.',
  source:
    'Threshold wording. Domains from the Spravato REMS Patient Monitoring Form (sedation, dissociation; clinical-facts §2a [24][25]) and integration journaling prompts (§7 [104][106]). Chosen because no freely usable validated post-session measure was found (§6: CADSS [87]–[89], MEQ30 [90][91], EBI [92]–[94]).',
  recallPeriod: 'dosing session',
  groups: [
    {
      id: 'perception',
      title: 'During the session',
      preamble: 'Thinking about today’s session, how much did you notice each of these? There are no right or wrong answers.',
      items: [
        { id: 'altered_body', kind: 'choice', text: 'Feeling disconnected from your body, or as if it were not quite yours', options: HOW_MUCH },
        { id: 'altered_surroundings', kind: 'choice', text: 'The room, objects or sounds seeming unreal, distant or changed', options: HOW_MUCH },
        { id: 'altered_time', kind: 'choice', text: 'Time passing very differently from usual', options: HOW_MUCH },
      ],
    },
    {
      id: 'how-it-felt',
      title: 'How it felt',
      items: [
        { id: 'distress', kind: 'choice', text: 'How distressing was the experience overall?', options: HOW_MUCH },
        { id: 'supported', kind: 'choice', text: 'How safe and supported did you feel?', options: HOW_MUCH },
        { id: 'drowsy_now', kind: 'choice', text: 'How drowsy or sleepy do you feel right now?', options: HOW_MUCH },
      ],
    },
    {
      id: 'own-words',
      title: 'In your own words',
      preamble: 'Optional. Write as much or as little as you like; your care team reads this before your integration session.',
      items: [
        { id: 'describe', kind: 'text', text: 'Describe the experience in as much detail as you like.', required: false, maxLength: 4000 },
        { id: 'intention', kind: 'text', text: 'What came up in relation to your intention?', required: false, maxLength: 4000 },
        { id: 'unresolved', kind: 'text', text: 'What feels important or unresolved?', required: false, maxLength: 4000 },
      ],
    },
  ],
  scoring: {
    kind: 'sum',
    itemIds: [...ALTERED_EXPERIENCE_ITEM_IDS],
    subscales: [{ id: 'altered-experience', label: 'Altered-experience total (no cut-offs; not a validated score)', itemIds: [...ALTERED_EXPERIENCE_ITEM_IDS] }],
  },
  missingItems: { kind: 'require-all' },
};
