/**
 * Medical & psychiatric history form (intake). Not a scored measure: `kind: 'form'`.
 * Written for Threshold. The questions cover what the default contraindication rules
 * (src/core/screening/default-contraindication-rules.ts) read, drawn from clinical-facts.md §3:
 * Spravato label contraindications and warnings, common research exclusions and ED exclusions.
 * Item ids are stable: contraindication rules refer to them.
 */
import type { AnswerOption, InstrumentDefinition } from '../instrument-definition.schema';
import { YES_NO_UNSURE } from './answer-scales';

const yesNoUnsure = (id: string, text: string, help?: string) =>
  help ? { id, kind: 'choice' as const, text, help, options: YES_NO_UNSURE } : { id, kind: 'choice' as const, text, options: YES_NO_UNSURE };

const CARDIAC: AnswerOption[] = [
  { value: 'heart-attack', label: 'Heart attack' },
  { value: 'angina', label: 'Angina or chest pain from the heart' },
  { value: 'heart-failure', label: 'Heart failure' },
  { value: 'arrhythmia', label: 'Irregular heartbeat (arrhythmia), e.g. atrial fibrillation' },
  { value: 'valve-disease', label: 'Heart valve disease' },
  { value: 'other', label: 'Other heart condition' },
  { value: 'none', label: 'None of these' },
];

/** Classes recorded on the Spravato REMS Patient Monitoring Form (clinical-facts.md §2a) plus MAOIs (§3). */
const MEDICATION_CLASSES: AnswerOption[] = [
  { value: 'benzodiazepine', label: 'Benzodiazepines (e.g. lorazepam, clonazepam, alprazolam, diazepam)' },
  { value: 'z-drug', label: 'Non-benzodiazepine sleep medicines (e.g. zolpidem, zopiclone, eszopiclone)' },
  { value: 'stimulant', label: 'Stimulants (e.g. methylphenidate, amphetamine salts, modafinil)' },
  { value: 'maoi', label: 'MAO inhibitors (e.g. phenelzine, tranylcypromine, selegiline)' },
  { value: 'none', label: 'None of these' },
  { value: 'unsure', label: 'Not sure' },
];

const NON_PRESCRIBED: AnswerOption[] = [
  { value: 'cannabis', label: 'Cannabis' },
  { value: 'stimulants', label: 'Cocaine, methamphetamine or non-prescribed stimulants' },
  { value: 'opioids', label: 'Heroin, fentanyl or non-prescribed opioids' },
  { value: 'sedatives', label: 'Non-prescribed sedatives or sleeping pills' },
  { value: 'hallucinogens', label: 'Psychedelics or hallucinogens' },
  { value: 'ketamine', label: 'Ketamine' },
  { value: 'other', label: 'Other' },
  { value: 'none', label: 'None' },
];

export const medicalHistory: InstrumentDefinition = {
  code: 'medical-history',
  title: 'Medical and psychiatric history',
  version: '1.0.0',
  kind: 'form',
  licence: 'Written for Threshold (AGPL-3.0-or-later project); no third-party text.',
  source: 'Threshold intake form; topics from clinical-facts.md §3 (Spravato label [19][23][43], research exclusions [45][46][47], ED exclusions [38]).',
  groups: [
    {
      id: 'mental-health',
      title: 'Mental health history',
      items: [
        yesNoUnsure('hx_psychosis', 'Have you ever had psychosis — for example hearing or seeing things others did not, or strong beliefs others said were not real — or been diagnosed with schizophrenia or schizoaffective disorder?'),
        yesNoUnsure('hx_mania', 'Have you ever had an episode of mania or hypomania (days of unusually high energy or mood, little need for sleep, racing thoughts)?'),
        yesNoUnsure('hx_bipolar', 'Have you been diagnosed with bipolar disorder?'),
        yesNoUnsure('hx_cognitive_impairment', 'Have you been diagnosed with a condition that affects memory or thinking (cognitive impairment or dementia)?'),
        { id: 'hx_mental_health_other', kind: 'text', required: false, maxLength: 2000, text: 'Other mental health diagnoses or hospital stays you want us to know about' },
      ],
    },
    {
      id: 'heart-and-circulation',
      title: 'Heart, blood pressure and circulation',
      items: [
        yesNoUnsure('hx_hypertension', 'Have you ever been told you have high blood pressure (hypertension)?'),
        {
          id: 'hx_hypertension_controlled',
          kind: 'choice',
          text: 'Is your blood pressure currently under control (in the range your doctor wants, with or without medicine)?',
          showIf: { itemId: 'hx_hypertension', op: 'eq', value: 'yes' },
          options: YES_NO_UNSURE,
        },
        { id: 'hx_bp_systolic', kind: 'number', required: false, unit: 'mmHg', min: 50, max: 300, integer: true, text: 'Your most recent blood pressure reading, if you know it — top number (systolic)' },
        { id: 'hx_bp_diastolic', kind: 'number', required: false, unit: 'mmHg', min: 20, max: 200, integer: true, text: 'Bottom number (diastolic)' },
        { id: 'hx_bp_notes', kind: 'text', required: false, maxLength: 1000, text: 'Anything else about your blood pressure history (when that reading was taken, home readings, past high or low readings)' },
        yesNoUnsure(
          'hx_aneurysm',
          'Have you ever been told you have an aneurysm (a bulging blood vessel — in the chest, abdomen, brain, arms or legs) or an arteriovenous malformation (AVM)?',
        ),
        yesNoUnsure('hx_intracerebral_hemorrhage', 'Have you ever had bleeding in the brain (intracerebral hemorrhage)?'),
        yesNoUnsure('hx_stroke', 'Have you ever had a stroke or a "mini-stroke" (TIA)?'),
        { id: 'hx_cardiac', kind: 'multi-choice', text: 'Have you ever had any of these heart conditions? Choose all that apply.', options: CARDIAC },
      ],
    },
    {
      id: 'other-conditions',
      title: 'Other conditions',
      items: [
        yesNoUnsure('hx_liver', 'Do you have liver disease or reduced liver function (for example cirrhosis or hepatitis)?'),
        { id: 'hx_liver_details', kind: 'text', required: false, maxLength: 1000, text: 'Please describe your liver condition and how severe it is, if you know', showIf: { itemId: 'hx_liver', op: 'eq', value: 'yes' } },
        yesNoUnsure('hx_glaucoma', 'Do you have glaucoma or raised pressure in the eye?'),
        yesNoUnsure('hx_intracranial_pressure', 'Have you been told you have raised pressure inside the skull (for example after a head injury, or from a tumour or hydrocephalus)?'),
        yesNoUnsure('hx_cystitis', 'Do you have ulcerative or interstitial cystitis, or ongoing bladder pain or urinary problems?'),
        { id: 'hx_other_conditions', kind: 'text', required: false, maxLength: 2000, text: 'Any other medical conditions or surgeries' },
      ],
    },
    {
      id: 'medications-allergies',
      title: 'Medicines and allergies',
      items: [
        { id: 'hx_medications', kind: 'text', maxLength: 4000, text: 'List every medicine you take, with dose and how often (include supplements). Write "none" if none.' },
        { id: 'hx_medication_classes', kind: 'multi-choice', text: 'Do you take any of these? Choose all that apply.', options: MEDICATION_CLASSES },
        { id: 'hx_allergies', kind: 'text', maxLength: 2000, text: 'Allergies (medicines, foods, latex) and what happened. Write "none" if none.' },
        yesNoUnsure('hx_ketamine_hypersensitivity', 'Have you ever had an allergic reaction to ketamine or esketamine (Spravato)?'),
      ],
    },
    {
      id: 'substance-use',
      title: 'Alcohol, drugs and past experiences',
      items: [
        { id: 'hx_nonprescribed_recent', kind: 'multi-choice', text: 'In the past 3 months, which of these have you used (other than as prescribed)? Choose all that apply.', options: NON_PRESCRIBED },
        yesNoUnsure('hx_sud_current', 'Do you currently have a problem with alcohol or drug use, or a substance use disorder that is still active?'),
        yesNoUnsure('hx_sud_past', 'Have you had a problem with alcohol or drug use in the past (including one now in recovery)?'),
        {
          id: 'hx_ketamine_past',
          kind: 'choice',
          text: 'Have you used ketamine before?',
          options: [
            { value: 'no', label: 'No' },
            { value: 'medical', label: 'Yes, as a medical treatment (prescribed or in a clinic)' },
            { value: 'non-medical', label: 'Yes, not as a medical treatment' },
            { value: 'both', label: 'Yes, both' },
          ],
        },
        { id: 'hx_ketamine_details', kind: 'text', required: false, maxLength: 2000, text: 'When, how, and how did it go?', showIf: { itemId: 'hx_ketamine_past', op: 'neq', value: 'no' } },
        {
          id: 'hx_psychedelic_experience',
          kind: 'choice',
          text: 'Have you had experiences with psychedelics (for example psilocybin, LSD, MDMA, ayahuasca)?',
          options: [
            { value: 'no', label: 'No' },
            { value: 'yes', label: 'Yes' },
          ],
        },
        { id: 'hx_psychedelic_details', kind: 'text', required: false, maxLength: 2000, text: 'Which, roughly when, and how were those experiences for you?', showIf: { itemId: 'hx_psychedelic_experience', op: 'eq', value: 'yes' } },
      ],
    },
    {
      id: 'pregnancy',
      title: 'Pregnancy and breastfeeding',
      items: [
        {
          id: 'hx_pregnant',
          kind: 'choice',
          text: 'Are you pregnant, or could you be pregnant?',
          options: [...YES_NO_UNSURE, { value: 'not-applicable', label: 'Not applicable' }],
        },
        {
          id: 'hx_breastfeeding',
          kind: 'choice',
          text: 'Are you breastfeeding?',
          options: [
            { value: 'yes', label: 'Yes' },
            { value: 'no', label: 'No' },
            { value: 'not-applicable', label: 'Not applicable' },
          ],
        },
      ],
    },
    {
      id: 'body',
      title: 'Height and weight',
      items: [
        { id: 'hx_height_cm', kind: 'number', unit: 'cm', min: 100, max: 250, text: 'Height (cm)' },
        { id: 'hx_weight_kg', kind: 'number', unit: 'kg', min: 25, max: 350, text: 'Weight (kg)' },
      ],
    },
  ],
  scoring: { kind: 'none' },
  missingItems: { kind: 'require-all' },
};
