import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router';
import { getPatient, listAudit, listPatients, listStaff, type AuditPageResult } from '../../api/endpoints';
import { useMe } from '../../api/session';
import { ErrorSummary, formErrorsFrom, NO_ERRORS, SelectField, TextField, type FormErrors } from '../../components/forms';
import { Badge, ErrorNotice, Loading, Page } from '../../components/Page';
import { formatDate, formatInstant, fullName, roleLabel } from '../../lib/format';

const PAGE_SIZE = 50;
const FORM = 'audit-filter';

type AuditEvent = AuditPageResult['items'][number];

/** The detail object in words; ids that mean nothing to a reader stay out of the way. */
function detailText(detail: AuditEvent['detail'], timeZone: string): string {
  if (!detail) return '';
  const parts: string[] = [];
  for (const [k, v] of Object.entries(detail)) {
    if (k === 'grantId' || k === 'requestedPatientId') continue;
    if (k === 'reason' && typeof v === 'string') parts.push(`Reason: “${v.replace(/_/g, ' ')}”`);
    else if (k === 'expiresAt' && typeof v === 'string') parts.push(`until ${formatInstant(v, timeZone)}`);
    else if (Array.isArray(v)) parts.push(`${k}: ${v.length ? v.map(String).join(', ') : 'none'}`);
    else parts.push(`${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`);
  }
  return parts.join('; ');
}

function OutcomeBadge({ outcome }: { outcome: string }) {
  if (outcome === 'allowed') return <Badge tone="success">Allowed</Badge>;
  if (outcome === 'denied') return <Badge tone="danger">Denied</Badge>;
  return <Badge tone="warning">{outcome.charAt(0).toUpperCase() + outcome.slice(1)}</Badge>;
}

export function AuditPage() {
  const { data: me } = useMe();
  const [params, setParams] = useSearchParams();
  const filters = {
    patientId: params.get('patientId') ?? '',
    userId: params.get('userId') ?? '',
    from: params.get('from') ?? '',
    to: params.get('to') ?? '',
  };
  const [userId, setUserId] = useState(filters.userId);
  const [from, setFrom] = useState(filters.from);
  const [to, setTo] = useState(filters.to);
  const [patientId, setPatientId] = useState(filters.patientId);
  const [patientQuery, setPatientQuery] = useState('');
  const [patientSearch, setPatientSearch] = useState('');
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);

  const staff = useQuery({ queryKey: ['staff'], queryFn: listStaff });
  const chosenPatient = useQuery({ queryKey: ['patient', patientId], queryFn: () => getPatient(patientId), enabled: Boolean(patientId) });
  const patientMatches = useQuery({
    queryKey: ['patients', { q: patientSearch, dob: '', offset: 0, limit: 10 }],
    queryFn: () => listPatients({ q: patientSearch, limit: 10 }),
    enabled: patientSearch.length > 0,
  });

  const events = useInfiniteQuery({
    queryKey: ['audit', filters],
    queryFn: ({ pageParam }) =>
      listAudit({
        ...(filters.patientId ? { patientId: filters.patientId } : {}),
        ...(filters.userId ? { userId: filters.userId } : {}),
        ...(filters.from ? { from: filters.from } : {}),
        ...(filters.to ? { to: filters.to } : {}),
        limit: PAGE_SIZE,
        ...(pageParam ? { beforeSeq: pageParam } : {}),
      }),
    initialPageParam: 0,
    getNextPageParam: (last) => last.nextBeforeSeq ?? undefined,
  });

  if (!me) return <Loading />;

  const apply = (e: FormEvent) => {
    e.preventDefault();
    if (from && to && from > to) {
      setErrors({ fields: { to: '“To” must be on or after “From”' } });
      return;
    }
    setErrors(NO_ERRORS);
    const next = new URLSearchParams();
    if (patientId) next.set('patientId', patientId);
    if (userId) next.set('userId', userId);
    if (from) next.set('from', from);
    if (to) next.set('to', to);
    setParams(next);
  };
  const clearAll = () => {
    setPatientId('');
    setUserId('');
    setFrom('');
    setTo('');
    setPatientSearch('');
    setPatientQuery('');
    setErrors(NO_ERRORS);
    setParams(new URLSearchParams());
  };
  const findPatient = () => setPatientSearch(patientQuery.trim());

  const rows = events.data?.pages.flatMap((p) => p.items) ?? [];
  const staffNames = new Map((staff.data ?? []).map((s) => [s.id, s.displayName]));
  const userOptions = [{ value: '', label: 'Anyone' }, ...(staff.data ?? []).map((s) => ({ value: s.id, label: `${s.displayName} (${roleLabel(s.role)})` }))];
  const activeFilter = Boolean(filters.patientId || filters.userId || filters.from || filters.to);
  const eventsError = events.error ? formErrorsFrom(events.error, []) : null;

  return (
    <Page title="Audit log" lead={`Every access to and change of patient data, newest first. Times in ${me.timeZone}.`}>
      <section className="card" aria-labelledby="audit-filter-heading">
        <h2 id="audit-filter-heading">Filter</h2>
        <form className="form" onSubmit={apply} noValidate>
          <ErrorSummary errors={errors} form={FORM} />
          <fieldset className="fieldset">
            <legend>Patient</legend>
            {patientId ? (
              <p className="chosen">
                <span>
                  Showing events for{' '}
                  <strong>{chosenPatient.data ? fullName(chosenPatient.data) : chosenPatient.isPending ? 'the chosen patient' : 'patient ' + patientId.slice(0, 8)}</strong>
                </span>{' '}
                <button type="button" className="button button--small button--quiet" onClick={() => setPatientId('')}>
                  Remove patient filter
                </button>
              </p>
            ) : (
              <>
                <div className="field-row field-row--end">
                  <TextField form={FORM} name="patientName" label="Find a patient by name" value={patientQuery} onChange={setPatientQuery} type="search" maxLength={100} />
                  <button type="button" className="button button--secondary" onClick={findPatient} disabled={!patientQuery.trim()}>
                    Find patient
                  </button>
                </div>
                <div aria-live="polite">
                  {patientSearch && patientMatches.data ? (
                    patientMatches.data.items.length === 0 ? (
                      <p className="muted">No patients match “{patientSearch}”.</p>
                    ) : (
                      <ul className="choice-list" aria-label="Matching patients">
                        {patientMatches.data.items.map((p) => (
                          <li key={p.id}>
                            <button type="button" className="button button--small button--secondary" onClick={() => setPatientId(p.id)}>
                              Choose {p.legalGivenName} {p.legalFamilyName}
                              <span className="muted"> (born {formatDate(p.dateOfBirth)})</span>
                            </button>
                          </li>
                        ))}
                      </ul>
                    )
                  ) : null}
                </div>
              </>
            )}
          </fieldset>
          <div className="field-row">
            <SelectField form={FORM} name="userId" label="Staff member" value={userId} onChange={setUserId} options={userOptions} />
            <TextField form={FORM} name="from" label="From" type="date" value={from} onChange={setFrom} width="medium" error={errors.fields.from} />
            <TextField form={FORM} name="to" label="To" type="date" value={to} onChange={setTo} width="medium" error={errors.fields.to} />
          </div>
          <div className="form__actions">
            <button type="submit" className="button button--primary">
              Show events
            </button>
            {activeFilter ? (
              <button type="button" className="button button--quiet" onClick={clearAll}>
                Clear filters
              </button>
            ) : null}
          </div>
        </form>
      </section>

      <section aria-labelledby="audit-events-heading">
        <h2 id="audit-events-heading">Events</h2>
        <div role="status" className="results-count">
          {events.data ? `${rows.length} event${rows.length === 1 ? '' : 's'} shown${events.hasNextPage ? '; older events are available' : ''}.` : ''}
        </div>
        {events.isPending ? <Loading what="Loading events…" /> : null}
        {eventsError ? <ErrorNotice error={events.error} title="We could not load the audit log" /> : null}
        {rows.length > 0 ? (
          <div className="table-wrap">
            <table className="table table--dense table--stack">
              <caption className="visually-hidden">Audit events</caption>
              <thead>
                <tr>
                  <th scope="col">When</th>
                  <th scope="col">Who</th>
                  <th scope="col">Patient</th>
                  <th scope="col">What</th>
                  <th scope="col">Outcome</th>
                  <th scope="col">Details</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((r) => (
                  <tr key={r.seq} className={r.breakGlass ? 'row--break-glass' : ''}>
                    <td className="nowrap" data-label="When">{formatInstant(r.at, me.timeZone, true)}</td>
                    <td data-label="Who">
                      {r.actorName ?? (r.actorUserId ? staffNames.get(r.actorUserId) : null) ?? <span className="muted">Unknown</span>}
                      {r.actorRole ? <span className="role-tag">{roleLabel(r.actorRole)}</span> : null}
                    </td>
                    <td data-label="Patient">
                      {r.patientId ? (
                        <Link to={`/staff/audit?patientId=${r.patientId}`} className="mono" aria-label={`Events for patient ${r.patientId.slice(0, 8)}`} onClick={() => setPatientId(r.patientId ?? '')}>
                          {r.patientId.slice(0, 8)}
                        </Link>
                      ) : (
                        <span className="muted">—</span>
                      )}
                    </td>
                    <td data-label="What">
                      <span className="mono">{r.resource}</span> · {r.action}
                      {r.breakGlass ? (
                        <>
                          {' '}
                          <Badge tone="danger">Break the glass</Badge>
                        </>
                      ) : null}
                    </td>
                    <td data-label="Outcome">
                      <OutcomeBadge outcome={r.outcome} />
                    </td>
                    <td className="detail" data-label="Details">
                      {detailText(r.detail, me.timeZone)}
                      {r.ip ? <span className="muted"> from {r.ip}</span> : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : events.data ? (
          <p>No events match these filters.</p>
        ) : null}
        {events.hasNextPage ? (
          <p>
            <button type="button" className="button button--secondary" onClick={() => void events.fetchNextPage()} disabled={events.isFetchingNextPage}>
              {events.isFetchingNextPage ? 'Loading…' : 'Load older events'}
            </button>
          </p>
        ) : rows.length > 0 ? (
          <p className="muted">That is the oldest event for these filters.</p>
        ) : null}
      </section>
    </Page>
  );
}
