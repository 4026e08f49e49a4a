import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link, useParams } from 'react-router';
import { US_STATES, VOCABULARIES, type VocabularyName } from '../../../core/directory/vocabulary';
import { ApiError } from '../../api/client';
import { getManagedProvider, putProviderProfile, type ManagedProvider, type ProviderProfileBody } from '../../api/directory';
import { Checkbox, ErrorSummary, NO_ERRORS, SelectField, StatusMessage, TextArea, TextField, type FormErrors } from '../../components/forms';
import { ErrorNotice, Loading, Page } from '../../components/Page';
import '../public/directory.css';

type Lists = Record<VocabularyName, string[]>;
interface Form extends Lists {
  listed: boolean;
  displayName: string;
  pronouns: string;
  licenceType: string;
  licenceNumber: string;
  licenceState: string;
  licenceExpiresOn: string;
  inPerson: boolean;
  telehealth: boolean;
  acceptingNewPatients: boolean;
  slidingScale: boolean;
  superbill: boolean;
  feeMinUsd: string;
  feeMaxUsd: string;
  bio: string;
  photoUrl: string;
  ownLocation: boolean;
  addressLine1: string;
  city: string;
  state: string;
  postalCode: string;
}

function formOf(m: ManagedProvider): Form {
  const p = m.profile;
  return {
    listed: p?.listed ?? true,
    displayName: p?.displayName ?? m.accountName,
    pronouns: p?.pronouns ?? '',
    credentials: p?.credentials ?? [],
    licenceType: p?.licenceType ?? '',
    licenceNumber: p?.licenceNumber ?? '',
    licenceState: p?.licenceState ?? 'CA',
    licenceExpiresOn: p?.licenceExpiresOn ?? '',
    conditions: p?.conditions ?? [],
    approaches: p?.approaches ?? [],
    routes: p?.routes ?? [],
    formats: p?.formats ?? ['individual'],
    languages: p?.languages ?? ['en'],
    inPerson: p?.inPerson ?? true,
    telehealth: p?.telehealth ?? false,
    acceptingNewPatients: p?.acceptingNewPatients ?? true,
    slidingScale: p?.slidingScale ?? false,
    superbill: p?.superbill ?? false,
    feeMinUsd: p?.feeMinUsd?.toString() ?? '',
    feeMaxUsd: p?.feeMaxUsd?.toString() ?? '',
    bio: p?.bio ?? '',
    photoUrl: p?.photoUrl ?? '',
    ownLocation: p ? !p.usesClinicLocation : false,
    addressLine1: p && !p.usesClinicLocation ? (p.location?.addressLine1 ?? '') : '',
    city: p && !p.usesClinicLocation ? (p.location?.city ?? '') : '',
    state: p && !p.usesClinicLocation ? (p.location?.state ?? 'CA') : 'CA',
    postalCode: p && !p.usesClinicLocation ? (p.location?.postalCode ?? '') : '',
  };
}

function bodyOf(f: Form): ProviderProfileBody {
  const num = (s: string) => (s.trim() === '' ? null : Number(s));
  return {
    listed: f.listed,
    displayName: f.displayName,
    pronouns: f.pronouns.trim() || null,
    credentials: f.credentials as ProviderProfileBody['credentials'],
    licenceType: f.licenceType,
    licenceNumber: f.licenceNumber,
    licenceState: f.licenceState as ProviderProfileBody['licenceState'],
    licenceExpiresOn: f.licenceExpiresOn,
    conditions: f.conditions as ProviderProfileBody['conditions'],
    approaches: f.approaches as ProviderProfileBody['approaches'],
    routes: f.routes as ProviderProfileBody['routes'],
    formats: f.formats as ProviderProfileBody['formats'],
    languages: f.languages as ProviderProfileBody['languages'],
    inPerson: f.inPerson,
    telehealth: f.telehealth,
    acceptingNewPatients: f.acceptingNewPatients,
    slidingScale: f.slidingScale,
    superbill: f.superbill,
    feeMinUsd: num(f.feeMinUsd),
    feeMaxUsd: num(f.feeMaxUsd),
    bio: f.bio,
    photoUrl: f.photoUrl.trim() || null,
    location: f.ownLocation
      ? { addressLine1: f.addressLine1, city: f.city, state: f.state as ProviderProfileBody['licenceState'], postalCode: f.postalCode.trim() }
      : null,
  };
}

const GROUPS: { name: VocabularyName; legend: string }[] = [
  { name: 'credentials', legend: 'Credentials' },
  { name: 'conditions', legend: 'Conditions treated' },
  { name: 'approaches', legend: 'Therapy approaches' },
  { name: 'routes', legend: 'Ketamine routes offered' },
  { name: 'formats', legend: 'Formats' },
  { name: 'languages', legend: 'Languages' },
];

function EditForm({ managed }: { managed: ManagedProvider }) {
  const queryClient = useQueryClient();
  const [form, setForm] = useState<Form>(() => formOf(managed));
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [saved, setSaved] = useState('');
  const set = <K extends keyof Form>(k: K) => (v: Form[K]) => setForm((f) => ({ ...f, [k]: v }));
  const toggle = (name: VocabularyName, code: string, on: boolean) =>
    setForm((f) => ({ ...f, [name]: on ? [...f[name], code] : f[name].filter((c) => c !== code) }));
  const mutation = useMutation({
    mutationFn: (body: ProviderProfileBody) => putProviderProfile(managed.userId, body),
    onSuccess: async (m) => {
      setErrors(NO_ERRORS);
      setSaved(m.profile?.licenceStatus === 'unverified' ? 'Profile saved. The licence needs verifying before the profile appears in search.' : 'Profile saved.');
      await queryClient.invalidateQueries({ queryKey: ['directory-admin'] });
    },
    onError: (error) => {
      setSaved('');
      if (error instanceof ApiError && error.field) {
        const parts = error.field.split('.');
        const key = parts[0] === 'location' ? (parts[1] ?? 'addressLine1') : (parts[0] ?? error.field);
        setErrors({ fields: { [key]: error.message } });
      } else setErrors({ fields: {}, form: error instanceof ApiError ? error.message : 'That did not work.' });
    },
  });
  const err = (k: string) => errors.fields[k];
  const submit = (e: FormEvent) => {
    e.preventDefault();
    mutation.mutate(bodyOf(form));
  };
  return (
    <form onSubmit={submit} noValidate>
      <ErrorSummary errors={errors} form="profile" />
      <Checkbox id="profile-listed" label="List this clinician in the public directory" checked={form.listed} onChange={set('listed')} />
      <div className="directory-search__row">
        <TextField form="profile" name="displayName" label="Name as shown" value={form.displayName} onChange={set('displayName')} required error={err('displayName')} />
        <TextField form="profile" name="pronouns" label="Pronouns" value={form.pronouns} onChange={set('pronouns')} width="short" />
      </div>
      <fieldset className="fieldset">
        <legend>Licence</legend>
        <div className="directory-search__row">
          <TextField form="profile" name="licenceType" label="Licence type" value={form.licenceType} onChange={set('licenceType')} required error={err('licenceType')} />
          <TextField form="profile" name="licenceNumber" label="Licence number" value={form.licenceNumber} onChange={set('licenceNumber')} required error={err('licenceNumber')} />
          <SelectField form="profile" name="licenceState" label="State" value={form.licenceState} onChange={set('licenceState')} options={US_STATES.map((s) => ({ value: s, label: s }))} />
          <TextField form="profile" name="licenceExpiresOn" label="Expires on" type="date" value={form.licenceExpiresOn} onChange={set('licenceExpiresOn')} required error={err('licenceExpiresOn')} />
        </div>
        <p className="field__hint">Changing the licence details clears its verification: verify it again from the directory page.</p>
      </fieldset>
      {GROUPS.map((g) => (
        <fieldset key={g.name} className="fieldset" aria-describedby={err(g.name) ? `profile-${g.name}-error` : undefined}>
          <legend>{g.legend}</legend>
          {err(g.name) ? (
            <p id={`profile-${g.name}-error`} className="field__error">
              {err(g.name)}
            </p>
          ) : null}
          <div className="checkbox-grid">
            {VOCABULARIES[g.name].map((e) => (
              <Checkbox key={e.code} id={`profile-${g.name}-${e.code}`} label={e.label} checked={form[g.name].includes(e.code)} onChange={(on) => toggle(g.name, e.code, on)} />
            ))}
          </div>
        </fieldset>
      ))}
      <fieldset className="fieldset">
        <legend>Visits and fees</legend>
        {err('inPerson') ? <p className="field__error">{err('inPerson')}</p> : null}
        <div className="checkbox-grid">
          <Checkbox id="profile-inPerson" label="In person" checked={form.inPerson} onChange={set('inPerson')} />
          <Checkbox id="profile-telehealth" label="Telehealth" checked={form.telehealth} onChange={set('telehealth')} />
          <Checkbox id="profile-accepting" label="Accepting new patients" checked={form.acceptingNewPatients} onChange={set('acceptingNewPatients')} />
          <Checkbox id="profile-sliding" label="Sliding scale" checked={form.slidingScale} onChange={set('slidingScale')} />
          <Checkbox id="profile-superbill" label="Superbill for insurance" checked={form.superbill} onChange={set('superbill')} />
        </div>
        <div className="directory-search__row">
          <TextField form="profile" name="feeMinUsd" label="Lowest self-pay fee ($)" inputMode="numeric" value={form.feeMinUsd} onChange={set('feeMinUsd')} width="short" error={err('feeMinUsd')} />
          <TextField form="profile" name="feeMaxUsd" label="Highest self-pay fee ($)" inputMode="numeric" value={form.feeMaxUsd} onChange={set('feeMaxUsd')} width="short" error={err('feeMaxUsd')} />
        </div>
      </fieldset>
      <TextArea form="profile" name="bio" label="Bio" value={form.bio} onChange={set('bio')} rows={6} maxLength={6000} error={err('bio')} />
      <TextField form="profile" name="photoUrl" label="Photo URL (https://…)" value={form.photoUrl} onChange={set('photoUrl')} error={err('photoUrl')} />
      <fieldset className="fieldset">
        <legend>Practice location</legend>
        <Checkbox id="profile-own-location" label="Practises at a different address from the clinic" checked={form.ownLocation} onChange={set('ownLocation')} />
        {form.ownLocation ? (
          <div className="directory-search__row">
            <TextField form="profile" name="addressLine1" label="Street address" value={form.addressLine1} onChange={set('addressLine1')} error={err('addressLine1')} />
            <TextField form="profile" name="city" label="City" value={form.city} onChange={set('city')} error={err('city')} />
            <SelectField form="profile" name="state" label="State" value={form.state} onChange={set('state')} options={US_STATES.map((s) => ({ value: s, label: s }))} />
            <TextField form="profile" name="postalCode" label="ZIP code" value={form.postalCode} onChange={set('postalCode')} width="short" error={err('postalCode')} />
          </div>
        ) : null}
        {err('location') ? <p className="field__error">{err('location')}</p> : null}
      </fieldset>
      <button type="submit" className="button button--primary" disabled={mutation.isPending}>
        {mutation.isPending ? 'Saving…' : 'Save profile'}
      </button>
      <StatusMessage>{saved}</StatusMessage>
    </form>
  );
}

/** Clinic admin: one clinician's public directory profile. */
export function DirectoryProviderEditPage() {
  const { userId = '' } = useParams();
  const query = useQuery({ queryKey: ['directory-admin', 'provider', userId], queryFn: () => getManagedProvider(userId) });
  if (query.isPending) return <Loading />;
  if (query.error) return <ErrorNotice error={query.error} title="Clinician not found" />;
  return (
    <Page title={`Directory profile: ${query.data.accountName}`} lead={<Link to="/staff/directory">Back to the directory listing</Link>}>
      <EditForm key={query.data.userId} managed={query.data} />
    </Page>
  );
}
