import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router';
import { VOCABULARIES, US_STATES, type VocabularyName } from '../../../core/directory/vocabulary';
import { ApiError } from '../../api/client';
import { searchProviders } from '../../api/directory';
import { Checkbox, SelectField, TextField } from '../../components/forms';
import { ErrorNotice, Loading, Page } from '../../components/Page';
import { ProviderCardView } from './ProviderCardView';
import './directory.css';

const PAGE_SIZE = 10;
const SELECTS: { name: VocabularyName; label: string }[] = [
  { name: 'conditions', label: 'Helps with' },
  { name: 'routes', label: 'Ketamine route' },
  { name: 'approaches', label: 'Approach' },
  { name: 'credentials', label: 'Credential' },
  { name: 'formats', label: 'Format' },
  { name: 'languages', label: 'Language' },
];
const FLAGS = [
  { name: 'telehealth', label: 'Offers telehealth' },
  { name: 'inPerson', label: 'Sees people in person' },
  { name: 'acceptingNewPatients', label: 'Accepting new patients' },
  { name: 'slidingScale', label: 'Sliding-scale fees' },
  { name: 'superbill', label: 'Provides a superbill for insurance' },
] as const;
const FORM_FIELDS = ['q', 'zip', 'radius', 'sort', 'telehealthState', 'maxFee', ...SELECTS.map((s) => s.name)] as const;

type FormState = Record<string, string>;

function formFromParams(params: URLSearchParams): FormState {
  const form: FormState = {};
  for (const f of FORM_FIELDS) form[f] = params.get(f) ?? '';
  for (const f of FLAGS) form[f.name] = params.get(f.name) === 'true' ? 'true' : '';
  if (!form.radius) form.radius = '25';
  return form;
}

/** The public "Find a provider" search: no account needed. State lives in the URL, so results can be shared and the back button works. */
export function FindProviderPage() {
  const [params, setParams] = useSearchParams();
  const [form, setForm] = useState<FormState>(() => formFromParams(params));
  const set = (name: string) => (value: string) => setForm((f) => ({ ...f, [name]: value }));
  const offset = Number(params.get('offset') ?? '0') || 0;
  const hasSearch = params.toString() !== '';

  const apiParams = new URLSearchParams(params);
  apiParams.set('limit', String(PAGE_SIZE));
  if (!apiParams.get('zip')) apiParams.delete('radius');
  const query = useQuery({
    queryKey: ['directory-search', apiParams.toString()],
    queryFn: ({ signal }) => searchProviders(apiParams, signal),
    enabled: hasSearch,
    placeholderData: keepPreviousData,
  });

  function submit(e: FormEvent) {
    e.preventDefault();
    const next = new URLSearchParams();
    for (const [k, v] of Object.entries(form)) if (v.trim() !== '') next.set(k, v.trim());
    if (!next.get('zip')) next.delete('radius');
    setParams(next);
  }
  function goTo(newOffset: number) {
    const next = new URLSearchParams(params);
    if (newOffset > 0) next.set('offset', String(newOffset));
    else next.delete('offset');
    setParams(next);
  }

  const fieldError = query.error instanceof ApiError ? query.error.field : undefined;
  const errorFor = (name: string) => (fieldError === name && query.error instanceof ApiError ? query.error.message : undefined);
  const data = query.data;

  return (
    <Page title="Find a provider" lead="Search clinicians who offer ketamine-assisted psychotherapy. Every licence shown has been verified by the clinic.">
      <form className="directory-search" onSubmit={submit} role="search" aria-label="Find a provider" noValidate>
        <div className="directory-search__row">
          <TextField form="find" name="q" label="Search by name, approach or keyword" value={form.q ?? ''} onChange={set('q')} type="search" maxLength={200} />
          <TextField
            form="find"
            name="zip"
            label="ZIP code"
            value={form.zip ?? ''}
            onChange={set('zip')}
            inputMode="numeric"
            autoComplete="postal-code"
            maxLength={10}
            width="short"
            error={errorFor('zip')}
          />
          <SelectField
            form="find"
            name="radius"
            label="Distance"
            value={form.radius ?? '25'}
            onChange={set('radius')}
            options={[5, 10, 25, 50, 100, 250].map((m) => ({ value: String(m), label: `Within ${m} miles` }))}
          />
          <SelectField
            form="find"
            name="sort"
            label="Sort by"
            value={form.sort ?? ''}
            onChange={set('sort')}
            options={[
              { value: '', label: 'Best for my search' },
              { value: 'distance', label: 'Nearest first' },
              { value: 'relevance', label: 'Best match first' },
            ]}
            error={errorFor('sort')}
          />
        </div>
        <details open={SELECTS.some((s) => form[s.name]) || FLAGS.some((f) => form[f.name]) || undefined}>
          <summary>Filters</summary>
          <div className="directory-search__row">
            {SELECTS.map((s) => (
              <SelectField
                key={s.name}
                form="find"
                name={s.name}
                label={s.label}
                value={form[s.name] ?? ''}
                onChange={set(s.name)}
                options={[{ value: '', label: 'Any' }, ...VOCABULARIES[s.name].map((e) => ({ value: e.code, label: e.label }))]}
                error={errorFor(s.name)}
              />
            ))}
            <SelectField
              form="find"
              name="telehealthState"
              label="Telehealth to the state I live in"
              value={form.telehealthState ?? ''}
              onChange={set('telehealthState')}
              options={[{ value: '', label: 'Any state' }, ...US_STATES.map((s) => ({ value: s, label: s }))]}
            />
            <TextField form="find" name="maxFee" label="Highest fee per session ($)" value={form.maxFee ?? ''} onChange={set('maxFee')} inputMode="numeric" width="short" error={errorFor('maxFee')} />
          </div>
          <div className="directory-checks">
            {FLAGS.map((f) => (
              <Checkbox key={f.name} id={`find-${f.name}`} label={f.label} checked={form[f.name] === 'true'} onChange={(v) => set(f.name)(v ? 'true' : '')} />
            ))}
          </div>
        </details>
        <div>
          <button type="submit" className="button button--primary">
            Search
          </button>
        </div>
      </form>

      <section aria-labelledby="results-heading">
        <h2 id="results-heading" className="visually-hidden">
          Results
        </h2>
        <div role="status" aria-live="polite">
          {!hasSearch ? (
            <p>Enter your ZIP code to see providers near you, or search by name or approach.</p>
          ) : query.isPending ? (
            <Loading what="Searching…" />
          ) : data ? (
            <p>
              {data.total === 0
                ? 'No providers match this search. Try a wider distance or fewer filters.'
                : `${data.total.toLocaleString('en-US')} ${data.total === 1 ? 'provider' : 'providers'}${data.origin ? ` within ${data.origin.radiusMiles} miles of ${data.origin.label}` : ''}. Showing ${data.offset + 1}–${data.offset + data.items.length}.`}
            </p>
          ) : null}
        </div>
        {query.error && !fieldError ? <ErrorNotice error={query.error} title="The search did not work" /> : null}
        {query.error && fieldError ? <ErrorNotice error={query.error} title="Please check the search" /> : null}
        {data && data.items.length > 0 ? (
          <>
            <ul className="provider-results">
              {data.items.map((p) => (
                <li key={p.id}>
                  <ProviderCardView p={p} />
                </li>
              ))}
            </ul>
            <nav className="pager" aria-label="Result pages">
              <button type="button" className="button button--secondary" disabled={offset === 0} onClick={() => goTo(Math.max(0, offset - PAGE_SIZE))}>
                Previous
              </button>
              <span>
                Page {Math.floor(offset / PAGE_SIZE) + 1} of {Math.max(1, Math.ceil(data.total / PAGE_SIZE))}
              </span>
              <button type="button" className="button button--secondary" disabled={offset + PAGE_SIZE >= data.total} onClick={() => goTo(offset + PAGE_SIZE)}>
                Next
              </button>
            </nav>
          </>
        ) : null}
        <p className="muted">
          Are you a clinic? <Link to="/sign-in">Sign in</Link> to manage your listing.
        </p>
      </section>
    </Page>
  );
}
