/**
 * Default contraindication rules (clinic-configurable; each clinic reviews and signs off).
 * Sources: shared/reference/clinical-facts.md §3 (numbers in [brackets] are its Sources list).
 *
 * Levels, by design:
 *  - absolute      = the three Spravato label contraindications only [23][43];
 *  - relative      = label warnings and common research / ED exclusions — a prescriber may
 *                    proceed with a documented reason;
 *  - informational = worth knowing at review; not a reason to stop by itself.
 * Psychosis, pregnancy and uncontrolled hypertension are NOT label contraindications; third-party
 * sites that say so overstate the label [44]. Clinics that exclude them make them absolute here.
 * No numeric threshold marked ⚠️ in clinical-facts.md is encoded as fact; where a rule rests on
 * an unconfirmed point its `source.status` is `unconfirmed` and its reason says so.
 */
import type { ContraindicationRule } from './contraindication-rule.schema';

const UNSURE = ['unsure'];
const yes = (itemId: string) => ({ kind: 'history' as const, itemId, op: 'eq' as const, value: 'yes', unknownValues: UNSURE });

const LABEL_CONTRA = 'Spravato (esketamine) prescribing information, Contraindications; clinical-facts.md §3 [23][43].';
const LABEL_WARN = 'Spravato prescribing information, Warnings and Precautions; clinical-facts.md §3 [19][23].';
const RESEARCH = 'Common exclusions in ketamine trials; clinical-facts.md §3 [45][46][47].';
const ED = 'ED low-dose ketamine protocol exclusions (WestJEM 2020); clinical-facts.md §3 [38].';

export const DEFAULT_CONTRAINDICATION_RULES: readonly ContraindicationRule[] = [
  // --- absolute: label contraindications ---------------------------------------------------
  {
    id: 'aneurysmal-vascular-disease',
    title: 'Aneurysmal vascular disease or arteriovenous malformation',
    level: 'absolute',
    category: 'label-contraindication',
    enabled: true,
    when: yes('hx_aneurysm'),
    reason: 'Aneurysmal vascular disease (thoracic or abdominal aorta, intracranial or peripheral arteries) or arteriovenous malformation is a label contraindication: ketamine raises blood pressure.',
    source: { citation: LABEL_CONTRA, status: 'confirmed' },
  },
  {
    id: 'intracerebral-hemorrhage',
    title: 'History of intracerebral hemorrhage',
    level: 'absolute',
    category: 'label-contraindication',
    enabled: true,
    when: yes('hx_intracerebral_hemorrhage'),
    reason: 'A history of intracerebral hemorrhage is a label contraindication.',
    source: { citation: LABEL_CONTRA, status: 'confirmed' },
  },
  {
    id: 'ketamine-hypersensitivity',
    title: 'Hypersensitivity to ketamine or esketamine',
    level: 'absolute',
    category: 'label-contraindication',
    enabled: true,
    when: yes('hx_ketamine_hypersensitivity'),
    reason: 'Hypersensitivity to esketamine, ketamine or any excipient is a label contraindication.',
    source: { citation: LABEL_CONTRA, status: 'confirmed' },
  },
  // --- relative -----------------------------------------------------------------------------
  {
    id: 'uncontrolled-hypertension',
    title: 'Uncontrolled hypertension',
    level: 'relative',
    category: 'research-exclusion',
    enabled: true,
    when: {
      kind: 'all',
      conditions: [yes('hx_hypertension'), { kind: 'history', itemId: 'hx_hypertension_controlled', op: 'eq', value: 'no', unknownValues: UNSURE }],
    },
    reason:
      'Patient reports hypertension that is not controlled. Uncontrolled hypertension is a common trial exclusion; the label lists cardiovascular conditions as a warning (not a contraindication). Blood pressure peaks about 40 min after dosing.',
    source: { citation: `${RESEARCH} ${LABEL_WARN} Yale BP review [35].`, status: 'confirmed' },
  },
  {
    id: 'psychosis-history',
    title: 'History of psychosis',
    level: 'relative',
    category: 'research-exclusion',
    enabled: true,
    when: yes('hx_psychosis'),
    reason:
      'History of psychosis, schizophrenia or schizoaffective disorder. The label says to assess the risk of psychosis before treating (a warning); psychotic disorders are a common trial and ED exclusion.',
    source: { citation: `${LABEL_WARN} ${RESEARCH} ${ED}`, status: 'confirmed' },
  },
  {
    id: 'mania-or-bipolar',
    title: 'History of mania or bipolar disorder',
    level: 'relative',
    category: 'research-exclusion',
    enabled: true,
    when: { kind: 'any', conditions: [yes('hx_mania'), yes('hx_bipolar')] },
    reason: 'History of mania/hypomania or bipolar disorder. Current mania is a common trial exclusion, and bipolar disorder is excluded in some trials; assess current mood state.',
    source: { citation: RESEARCH, status: 'confirmed' },
  },
  {
    id: 'active-substance-use-disorder',
    title: 'Active substance use disorder',
    level: 'relative',
    category: 'research-exclusion',
    enabled: true,
    when: yes('hx_sud_current'),
    reason: 'Patient reports an active substance use problem. Moderate or severe substance use is a common trial exclusion; the label warns about substance use disorder (including alcohol) and abuse/misuse.',
    source: { citation: `${RESEARCH} ${LABEL_WARN}`, status: 'confirmed' },
  },
  {
    id: 'recent-non-prescribed-use',
    title: 'Recent non-prescribed psychoactive use',
    level: 'relative',
    category: 'research-exclusion',
    enabled: true,
    when: { kind: 'not', condition: { kind: 'history', itemId: 'hx_nonprescribed_recent', op: 'includes', value: 'none' } },
    reason: 'Non-prescribed psychoactive substance use in the past 3 months (recent non-prescribed use is a common trial exclusion).',
    source: { citation: RESEARCH, status: 'confirmed' },
  },
  {
    id: 'pregnancy',
    title: 'Pregnant or possibly pregnant',
    level: 'relative',
    category: 'label-warning',
    enabled: true,
    when: yes('hx_pregnant'),
    reason: 'Pregnancy: the label says not recommended (a warning, not a contraindication); pregnancy is a common trial exclusion. An "unsure" answer leaves this rule undetermined until clarified.',
    source: { citation: `${LABEL_WARN} ${RESEARCH}`, status: 'confirmed' },
  },
  {
    id: 'breastfeeding',
    title: 'Breastfeeding',
    level: 'relative',
    category: 'label-warning',
    enabled: true,
    when: { kind: 'history', itemId: 'hx_breastfeeding', op: 'eq', value: 'yes' },
    reason: 'Breastfeeding: the label says not recommended; lactation is a common trial exclusion.',
    source: { citation: `${LABEL_WARN} ${RESEARCH}`, status: 'confirmed' },
  },
  {
    id: 'hepatic-impairment',
    title: 'Liver disease',
    level: 'relative',
    category: 'label-warning',
    enabled: true,
    when: yes('hx_liver'),
    reason: 'Liver disease reported. Label: moderate hepatic impairment — monitor for longer; severe — not recommended. Establish severity.',
    source: { citation: LABEL_WARN, status: 'confirmed' },
  },
  {
    id: 'significant-cardiac-disease',
    title: 'Significant heart disease',
    level: 'relative',
    category: 'label-warning',
    enabled: true,
    when: {
      kind: 'any',
      conditions: ['heart-attack', 'angina', 'heart-failure', 'arrhythmia'].map((value) => ({ kind: 'history' as const, itemId: 'hx_cardiac', op: 'includes' as const, value })),
    },
    reason:
      'Heart attack, angina, heart failure or arrhythmia reported. The label warns about cardiovascular conditions; significant arrhythmia is a common trial exclusion; suspected ACS and decompensated heart failure are ED exclusions.',
    source: { citation: `${LABEL_WARN} ${RESEARCH} ${ED}`, status: 'confirmed' },
  },
  {
    id: 'cerebrovascular-disease',
    title: 'Stroke or TIA',
    level: 'relative',
    category: 'label-warning',
    enabled: true,
    when: yes('hx_stroke'),
    reason: 'Stroke or TIA reported. The label warns about cerebrovascular conditions; unstable cerebrovascular disease is a common trial exclusion.',
    source: { citation: `${LABEL_WARN} ${RESEARCH}`, status: 'confirmed' },
  },
  {
    id: 'raised-intracranial-pressure',
    title: 'Raised intracranial pressure',
    level: 'relative',
    category: 'clinic-exclusion',
    enabled: true,
    when: yes('hx_intracranial_pressure'),
    reason: 'Raised intracranial pressure reported; it is an exclusion in ED ketamine protocols.',
    source: { citation: ED, status: 'confirmed' },
  },
  {
    id: 'maoi-use',
    title: 'Taking an MAO inhibitor',
    level: 'relative',
    category: 'research-exclusion',
    enabled: true,
    when: { kind: 'history', itemId: 'hx_medication_classes', op: 'includes', value: 'maoi' },
    reason: 'MAOI use is a common trial exclusion, and the Spravato REMS monitoring form records MAOIs.',
    source: { citation: `${RESEARCH} Spravato REMS Patient Monitoring Form; clinical-facts.md §2a [24][25].`, status: 'confirmed' },
  },
  // --- informational ------------------------------------------------------------------------
  {
    id: 'reported-bp-above-140-90',
    title: 'Reported blood pressure above 140/90',
    level: 'informational',
    category: 'label-warning',
    enabled: true,
    when: {
      kind: 'any',
      conditions: [
        { kind: 'history', itemId: 'hx_bp_systolic', op: 'gt', value: 140 },
        { kind: 'history', itemId: 'hx_bp_diastolic', op: 'gt', value: 90 },
      ],
    },
    reason:
      'Most recent reported blood pressure is above 140/90. Label guidance: with baseline BP above 140/90, weigh the short-term rise against the benefit (consider delaying). The pre-dose check in clinic decides on the day.',
    source: { citation: 'Spravato label guidance via secondary summaries; clinical-facts.md §2a [22][23].', status: 'confirmed' },
  },
  {
    id: 'past-substance-use-disorder',
    title: 'Past substance use problem',
    level: 'informational',
    category: 'label-warning',
    enabled: true,
    when: yes('hx_sud_past'),
    reason: 'Past substance use problem (including alcohol). The label warns about a history of substance use disorder; monitor for misuse.',
    source: { citation: LABEL_WARN, status: 'confirmed' },
  },
  {
    id: 'non-medical-ketamine-use',
    title: 'Past non-medical ketamine use',
    level: 'informational',
    category: 'label-warning',
    enabled: true,
    when: { kind: 'history', itemId: 'hx_ketamine_past', op: 'in', value: ['non-medical', 'both'] },
    reason: 'Past non-medical ketamine use: relevant to the abuse and misuse risk the Spravato REMS addresses.',
    source: { citation: 'Spravato REMS goals (abuse and misuse); clinical-facts.md §2a [20][21].', status: 'confirmed' },
  },
  {
    id: 'benzodiazepine-use',
    title: 'Taking a benzodiazepine',
    level: 'informational',
    category: 'research-exclusion',
    enabled: true,
    when: { kind: 'history', itemId: 'hx_medication_classes', op: 'includes', value: 'benzodiazepine' },
    reason:
      'Benzodiazepine use. Trials commonly exclude more than about 2–3 mg lorazepam-equivalent per day; some clinics advise avoiding them before dosing as they may blunt the effect. Record the dose.',
    source: { citation: `${RESEARCH} Clinic instructions [51]–[56].`, status: 'confirmed' },
  },
  {
    id: 'cognitive-impairment',
    title: 'Cognitive impairment',
    level: 'informational',
    category: 'label-warning',
    enabled: true,
    when: yes('hx_cognitive_impairment'),
    reason: 'Cognitive impairment reported; the label lists cognitive impairment among its warnings.',
    source: { citation: LABEL_WARN, status: 'confirmed' },
  },
  {
    id: 'cystitis',
    title: 'Ulcerative or interstitial cystitis',
    level: 'informational',
    category: 'label-warning',
    enabled: true,
    when: yes('hx_cystitis'),
    reason: 'Bladder symptoms or cystitis reported; the label warns about ulcerative or interstitial cystitis.',
    source: { citation: LABEL_WARN, status: 'confirmed' },
  },
  {
    id: 'glaucoma-raised-intraocular-pressure',
    title: 'Glaucoma or raised intraocular pressure',
    level: 'informational',
    category: 'clinic-exclusion',
    enabled: true,
    when: yes('hx_glaucoma'),
    reason:
      'Glaucoma or raised eye pressure reported. UNCONFIRMED: this concern is not in the project\'s retrieved sources (clinical-facts.md); it comes from background knowledge of ketamine anaesthesia labelling. Verify before raising its level.',
    source: { citation: 'Not in clinical-facts.md — unconfirmed background knowledge (⚠️).', status: 'unconfirmed' },
  },
  {
    id: 'phq9-item9-positive',
    title: 'PHQ-9 item 9 above 0',
    level: 'informational',
    category: 'screening-result',
    enabled: true,
    when: { kind: 'measure', instrument: 'phq-9', field: 'item', itemId: 'phq9_9', op: 'gt', value: 0 },
    reason:
      'Thoughts of death or self-harm endorsed on PHQ-9 item 9. Active suicidal intent above a clinic-set threshold is a common trial exclusion; follow the safety-alert pathway and a structured follow-up (e.g. a licensed C-SSRS).',
    source: { citation: `${RESEARCH} Simon et al. 2013; clinical-facts.md §6 [66] and §8.`, status: 'confirmed' },
  },
  {
    id: 'hazardous-alcohol-use',
    title: 'Positive alcohol screen',
    level: 'informational',
    category: 'screening-result',
    enabled: true,
    when: {
      kind: 'any',
      conditions: [
        { kind: 'measure', instrument: 'audit', field: 'band', op: 'in', value: ['zone-3', 'zone-4'] },
        { kind: 'measure', instrument: 'audit-c', field: 'band', op: 'eq', value: 'positive' },
      ],
    },
    reason: 'AUDIT zone III–IV or a positive AUDIT-C. The label warns about substance use disorder including alcohol; assess further.',
    source: { citation: `${LABEL_WARN} AUDIT zones and AUDIT-C cut-offs, clinical-facts.md §6 [74][75][77][78].`, status: 'confirmed' },
  },
];
