import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { ApiError } from '../../../api/client';
import { acknowledgeAlert, listAlerts, type SafetyAlert } from '../../../api/intake';
import { useMe } from '../../../api/session';
import { fieldId, SelectField, StatusMessage, TextArea } from '../../../components/forms';
import '../../../components/intake/intake.css';
import { Badge, ErrorNotice, Loading, Page } from '../../../components/Page';
import { formatInstant } from '../../../lib/format';

/** Safety alerts: the care team acknowledges with the follow-up taken; the admin sees escalations. */
export function AlertsPage() {
  const { data: me } = useMe();
  const [status, setStatus] = useState<'open' | 'acknowledged'>('open');
  const [message, setMessage] = useState('');
  const q = useQuery({ queryKey: ['alerts', status], queryFn: () => listAlerts(status), refetchInterval: 30_000 });
  const zone = me?.timeZone ?? 'UTC';
  const admin = me?.role === 'clinic_admin';
  return (
    <Page
      title="Safety alerts"
      lead={admin ? 'Alerts no clinician has acknowledged in time. Contact the care team so someone follows up now.' : 'High-priority alerts for patients on your care team stay open until a clinician acknowledges them and records the follow-up.'}
    >
      <SelectField
        form="alerts"
        name="status"
        label="Show"
        value={status}
        onChange={(v) => setStatus(v === 'acknowledged' ? 'acknowledged' : 'open')}
        options={[
          { value: 'open', label: 'Open alerts' },
          { value: 'acknowledged', label: 'Acknowledged alerts' },
        ]}
      />
      <StatusMessage>{message}</StatusMessage>
      {q.isPending ? <Loading /> : q.isError ? <ErrorNotice error={q.error} /> : q.data.items.length === 0 ? (
        <p className="notice notice--info">{status === 'open' ? 'No open alerts.' : 'No acknowledged alerts.'}</p>
      ) : (
        <ul className="q-list">
          {q.data.items.map((a) => (
            <AlertCard key={a.id} alert={a} zone={zone} canAcknowledge={!admin && a.status === 'open'} onDone={setMessage} linkToChart={!admin} />
          ))}
        </ul>
      )}
    </Page>
  );
}

function AlertCard({ alert, zone, canAcknowledge, onDone, linkToChart }: { alert: SafetyAlert; zone: string; canAcknowledge: boolean; onDone: (m: string) => void; linkToChart: boolean }) {
  const queryClient = useQueryClient();
  const [followUp, setFollowUp] = useState('');
  const [error, setError] = useState<string | undefined>();
  const ack = useMutation({
    mutationFn: () => acknowledgeAlert(alert.id, followUp),
    onSuccess: async () => {
      onDone(`Alert for ${alert.patientName} acknowledged.`);
      await queryClient.invalidateQueries({ queryKey: ['alerts'] });
    },
    onError: (e) => setError(e instanceof ApiError ? e.message : 'Could not acknowledge. Try again.'),
  });
  const form = `ack-${alert.id}`;
  return (
    <li>
      <article aria-labelledby={`${form}-title`} style={{ width: '100%' }}>
        <h2 id={`${form}-title`} style={{ fontSize: '1.1rem' }}>
          <Badge tone="danger">High priority</Badge> {linkToChart ? <Link to={`/staff/patients/${alert.patientId}/intake`}>{alert.patientName}</Link> : alert.patientName}
        </h2>
        <p>
          Raised {formatInstant(alert.raisedAt, zone)}
          {alert.escalatedAt ? ` · escalated to the clinic admin ${formatInstant(alert.escalatedAt, zone)}` : ''}
        </p>
        {alert.itemText ? (
          <p>
            {alert.instrument}: “{alert.itemText}” — <strong>{alert.answerLabel}</strong>
          </p>
        ) : null}
        {alert.status === 'acknowledged' ? (
          <p>
            Acknowledged by {alert.acknowledgedByName} {alert.acknowledgedAt ? formatInstant(alert.acknowledgedAt, zone) : ''}
            {alert.followUp ? `. Follow-up: ${alert.followUp}` : ''}
          </p>
        ) : null}
        {canAcknowledge ? (
          <form
            noValidate
            onSubmit={(e) => {
              e.preventDefault();
              if (followUp.trim().length < 10) {
                setError('Describe the follow-up taken (at least 10 characters).');
                // To the field, whose description now includes the message: it is read out, and
                // on a phone the field (not the button the message pushed down) is on screen.
                setTimeout(() => document.getElementById(fieldId(form, 'followUp'))?.focus(), 0);
                return;
              }
              setError(undefined);
              ack.mutate();
            }}
          >
            <TextArea form={form} name="followUp" label="Follow-up taken" value={followUp} onChange={setFollowUp} required error={error} hint="For example: called the patient, reviewed the safety plan, booked a session." />
            <button type="submit" className="button button--primary" disabled={ack.isPending}>
              Acknowledge alert<span className="visually-hidden"> for {alert.patientName}</span>
            </button>
          </form>
        ) : null}
      </article>
    </li>
  );
}
