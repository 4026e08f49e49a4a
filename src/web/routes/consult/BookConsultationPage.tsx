import { useMutation, useQuery } from '@tanstack/react-query';
import { useMemo, useState, type FormEvent } from 'react';
import { useSearchParams } from 'react-router';
import { ApiError } from '../../api/client';
import { bookConsultation, getPublicAvailability, type BookedConsultation, type Slot } from '../../api/scheduling';
import { Checkbox, ErrorSummary, formErrorsFrom, NO_ERRORS, SelectField, TextArea, TextField, type FormErrors } from '../../components/forms';
import { ErrorNotice, Loading, Page } from '../../components/Page';
import { dayKey, dayLabel, fullWhen, timeLabel, visitorZone, zoneAbbrev } from '../../lib/zoned';

const FORM = 'consult';
const FIELDS = ['name', 'email', 'phone', 'reason', 'contactPreference', 'consentToContact', 'start', 'clinicianId'];

/** One slot, in the clinic's zone and (when different) the visitor's own. */
export function SlotText({ slot, clinicZone, myZone }: { slot: { start: string }; clinicZone: string; myZone: string }) {
  return (
    <>
      {timeLabel(slot.start, clinicZone)} {zoneAbbrev(slot.start, clinicZone)}
      {myZone !== clinicZone ? (
        <span className="muted">
          {' '}
          ({timeLabel(slot.start, myZone)} {zoneAbbrev(slot.start, myZone)} your time)
        </span>
      ) : null}
    </>
  );
}

/** Slot picker by day: a list of days, then the times of the chosen day as radio buttons. */
export function SlotPicker({
  slots,
  clinicZone,
  myZone,
  clinicianNames,
  value,
  onChange,
  error,
}: {
  slots: Slot[];
  clinicZone: string;
  myZone: string;
  clinicianNames: Map<string, string>;
  value: string | null;
  onChange: (key: string) => void;
  error?: string | undefined;
}) {
  const days = useMemo(() => {
    const map = new Map<string, Slot[]>();
    for (const s of slots) {
      const k = dayKey(s.start, clinicZone);
      map.set(k, [...(map.get(k) ?? []), s]);
    }
    return [...map.entries()];
  }, [slots, clinicZone]);
  const [day, setDay] = useState<string | null>(null);
  const current = days.find(([k]) => k === day) ?? days[0];
  if (days.length === 0) return <p className="notice notice--info">No open times in the next two weeks. Please call the clinic.</p>;
  return (
    <div className="slot-picker">
      <fieldset className="fieldset">
        <legend className="field__label">Day</legend>
        <div className="slot-days">
          {days.map(([k, list]) => (
            <button
              key={k}
              type="button"
              className={`button button--small ${current?.[0] === k ? 'button--primary' : 'button--secondary'}`}
              aria-pressed={current?.[0] === k}
              onClick={() => setDay(k)}
            >
              {dayLabel(list[0]!.start, clinicZone)} ({list.length}<span className="visually-hidden"> times</span>)
            </button>
          ))}
        </div>
      </fieldset>
      <fieldset className={`fieldset${error ? ' field--error' : ''}`} id={`${FORM}-start`} tabIndex={-1}>
        <legend className="field__label">
          Time on {current ? dayLabel(current[1][0]!.start, clinicZone) : ''} (clinic time, {clinicZone})
        </legend>
        {error ? <p className="field__error">{error}</p> : null}
        <div className="choice-list slot-times">
          {current?.[1].map((s) => {
            const key = `${s.clinicianId}|${s.start}`;
            const id = `slot-${s.clinicianId}-${s.start.replace(/[^0-9]/g, '')}`;
            return (
              <div key={key} className="checkbox">
                <input id={id} type="radio" name="slot" checked={value === key} onChange={() => onChange(key)} />
                <label htmlFor={id}>
                  <SlotText slot={s} clinicZone={clinicZone} myZone={myZone} />
                  {clinicianNames.size > 1 ? <span> with {clinicianNames.get(s.clinicianId) ?? 'a clinician'}</span> : null}
                </label>
              </div>
            );
          })}
        </div>
      </fieldset>
    </div>
  );
}

export function BookConsultationPage() {
  const [params] = useSearchParams();
  const clinicianId = params.get('clinicianId');
  const organizationId = params.get('organizationId');
  const myZone = visitorZone();
  const availability = useQuery({
    queryKey: ['public-availability', clinicianId, organizationId],
    queryFn: () => getPublicAvailability({ clinicianId, organizationId }),
    enabled: Boolean(clinicianId || organizationId),
  });
  const [slot, setSlot] = useState<string | null>(null);
  const [form, setForm] = useState({ name: '', email: '', phone: '', reason: '', contactPreference: 'email', website: '' });
  const [consent, setConsent] = useState(false);
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [offered, setOffered] = useState<Slot[] | null>(null);
  const [done, setDone] = useState<BookedConsultation | null>(null);
  const set = (k: keyof typeof form) => (v: string) => setForm((f) => ({ ...f, [k]: v }));

  const mutation = useMutation({
    mutationFn: bookConsultation,
    onSuccess: (booked) => setDone(booked),
    onError: async (error) => {
      if (error instanceof ApiError && error.status === 409) {
        setSlot(null);
        const fresh = await availability.refetch();
        setOffered(fresh.data?.slots.slice(0, 6) ?? []);
        setErrors({ fields: { start: 'That time was just taken. Please choose another time.' } });
        return;
      }
      if (error instanceof ApiError && error.status === 429) {
        setErrors({ fields: {}, form: error.message });
        return;
      }
      setErrors(formErrorsFrom(error, FIELDS));
    },
  });

  if (!clinicianId && !organizationId) {
    return (
      <Page title="Book a free consultation">
        <p>Choose a clinician or clinic from the provider directory first.</p>
      </Page>
    );
  }
  if (availability.isPending) return <Loading />;
  if (availability.isError) return <ErrorNotice error={availability.error} title="We could not load open times" />;
  const data = availability.data;
  const clinicZone = data.clinic.timeZone;
  const names = new Map(data.clinicians.map((c) => [c.id, c.displayName]));

  if (done) {
    return (
      <Page title="Your consultation is booked">
        <div className="notice notice--success" role="status">
          <p className="notice__title">
            {done.clinicianName} · {done.clinic.name}
          </p>
          <p>
            {fullWhen(done.start, clinicZone)} (clinic time)
            {myZone !== clinicZone ? (
              <>
                <br />
                {fullWhen(done.start, myZone)} (your time)
              </>
            ) : null}
          </p>
        </div>
        <p>
          We emailed a confirmation to <strong>{done.email}</strong> with a calendar file and a private link to cancel or choose
          another time. {data.durationMinutes} minutes, free, no obligation.
        </p>
      </Page>
    );
  }

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const fields: Record<string, string> = {};
    if (!slot) fields.start = 'Choose a time';
    if (!form.name.trim()) fields.name = 'Enter your name';
    if (!form.email.trim()) fields.email = 'Enter your email address';
    if (!form.phone.trim()) fields.phone = 'Enter your phone number';
    if (!form.reason.trim()) fields.reason = 'Tell us briefly what you are seeking help with';
    if (!consent) fields.consentToContact = 'We need your consent to contact you about this consultation';
    setErrors({ fields });
    if (Object.keys(fields).length > 0 || !slot) return;
    const [slotClinician, start] = slot.split('|') as [string, string];
    mutation.mutate({
      clinicianId: slotClinician,
      start,
      name: form.name,
      email: form.email,
      phone: form.phone,
      reason: form.reason,
      contactPreference: form.contactPreference as 'email' | 'phone' | 'text',
      consentToContact: consent,
      visitorTimeZone: myZone,
      website: form.website,
    });
  };

  const title = data.clinicians.length === 1 ? `Book a free consultation with ${data.clinicians[0]!.displayName}` : `Book a free consultation at ${data.clinic.name}`;
  return (
    <Page
      title={title}
      lead={`${data.durationMinutes} minutes by phone or video, free and without obligation. Times are shown in the clinic's time (${clinicZone})${myZone !== clinicZone ? ` and in yours (${myZone})` : ''}.`}
    >
      <form onSubmit={submit} noValidate className="form--narrow">
        <ErrorSummary errors={errors} form={FORM} />
        {offered && offered.length > 0 ? (
          <div className="notice notice--warning">
            <p className="notice__title">That time was just taken</p>
            <p>The next open times are listed below; pick one and send the form again.</p>
          </div>
        ) : null}
        <SlotPicker slots={data.slots} clinicZone={clinicZone} myZone={myZone} clinicianNames={names} value={slot} onChange={setSlot} error={errors.fields.start} />
        <TextField form={FORM} name="name" label="Your name" value={form.name} onChange={set('name')} autoComplete="name" maxLength={120} required error={errors.fields.name} />
        <TextField form={FORM} name="email" label="Email" type="email" value={form.email} onChange={set('email')} autoComplete="email" maxLength={254} required error={errors.fields.email} />
        <TextField form={FORM} name="phone" label="Phone" type="tel" value={form.phone} onChange={set('phone')} autoComplete="tel" maxLength={25} required error={errors.fields.phone} width="medium" />
        <TextArea
          form={FORM}
          name="reason"
          label="What are you seeking help with?"
          hint="A sentence or two is enough. Only the clinic's staff see it."
          value={form.reason}
          onChange={set('reason')}
          maxLength={2000}
          rows={4}
          required
          error={errors.fields.reason}
        />
        <SelectField
          form={FORM}
          name="contactPreference"
          label="How should we contact you?"
          value={form.contactPreference}
          onChange={set('contactPreference')}
          options={[
            { value: 'email', label: 'Email' },
            { value: 'phone', label: 'Phone call' },
            { value: 'text', label: 'Text message' },
          ]}
          error={errors.fields.contactPreference}
        />
        {/* Honeypot: people and screen readers never meet it; bots that fill every field do. */}
        <div className="honeypot" aria-hidden="true">
          <label htmlFor={`${FORM}-website`}>Website</label>
          <input id={`${FORM}-website`} name="website" type="text" tabIndex={-1} autoComplete="off" value={form.website} onChange={(e) => set('website')(e.target.value)} />
        </div>
        <Checkbox
          id={`${FORM}-consentToContact`}
          label="I agree that the clinic may contact me about this consultation."
          checked={consent}
          onChange={setConsent}
          error={errors.fields.consentToContact}
        />
        <div className="form__actions">
          <button type="submit" className="button button--primary" disabled={mutation.isPending}>
            {mutation.isPending ? 'Booking…' : 'Book consultation'}
          </button>
        </div>
        <p className="muted">If you are in crisis, call or text 988 (US) or your local emergency number now.</p>
      </form>
    </Page>
  );
}
