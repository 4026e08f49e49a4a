import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { Link, useParams } from 'react-router';
import { ELIGIBILITY_DECISION_LABELS, ELIGIBILITY_DECISIONS, type EligibilityDecision } from '../../../../core/eligibility/eligibility-decision';
import { addAddendum, getReview, recordEligibility, type ClinicianReview } from '../../../api/intake';
import { useMe } from '../../../api/session';
import { ErrorSummary, fieldId, formErrorsFrom, NO_ERRORS, SelectField, StatusMessage, TextArea, TextField, useFocusOnToggle, type FormErrors } from '../../../components/forms';
import { GoalsPanel } from '../../../components/intake/GoalsPanel';
import '../../../components/intake/intake.css';
import { Badge, ErrorNotice, Loading, Page } from '../../../components/Page';
import { formatInstant } from '../../../lib/format';

const LEVEL_TONE = { absolute: 'danger', relative: 'warning', informational: 'info' } as const;

/** Clinician review: history, scores with bands, flags and open alerts side by side; eligibility. */
export function IntakeReviewPage() {
  const { id = '' } = useParams();
  const { data: me } = useMe();
  const q = useQuery({ queryKey: ['review', id], queryFn: () => getReview(id) });
  if (q.isPending) return <Page title="Intake review"><Loading /></Page>;
  if (q.isError) return <Page title="Intake review"><ErrorNotice error={q.error} title="Cannot open the review" /></Page>;
  const r = q.data;
  const zone = me?.timeZone ?? 'UTC';
  return (
    <Page
      title={`Intake review: ${r.patient.name}`}
      lead={`Born ${r.patient.dateOfBirth}`}
      actions={
        <>
          <Link className="button button--secondary" to={`/staff/patients/${id}`}>
            Chart
          </Link>
          <Link className="button button--secondary" to={`/staff/patients/${id}/paper`}>
            Enter a paper response
          </Link>
        </>
      }
    >
      <EligibilityBanner r={r} />
      <div className="review-grid">
        <section aria-labelledby="rv-history">
          <h2 id="rv-history">History</h2>
          {!r.history ? <p className="muted">No history form yet.</p> : (
            <>
              <p className="muted">
                {r.history.status === 'submitted' ? `Submitted ${r.history.submittedAt ? formatInstant(r.history.submittedAt, zone) : ''}` : 'In progress (not submitted)'} · form version {r.history.version}
              </p>
              {r.history.sections.map((s) => (
                <details key={s.id} open={s.id === 'mental-health' || s.id === 'heart-and-circulation'}>
                  <summary>{s.title}</summary>
                  <dl className="q-review">
                    {s.answers.map((a) => (
                      <div key={a.itemId}>
                        <dt>{a.text}</dt>
                        <dd>{a.answer}</dd>
                      </div>
                    ))}
                  </dl>
                </details>
              ))}
            </>
          )}
        </section>
        <section aria-labelledby="rv-scores">
          <h2 id="rv-scores">Scores</h2>
          {r.scores.items.length === 0 ? <p className="muted">No scored measures yet.</p> : (
            <table className="score-table">
              <caption className="visually-hidden">Scores with bands, newest last</caption>
              <thead>
                <tr>
                  <th scope="col">Measure</th>
                  <th scope="col">Total</th>
                  <th scope="col">Band</th>
                  <th scope="col">When</th>
                </tr>
              </thead>
              <tbody>
                {r.scores.items.map((s) => (
                  <tr key={s.responseId}>
                    <td>{s.instrumentTitle}{s.entryMode === 'paper' ? ' (paper)' : ''}</td>
                    <td>{s.total}</td>
                    <td>{s.bandLabel ?? s.band ?? '—'}</td>
                    <td>{formatInstant(s.submittedAt, zone)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {r.scores.outcomes.map((o) => (
            <p key={o.instrument}>
              {o.instrument.toUpperCase()}: {o.baseline} → {o.current}
              {o.response ? ' · response' : ''}
              {o.remission ? ' · remission' : ''}
            </p>
          ))}
        </section>
        <section aria-labelledby="rv-flags">
          <h2 id="rv-flags">Contraindication flags</h2>
          {r.eligibility.contraindications.flags.length === 0 ? <p>No flags raised by the clinic’s rules.</p> : null}
          {r.eligibility.contraindications.flags.map((f) => (
            <div key={f.ruleId} className={`flag flag--${f.level}`}>
              <p>
                <Badge tone={LEVEL_TONE[f.level]}>{f.level}</Badge> <strong>{f.title}</strong>
              </p>
              <p>{f.reason}</p>
              <p className="flag__source">Source: {f.source.citation}{f.source.status === 'unconfirmed' ? ' (unconfirmed)' : ''}</p>
            </div>
          ))}
          {r.eligibility.contraindications.undetermined.length > 0 ? (
            <>
              <h3>Could not be evaluated</h3>
              <ul>
                {r.eligibility.contraindications.undetermined.map((u) => (
                  <li key={u.ruleId}>
                    <Badge tone={LEVEL_TONE[u.level]}>{u.level}</Badge> {u.title} — missing or “not sure”: {u.missingFacts.join(', ')}
                  </li>
                ))}
              </ul>
            </>
          ) : null}
        </section>
        <section aria-labelledby="rv-alerts">
          <h2 id="rv-alerts">Open safety alerts</h2>
          {r.openAlerts.length === 0 ? <p>None open.</p> : (
            <ul>
              {r.openAlerts.map((a) => (
                <li key={a.id}>
                  <Badge tone="danger">High priority</Badge> {a.instrument}: “{a.itemText}” — {a.answerLabel} ({formatInstant(a.raisedAt, zone)}).{' '}
                  <Link to="/staff/alerts">Acknowledge on the alerts page</Link>
                </li>
              ))}
            </ul>
          )}
          <h3>Consents</h3>
          <ul>
            {r.consents.map((c) => (
              <li key={c.kind}>
                {c.kindLabel}: {c.signedCurrent ? <Badge tone="success">signed (current)</Badge> : <Badge tone="warning">{c.latestSignature ? 'needs re-consent' : 'not signed'}</Badge>}
              </li>
            ))}
          </ul>
        </section>
      </div>
      <section aria-labelledby="rv-eligibility" className="card">
        <h2 id="rv-eligibility">Eligibility</h2>
        <Decisions r={r} patientId={id} zone={zone} />
        {me?.role === 'prescriber' ? <DecisionForm r={r} patientId={id} /> : <p className="muted">Only a prescriber can sign an eligibility decision.</p>}
      </section>
      <section className="card" aria-label="Goals">
        <GoalsPanel patientId={id} />
      </section>
    </Page>
  );
}

function EligibilityBanner({ r }: { r: ClinicianReview }) {
  const cur = r.eligibility.current;
  if (!cur) return <p className="notice notice--warning">No eligibility decision yet: dosing sessions cannot be booked.</p>;
  return (
    <p className={`notice ${cur.allowsDosing ? 'notice--success' : 'notice--warning'}`}>
      Current decision: <strong>{ELIGIBILITY_DECISION_LABELS[cur.decision]}</strong>
      {cur.expired ? ' (expired)' : ''}. {cur.allowsDosing ? 'Dosing sessions can be booked.' : 'Dosing sessions cannot be booked.'}
    </p>
  );
}

function Decisions({ r, patientId, zone }: { r: ClinicianReview; patientId: string; zone: string }) {
  if (r.eligibility.decisions.length === 0) return <p className="muted">No decisions signed.</p>;
  return (
    <>
      {r.eligibility.decisions.map((d) => (
        <article key={d.id} className="decision" aria-label={`Decision ${d.decisionLabel} signed ${formatInstant(d.signedAt, zone)}`}>
          <p>
            <strong>{d.decisionLabel}</strong> — signed by {d.signedByName}, {formatInstant(d.signedAt, zone)} {d.supersededById ? <Badge tone="neutral">superseded</Badge> : <Badge tone="info">current</Badge>}
          </p>
          {d.overriddenRuleIds.length > 0 ? (
            <div className="override-banner" role="note">
              <strong>Absolute flag overridden</strong> ({d.overriddenRuleIds.join(', ')}): {d.overrideReason}
            </div>
          ) : null}
          <p className="pre-line">Rationale: {d.rationale}</p>
          {d.conditions ? <p className="pre-line">Conditions: {d.conditions}</p> : null}
          {d.validUntil ? <p>Valid until {formatInstant(d.validUntil, zone)}</p> : null}
          {d.addenda.map((a) => (
            <p key={a.id} className="pre-line">
              Addendum by {a.authorName}, {formatInstant(a.createdAt, zone)}: {a.text}
            </p>
          ))}
          <AddendumForm patientId={patientId} decisionId={d.id} />
        </article>
      ))}
    </>
  );
}

function AddendumForm({ patientId, decisionId }: { patientId: string; decisionId: string }) {
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const [text, setText] = useState('');
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [saved, setSaved] = useState('');
  const form = `addendum-${decisionId}`;
  // The button that opens the form gives way to it, and the form to the button again:
  // focus goes into the text as it opens and back to the button as it closes.
  const openButton = useRef<HTMLButtonElement>(null);
  useFocusOnToggle(open, null, openButton);
  useEffect(() => {
    if (open) document.getElementById(fieldId(form, 'text'))?.focus();
  }, [open, form]);
  const m = useMutation({
    mutationFn: () => addAddendum(patientId, decisionId, text),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['review', patientId] });
      setText('');
      setErrors(NO_ERRORS);
      setSaved('Addendum saved.');
      setOpen(false);
    },
    onError: (e) => setErrors(formErrorsFrom(e, ['text'])),
  });
  // The status region stays mounted so that "Addendum saved." is announced when it appears.
  const status = <StatusMessage>{saved}</StatusMessage>;
  if (!open) {
    return (
      <>
        {status}
        <button type="button" className="button button--quiet button--small" onClick={() => setOpen(true)} ref={openButton}>
          Add an addendum
        </button>
      </>
    );
  }
  return (
    <>
      {status}
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          setSaved('');
          if (!text.trim()) return setErrors({ fields: { text: 'Write the addendum before saving it.' } });
          m.mutate();
        }}
      >
        <ErrorSummary errors={errors} form={form} />
        <TextArea form={form} name="text" label="Addendum" value={text} onChange={setText} required error={errors.fields.text} />
        <div className="form__actions">
          <button type="submit" className="button button--secondary button--small" disabled={m.isPending}>Save addendum</button>
          <button
            type="button"
            className="button button--quiet button--small"
            onClick={() => {
              setErrors(NO_ERRORS);
              setOpen(false);
            }}
          >
            Cancel
          </button>
        </div>
      </form>
    </>
  );
}

const FIELDS = ['decision', 'rationale', 'conditions', 'overrideReason', 'validUntil'];

function DecisionForm({ r, patientId }: { r: ClinicianReview; patientId: string }) {
  const queryClient = useQueryClient();
  const [decision, setDecision] = useState<EligibilityDecision>('eligible');
  const [rationale, setRationale] = useState('');
  const [conditions, setConditions] = useState('');
  const [overrideReason, setOverrideReason] = useState('');
  const [validUntil, setValidUntil] = useState('');
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [done, setDone] = useState('');
  const needsOverride = decision === 'eligible' && r.eligibility.overrideRequiredFor.length > 0;
  const m = useMutation({
    mutationFn: () =>
      recordEligibility(patientId, {
        decision,
        rationale,
        conditions: conditions || null,
        overrideReason: needsOverride ? overrideReason : null,
        validUntil: validUntil ? new Date(`${validUntil}T23:59:59Z`).toISOString() : null,
      }),
    onSuccess: async (d) => {
      setDone(`Decision “${d.decisionLabel}” signed.`);
      setErrors(NO_ERRORS);
      setRationale('');
      setConditions('');
      setOverrideReason('');
      await queryClient.invalidateQueries({ queryKey: ['review', patientId] });
    },
    onError: (e) => setErrors(formErrorsFrom(e, FIELDS)),
  });
  const form = 'eligibility';
  return (
    <form noValidate onSubmit={(e) => { e.preventDefault(); m.mutate(); }}>
      <h3>Record a decision</h3>
      <p className="muted">Signing is final: a signed decision cannot be edited. Add an addendum or sign a new decision instead.</p>
      <ErrorSummary errors={errors} form={form} />
      <SelectField form={form} name="decision" label="Decision" value={decision} onChange={(v) => setDecision(v as EligibilityDecision)} options={ELIGIBILITY_DECISIONS.map((d) => ({ value: d, label: ELIGIBILITY_DECISION_LABELS[d] }))} />
      <TextArea form={form} name="rationale" label="Rationale" value={rationale} onChange={setRationale} required rows={4} error={errors.fields.rationale} />
      <TextArea form={form} name="conditions" label="Conditions (optional)" value={conditions} onChange={setConditions} error={errors.fields.conditions} />
      {needsOverride ? (
        <TextArea
          form={form}
          name="overrideReason"
          label="Reason for overriding the absolute flag(s)"
          hint={`Eligible over: ${r.eligibility.overrideRequiredFor.join(', ')}. The reason is kept with the decision and shown on the chart.`}
          value={overrideReason}
          onChange={setOverrideReason}
          required
          error={errors.fields.overrideReason}
        />
      ) : null}
      <TextField form={form} name="validUntil" label="Valid until (optional)" type="date" value={validUntil} onChange={setValidUntil} width="medium" error={errors.fields.validUntil} />
      <button type="submit" className="button button--primary" disabled={m.isPending}>
        {m.isPending ? 'Signing…' : 'Sign decision'}
      </button>
      <StatusMessage>{done}</StatusMessage>
    </form>
  );
}
