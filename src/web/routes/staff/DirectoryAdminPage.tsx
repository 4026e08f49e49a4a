import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { US_STATES } from '../../../core/directory/vocabulary';
import { ApiError } from '../../api/client';
import {
  getClinicListing,
  listManagedProviders,
  putClinicListing,
  setLicenceVerified,
  type ClinicListing,
  type ClinicListingBody,
  type ManagedProvider,
} from '../../api/directory';
import { Checkbox, ErrorSummary, NO_ERRORS, SelectField, StatusMessage, TextArea, TextField, formErrorsFrom, type FormErrors } from '../../components/forms';
import { Badge, ErrorNotice, Loading, Page } from '../../components/Page';
import { longDate } from '../../lib/directory-format';
import '../public/directory.css';

const CLINIC_FIELDS = ['listed', 'publicName', 'description', 'address', 'phone', 'website', 'email', 'telehealthStates', 'photoUrl'];

interface ClinicForm {
  listed: boolean;
  publicName: string;
  description: string;
  addressLine1: string;
  addressLine2: string;
  city: string;
  state: string;
  postalCode: string;
  latitude: string;
  longitude: string;
  phone: string;
  website: string;
  email: string;
  telehealthStates: string;
  photoUrl: string;
}

function formOf(l: ClinicListing | null, fallbackName: string): ClinicForm {
  return {
    listed: l?.listed ?? true,
    publicName: l?.name ?? fallbackName,
    description: l?.description ?? '',
    addressLine1: l?.address.addressLine1 ?? '',
    addressLine2: l?.address.addressLine2 ?? '',
    city: l?.address.city ?? '',
    state: l?.address.state ?? 'CA',
    postalCode: l?.address.postalCode ?? '',
    latitude: l ? String(l.address.latitude) : '',
    longitude: l ? String(l.address.longitude) : '',
    phone: l?.phone ?? '',
    website: l?.website ?? '',
    email: l?.email ?? '',
    telehealthStates: l?.telehealthStates.join(', ') ?? '',
    photoUrl: l?.photoUrl ?? '',
  };
}

function bodyOf(f: ClinicForm): ClinicListingBody {
  const num = (s: string) => (s.trim() === '' ? null : Number(s));
  return {
    listed: f.listed,
    publicName: f.publicName,
    description: f.description,
    address: {
      addressLine1: f.addressLine1,
      addressLine2: f.addressLine2 || null,
      city: f.city,
      state: f.state as ClinicListingBody['address']['state'],
      postalCode: f.postalCode.trim(),
      latitude: num(f.latitude),
      longitude: num(f.longitude),
    },
    phone: f.phone,
    website: f.website.trim() || null,
    email: f.email.trim() || null,
    telehealthStates: f.telehealthStates
      .split(/[\s,]+/)
      .map((s) => s.trim().toUpperCase())
      .filter(Boolean) as ClinicListingBody['telehealthStates'],
    photoUrl: f.photoUrl.trim() || null,
  };
}

function ClinicListingForm({ listing }: { listing: ClinicListing | null }) {
  const queryClient = useQueryClient();
  const [form, setForm] = useState<ClinicForm>(() => formOf(listing, ''));
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [saved, setSaved] = useState('');
  const set = <K extends keyof ClinicForm>(k: K) => (v: ClinicForm[K]) => setForm((f) => ({ ...f, [k]: v }));
  const mutation = useMutation({
    mutationFn: putClinicListing,
    onSuccess: async () => {
      setErrors(NO_ERRORS);
      setSaved('Listing saved.');
      await queryClient.invalidateQueries({ queryKey: ['directory-admin'] });
    },
    onError: (error) => {
      setSaved('');
      const fe = formErrorsFrom(error, [...CLINIC_FIELDS]);
      // "address.postalCode" → show at the ZIP field.
      if (error instanceof ApiError && error.field?.startsWith('address.')) {
        const sub = error.field.split('.')[1] ?? '';
        setErrors({ fields: { [sub]: error.message } });
      } else setErrors(fe);
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    mutation.mutate(bodyOf(form));
  };
  const err = (k: string) => errors.fields[k];
  return (
    <form onSubmit={submit} noValidate aria-labelledby="listing-heading">
      <h2 id="listing-heading">Clinic listing</h2>
      <ErrorSummary errors={errors} form="listing" />
      <Checkbox id="listing-listed" label="Show our clinic in the public directory" checked={form.listed} onChange={set('listed')} />
      <TextField form="listing" name="publicName" label="Public name" value={form.publicName} onChange={set('publicName')} required error={err('publicName')} />
      <TextArea form="listing" name="description" label="Description" value={form.description} onChange={set('description')} rows={4} maxLength={4000} />
      <div className="directory-search__row">
        <TextField form="listing" name="addressLine1" label="Street address" value={form.addressLine1} onChange={set('addressLine1')} required error={err('addressLine1')} />
        <TextField form="listing" name="addressLine2" label="Suite or floor" value={form.addressLine2} onChange={set('addressLine2')} />
      </div>
      <div className="directory-search__row">
        <TextField form="listing" name="city" label="City" value={form.city} onChange={set('city')} required error={err('city')} />
        <SelectField form="listing" name="state" label="State" value={form.state} onChange={set('state')} options={US_STATES.map((s) => ({ value: s, label: s }))} />
        <TextField form="listing" name="postalCode" label="ZIP code" value={form.postalCode} onChange={set('postalCode')} width="short" required error={err('postalCode')} />
      </div>
      <div className="directory-search__row">
        <TextField form="listing" name="latitude" label="Latitude" hint="Optional: leave both empty to use the ZIP code's centre." value={form.latitude} onChange={set('latitude')} width="short" error={err('latitude')} />
        <TextField form="listing" name="longitude" label="Longitude" value={form.longitude} onChange={set('longitude')} width="short" error={err('longitude')} />
      </div>
      <div className="directory-search__row">
        <TextField form="listing" name="phone" label="Public phone" type="tel" value={form.phone} onChange={set('phone')} required error={err('phone')} />
        <TextField form="listing" name="website" label="Website (https://…)" value={form.website} onChange={set('website')} error={err('website')} />
        <TextField form="listing" name="email" label="Public email" type="email" value={form.email} onChange={set('email')} error={err('email')} />
      </div>
      <TextField form="listing" name="telehealthStates" label="Telehealth states" hint="Two-letter codes, separated by commas (e.g. CA, NV)." value={form.telehealthStates} onChange={set('telehealthStates')} error={err('telehealthStates')} />
      <TextField form="listing" name="photoUrl" label="Photo URL (https://…)" value={form.photoUrl} onChange={set('photoUrl')} error={err('photoUrl')} />
      <button type="submit" className="button button--primary" disabled={mutation.isPending}>
        {mutation.isPending ? 'Saving…' : 'Save listing'}
      </button>
      <StatusMessage>{saved}</StatusMessage>
    </form>
  );
}

function LicenceBadge({ p }: { p: NonNullable<ManagedProvider['profile']> }) {
  if (p.licenceStatus === 'expired') return <Badge tone="danger">Licence expired {longDate(p.licenceExpiresOn)}</Badge>;
  if (p.licenceStatus === 'unverified') return <Badge tone="warning">Licence not verified</Badge>;
  return <Badge tone="success">Verified {longDate((p.licenceVerifiedAt ?? '').slice(0, 10))}</Badge>;
}

function CliniciansTable({ providers }: { providers: ManagedProvider[] }) {
  const queryClient = useQueryClient();
  const [message, setMessage] = useState('');
  const verify = useMutation({
    mutationFn: ({ userId, verified }: { userId: string; verified: boolean }) => setLicenceVerified(userId, verified),
    onSuccess: async (m, vars) => {
      setMessage(vars.verified ? `Licence of ${m.profile?.displayName ?? m.accountName} recorded as verified today.` : `Verification withdrawn for ${m.profile?.displayName ?? m.accountName}.`);
      await queryClient.invalidateQueries({ queryKey: ['directory-admin'] });
    },
    onError: (error) => setMessage(error instanceof ApiError ? error.message : 'That did not work.'),
  });
  return (
    <section aria-labelledby="clinicians-heading">
      <h2 id="clinicians-heading">Clinician profiles</h2>
      <StatusMessage>{message}</StatusMessage>
      <div className="table-scroll">
        <table className="directory-table">
          <thead>
            <tr>
              <th scope="col">Clinician</th>
              <th scope="col">Profile</th>
              <th scope="col">Licence</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {providers.map((m) => (
              <tr key={m.userId}>
                <td>
                  {m.profile?.displayName ?? m.accountName}
                  {!m.accountActive ? (
                    <>
                      {' '}
                      <Badge tone="neutral">Account inactive</Badge>
                    </>
                  ) : null}
                </td>
                <td>
                  {!m.profile ? 'No profile yet' : m.profile.searchable ? <Badge tone="success">In search</Badge> : m.profile.listed ? <Badge tone="warning">Hidden</Badge> : 'Not listed'}
                </td>
                <td>{m.profile ? <LicenceBadge p={m.profile} /> : '—'}</td>
                <td>
                  <div className="provider-card__actions">
                    <Link className="button button--secondary button--small" to={`/staff/directory/providers/${m.userId}`}>
                      {m.profile ? 'Edit profile' : 'Create profile'}
                      <span className="visually-hidden"> for {m.accountName}</span>
                    </Link>
                    {m.profile && m.profile.licenceStatus === 'unverified' ? (
                      <button
                        type="button"
                        className="button button--primary button--small"
                        disabled={verify.isPending}
                        onClick={() => verify.mutate({ userId: m.userId, verified: true })}
                      >
                        Mark licence verified today<span className="visually-hidden"> for {m.accountName}</span>
                      </button>
                    ) : null}
                    {m.profile && m.profile.licenceStatus === 'verified' ? (
                      <button type="button" className="button button--quiet button--small" disabled={verify.isPending} onClick={() => verify.mutate({ userId: m.userId, verified: false })}>
                        Withdraw verification<span className="visually-hidden"> for {m.accountName}</span>
                      </button>
                    ) : null}
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p className="muted">
        Verify a licence by checking it with the state licensing board. A clinician appears in search only when listed, verified and unexpired, and while the
        clinic is listed.
      </p>
    </section>
  );
}

/** Clinic admin: the clinic's public listing, its clinicians' profiles and licence verification. */
export function DirectoryAdminPage() {
  const listing = useQuery({
    queryKey: ['directory-admin', 'listing'],
    queryFn: async () => {
      try {
        return await getClinicListing();
      } catch (error) {
        if (error instanceof ApiError && error.status === 404) return null;
        throw error;
      }
    },
  });
  const providers = useQuery({ queryKey: ['directory-admin', 'providers'], queryFn: listManagedProviders });
  return (
    <Page
      title="Directory listing"
      lead="How your clinic and clinicians appear in the public Find a provider search."
      actions={
        listing.data?.listed ? (
          <Link className="button button--secondary" to={`/clinics/${listing.data.id}`}>
            View public page
          </Link>
        ) : undefined
      }
    >
      {listing.isPending ? <Loading /> : listing.error ? <ErrorNotice error={listing.error} /> : <ClinicListingForm listing={listing.data} />}
      {providers.isPending ? <Loading /> : providers.error ? <ErrorNotice error={providers.error} /> : <CliniciansTable providers={providers.data} />}
    </Page>
  );
}
