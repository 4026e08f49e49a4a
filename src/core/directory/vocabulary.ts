/**
 * The directory's controlled vocabularies. Codes are stored and filtered on; labels are
 * what people read. Each list stays under 31 entries so a set of codes fits in one
 * integer bit mask, which both databases test with `(mask & wanted) = wanted` — a cheap
 * check on candidate rows, whereas JSON-array filters would parse text per row.
 *
 * Append new codes at the END of a list: a code's position is its bit in stored masks.
 */

export interface VocabularyEntry {
  readonly code: string;
  readonly label: string;
}

const entries = <const T extends readonly (readonly [string, string])[]>(pairs: T) =>
  pairs.map(([code, label]) => ({ code, label })) as { [K in keyof T]: { code: T[K][0]; label: T[K][1] } };

export const CREDENTIALS = entries([
  ['MD', 'MD'],
  ['DO', 'DO'],
  ['NP', 'NP'],
  ['PA', 'PA'],
  ['RN', 'RN'],
  ['LCSW', 'LCSW'],
  ['LMFT', 'LMFT'],
  ['LPCC', 'LPCC'],
  ['LPC', 'LPC'],
  ['PsyD', 'PsyD'],
  ['PhD', 'PhD'],
  ['CRNA', 'CRNA'],
  ['LVN', 'LVN'],
  ['MSW', 'MSW'],
  ['MFT', 'MFT'],
  ['LMHC', 'LMHC'],
  ['DNP', 'DNP'],
  ['PMHNP', 'PMHNP'],
] as const);

export const CONDITIONS = entries([
  ['depression', 'Depression'],
  ['treatment_resistant_depression', 'Treatment-resistant depression'],
  ['anxiety', 'Anxiety'],
  ['ptsd', 'PTSD and trauma'],
  ['addiction', 'Addiction and substance use'],
  ['alcohol_use', 'Alcohol use'],
  ['eating_disorders', 'Eating disorders'],
  ['ocd', 'OCD'],
  ['bipolar_depression', 'Bipolar depression'],
  ['chronic_pain', 'Chronic pain'],
  ['grief', 'Grief and loss'],
  ['end_of_life_distress', 'End-of-life distress'],
  ['suicidal_ideation', 'Suicidal thoughts'],
  ['postpartum_depression', 'Postpartum depression'],
  ['burnout', 'Burnout and stress'],
  ['relationship_issues', 'Relationship issues'],
  ['existential_distress', 'Existential distress'],
] as const);

export const APPROACHES = entries([
  ['kap', 'Ketamine-assisted psychotherapy (KAP)'],
  ['integration', 'Integration therapy'],
  ['talk_therapy', 'Talk therapy'],
  ['mindfulness', 'Mindfulness'],
  ['cbt', 'CBT'],
  ['somatic', 'Somatic therapy'],
  ['emdr', 'EMDR'],
  ['ifs', 'Internal Family Systems (IFS)'],
  ['act', 'Acceptance and commitment therapy (ACT)'],
  ['dbt', 'DBT'],
  ['psychodynamic', 'Psychodynamic therapy'],
  ['couples', 'Couples therapy'],
  ['medication_management', 'Medication management'],
  ['harm_reduction', 'Harm reduction'],
  ['breathwork', 'Breathwork'],
  ['music', 'Music-guided sessions'],
] as const);

export const KETAMINE_ROUTES = entries([
  ['iv', 'IV infusion'],
  ['im', 'IM injection'],
  ['intranasal', 'Intranasal (esketamine or ketamine)'],
  ['sublingual_oral', 'Sublingual / oral lozenge'],
] as const);

export const FORMATS = entries([
  ['individual', 'Individual'],
  ['group', 'Group'],
] as const);

/** ISO 639-1 codes (plus `ase` for American Sign Language, ISO 639-3). */
export const LANGUAGES = entries([
  ['en', 'English'],
  ['es', 'Spanish'],
  ['zh', 'Chinese'],
  ['vi', 'Vietnamese'],
  ['tl', 'Tagalog'],
  ['ko', 'Korean'],
  ['hy', 'Armenian'],
  ['fa', 'Persian'],
  ['ru', 'Russian'],
  ['ar', 'Arabic'],
  ['fr', 'French'],
  ['de', 'German'],
  ['pt', 'Portuguese'],
  ['ja', 'Japanese'],
  ['hi', 'Hindi'],
  ['he', 'Hebrew'],
  ['it', 'Italian'],
  ['pl', 'Polish'],
  ['uk', 'Ukrainian'],
  ['ht', 'Haitian Creole'],
  ['ase', 'American Sign Language'],
] as const);

export type Credential = (typeof CREDENTIALS)[number]['code'];
export type Condition = (typeof CONDITIONS)[number]['code'];
export type Approach = (typeof APPROACHES)[number]['code'];
export type KetamineRoute = (typeof KETAMINE_ROUTES)[number]['code'];
export type Format = (typeof FORMATS)[number]['code'];
export type Language = (typeof LANGUAGES)[number]['code'];

export const VOCABULARIES = {
  credentials: CREDENTIALS,
  conditions: CONDITIONS,
  approaches: APPROACHES,
  routes: KETAMINE_ROUTES,
  formats: FORMATS,
  languages: LANGUAGES,
} as const;
export type VocabularyName = keyof typeof VOCABULARIES;

/** Two-letter USPS codes of the states, DC and territories, for licence and telehealth states. */
export const US_STATES = [
  'AL', 'AK', 'AZ', 'AR', 'CA', 'CO', 'CT', 'DE', 'DC', 'FL', 'GA', 'HI', 'ID', 'IL', 'IN', 'IA', 'KS', 'KY', 'LA', 'ME',
  'MD', 'MA', 'MI', 'MN', 'MS', 'MO', 'MT', 'NE', 'NV', 'NH', 'NJ', 'NM', 'NY', 'NC', 'ND', 'OH', 'OK', 'OR', 'PA', 'RI',
  'SC', 'SD', 'TN', 'TX', 'UT', 'VT', 'VA', 'WA', 'WV', 'WI', 'WY', 'PR', 'GU', 'VI', 'AS', 'MP',
] as const;
export type UsState = (typeof US_STATES)[number];

export function labelOf(vocabulary: readonly VocabularyEntry[], code: string): string {
  return vocabulary.find((e) => e.code === code)?.label ?? code;
}

/** Bit mask of `codes` in `vocabulary` (unknown codes throw: callers validate first). */
export function maskOf(vocabulary: readonly VocabularyEntry[], codes: readonly string[]): number {
  let mask = 0;
  for (const code of codes) {
    const i = vocabulary.findIndex((e) => e.code === code);
    if (i < 0) throw new RangeError(`unknown code ${code}`);
    mask |= 1 << i;
  }
  return mask >>> 0;
}

/** Codes whose bits are set in `mask`, in vocabulary order. */
export function codesOf(vocabulary: readonly VocabularyEntry[], mask: number): string[] {
  return vocabulary.filter((_, i) => (mask & (1 << i)) !== 0).map((e) => e.code);
}

/** Codes in vocabulary order without duplicates (what is stored). */
export function normalizeCodes(vocabulary: readonly VocabularyEntry[], codes: readonly string[]): string[] {
  return codesOf(vocabulary, maskOf(vocabulary, codes));
}
