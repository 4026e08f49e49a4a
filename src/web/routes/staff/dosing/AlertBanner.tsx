import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { acknowledgeAlert, type AlertView } from '../../../api/dosing';
import { isApiError } from '../../../api/client';

/** Open alerts of one session, each with its acknowledgement form (intervention required). */
export function AlertBanner({ sessionId, alerts, label, flash, onAcknowledged }: { sessionId: string; alerts: AlertView[]; label: string; flash: boolean; onAcknowledged: (a: AlertView) => void }) {
  const open = alerts.filter((a) => a.status === 'open');
  if (open.length === 0) return null;
  return (
    <section className={`alert-banner${flash ? ' alert-banner--flash' : ''}`} role="alert" aria-label={`Open alerts: ${label}`}>
      <h2>
        {open.length} open alert{open.length > 1 ? 's' : ''} — {label}
      </h2>
      {open.map((a) => (
        <AlertItem key={a.id} sessionId={sessionId} alert={a} onAcknowledged={onAcknowledged} />
      ))}
    </section>
  );
}

function AlertItem({ sessionId, alert, onAcknowledged }: { sessionId: string; alert: AlertView; onAcknowledged: (a: AlertView) => void }) {
  const [intervention, setIntervention] = useState('');
  const [error, setError] = useState('');
  const inputId = `ack-${alert.id}`;
  const ack = useMutation({
    mutationFn: () => acknowledgeAlert(sessionId, alert.id, intervention.trim()),
    onSuccess: (a) => onAcknowledged(a),
    onError: (e) => setError(isApiError(e) ? e.message : 'Could not acknowledge; try again.'),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!intervention.trim()) {
      setError('Describe the intervention taken.');
      return;
    }
    setError('');
    ack.mutate();
  };
  return (
    <div className="alert-item">
      <p className="alert-item__msg">
        <span className={`badge badge--${alert.level === 'critical' ? 'danger' : 'warning'}`}>{alert.level === 'critical' ? 'Critical' : 'Warning'}</span> {alert.message}
        {alert.escalationLevel !== 'nurse' ? <span className="badge badge--danger"> escalated to {alert.escalationLevel}</span> : null}
      </p>
      <form onSubmit={submit} noValidate>
        <div className="field">
          <label className="field__label" htmlFor={inputId}>
            Intervention taken
          </label>
          {error ? (
            <p className="field__error" id={`${inputId}-error`}>
              {error}
            </p>
          ) : null}
          <input id={inputId} className="input" value={intervention} onChange={(e) => setIntervention(e.target.value)} aria-describedby={error ? `${inputId}-error` : undefined} aria-invalid={error ? true : undefined} />
        </div>
        <button type="submit" className="button button--primary" disabled={ack.isPending}>
          Acknowledge
        </button>
      </form>
    </div>
  );
}
