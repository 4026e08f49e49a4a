/**
 * Crisis resources shown to a patient the moment they give a critical answer (PHQ-9
 * item 9 > 0 or any item a definition marks critical). US resources; sources in
 * docs/clinical-references.md (clinical-facts.md §8 [107][108][111]). The "Press 3"
 * LGBTQ+ youth option ended on 17 July 2025 [109][110] and is deliberately absent.
 */
export interface CrisisResource {
  id: string;
  name: string;
  /** What to do, in plain words. */
  action: string;
  /** tel:/sms:/https: link a phone can open directly. */
  href: string;
  detail?: string;
}

export const CRISIS_RESOURCES: readonly CrisisResource[] = [
  {
    id: 'emergency',
    name: '911',
    action: 'If you are in immediate danger, call 911 or go to the nearest emergency room.',
    href: 'tel:911',
  },
  {
    id: '988',
    name: '988 Suicide & Crisis Lifeline',
    action: 'Call or text 988, any time, day or night. You can also chat at 988lifeline.org.',
    href: 'tel:988',
    detail: 'Veterans: press 1 (or text 838255). Spanish: press 2.',
  },
  {
    id: 'crisis-text-line',
    name: 'Crisis Text Line',
    action: 'Text MHA to 741741 to reach a trained crisis counselor.',
    href: 'sms:741741',
  },
];

export const CRISIS_MESSAGE =
  'Thank you for telling us. Your care team has been notified and will follow up with you. If you are thinking about hurting yourself or feel unsafe right now, please reach out for support now:';
