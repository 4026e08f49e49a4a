import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import {
  APPOINTMENT_KIND_LABELS,
  APPOINTMENT_STATUS_LABELS,
  type AppointmentStatus,
} from '../../../core/schemas/scheduling.schema';
import { listPatients } from '../../api/endpoints';
import {
  createAppointment,
  getAvailability,
  getSchedulingSetup,
  listAppointments,
  updateAppointment,
  type Appointment,
  type SchedulingSetup,
} from '../../api/scheduling';
import { ErrorSummary, formErrorsFrom, NO_ERRORS, SelectField, StatusMessage, TextField, useFocusOnToggle, type FormErrors } from '../../components/forms';
import { Badge, ErrorNotice, Loading, Page } from '../../components/Page';
import { todayIn } from '../../lib/format';
import { addDays, dayKey, dayLabel, localToIso, timeLabel } from '../../lib/zoned';

const NEXT_STATUSES: Record<AppointmentStatus, AppointmentStatus[]> = {
  booked: ['confirmed', 'checked_in', 'no_show'],
  confirmed: ['booked', 'checked_in', 'no_show'],
  checked_in: ['in_progress', 'no_show', 'confirmed'],
  in_progress: ['completed'],
  completed: [],
  cancelled: [],
  no_show: [],
};

function AppointmentEditor({ appt, zone, setup, onDone }: { appt: Appointment; zone: string; setup: SchedulingSetup; onDone: (msg: string) => void }) {
  const qc = useQueryClient();
  const [date, setDate] = useState(dayKey(appt.start, zone));
  const [time, setTime] = useState(new Intl.DateTimeFormat('en-GB', { timeZone: zone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(appt.start)));
  const [roomId, setRoomId] = useState(appt.roomId ?? '');
  const [reason, setReason] = useState('');
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const form = `edit-${appt.id.slice(0, 8)}`;
  const mutation = useMutation({
    mutationFn: (body: Parameters<typeof updateAppointment>[1]) => updateAppointment(appt.id, body),
    onSuccess: async (a) => {
      await qc.invalidateQueries({ queryKey: ['appointments'] });
      onDone(`${APPOINTMENT_KIND_LABELS[a.kind]} ${a.status === 'cancelled' ? 'cancelled' : 'saved'}.`);
    },
    onError: (e) => setErrors(formErrorsFrom(e, ['start', 'roomId', 'cancelReason', 'status'])),
  });
  const movable = appt.status === 'booked' || appt.status === 'confirmed';
  return (
    <div className="card">
      <ErrorSummary errors={errors} form={form} />
      {movable ? (
        <form
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            mutation.mutate({ start: localToIso(date, time, zone), ...(roomId !== (appt.roomId ?? '') ? { roomId: roomId || null } : {}) });
          }}
        >
          <h4>Move</h4>
          <div className="field-row">
            <TextField form={form} name="date" label="Date" type="date" value={date} onChange={setDate} width="short" />
            <TextField form={form} name="start" label={`Time (${zone})`} value={time} onChange={setTime} width="short" error={errors.fields.start} />
            {appt.roomId ? (
              <SelectField form={form} name="roomId" label="Room or chair" value={roomId} onChange={setRoomId} options={setup.rooms.map((r) => ({ value: r.id, label: r.name }))} error={errors.fields.roomId} />
            ) : null}
          </div>
          <button type="submit" className="button button--secondary button--small" disabled={mutation.isPending}>Move appointment</button>
        </form>
      ) : null}
      {NEXT_STATUSES[appt.status].length > 0 ? (
        <div className="inline-form">
          <h4>Status</h4>
          {NEXT_STATUSES[appt.status].map((s) => (
            <button key={s} type="button" className="button button--quiet button--small" onClick={() => mutation.mutate({ status: s })}>
              Mark {APPOINTMENT_STATUS_LABELS[s].toLowerCase()}
            </button>
          ))}
        </div>
      ) : null}
      {appt.status !== 'cancelled' && appt.status !== 'completed' && appt.status !== 'in_progress' && appt.status !== 'no_show' ? (
        <form
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            if (!reason.trim()) return setErrors({ fields: { cancelReason: 'Give a reason for cancelling' } });
            mutation.mutate({ status: 'cancelled', cancelReason: reason });
          }}
        >
          <h4>Cancel</h4>
          <TextField form={form} name="cancelReason" label="Reason for cancelling" value={reason} onChange={setReason} maxLength={500} error={errors.fields.cancelReason} />
          <button type="submit" className="button button--danger-quiet button--small" disabled={mutation.isPending}>Cancel appointment</button>
        </form>
      ) : null}
    </div>
  );
}

function NewAppointmentForm({ setup, defaultDate, onDone }: { setup: SchedulingSetup; defaultDate: string; onDone: (msg: string) => void }) {
  const qc = useQueryClient();
  const zone = setup.timeZone;
  const FORM = 'new-appt';
  const staffTypes = setup.appointmentTypes;
  const [typeId, setTypeId] = useState(staffTypes.find((t) => t.kind !== 'consultation')?.id ?? staffTypes[0]?.id ?? '');
  const [q, setQ] = useState('');
  const [patientId, setPatientId] = useState('');
  const [clinicianId, setClinicianId] = useState(setup.clinicians.find((c) => c.role !== 'nurse')?.id ?? '');
  const [roomId, setRoomId] = useState('');
  const [nurseId, setNurseId] = useState('');
  const [date, setDate] = useState(defaultDate);
  const [time, setTime] = useState('09:00');
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const type = staffTypes.find((t) => t.id === typeId);
  const needs = type?.requiredResources ?? [];
  const roomKind = needs.find((k) => k === 'room' || k === 'chair');
  const patients = useQuery({ queryKey: ['patients-pick', q], queryFn: () => listPatients({ q, limit: 10 }), enabled: q.trim().length >= 2 });
  const open = useQuery({
    queryKey: ['availability', typeId, clinicianId, date],
    queryFn: () => getAvailability({ appointmentType: typeId, clinicianId, from: localToIso(date, '00:00', zone), to: localToIso(addDays(date, 1), '00:00', zone) }),
    enabled: Boolean(typeId && clinicianId && date),
  });
  const mutation = useMutation({
    mutationFn: createAppointment,
    onSuccess: async (a) => {
      await qc.invalidateQueries({ queryKey: ['appointments'] });
      onDone(`${APPOINTMENT_KIND_LABELS[a.kind]} booked for ${a.patientName ?? 'the patient'} at ${timeLabel(a.start, zone)}.`);
    },
    onError: (e) => setErrors(formErrorsFrom(e, ['appointmentTypeId', 'patientId', 'clinicianId', 'roomId', 'nurseId', 'start'])),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const fields: Record<string, string> = {};
    if (!patientId) fields.patientId = 'Choose a patient';
    if (roomKind && !roomId) fields.roomId = `Choose a ${roomKind}`;
    if (needs.includes('nurse') && !nurseId) fields.nurseId = 'Choose a nurse';
    setErrors({ fields });
    if (Object.keys(fields).length > 0) return;
    mutation.mutate({ appointmentTypeId: typeId, patientId, clinicianId, start: localToIso(date, time, zone), ...(roomId ? { roomId } : {}), ...(nurseId ? { nurseId } : {}) });
  };
  return (
    <form noValidate onSubmit={submit} className="card">
      <h2>New appointment</h2>
      <ErrorSummary errors={errors} form={FORM} />
      <SelectField form={FORM} name="appointmentTypeId" label="Type" value={typeId} onChange={setTypeId} options={staffTypes.map((t) => ({ value: t.id, label: `${t.name} (${t.durationMinutes} min)` }))} />
      <TextField form={FORM} name="patientSearch" label="Find patient (name)" type="search" value={q} onChange={setQ} width="medium" />
      <SelectField
        form={FORM}
        name="patientId"
        label="Patient"
        value={patientId}
        onChange={setPatientId}
        width="full"
        hint={q.trim().length < 2 ? 'Type at least two letters of the name in “Find patient” to list matches.' : undefined}
        options={[{ value: '', label: q.trim().length < 2 ? 'Find the patient first' : 'Choose…' }, ...(patients.data?.items ?? []).map((p) => ({ value: p.id, label: `${p.legalGivenName} ${p.legalFamilyName} (${p.dateOfBirth})` }))]}
        error={errors.fields.patientId}
      />
      <SelectField form={FORM} name="clinicianId" label="Clinician" value={clinicianId} onChange={setClinicianId} options={setup.clinicians.filter((c) => c.role !== 'nurse').map((c) => ({ value: c.id, label: c.displayName }))} error={errors.fields.clinicianId} />
      {roomKind ? (
        <SelectField form={FORM} name="roomId" label={roomKind === 'chair' ? 'Chair' : 'Room'} value={roomId} onChange={setRoomId} options={[{ value: '', label: 'Choose…' }, ...setup.rooms.filter((r) => r.kind === roomKind).map((r) => ({ value: r.id, label: r.name }))]} error={errors.fields.roomId} />
      ) : null}
      {needs.includes('nurse') ? (
        <SelectField form={FORM} name="nurseId" label="Nurse" value={nurseId} onChange={setNurseId} options={[{ value: '', label: 'Choose…' }, ...setup.clinicians.filter((c) => c.role === 'nurse').map((c) => ({ value: c.id, label: c.displayName }))]} error={errors.fields.nurseId} />
      ) : null}
      <div className="field-row">
        <TextField form={FORM} name="date" label="Date" type="date" value={date} onChange={setDate} width="short" />
        <TextField form={FORM} name="start" label={`Time (${zone})`} value={time} onChange={setTime} width="short" error={errors.fields.start} hint="24-hour, e.g. 14:30" />
      </div>
      {open.data && open.data.slots.length > 0 ? (
        <div>
          <p className="field__label">Open times that day</p>
          <div className="slot-days">
            {open.data.slots.slice(0, 16).map((s) => {
              const hhmm = new Intl.DateTimeFormat('en-GB', { timeZone: zone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(s.start));
              return (
                <button key={s.start} type="button" className={`button button--small ${hhmm === time ? 'button--primary' : 'button--secondary'}`} aria-pressed={hhmm === time} onClick={() => setTime(hhmm)}>
                  {timeLabel(s.start, zone)}
                </button>
              );
            })}
          </div>
        </div>
      ) : open.data ? <p className="muted">No open times that day for this clinician (you may still book outside hours).</p> : null}
      <button type="submit" className="button button--primary" disabled={mutation.isPending}>Book appointment</button>
    </form>
  );
}

export function CalendarPage() {
  const setup = useQuery({ queryKey: ['scheduling-setup'], queryFn: getSchedulingSetup });
  const zone = setup.data?.timeZone ?? 'UTC';
  const [view, setView] = useState<'day' | 'week'>('week');
  // Chosen date, or today on the clinic calendar once the clinic's zone is known.
  const [chosenDate, setDate] = useState<string | null>(null);
  const date = chosenDate ?? todayIn(zone);
  const [by, setBy] = useState<'clinician' | 'room'>('clinician');
  const [who, setWho] = useState('');
  const [editing, setEditing] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const [showCancelled, setShowCancelled] = useState(false);
  // Booking closes the form, and saving a change closes the editor: the button pressed goes
  // with them. Focus returns to "New appointment", or to the appointment's "Change" button
  // (the page heading if the appointment left the view, e.g. cancelled).
  const newButton = useRef<HTMLButtonElement>(null);
  useFocusOnToggle(creating, null, newButton);
  const [editorClosed, setEditorClosed] = useState<{ id: string } | null>(null);
  useEffect(() => {
    if (!editorClosed) return;
    const target = document.getElementById(`appt-change-${editorClosed.id}`) ?? document.querySelector<HTMLElement>('main h1');
    target?.focus();
  }, [editorClosed]);
  const days = view === 'day' ? [date] : Array.from({ length: 7 }, (_, i) => addDays(date, i));
  const from = localToIso(days[0]!, '00:00', zone);
  const to = localToIso(addDays(days[days.length - 1]!, 1), '00:00', zone);
  const appts = useQuery({
    queryKey: ['appointments', from, to, by, who, showCancelled],
    queryFn: () => listAppointments({ from, to, ...(who ? (by === 'clinician' ? { clinicianId: who } : { roomId: who }) : {}), includeCancelled: showCancelled }),
    enabled: setup.isSuccess,
  });
  if (setup.isPending) return <Loading />;
  if (setup.isError) return <ErrorNotice error={setup.error} />;
  const s = setup.data;
  const whoOptions = by === 'clinician' ? s.clinicians.map((c) => ({ value: c.id, label: c.displayName })) : s.rooms.map((r) => ({ value: r.id, label: r.name }));
  return (
    <Page
      title="Calendar"
      lead={`Times in the clinic's zone (${zone}).`}
      actions={
        <>
          <Link to="/staff/calendar-feed">Calendar feed</Link>
          <button type="button" className="button button--primary" onClick={() => setCreating((v) => !v)} aria-expanded={creating} ref={newButton}>
            {creating ? 'Close new appointment' : 'New appointment'}
          </button>
        </>
      }
    >
      <StatusMessage>{message}</StatusMessage>
      {creating ? (
        <NewAppointmentForm
          setup={s}
          defaultDate={date}
          onDone={(m) => {
            setMessage(m);
            setCreating(false);
          }}
        />
      ) : null}
      <div className="field-row">
        <SelectField form="cal" name="view" label="View" value={view} onChange={(v) => setView(v as 'day' | 'week')} options={[{ value: 'day', label: 'Day' }, { value: 'week', label: 'Week (7 days)' }]} />
        <TextField form="cal" name="date" label={view === 'day' ? 'Date' : 'Starting'} type="date" value={date} onChange={(v) => v && setDate(v)} width="short" />
        <SelectField form="cal" name="by" label="By" value={by} onChange={(v) => { setBy(v as 'clinician' | 'room'); setWho(''); }} options={[{ value: 'clinician', label: 'Clinician' }, { value: 'room', label: 'Room or chair' }]} />
        <SelectField form="cal" name="who" label={by === 'clinician' ? 'Clinician' : 'Room or chair'} value={who} onChange={setWho} options={[{ value: '', label: 'Everyone' }, ...whoOptions]} />
      </div>
      <div className="checkbox">
        <input id="cal-cancelled" type="checkbox" checked={showCancelled} onChange={(e) => setShowCancelled(e.target.checked)} />
        <label htmlFor="cal-cancelled">Show cancelled</label>
      </div>
      <div className="form__actions">
        <button type="button" className="button button--quiet button--small" onClick={() => setDate(addDays(date, view === 'day' ? -1 : -7))}>Previous</button>
        <button type="button" className="button button--quiet button--small" onClick={() => setDate(todayIn(zone))}>Today</button>
        <button type="button" className="button button--quiet button--small" onClick={() => setDate(addDays(date, view === 'day' ? 1 : 7))}>Next</button>
      </div>
      {appts.isPending ? <Loading /> : appts.isError ? <ErrorNotice error={appts.error} /> : (
        <div className="calendar">
          {days.map((d) => {
            const items = appts.data.items.filter((a) => dayKey(a.start, zone) === d);
            return (
              <section key={d} className="calendar__day" aria-label={dayLabel(`${d}T12:00:00Z`, 'UTC')}>
                <h3>{dayLabel(`${d}T12:00:00Z`, 'UTC')}</h3>
                {items.length === 0 ? <p className="muted">Nothing booked</p> : (
                  <ul className="calendar__list">
                    {items.map((a) => (
                      <li key={a.id} className={`calendar__item${a.status === 'cancelled' ? ' calendar__item--cancelled' : ''}`}>
                        <strong>
                          {timeLabel(a.start, zone)}–{timeLabel(a.end, zone)}
                        </strong>{' '}
                        {APPOINTMENT_KIND_LABELS[a.kind]}
                        <br />
                        {a.patientName ?? a.visitorName ?? 'Busy (not on your care team)'}
                        <br />
                        <span className="muted">
                          {a.clinicianName}
                          {a.roomName ? ` · ${a.roomName}` : ''}
                        </span>{' '}
                        <Badge tone={a.status === 'cancelled' ? 'neutral' : 'info'}>{APPOINTMENT_STATUS_LABELS[a.status]}</Badge>
                        {a.cancelReason ? <span className="muted"> — {a.cancelReason}</span> : null}
                        <br />
                        <button
                          type="button"
                          id={`appt-change-${a.id}`}
                          className="button button--quiet button--small"
                          aria-expanded={editing === a.id}
                          onClick={() => setEditing(editing === a.id ? null : a.id)}
                        >
                          {editing === a.id ? 'Close' : 'Change'}
                          <span className="visually-hidden"> {APPOINTMENT_KIND_LABELS[a.kind]} at {timeLabel(a.start, zone)}</span>
                        </button>
                        {editing === a.id ? (
                          <AppointmentEditor
                            appt={a}
                            zone={zone}
                            setup={s}
                            onDone={(m) => {
                              setMessage(m);
                              setEditing(null);
                              setEditorClosed({ id: a.id });
                            }}
                          />
                        ) : null}
                      </li>
                    ))}
                  </ul>
                )}
              </section>
            );
          })}
        </div>
      )}
    </Page>
  );
}
