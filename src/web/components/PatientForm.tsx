import type { FormEvent, ReactNode } from 'react';
import type { Patient } from '../api/endpoints';
import { todayIn } from '../lib/format';
import { ErrorSummary, NO_ERRORS, TextArea, TextField, type FieldErrors, type FormErrors } from './forms';

export const PATIENT_FORM_FIELDS = [
  'legalGivenName',
  'legalFamilyName',
  'preferredName',
  'pronouns',
  'dateOfBirth',
  'preferredLanguage',
  'phone',
  'email',
  'address',
  'emergencyContactName',
  'emergencyContactRelationship',
  'emergencyContactPhone',
] as const;
export type PatientFormField = (typeof PATIENT_FORM_FIELDS)[number];
export type PatientFormValues = Record<PatientFormField, string>;

export function emptyPatientValues(): PatientFormValues {
  return Object.fromEntries(PATIENT_FORM_FIELDS.map((f) => [f, ''])) as PatientFormValues;
}

export function patientValuesOf(p: Patient): PatientFormValues {
  return Object.fromEntries(PATIENT_FORM_FIELDS.map((f) => [f, p[f] ?? ''])) as PatientFormValues;
}

/** Only what changed; cleared optional fields become null. */
export function changedFields(before: PatientFormValues, after: PatientFormValues, fields: readonly PatientFormField[]) {
  const out: Partial<Record<PatientFormField, string | null>> = {};
  for (const f of fields) {
    const a = after[f].trim();
    if (a !== before[f].trim()) out[f] = a === '' ? null : a;
  }
  return out;
}

const REQUIRED: readonly PatientFormField[] = ['legalGivenName', 'legalFamilyName', 'dateOfBirth'];
const PHONE_RE = /^[+0-9 ()./-]{7,25}$/;

export function checkPatientValues(v: PatientFormValues, editable: readonly PatientFormField[], timeZone: string): FieldErrors {
  const e: FieldErrors = {};
  if (editable.includes('legalGivenName') && !v.legalGivenName.trim()) e.legalGivenName = 'Enter the legal first name';
  if (editable.includes('legalFamilyName') && !v.legalFamilyName.trim()) e.legalFamilyName = 'Enter the legal last name';
  if (editable.includes('dateOfBirth')) {
    if (!v.dateOfBirth) e.dateOfBirth = 'Enter the date of birth';
    else if (v.dateOfBirth > todayIn(timeZone)) e.dateOfBirth = 'Date of birth cannot be in the future';
  }
  for (const f of ['phone', 'emergencyContactPhone'] as const) {
    if (editable.includes(f) && v[f].trim() && !PHONE_RE.test(v[f].trim())) {
      e[f] = `${f === 'phone' ? 'Phone' : 'Emergency contact phone'} must be 7 to 25 characters: digits, spaces and + ( ) . / -`;
    }
  }
  if (editable.includes('email') && v.email.trim() && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v.email.trim())) {
    e.email = 'Email must be a valid email address, like name@example.com';
  }
  return e;
}

interface Props {
  form: string;
  values: PatientFormValues;
  onChange: (values: PatientFormValues) => void;
  editable: readonly PatientFormField[];
  errors: FormErrors;
  onSubmit: () => void;
  submitLabel: string;
  pending: boolean;
  timeZone: string;
  /** Extra fieldsets (care team) before the buttons. */
  extra?: ReactNode;
  cancel?: ReactNode;
  /** Whose record: "their" for staff, "your" for a patient. */
  whose?: 'their' | 'your';
}

export function PatientForm({ form, values, onChange, editable, errors, onSubmit, submitLabel, pending, extra, cancel, whose = 'their' }: Props) {
  const set = (f: PatientFormField) => (value: string) => onChange({ ...values, [f]: value });
  const field = (f: PatientFormField, props: Partial<Parameters<typeof TextField>[0]> = {}) =>
    editable.includes(f) ? (
      <TextField form={form} name={f} value={values[f]} onChange={set(f)} error={errors.fields[f]} required={REQUIRED.includes(f)} {...props} />
    ) : null;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onSubmit();
  };
  const showIdentity = editable.some((f) => ['legalGivenName', 'legalFamilyName', 'preferredName', 'pronouns', 'dateOfBirth', 'preferredLanguage'].includes(f));
  return (
    <form className="form" noValidate onSubmit={submit}>
      <ErrorSummary errors={errors} form={form} />
      {showIdentity ? (
        <fieldset className="fieldset">
          <legend>Name and identity</legend>
          <div className="field-row">
            {field('legalGivenName', { autoComplete: 'off', maxLength: 100 })}
            {field('legalFamilyName', { autoComplete: 'off', maxLength: 100 })}
          </div>
          <div className="field-row">
            {field('preferredName', { hint: `The name ${whose === 'your' ? 'you' : 'they'} like to be called`, maxLength: 100 })}
            {field('pronouns', { hint: 'For example she/her, he/him, they/them', maxLength: 40, width: 'medium' })}
          </div>
          <div className="field-row">
            {field('dateOfBirth', { type: 'date', width: 'medium' })}
            {field('preferredLanguage', { maxLength: 40, width: 'medium', hint: 'For example English, Spanish' })}
          </div>
        </fieldset>
      ) : null}
      <fieldset className="fieldset">
        <legend>Contact</legend>
        <div className="field-row">
          {field('phone', { type: 'tel', autoComplete: whose === 'your' ? 'tel' : 'off', inputMode: 'tel', width: 'medium' })}
          {field('email', { type: 'email', autoComplete: whose === 'your' ? 'email' : 'off', maxLength: 254 })}
        </div>
        {editable.includes('address') ? (
          <TextArea form={form} name="address" value={values.address} onChange={set('address')} error={errors.fields.address} maxLength={300} />
        ) : null}
      </fieldset>
      <fieldset className="fieldset">
        <legend>Emergency contact</legend>
        <div className="field-row">
          {field('emergencyContactName', { label: 'Name', maxLength: 100 })}
          {field('emergencyContactRelationship', { label: 'Relationship', maxLength: 60, width: 'medium', hint: 'For example partner, parent, friend' })}
        </div>
        {field('emergencyContactPhone', { label: 'Phone', type: 'tel', inputMode: 'tel', width: 'medium' })}
      </fieldset>
      {extra}
      <div className="form__actions">
        <button type="submit" className="button button--primary" disabled={pending}>
          {pending ? 'Saving…' : submitLabel}
        </button>
        {cancel}
      </div>
    </form>
  );
}

export { NO_ERRORS };
