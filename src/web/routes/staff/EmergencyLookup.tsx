import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { lookupPatientsForBreakGlass } from '../../api/endpoints';
import { ApiError } from '../../api/client';
import { TextField } from '../../components/forms';
import { formatDate } from '../../lib/format';

/**
 * For clinicians: find a patient who is not on their care team (an emergency), by a
 * name fragment and the exact date of birth. Opening the chart then offers
 * break-the-glass with a reason. Every match shown is recorded in the audit log.
 */
export function EmergencyLookup() {
  const [q, setQ] = useState('');
  const [dob, setDob] = useState('');
  const [errors, setErrors] = useState<{ q?: string; dob?: string }>({});
  const lookup = useMutation({ mutationFn: () => lookupPatientsForBreakGlass({ q: q.trim(), dob }) });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const next: typeof errors = {};
    if (q.trim().length < 2) next.q = 'Enter at least two letters of the name';
    if (!dob) next.dob = 'Enter the exact date of birth';
    setErrors(next);
    if (!next.q && !next.dob) lookup.mutate();
  };
  const serverError = lookup.error instanceof ApiError ? lookup.error : null;

  return (
    <details className="card emergency-lookup">
      <summary>Find a patient outside your care team (emergency)</summary>
      <p className="muted">
        Only for an emergency. You will need to give a reason to open their record, and every lookup is recorded in the audit log.
      </p>
      <form aria-label="Emergency patient lookup" onSubmit={submit} noValidate className="search-form">
        <TextField form="emergency-lookup" name="q" label="Patient’s name" value={q} onChange={setQ} error={errors.q ?? (serverError?.field === 'q' ? serverError.message : undefined)} maxLength={100} />
        <TextField form="emergency-lookup" name="dob" label="Patient’s date of birth" type="date" value={dob} onChange={setDob} error={errors.dob ?? (serverError?.field === 'dob' ? serverError.message : undefined)} width="medium" />
        <div className="search-form__buttons">
          <button type="submit" className="button button--secondary" disabled={lookup.isPending}>
            Look up
          </button>
        </div>
      </form>
      <div role="status">
        {lookup.data ? (
          lookup.data.items.length === 0 ? (
            <p>No patient matches that name and date of birth.</p>
          ) : (
            <ul className="plain-list">
              {lookup.data.items.map((p) => (
                <li key={p.id}>
                  <Link to={`/staff/patients/${p.id}`}>
                    {p.legalGivenName} {p.legalFamilyName}
                  </Link>{' '}
                  <span className="muted">born {formatDate(p.dateOfBirth)}</span>
                </li>
              ))}
            </ul>
          )
        ) : null}
        {lookup.error && !serverError?.field ? <p className="error-text">{lookup.error.message}</p> : null}
      </div>
    </details>
  );
}
