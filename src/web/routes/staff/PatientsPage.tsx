import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router';
import { isClinicalRole } from '../../../core/access/roles';
import { listPatients } from '../../api/endpoints';
import { EmergencyLookup } from './EmergencyLookup';
import { useMe } from '../../api/session';
import { TextField } from '../../components/forms';
import { ErrorNotice, Loading, Page } from '../../components/Page';
import { ageOn, formatDate, todayIn } from '../../lib/format';

const PAGE_SIZE = 25;

export function PatientsPage() {
  const { data: me } = useMe();
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  const dob = params.get('dob') ?? '';
  const offset = Math.max(0, Number(params.get('offset') ?? 0) || 0);
  const [qInput, setQInput] = useState(q);
  const [dobInput, setDobInput] = useState(dob);

  const query = useQuery({
    queryKey: ['patients', { q, dob, offset }],
    queryFn: () => listPatients({ ...(q ? { q } : {}), ...(dob ? { dob } : {}), limit: PAGE_SIZE, offset }),
    placeholderData: keepPreviousData,
  });

  const search = (e: FormEvent) => {
    e.preventDefault();
    const next = new URLSearchParams();
    if (qInput.trim()) next.set('q', qInput.trim());
    if (dobInput) next.set('dob', dobInput);
    setParams(next);
  };
  const clear = () => {
    setQInput('');
    setDobInput('');
    setParams(new URLSearchParams());
  };
  const goTo = (nextOffset: number) => {
    const next = new URLSearchParams(params);
    if (nextOffset > 0) next.set('offset', String(nextOffset));
    else next.delete('offset');
    setParams(next);
  };

  const today = todayIn(me?.timeZone ?? 'UTC');
  const data = query.data;
  const filtered = Boolean(q || dob);

  return (
    <Page
      title="Patients"
      lead={me && isClinicalRole(me.role) ? 'Patients whose care team you are on.' : 'Everyone registered with the clinic.'}
      actions={
        <Link className="button button--primary" to="/staff/patients/new">
          New patient
        </Link>
      }
    >
      <div className="card search-card">
        <form className="search-form" role="search" aria-label="Find patients" onSubmit={search} noValidate>
          <TextField form="patient-search" name="q" label="Name" type="search" value={qInput} onChange={setQInput} hint="Legal or preferred name, or part of it" maxLength={100} />
          <TextField form="patient-search" name="dob" label="Date of birth" type="date" value={dobInput} onChange={setDobInput} width="medium" />
          <div className="search-form__buttons">
            <button type="submit" className="button button--primary">
              Search
            </button>
            {filtered ? (
              <button type="button" className="button button--quiet" onClick={clear}>
                Clear search
              </button>
            ) : null}
          </div>
        </form>
      </div>

      {me && isClinicalRole(me.role) ? <EmergencyLookup /> : null}

      <div role="status" className="results-count">
        {data ? (
          data.total === 0 ? (
            filtered ? 'No patients match your search.' : 'No patients yet.'
          ) : (
            `${data.total} patient${data.total === 1 ? '' : 's'}${filtered ? (data.total === 1 ? ' matches your search' : ' match your search') : ''}.`
          )
        ) : null}
      </div>

      {query.isPending ? <Loading what="Loading patients…" /> : null}
      {query.error ? <ErrorNotice error={query.error} title="We could not load patients" /> : null}
      {data && data.items.length > 0 ? (
        <div className="table-wrap">
          <table className="table table--stack">
            <caption className="visually-hidden">Patients</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Preferred name</th>
                <th scope="col">Date of birth</th>
                <th scope="col">Age</th>
              </tr>
            </thead>
            <tbody>
              {data.items.map((p) => (
                <tr key={p.id}>
                  <th scope="row" data-label="Name">
                    <Link to={`/staff/patients/${p.id}`}>
                      {p.legalGivenName} {p.legalFamilyName}
                    </Link>
                  </th>
                  <td data-label="Preferred name">{p.preferredName ?? <span className="muted">—</span>}</td>
                  <td data-label="Date of birth">{formatDate(p.dateOfBirth)}</td>
                  <td data-label="Age">{ageOn(p.dateOfBirth, today)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {data && data.total > PAGE_SIZE ? (
        <nav className="pager" aria-label="Pages of patients">
          <button type="button" className="button button--secondary" disabled={offset === 0} onClick={() => goTo(Math.max(0, offset - PAGE_SIZE))}>
            Previous
          </button>
          <span>
            {offset + 1}–{Math.min(offset + PAGE_SIZE, data.total)} of {data.total}
          </span>
          <button type="button" className="button button--secondary" disabled={offset + PAGE_SIZE >= data.total} onClick={() => goTo(offset + PAGE_SIZE)}>
            Next
          </button>
        </nav>
      ) : null}
    </Page>
  );
}
