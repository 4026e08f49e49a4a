import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { isApiError } from '../../api/client';
import {
  addTimeOff,
  getResourceAvailability,
  putWeeklyRules,
  removeTimeOff,
  type ResourceAvailability,
  type SettingsResourceKind,
  type WeeklyRule,
} from '../../api/scheduling-settings';
import { APPOINTMENT_KIND_LABELS } from '../../../core/schemas/scheduling.schema';
import { ErrorNotice, Loading } from '../Page';
import { StatusMessage } from '../forms';

const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

interface Row {
  key: number;
  weekday: number;
  startTime: string;
  endTime: string;
  effectiveFrom: string;
  effectiveUntil: string;
  appointmentKinds: WeeklyRule['appointmentKinds'];
}

let nextKey = 1;
const toRows = (a: ResourceAvailability): Row[] =>
  a.rules.map((r) => ({
    key: nextKey++,
    weekday: r.weekday,
    startTime: r.startTime,
    endTime: r.endTime,
    effectiveFrom: r.effectiveFrom ?? '',
    effectiveUntil: r.effectiveUntil ?? '',
    appointmentKinds: (r.appointmentKinds as WeeklyRule['appointmentKinds']) ?? null,
  }));

function errorText(error: unknown): { field?: string; message: string } {
  if (isApiError(error)) return { ...(error.field ? { field: error.field } : {}), message: error.message };
  return { message: 'Something went wrong. Please try again.' };
}

/** "2026-11-10T00:00:00-08:00" → "Tue, Nov 10, 2026, 12:00 AM" in the clinic's zone. */
function formatLocal(iso: string, zone: string): string {
  return new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeStyle: 'short', timeZone: zone }).format(new Date(iso));
}

/**
 * Weekly hours and time off of one resource. Hours are saved as a whole (the server checks
 * overlaps across the set and answers with the row and field at fault); time off is added
 * and removed one entry at a time. Read-only when the caller may not edit.
 */
export function AvailabilityEditor({ kind, id }: { kind: SettingsResourceKind; id: string }) {
  const qc = useQueryClient();
  const key = ['resource-availability', kind, id];
  const query = useQuery({ queryKey: key, queryFn: () => getResourceAvailability(kind, id) });
  const [rows, setRows] = useState<Row[]>([]);
  const [hoursError, setHoursError] = useState<{ field?: string; message: string } | null>(null);
  const [offError, setOffError] = useState<{ field?: string; message: string } | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const [off, setOff] = useState({ fromDate: '', toDate: '', partOfDay: false, startTime: '09:00', endTime: '17:00', label: '' });

  // Reset the editable rows whenever the server's copy changes (load, save): adjust state during render, not in an effect.
  const [loaded, setLoaded] = useState<ResourceAvailability | undefined>(undefined);
  if (query.data !== loaded) {
    setLoaded(query.data);
    if (query.data) setRows(toRows(query.data));
  }

  const saveHours = useMutation({
    mutationFn: () =>
      putWeeklyRules(
        kind,
        id,
        rows.map((r) => ({
          weekday: r.weekday,
          startTime: r.startTime,
          endTime: r.endTime,
          effectiveFrom: r.effectiveFrom || null,
          effectiveUntil: r.effectiveUntil || null,
          appointmentKinds: r.appointmentKinds ?? null,
        })),
      ),
    onSuccess: (a) => {
      qc.setQueryData(key, a);
      setHoursError(null);
      setStatus('Weekly hours saved. Open slots reflect them now.');
    },
    onError: (e) => setHoursError(errorText(e)),
  });
  const createOff = useMutation({
    mutationFn: () =>
      addTimeOff(kind, id, {
        fromDate: off.fromDate,
        toDate: off.toDate || off.fromDate,
        ...(off.partOfDay ? { startTime: off.startTime, endTime: off.endTime } : {}),
        ...(off.label.trim() ? { label: off.label.trim() } : {}),
      }),
    onSuccess: (a) => {
      qc.setQueryData(key, a);
      setOffError(null);
      setOff((o) => ({ ...o, fromDate: '', toDate: '', label: '' }));
      setStatus('Time off added. Those slots are no longer offered.');
    },
    onError: (e) => setOffError(errorText(e)),
  });
  const deleteOff = useMutation({
    mutationFn: (offId: string) => removeTimeOff(offId),
    onSuccess: (a) => {
      qc.setQueryData(key, a);
      setStatus('Time off removed.');
    },
    onError: (e) => setOffError(errorText(e)),
  });

  if (query.isPending) return <Loading />;
  if (query.isError) return <ErrorNotice error={query.error} />;
  const a = query.data;
  const editable = a.canEdit;
  const rowOfError = hoursError?.field ? /^rules\[(\d+)\]\.(\w+)/.exec(hoursError.field) : null;
  const update = (k: number, change: Partial<Row>) => setRows((rs) => rs.map((r) => (r.key === k ? { ...r, ...change } : r)));
  const sorted = [...rows];

  return (
    <div>
      <StatusMessage>{status}</StatusMessage>
      <section aria-labelledby="hours-title" className="card">
        <h2 id="hours-title">Weekly hours — {a.resource.name}</h2>
        <p className="field__hint">
          Times are clinic time ({a.timeZone}). Leave the dates empty for hours that always apply. {editable ? '' : 'You can read these hours; a clinic admin or the clinician changes them.'}
        </p>
        {hoursError ? (
          <p role="alert" className="field__error" id="hours-error">
            {rowOfError ? `Row ${Number(rowOfError[1]) + 1}: ` : ''}
            {hoursError.message}
          </p>
        ) : null}
        <div className="table-wrap">
          <table className="table">
            <caption className="visually-hidden">Weekly hours</caption>
            <thead>
              <tr>
                <th scope="col">Day</th>
                <th scope="col">From</th>
                <th scope="col">Until</th>
                <th scope="col">First date</th>
                <th scope="col">Last date</th>
                <th scope="col">For</th>
                {editable ? <th scope="col"><span className="visually-hidden">Actions</span></th> : null}
              </tr>
            </thead>
            <tbody>
              {sorted.length === 0 ? (
                <tr>
                  <td colSpan={editable ? 7 : 6}>No weekly hours: nothing can be booked.</td>
                </tr>
              ) : null}
              {sorted.map((r, i) => {
                const bad = (field: string) => (rowOfError && Number(rowOfError[1]) === i && rowOfError[2] === field ? true : undefined);
                const label = (what: string) => `${what}, row ${i + 1}`;
                return (
                  <tr key={r.key}>
                    <td>
                      {editable ? (
                        <select className="input" style={{ minWidth: '8.5rem' }} aria-label={label('Day')} value={r.weekday} aria-invalid={bad('weekday')} onChange={(e) => update(r.key, { weekday: Number(e.target.value) })}>
                          {WEEKDAYS.map((d, n) => (
                            <option key={d} value={n + 1}>
                              {d}
                            </option>
                          ))}
                        </select>
                      ) : (
                        WEEKDAYS[r.weekday - 1]
                      )}
                    </td>
                    <td>
                      {editable ? (
                        <input className="input" type="time" aria-label={label('From')} value={r.startTime} aria-invalid={bad('startTime')} aria-describedby={bad('startTime') ? 'hours-error' : undefined} onChange={(e) => update(r.key, { startTime: e.target.value })} />
                      ) : (
                        r.startTime
                      )}
                    </td>
                    <td>
                      {editable ? (
                        <input className="input" type="time" aria-label={label('Until')} value={r.endTime === '24:00' ? '23:59' : r.endTime} aria-invalid={bad('endTime')} aria-describedby={bad('endTime') ? 'hours-error' : undefined} onChange={(e) => update(r.key, { endTime: e.target.value })} />
                      ) : (
                        r.endTime
                      )}
                    </td>
                    <td>
                      {editable ? (
                        <input className="input" type="date" aria-label={label('First date')} value={r.effectiveFrom} aria-invalid={bad('effectiveFrom')} onChange={(e) => update(r.key, { effectiveFrom: e.target.value })} />
                      ) : (
                        r.effectiveFrom || '—'
                      )}
                    </td>
                    <td>
                      {editable ? (
                        <input className="input" type="date" aria-label={label('Last date')} value={r.effectiveUntil} aria-invalid={bad('effectiveUntil')} onChange={(e) => update(r.key, { effectiveUntil: e.target.value })} />
                      ) : (
                        r.effectiveUntil || '—'
                      )}
                    </td>
                    {/* One line: squeezed into a narrow column on a phone, a long list made its row several lines tall. */}
                    <td className="nowrap">{r.appointmentKinds && r.appointmentKinds.length > 0 ? r.appointmentKinds.map((k) => APPOINTMENT_KIND_LABELS[k]).join(', ') : 'Any appointment'}</td>
                    {editable ? (
                      <td>
                        <button type="button" className="button button--danger-quiet button--small" onClick={() => setRows((rs) => rs.filter((x) => x.key !== r.key))}>
                          Remove<span className="visually-hidden"> row {i + 1}</span>
                        </button>
                      </td>
                    ) : null}
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
        {editable ? (
          <div className="form__actions">
            <button
              type="button"
              className="button button--secondary"
              onClick={() =>
                setRows((rs) => [...rs, { key: nextKey++, weekday: 1, startTime: '09:00', endTime: '17:00', effectiveFrom: '', effectiveUntil: '', appointmentKinds: null }])
              }
            >
              Add hours
            </button>
            <button type="button" className="button button--primary" onClick={() => saveHours.mutate()} disabled={saveHours.isPending}>
              Save weekly hours
            </button>
          </div>
        ) : null}
      </section>

      <section aria-labelledby="off-title" className="card">
        <h2 id="off-title">Time off</h2>
        {a.timeOff.length === 0 ? <p>No upcoming time off.</p> : null}
        {a.timeOff.length > 0 ? (
          <ul className="plain-list">
            {a.timeOff.map((o) => (
              <li key={o.id}>
                {formatLocal(o.start, a.timeZone)} – {formatLocal(o.end, a.timeZone)}
                {o.label ? ` · ${o.label}` : ''}{' '}
                {editable ? (
                  <button type="button" className="button button--danger-quiet button--small" onClick={() => deleteOff.mutate(o.id)}>
                    Remove<span className="visually-hidden"> time off from {formatLocal(o.start, a.timeZone)}</span>
                  </button>
                ) : null}
              </li>
            ))}
          </ul>
        ) : null}
        {editable ? (
          <form
            className="form"
            aria-labelledby="off-form-title"
            onSubmit={(e) => {
              e.preventDefault();
              createOff.mutate();
            }}
          >
            <h3 id="off-form-title">Add time off</h3>
            {offError ? (
              <p role="alert" className="field__error">
                {offError.message}
              </p>
            ) : null}
            <div className="field">
              <label className="field__label" htmlFor="off-fromDate">First day</label>
              <input id="off-fromDate" className="input input--short" type="date" required value={off.fromDate} aria-invalid={offError?.field === 'fromDate' || undefined} onChange={(e) => setOff({ ...off, fromDate: e.target.value })} />
            </div>
            <div className="field">
              <label className="field__label" htmlFor="off-toDate">Last day</label>
              <p className="field__hint" id="off-toDate-hint">Leave empty for a single day.</p>
              <input id="off-toDate" className="input input--short" type="date" aria-describedby="off-toDate-hint" value={off.toDate} aria-invalid={offError?.field === 'toDate' || undefined} onChange={(e) => setOff({ ...off, toDate: e.target.value })} />
            </div>
            <div className="field">
              <label>
                <input type="checkbox" checked={off.partOfDay} onChange={(e) => setOff({ ...off, partOfDay: e.target.checked })} /> Only part of the day
              </label>
            </div>
            {off.partOfDay ? (
              <>
                <div className="field">
                  <label className="field__label" htmlFor="off-startTime">From (first day)</label>
                  <input id="off-startTime" className="input input--short" type="time" value={off.startTime} aria-invalid={offError?.field === 'startTime' || undefined} onChange={(e) => setOff({ ...off, startTime: e.target.value })} />
                </div>
                <div className="field">
                  <label className="field__label" htmlFor="off-endTime">Until (last day)</label>
                  <input id="off-endTime" className="input input--short" type="time" value={off.endTime} aria-invalid={offError?.field === 'endTime' || undefined} onChange={(e) => setOff({ ...off, endTime: e.target.value })} />
                </div>
              </>
            ) : null}
            <div className="field">
              <label className="field__label" htmlFor="off-label">Note (optional, shown to staff)</label>
              <input id="off-label" className="input input--medium" maxLength={120} value={off.label} onChange={(e) => setOff({ ...off, label: e.target.value })} />
            </div>
            <div className="form__actions">
              <button type="submit" className="button button--primary" disabled={createOff.isPending}>
                Add time off
              </button>
            </div>
          </form>
        ) : null}
      </section>
    </div>
  );
}
