import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { isApiError } from '../../api/client';
import {
  addAppointmentType,
  addHoliday,
  addRoom,
  getSchedulingSettings,
  patchAppointmentType,
  patchRoom,
  putBookingPolicy,
  removeHoliday,
  type SchedulingSettings,
} from '../../api/scheduling-settings';
import { StatusMessage } from '../../components/forms';
import { ErrorNotice, Loading, Page } from '../../components/Page';
import { APPOINTMENT_KINDS, APPOINTMENT_KIND_LABELS, type AppointmentKind } from '../../../core/schemas/scheduling.schema';

type Problem = { field?: string; message: string } | null;
const problemOf = (e: unknown): Problem => (isApiError(e) ? { ...(e.field ? { field: e.field } : {}), message: e.message } : { message: 'Something went wrong. Please try again.' });

function Alert({ problem }: { problem: Problem }) {
  return problem ? (
    <p role="alert" className="field__error">
      {problem.message}
    </p>
  ) : null;
}

function NumberInput({ id, label, value, onChange, invalid }: { id: string; label: string; value: number; onChange: (n: number) => void; invalid?: boolean }) {
  return (
    <div className="field">
      <label className="field__label" htmlFor={id}>
        {label}
      </label>
      <input id={id} className="input input--short" type="number" inputMode="numeric" value={Number.isNaN(value) ? '' : value} aria-invalid={invalid || undefined} onChange={(e) => onChange(e.target.valueAsNumber)} />
    </div>
  );
}

/** Admin "Scheduling settings": holidays, booking policy, rooms and chairs, appointment types, and a way into anyone's hours. */
export function SchedulingSettingsPage() {
  const qc = useQueryClient();
  const query = useQuery({ queryKey: ['scheduling-settings'], queryFn: getSchedulingSettings });
  const [status, setStatus] = useState<string | null>(null);
  const [problems, setProblems] = useState<Record<string, Problem>>({});
  const done = (section: string, message: string) => (s: SchedulingSettings) => {
    qc.setQueryData(['scheduling-settings'], s);
    setProblems((p) => ({ ...p, [section]: null }));
    setStatus(message);
  };
  const failed = (section: string) => (e: unknown) => setProblems((p) => ({ ...p, [section]: problemOf(e) }));

  const [holiday, setHoliday] = useState({ date: '', name: '' });
  const [policy, setPolicy] = useState({ horizonDays: 60, minNoticeMinutes: 120 });
  const [room, setRoom] = useState<{ kind: 'room' | 'chair'; name: string }>({ kind: 'room', name: '' });
  const [type, setType] = useState({ kind: 'intake' as AppointmentKind, name: '', durationMinutes: 60, bufferBeforeMinutes: 0, bufferAfterMinutes: 15, slotStepMinutes: 30, room: 'none' });

  const [loaded, setLoaded] = useState<SchedulingSettings | undefined>(undefined);
  if (query.data !== loaded) {
    setLoaded(query.data);
    if (query.data) setPolicy(query.data.policy);
  }

  const mHoliday = useMutation({ mutationFn: () => addHoliday(holiday), onSuccess: (s) => { done('holiday', `Holiday ${holiday.date} added: nobody can be booked that day.`)(s); setHoliday({ date: '', name: '' }); }, onError: failed('holiday') });
  const mRemoveHoliday = useMutation({ mutationFn: (id: string) => removeHoliday(id), onSuccess: done('holiday', 'Holiday removed.'), onError: failed('holiday') });
  const mPolicy = useMutation({ mutationFn: () => putBookingPolicy(policy), onSuccess: done('policy', 'Booking policy saved.'), onError: failed('policy') });
  const mRoom = useMutation({ mutationFn: () => addRoom(room), onSuccess: (s) => { done('room', `${room.name} added. Give it weekly hours so it can be booked.`)(s); setRoom({ ...room, name: '' }); }, onError: failed('room') });
  const mRoomActive = useMutation({ mutationFn: (v: { id: string; active: boolean }) => patchRoom(v.id, { active: v.active }), onSuccess: done('room', 'Room updated.'), onError: failed('room') });
  const mType = useMutation({
    mutationFn: () =>
      addAppointmentType({
        kind: type.kind,
        name: type.name,
        durationMinutes: type.durationMinutes,
        bufferBeforeMinutes: type.bufferBeforeMinutes,
        bufferAfterMinutes: type.bufferAfterMinutes,
        slotStepMinutes: type.slotStepMinutes,
        requiredResources: type.room === 'none' ? ['clinician'] : ['clinician', type.room as 'room' | 'chair'],
        publicBookable: false,
      }),
    onSuccess: done('type', 'Appointment type added.'),
    onError: failed('type'),
  });
  const mTypeActive = useMutation({ mutationFn: (v: { id: string; active: boolean }) => patchAppointmentType(v.id, { active: v.active }), onSuccess: done('type', 'Appointment type updated.'), onError: failed('type') });

  if (query.isPending) return <Loading />;
  if (query.isError) return <ErrorNotice error={query.error} />;
  const s = query.data;
  const bad = (section: string, field: string) => problems[section]?.field === field;

  return (
    <Page title="Scheduling settings" lead={`What open slots are made of, for the whole clinic. Dates and times are clinic time (${s.timeZone}).`}>
      <StatusMessage>{status}</StatusMessage>

      <section className="card" aria-labelledby="holidays-title">
        <h2 id="holidays-title">Clinic holidays</h2>
        {s.holidays.length === 0 ? <p>No holidays.</p> : (
          <ul className="plain-list">
            {s.holidays.map((h) => (
              <li key={h.id}>
                {h.date} · {h.name}{' '}
                <button type="button" className="button button--danger-quiet button--small" onClick={() => mRemoveHoliday.mutate(h.id)}>
                  Remove<span className="visually-hidden"> holiday {h.date}</span>
                </button>
              </li>
            ))}
          </ul>
        )}
        <form className="form" aria-label="Add a holiday" onSubmit={(e) => { e.preventDefault(); mHoliday.mutate(); }}>
          <Alert problem={problems.holiday ?? null} />
          <div className="field">
            <label className="field__label" htmlFor="holiday-date">Date</label>
            <input id="holiday-date" className="input input--short" type="date" required value={holiday.date} aria-invalid={bad('holiday', 'date') || undefined} onChange={(e) => setHoliday({ ...holiday, date: e.target.value })} />
          </div>
          <div className="field">
            <label className="field__label" htmlFor="holiday-name">Name</label>
            <input id="holiday-name" className="input input--medium" required maxLength={80} value={holiday.name} aria-invalid={bad('holiday', 'name') || undefined} onChange={(e) => setHoliday({ ...holiday, name: e.target.value })} />
          </div>
          <div className="form__actions">
            <button type="submit" className="button button--primary" disabled={mHoliday.isPending}>Add holiday</button>
          </div>
        </form>
      </section>

      <section className="card" aria-labelledby="policy-title">
        <h2 id="policy-title">Booking policy</h2>
        <form className="form" aria-label="Booking policy" onSubmit={(e) => { e.preventDefault(); mPolicy.mutate(); }}>
          <Alert problem={problems.policy ?? null} />
          <NumberInput id="policy-horizon" label="How far ahead people can book (days)" value={policy.horizonDays} invalid={bad('policy', 'horizonDays')} onChange={(n) => setPolicy({ ...policy, horizonDays: n })} />
          <NumberInput id="policy-notice" label="Minimum notice (minutes)" value={policy.minNoticeMinutes} invalid={bad('policy', 'minNoticeMinutes')} onChange={(n) => setPolicy({ ...policy, minNoticeMinutes: n })} />
          <div className="form__actions">
            <button type="submit" className="button button--primary" disabled={mPolicy.isPending}>Save booking policy</button>
          </div>
        </form>
      </section>

      <section className="card" aria-labelledby="hours-link-title">
        <h2 id="hours-link-title">Hours of clinicians, rooms and chairs</h2>
        <ul className="plain-list">
          {s.staff.map((u) => (
            <li key={u.id}>
              <Link to={`/staff/availability?kind=${u.role === 'nurse' ? 'nurse' : 'clinician'}&id=${u.id}`}>{u.displayName}</Link> ({u.role})
            </li>
          ))}
          {s.rooms.filter((r) => r.active).map((r) => (
            <li key={r.id}>
              <Link to={`/staff/availability?kind=${r.kind}&id=${r.id}`}>{r.name}</Link> ({r.kind})
            </li>
          ))}
        </ul>
      </section>

      <section className="card" aria-labelledby="rooms-title">
        <h2 id="rooms-title">Rooms and chairs</h2>
        <ul className="plain-list">
          {s.rooms.map((r) => (
            <li key={r.id}>
              {r.name} ({r.kind}){r.active ? '' : ' · inactive'}{' '}
              <button type="button" className="button button--quiet button--small" onClick={() => mRoomActive.mutate({ id: r.id, active: !r.active })}>
                {r.active ? 'Deactivate' : 'Reactivate'}<span className="visually-hidden"> {r.name}</span>
              </button>
            </li>
          ))}
        </ul>
        <form className="form" aria-label="Add a room or chair" onSubmit={(e) => { e.preventDefault(); mRoom.mutate(); }}>
          <Alert problem={problems.room ?? null} />
          <div className="field">
            <label className="field__label" htmlFor="room-kind">Kind</label>
            <select id="room-kind" className="input input--short" value={room.kind} onChange={(e) => setRoom({ ...room, kind: e.target.value as 'room' | 'chair' })}>
              <option value="room">Room</option>
              <option value="chair">Chair</option>
            </select>
          </div>
          <div className="field">
            <label className="field__label" htmlFor="room-name">Name</label>
            <input id="room-name" className="input input--medium" required maxLength={80} value={room.name} aria-invalid={bad('room', 'name') || undefined} onChange={(e) => setRoom({ ...room, name: e.target.value })} />
          </div>
          <div className="form__actions">
            <button type="submit" className="button button--primary" disabled={mRoom.isPending}>Add room or chair</button>
          </div>
        </form>
      </section>

      <section className="card" aria-labelledby="types-title">
        <h2 id="types-title">Appointment types</h2>
        <div className="table-wrap">
          <table className="table">
            <caption className="visually-hidden">Appointment types</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Length</th>
                <th scope="col">Buffers</th>
                <th scope="col">Step</th>
                <th scope="col">Needs</th>
                <th scope="col"><span className="visually-hidden">Actions</span></th>
              </tr>
            </thead>
            <tbody>
              {s.appointmentTypes.map((t) => (
                <tr key={t.id} className={t.active ? undefined : 'row--inactive'}>
                  <th scope="row">{t.name}{t.publicBookable ? ' (public)' : ''}{t.active ? '' : ' · inactive'}</th>
                  <td>{t.durationMinutes} min</td>
                  <td>{t.bufferBeforeMinutes} / {t.bufferAfterMinutes} min</td>
                  <td>{t.slotStepMinutes} min</td>
                  <td>{t.requiredResources.join(', ')}</td>
                  <td>
                    <button type="button" className="button button--quiet button--small" onClick={() => mTypeActive.mutate({ id: t.id, active: !t.active })}>
                      {t.active ? 'Deactivate' : 'Reactivate'}<span className="visually-hidden"> {t.name}</span>
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <form className="form" aria-label="Add an appointment type" onSubmit={(e) => { e.preventDefault(); mType.mutate(); }}>
          <h3>Add an appointment type</h3>
          <Alert problem={problems.type ?? null} />
          <div className="field">
            <label className="field__label" htmlFor="type-kind">Kind</label>
            <select id="type-kind" className="input input--medium" value={type.kind} onChange={(e) => setType({ ...type, kind: e.target.value as AppointmentKind })}>
              {APPOINTMENT_KINDS.map((k) => <option key={k} value={k}>{APPOINTMENT_KIND_LABELS[k]}</option>)}
            </select>
          </div>
          <div className="field">
            <label className="field__label" htmlFor="type-name">Name</label>
            <input id="type-name" className="input input--medium" required maxLength={80} value={type.name} onChange={(e) => setType({ ...type, name: e.target.value })} />
          </div>
          <NumberInput id="type-duration" label="Length (minutes)" value={type.durationMinutes} invalid={bad('type', 'durationMinutes')} onChange={(n) => setType({ ...type, durationMinutes: n })} />
          <NumberInput id="type-before" label="Buffer before (minutes)" value={type.bufferBeforeMinutes} invalid={bad('type', 'bufferBeforeMinutes')} onChange={(n) => setType({ ...type, bufferBeforeMinutes: n })} />
          <NumberInput id="type-after" label="Buffer after (minutes)" value={type.bufferAfterMinutes} invalid={bad('type', 'bufferAfterMinutes')} onChange={(n) => setType({ ...type, bufferAfterMinutes: n })} />
          <NumberInput id="type-step" label="Slot step (minutes)" value={type.slotStepMinutes} invalid={bad('type', 'slotStepMinutes')} onChange={(n) => setType({ ...type, slotStepMinutes: n })} />
          <div className="field">
            <label className="field__label" htmlFor="type-room">Also needs</label>
            <select id="type-room" className="input input--short" value={type.room} onChange={(e) => setType({ ...type, room: e.target.value })}>
              <option value="none">Only the clinician</option>
              <option value="room">A room</option>
              <option value="chair">A chair</option>
            </select>
          </div>
          <div className="form__actions">
            <button type="submit" className="button button--primary" disabled={mType.isPending}>Add appointment type</button>
          </div>
        </form>
      </section>
    </Page>
  );
}
