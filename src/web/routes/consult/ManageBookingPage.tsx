import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { ApiError } from '../../api/client';
import { cancelManagedBooking, getManagedBooking, getPublicAvailability, rescheduleManagedBooking } from '../../api/scheduling';
import { TextField } from '../../components/forms';
import { Badge, ErrorNotice, Loading, Page } from '../../components/Page';
import { fullWhen, visitorZone } from '../../lib/zoned';
import { SlotPicker } from './BookConsultationPage';

/** Reached from the signed link in the confirmation email: cancel or choose another time, no account. */
export function ManageBookingPage() {
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const myZone = visitorZone();
  const qc = useQueryClient();
  const booking = useQuery({ queryKey: ['managed', token], queryFn: () => getManagedBooking(token), enabled: token.length > 0 });
  const [mode, setMode] = useState<'view' | 'reschedule' | 'cancel'>('view');
  const [slot, setSlot] = useState<string | null>(null);
  const [reason, setReason] = useState('');
  const [message, setMessage] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const slots = useQuery({
    queryKey: ['public-availability', booking.data?.clinicianId, 'manage'],
    queryFn: () => getPublicAvailability({ clinicianId: booking.data!.clinicianId }),
    enabled: mode === 'reschedule' && booking.data !== undefined,
  });
  const onError = (e: unknown) => setProblem(e instanceof ApiError ? e.message : 'Something went wrong. Please try again.');
  const cancel = useMutation({
    mutationFn: () => cancelManagedBooking(token, reason.trim() || undefined),
    onSuccess: (b) => {
      qc.setQueryData(['managed', token], b);
      setMode('view');
      setMessage('Your consultation is cancelled. We emailed you a confirmation.');
    },
    onError,
  });
  const move = useMutation({
    mutationFn: (start: string) => rescheduleManagedBooking(token, start),
    onSuccess: (b) => {
      qc.setQueryData(['managed', token], b);
      setMode('view');
      setMessage('Your consultation has been moved. We emailed you the new time.');
    },
    onError: async (e) => {
      onError(e);
      await slots.refetch();
    },
  });

  if (!token) return <Page title="Manage your consultation"><p>This page needs the link from your confirmation email.</p></Page>;
  if (booking.isPending) return <Loading />;
  if (booking.isError) return <Page title="Manage your consultation"><ErrorNotice error={booking.error} title="We could not open this booking" /></Page>;
  const b = booking.data;
  const zone = b.clinic.timeZone;
  return (
    <Page title="Manage your consultation" lead={`${b.clinicianName} · ${b.clinic.name}`}>
      <div role="status">{message ? <p className="notice notice--success">{message}</p> : null}</div>
      {problem ? <p className="notice notice--error" role="alert">{problem}</p> : null}
      <dl className="dl">
        <dt>Status</dt>
        <dd>{b.appointmentStatus === 'cancelled' ? <Badge tone="neutral">Cancelled</Badge> : <Badge tone="success">Booked</Badge>}</dd>
        {b.start ? (
          <>
            <dt>When (clinic time)</dt>
            <dd>{fullWhen(b.start, zone)}</dd>
            {myZone !== zone ? (
              <>
                <dt>When (your time)</dt>
                <dd>{fullWhen(b.start, myZone)}</dd>
              </>
            ) : null}
          </>
        ) : null}
      </dl>
      {b.canChange && mode === 'view' ? (
        <div className="form__actions">
          <button type="button" className="button button--primary" onClick={() => setMode('reschedule')}>Choose another time</button>
          <button type="button" className="button button--danger-quiet" onClick={() => setMode('cancel')}>Cancel consultation</button>
        </div>
      ) : null}
      {!b.canChange ? <p>This consultation can no longer be changed online. Please call the clinic if you need help.</p> : null}
      {mode === 'cancel' ? (
        <form className="form--narrow" onSubmit={(e) => { e.preventDefault(); cancel.mutate(); }}>
          <TextField form="cancel" name="reason" label="Reason (optional)" value={reason} onChange={setReason} maxLength={500} />
          <div className="form__actions">
            <button type="submit" className="button button--danger" disabled={cancel.isPending}>Cancel my consultation</button>
            <button type="button" className="button button--quiet" onClick={() => setMode('view')}>Keep it</button>
          </div>
        </form>
      ) : null}
      {mode === 'reschedule' ? (
        slots.isPending ? <Loading /> : slots.isError ? <ErrorNotice error={slots.error} /> : (
          <form onSubmit={(e) => { e.preventDefault(); if (slot) move.mutate(slot.split('|')[1]!); }}>
            <SlotPicker slots={slots.data.slots} clinicZone={zone} myZone={myZone} clinicianNames={new Map()} value={slot} onChange={setSlot} />
            <div className="form__actions">
              <button type="submit" className="button button--primary" disabled={!slot || move.isPending}>Move to this time</button>
              <button type="button" className="button button--quiet" onClick={() => setMode('view')}>Back</button>
            </div>
          </form>
        )
      ) : null}
    </Page>
  );
}
