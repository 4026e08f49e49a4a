import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useMemo, useState, type FormEvent, type ReactNode } from 'react';
import { Link, useParams } from 'react-router';
import { isApiError } from '../../../api/client';
import * as apiDosing from '../../../api/dosing';
import type { AlertView, DoseCalculation, SessionView, TransitionDecision, VitalReadingView } from '../../../api/dosing';
import { useMe } from '../../../api/session';
import { ErrorNotice, Loading, Page } from '../../../components/Page';
import { formatInstant } from '../../../lib/format';
import { AlertBanner } from './AlertBanner';
import './dosing.css';
import { formatTime, PHASE_LABELS, playAlertChime, useEventSource, type StreamEnded } from './live';
import { NotesSection } from './NotesSection';
import { PostSessionMeasureSection } from './PostSessionMeasureSection';
import { VitalsChart } from './VitalsChart';

const STEPS = ['scheduled', 'checked-in', 'dosing', 'monitoring', 'recovery', 'discharged'] as const;
const ROUTE_LABELS: Record<string, string> = {
  ivInfusion: 'IV infusion',
  im: 'Intramuscular',
  intranasalEsketamine: 'Intranasal esketamine',
  intranasalRacemic: 'Intranasal racemic',
  sublingual: 'Sublingual',
  oral: 'Oral',
};

function errorText(e: unknown): string {
  return isApiError(e) ? e.message : 'That did not work. Please try again.';
}

/** Field helpers: labelled inputs with big touch targets. */
function Field({ id, label, children, hint }: { id: string; label: string; children: ReactNode; hint?: string }) {
  return (
    <div className="field">
      <label className="field__label" htmlFor={id}>
        {label}
      </label>
      {hint ? <p className="field__hint">{hint}</p> : null}
      {children}
    </div>
  );
}

function Reasons({ reasons }: { reasons: { code: string; message: string; overridable: boolean; source?: string | undefined }[] }) {
  return (
    <ul className="reasons">
      {reasons.map((r, i) => (
        <li key={`${r.code}-${i}`}>
          {r.message} {r.overridable ? <span className="badge badge--warning">prescriber may override</span> : <span className="badge badge--danger">hard stop</span>}
          {r.source ? <span className="reason__source">Source: {r.source}</span> : null}
        </li>
      ))}
    </ul>
  );
}

/** The next-step button: on 409 shows why, and lets a prescriber override with a reason. */
function TransitionControl({
  session,
  to,
  label,
  isPrescriber,
  onDone,
  resetKey,
}: {
  session: SessionView;
  to: string;
  label: string;
  isPrescriber: boolean;
  onDone: (s: SessionView) => void;
  /** When the facts behind the rules change, an old "blocked" answer is cleared. */
  resetKey?: string | number | null | undefined;
}) {
  const [blocked, setBlocked] = useState<TransitionDecision | null>(null);
  const [seenKey, setSeenKey] = useState(resetKey);
  if (seenKey !== resetKey) {
    setSeenKey(resetKey);
    setBlocked(null);
  }
  const [reason, setReason] = useState('');
  const [error, setError] = useState('');
  const { data: me } = useMe();
  const run = useMutation({
    mutationFn: (withReason?: string) => apiDosing.transition(session.id, to, withReason, me?.csrfToken ?? ''),
    onSuccess: (r) => {
      if (r.ok) {
        setBlocked(null);
        setReason('');
        setError('');
        onDone(r.session);
      } else if (r.decision) {
        setBlocked(r.decision);
        setError('');
      } else setError(r.message);
    },
    onError: (e) => setError(errorText(e)),
  });
  const idBase = `transition-${to}`;
  return (
    <div className="stack" data-testid={idBase}>
      <div aria-live="polite">
        {blocked ? (
          <div className="notice notice--warning">
            <p className="notice__title">Not yet: {label.toLowerCase()} is blocked</p>
            <Reasons reasons={blocked.reasons} />
          </div>
        ) : null}
        {error ? <p className="notice notice--error">{error}</p> : null}
      </div>
      <div className="row">
        <button type="button" className="button button--primary" disabled={run.isPending} onClick={() => run.mutate(undefined)}>
          {label}
        </button>
      </div>
      {blocked && blocked.overridable && isPrescriber ? (
        <form
          className="row"
          onSubmit={(e) => {
            e.preventDefault();
            if (reason.trim()) run.mutate(reason.trim());
          }}
        >
          <Field id={`${idBase}-reason`} label="Override reason (recorded)">
            <input id={`${idBase}-reason`} className="input" value={reason} onChange={(e) => setReason(e.target.value)} required />
          </Field>
          <button type="submit" className="button button--danger" disabled={!reason.trim() || run.isPending}>
            Override and {label.toLowerCase()}
          </button>
        </form>
      ) : null}
    </div>
  );
}

export function SessionFlowsheetPage() {
  const { id = '' } = useParams();
  const { data: me } = useMe();
  const queryClient = useQueryClient();
  const sessionKey = ['dosing-session', id];
  const session = useQuery({ queryKey: sessionKey, queryFn: () => apiDosing.getSession(id) });
  const vitals = useQuery({ queryKey: ['dosing-vitals', id], queryFn: () => apiDosing.getVitals(id) });
  const alerts = useQuery({ queryKey: ['dosing-alerts', id], queryFn: () => apiDosing.getAlerts(id) });
  const [live, setLive] = useState(false);
  const [flash, setFlash] = useState(false);
  const [since, setSince] = useState<number | null>(null);
  const [streamEnded, setStreamEnded] = useState<StreamEnded | null>(null);
  // Subscribe once the readings are loaded, from their event sequence: nothing between is lost.
  if (vitals.data && since === null) setSince(vitals.data.eventSeq);

  const setSession = (s: SessionView) => queryClient.setQueryData(sessionKey, s);
  const upsertAlert = (a: AlertView) =>
    queryClient.setQueryData<{ items: AlertView[] }>(['dosing-alerts', id], (old) => ({ items: [...(old?.items ?? []).filter((x) => x.id !== a.id), a] }));

  useEventSource(
    since === null ? null : `/api/sessions/${id}/stream?since=${since}`,
    {
      reading: (data) => {
        const r = data as VitalReadingView;
        queryClient.setQueryData<{ items: VitalReadingView[]; eventSeq: number }>(['dosing-vitals', id], (old) => {
          const items = [...(old?.items ?? []).filter((x) => x.id !== r.id), r].sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : a.seq - b.seq));
          return { items, eventSeq: Math.max(old?.eventSeq ?? 0, r.seq) };
        });
      },
      alert: (data) => {
        const a = data as AlertView;
        upsertAlert(a);
        setFlash(true);
        playAlertChime(a.level);
      },
      'alert-updated': (data) => upsertAlert(data as AlertView),
      state: () => void queryClient.invalidateQueries({ queryKey: sessionKey }),
      administration: () => void queryClient.invalidateQueries({ queryKey: sessionKey }),
    },
    setLive,
    setStreamEnded,
  );

  if (!me || session.isPending) return <Loading />;
  if (session.error) return <ErrorNotice error={session.error} title="Could not open the session" />;
  const s = session.data;
  const isPrescriber = me.role === 'prescriber';
  const canDose = me.role === 'nurse' || me.role === 'prescriber';
  const stepIndex = STEPS.indexOf(s.state as (typeof STEPS)[number]);
  const readings = vitals.data?.items ?? [];

  return (
    <Page
      title={`Session: ${s.patientName}`}
      lead={
        <>
          {s.roomName ?? 'No chair'} · booked {formatInstant(s.scheduledStart, s.timeZone)} · <span className={`live-dot${live ? ' live-dot--on' : ''}`} aria-hidden="true" />
          {live ? 'live' : streamEnded ? 'live updates stopped' : 'connecting…'}
        </>
      }
      actions={<Link to="/staff/board">Clinic board</Link>}
    >
      {streamEnded ? (
        <div className="notice notice--info" role="status" data-testid="stream-ended">
          <p className="notice__title">Live updates have stopped</p>
          <p>
            {streamEnded.message} What is shown below was recorded up to now; it will not update. If you still need this record, reload the page
            {streamEnded.reason === 'break_glass_expired' ? ' (you may need to request emergency access again)' : ''}.
          </p>
        </div>
      ) : null}
      <ol className="phase-steps" aria-label="Session progress">
        {STEPS.map((step, i) => (
          <li key={step} aria-current={step === s.state ? 'step' : undefined} className={i < stepIndex ? 'phase-steps__done' : undefined}>
            {PHASE_LABELS[step]}
          </li>
        ))}
        {s.state === 'aborted' ? <li aria-current="step">Aborted</li> : null}
      </ol>

      <AlertBanner sessionId={s.id} alerts={alerts.data?.items ?? []} label={s.patientName} flash={flash} onAcknowledged={upsertAlert} />

      <div className="dosing-grid">
        {s.state === 'scheduled' ? <CheckInSection session={s} readingCount={readings.length} isPrescriber={isPrescriber} onSession={setSession} /> : null}
        {s.state === 'checked-in' && canDose ? <DoseSection session={s} me={me.id} isPrescriber={isPrescriber} onSession={setSession} /> : null}
        {s.state === 'dosing' || s.administrations.length > 0 ? <AdministrationSection session={s} canDose={canDose} isPrescriber={isPrescriber} onSession={setSession} /> : null}
        <VitalsEntry sessionId={s.id} disabled={s.state === 'discharged' || s.state === 'aborted'} />
        <section className="dosing-section dosing-section--wide" aria-labelledby="vitals-heading">
          <h2 id="vitals-heading">Vital signs</h2>
          <VitalsChart readings={readings} timeZone={s.timeZone} />
          <div className="vitals-table table-wrap">
            <table className="table table--dense" data-testid="vitals-table">
              <caption className="visually-hidden">Readings, newest first</caption>
              <thead>
                <tr>
                  <th scope="col">Time</th>
                  <th scope="col">BP (mmHg)</th>
                  <th scope="col">HR (bpm)</th>
                  <th scope="col">SpO₂ (%)</th>
                  <th scope="col">RR (/min)</th>
                  <th scope="col">Phase</th>
                </tr>
              </thead>
              <tbody>
                {[...readings].reverse().map((r) => (
                  <tr key={r.id}>
                    <th scope="row">{formatTime(r.at, s.timeZone)}</th>
                    <td>{r.sbp !== null || r.dbp !== null ? `${r.sbp ?? '–'}/${r.dbp ?? '–'}` : '—'}</td>
                    <td>{r.hr ?? '—'}</td>
                    <td>{r.spo2 ?? '—'}</td>
                    <td>{r.rr ?? '—'}</td>
                    <td>{PHASE_LABELS[r.phase] ?? r.phase}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
        {s.state === 'monitoring' ? (
          <section className="dosing-section" aria-labelledby="monitoring-heading">
            <h2 id="monitoring-heading">Monitoring</h2>
            <p>Watch the readings; acknowledge every alert with the intervention taken. Move to recovery when the acute effects have passed.</p>
            <TransitionControl session={s} to="recovery" label="Start recovery" isPrescriber={isPrescriber} onDone={setSession} />
          </section>
        ) : null}
        {s.state !== 'scheduled' ? <NotesSection sessionId={s.id} /> : null}
        {s.state === 'monitoring' || s.state === 'recovery' || s.state === 'discharged' ? (
          <DischargeSection session={s} isPrescriber={isPrescriber} onSession={setSession} />
        ) : null}
        {s.state === 'recovery' || s.state === 'discharged' ? <PostSessionMeasureSection sessionId={s.id} timeZone={s.timeZone} /> : null}
        <HistorySection session={s} />
        {s.state !== 'discharged' && s.state !== 'aborted' && canDose ? <AbortSection session={s} onSession={setSession} /> : null}
      </div>
    </Page>
  );
}

function CheckInSection({ session, readingCount, isPrescriber, onSession }: { session: SessionView; readingCount: number; isPrescriber: boolean; onSession: (s: SessionView) => void }) {
  const f = session.facts;
  const [weight, setWeight] = useState(f.weightKg?.toString() ?? '');
  const [pregnancy, setPregnancy] = useState(f.pregnancyStatus);
  const [fasting, setFasting] = useState(f.fastingConfirmed);
  const [abstinence, setAbstinence] = useState(f.abstinenceConfirmed);
  const [escortName, setEscortName] = useState(f.escortName ?? '');
  const [escortPhone, setEscortPhone] = useState(f.escortPhone ?? '');
  const [free, setFree] = useState(f.next24hKeptFree);
  const [status, setStatus] = useState('');
  const gate = useQuery({ queryKey: ['dosing-gate', session.id, session.facts.updatedAt, readingCount], queryFn: () => apiDosing.getCheckInGate(session.id) });
  const save = useMutation({
    mutationFn: () =>
      apiDosing.putCheckInFacts(session.id, {
        weightKg: weight.trim() === '' ? null : Number(weight),
        pregnancyStatus: pregnancy,
        fastingConfirmed: fasting,
        abstinenceConfirmed: abstinence,
        escortName: escortName.trim() || null,
        escortPhone: escortPhone.trim() || null,
        next24hKeptFree: free,
      }),
    onSuccess: (s) => {
      onSession(s);
      setStatus('Check-in details saved.');
      void gate.refetch();
    },
    onError: (e) => setStatus(errorText(e)),
  });
  return (
    <section className="dosing-section" aria-labelledby="checkin-heading">
      <h2 id="checkin-heading">Check-in</h2>
      <form
        className="stack"
        onSubmit={(e: FormEvent) => {
          e.preventDefault();
          save.mutate();
        }}
      >
        <Field id="ci-weight" label="Weight today (kg)">
          <input id="ci-weight" className="input input--small" inputMode="decimal" value={weight} onChange={(e) => setWeight(e.target.value)} />
        </Field>
        <Field id="ci-pregnancy" label="Pregnancy status">
          <select id="ci-pregnancy" className="input" value={pregnancy} onChange={(e) => setPregnancy(e.target.value)}>
            <option value="unknown">Not yet confirmed</option>
            <option value="confirmed-not-pregnant">Confirmed not pregnant</option>
            <option value="not-applicable">Not applicable</option>
            <option value="pregnant">Pregnant</option>
          </select>
        </Field>
        {(
          [
            ['ci-fasting', 'Patient confirms fasting', fasting, setFasting],
            ['ci-abstinence', 'Patient confirms no alcohol or other substances', abstinence, setAbstinence],
            ['ci-free', 'Patient keeps the next 24 hours free (no driving, no big decisions)', free, setFree],
          ] as const
        ).map(([fid, label, value, set]) => (
          <div className="checkbox" key={fid}>
            <input type="checkbox" id={fid} checked={value} onChange={(e) => set(e.target.checked)} />
            <label htmlFor={fid}>{label}</label>
          </div>
        ))}
        <div className="row">
          <Field id="ci-escort-name" label="Escort name">
            <input id="ci-escort-name" className="input" value={escortName} onChange={(e) => setEscortName(e.target.value)} autoComplete="off" />
          </Field>
          <Field id="ci-escort-phone" label="Escort phone">
            <input id="ci-escort-phone" className="input" type="tel" value={escortPhone} onChange={(e) => setEscortPhone(e.target.value)} autoComplete="off" />
          </Field>
        </div>
        <div className="row">
          <button type="submit" className="button button--secondary" disabled={save.isPending}>
            Save check-in details
          </button>
        </div>
        <p role="status">{status}</p>
      </form>
      <h3>Check-in gate</h3>
      <p className="muted">Take pre-dose vitals below; the latest pre-dose reading counts.</p>
      {gate.data ? gate.data.allowed ? <p className="notice notice--success">All check-in criteria are met.</p> : <Reasons reasons={gate.data.reasons} /> : null}
      <TransitionControl session={session} to="checked-in" label="Check in" isPrescriber={isPrescriber} onDone={onSession} resetKey={`${readingCount}-${session.facts.updatedAt ?? ""}`} />
    </section>
  );
}

function DoseSection({ session, me, isPrescriber, onSession }: { session: SessionView; me: string; isPrescriber: boolean; onSession: (s: SessionView) => void }) {
  const [route, setRoute] = useState('ivInfusion');
  const [mgPerKg, setMgPerKg] = useState('');
  const [calc, setCalc] = useState<DoseCalculation | null>(null);
  const [override, setOverride] = useState('');
  const [error, setError] = useState('');
  const body = () => ({ route: route as 'ivInfusion', ...(mgPerKg.trim() ? { mgPerKg: Number(mgPerKg) } : {}), ...(override.trim() ? { overrideReason: override.trim() } : {}) });
  const calculate = useMutation({
    mutationFn: () => apiDosing.calculateDose(session.id, { route: route as 'ivInfusion', ...(mgPerKg.trim() ? { mgPerKg: Number(mgPerKg) } : {}) }),
    onSuccess: (c) => {
      setCalc(c);
      setError('');
    },
    onError: (e) => setError(errorText(e)),
  });
  const order = useMutation({ mutationFn: () => apiDosing.orderDose(session.id, body()), onSuccess: onSession, onError: (e) => setError(errorText(e)) });
  const pending = session.doseOrders.filter((o) => o.status !== 'superseded').at(-1);
  const verify = useMutation({ mutationFn: () => apiDosing.verifyDose(session.id, pending!.id), onSuccess: onSession, onError: (e) => setError(errorText(e)) });
  return (
    <section className="dosing-section" aria-labelledby="dose-heading">
      <h2 id="dose-heading">Dose</h2>
      <form
        className="stack"
        onSubmit={(e) => {
          e.preventDefault();
          calculate.mutate();
        }}
      >
        <div className="row">
          <Field id="dose-route" label="Route">
            <select id="dose-route" className="input" value={route} onChange={(e) => setRoute(e.target.value)}>
              {Object.entries(ROUTE_LABELS).map(([v, l]) => (
                <option key={v} value={v}>
                  {l}
                </option>
              ))}
            </select>
          </Field>
          <Field id="dose-mgkg" label="mg/kg (blank = protocol default)">
            <input id="dose-mgkg" className="input input--small" inputMode="decimal" value={mgPerKg} onChange={(e) => setMgPerKg(e.target.value)} />
          </Field>
          <button type="submit" className="button button--secondary" disabled={calculate.isPending}>
            Calculate dose
          </button>
        </div>
      </form>
      {calc ? (
        <div className="calc" aria-live="polite" data-testid="dose-calculation">
          <p className="calc__dose">{calc.doseMg} mg</p>
          <p>
            {calc.weightKg !== null ? `${calc.weightKg} kg × ${calc.orderedMgPerKg ?? '—'} mg/kg` : ''}
            {calc.iv ? ` · ${calc.iv.volumeMl} mL at ${calc.iv.concentrationMgPerMl} mg/mL over ${calc.iv.durationMinutes} min (${calc.iv.rateMlPerHour} mL/h)` : ''}
            {calc.im ? ` · ${calc.im.volumeMl} mL at ${calc.im.concentrationMgPerMl} mg/mL` : ''}
            {calc.intranasal ? ` · ${calc.intranasal.deviceCount} device(s), ${calc.intranasal.minutesBetweenDevices} min apart` : ''}
          </p>
          {calc.warnings.map((w) => (
            <p key={w.code} className="muted">
              {w.message}
            </p>
          ))}
          {calc.violations.length > 0 ? <Reasons reasons={calc.violations} /> : <p className="badge badge--success">Within protocol</p>}
          {calc.violations.length > 0 && calc.overridable && isPrescriber ? (
            <Field id="dose-override" label="Prescriber override reason (recorded)">
              <input id="dose-override" className="input" value={override} onChange={(e) => setOverride(e.target.value)} />
            </Field>
          ) : null}
          <button type="button" className="button button--primary" onClick={() => order.mutate()} disabled={order.isPending}>
            Record dose for verification
          </button>
        </div>
      ) : null}
      {pending ? (
        <div className="notice notice--info" data-testid="dose-order">
          <p className="notice__title">
            Ordered: {pending.doseMg} mg {ROUTE_LABELS[pending.route] ?? pending.route} — calculated by {pending.calculatedByName}
          </p>
          {pending.status === 'verified' ? (
            <p>Verified by {pending.verifiedByName} (second clinician).</p>
          ) : pending.calculatedBy === me ? (
            <p>Waiting for a second clinician to verify this calculation.</p>
          ) : (
            <button type="button" className="button button--primary" onClick={() => verify.mutate()} disabled={verify.isPending}>
              Verify calculation (co-sign)
            </button>
          )}
        </div>
      ) : null}
      <div aria-live="assertive">{error ? <p className="notice notice--error">{error}</p> : null}</div>
      {pending?.status === 'verified' ? <TransitionControl session={session} to="dosing" label="Start dosing" isPrescriber={isPrescriber} onDone={onSession} /> : null}
    </section>
  );
}

const localInput = (d: Date) => new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);

function AdministrationSection({ session, canDose, isPrescriber, onSession }: { session: SessionView; canDose: boolean; isPrescriber: boolean; onSession: (s: SessionView) => void }) {
  const order = session.doseOrders.filter((o) => o.status === 'verified').at(-1);
  const [lot, setLot] = useState('');
  const [expiry, setExpiry] = useState('');
  const [started, setStarted] = useState(() => localInput(new Date()));
  const [error, setError] = useState('');
  const [key] = useState(() => crypto.randomUUID());
  const record = useMutation({
    mutationFn: () => apiDosing.recordAdministration(session.id, { idempotencyKey: key, doseOrderId: order!.id, lot: lot.trim(), expiry, startedAt: new Date(started).toISOString() }),
    onSuccess: onSession,
    onError: (e) => setError(errorText(e)),
  });
  const end = useMutation({
    mutationFn: (adminId: string) => apiDosing.endAdministration(session.id, adminId, new Date().toISOString()),
    onSuccess: onSession,
    onError: (e) => setError(errorText(e)),
  });
  return (
    <section className="dosing-section" aria-labelledby="admin-heading">
      <h2 id="admin-heading">Administration</h2>
      {session.administrations.map((a) => (
        <div key={a.id} className="calc" data-testid="administration">
          <p>
            <strong>
              {a.doseMg} mg {a.drug.replace('-', ' ')}
            </strong>{' '}
            · {ROUTE_LABELS[a.route] ?? a.route} · lot {a.lot} (exp. {a.expiry}){a.volumeMl !== null ? ` · ${a.volumeMl} mL` : ''}
          </p>
          <p>
            Started {formatTime(a.startedAt, session.timeZone)}
            {a.endedAt ? `, ended ${formatTime(a.endedAt, session.timeZone)}` : ' — in progress'} · given by {a.givenByName}, verified by {a.verifiedByName}
          </p>
          {a.addenda.map((d) => (
            <p key={d.id} className="muted">
              Addendum ({d.authorName}): {d.text}
            </p>
          ))}
          {!a.endedAt && canDose ? (
            <button type="button" className="button button--secondary" onClick={() => end.mutate(a.id)} disabled={end.isPending}>
              Record end now
            </button>
          ) : null}
        </div>
      ))}
      {session.state === 'dosing' && canDose && order && session.administrations.length === 0 ? (
        <form
          className="stack"
          onSubmit={(e) => {
            e.preventDefault();
            record.mutate();
          }}
        >
          <p>
            Give {order.doseMg} mg ({ROUTE_LABELS[order.route]}), verified by {order.verifiedByName}.
          </p>
          <div className="row">
            <Field id="adm-lot" label="Lot number">
              <input id="adm-lot" className="input input--small" value={lot} onChange={(e) => setLot(e.target.value)} required />
            </Field>
            <Field id="adm-expiry" label="Lot expiry">
              <input id="adm-expiry" className="input" type="date" value={expiry} onChange={(e) => setExpiry(e.target.value)} required />
            </Field>
            <Field id="adm-start" label="Started at">
              <input id="adm-start" className="input" type="datetime-local" value={started} onChange={(e) => setStarted(e.target.value)} required />
            </Field>
          </div>
          <button type="submit" className="button button--primary" disabled={record.isPending || !lot.trim() || !expiry}>
            Record administration
          </button>
        </form>
      ) : null}
      <div aria-live="assertive">{error ? <p className="notice notice--error">{error}</p> : null}</div>
      {session.state === 'dosing' && session.administrations.length > 0 ? (
        <TransitionControl session={session} to="monitoring" label="Start monitoring" isPrescriber={isPrescriber} onDone={onSession} />
      ) : null}
    </section>
  );
}

function VitalsEntry({ sessionId, disabled }: { sessionId: string; disabled: boolean }) {
  const [v, setV] = useState({ sbp: '', dbp: '', hr: '', spo2: '', rr: '' });
  const [status, setStatus] = useState('');
  const post = useMutation({
    mutationFn: () => {
      const reading: Record<string, unknown> = { at: new Date().toISOString() };
      for (const [k, val] of Object.entries(v)) if (val.trim() !== '') reading[k] = Number(val);
      return apiDosing.postVitals(sessionId, [reading], 'manual');
    },
    onSuccess: (r) => {
      if (r.rejected.length > 0) setStatus(r.rejected.map((x) => x.message).join(' '));
      else {
        setStatus('Reading recorded.');
        setV({ sbp: '', dbp: '', hr: '', spo2: '', rr: '' });
      }
    },
    onError: (e) => setStatus(errorText(e)),
  });
  const fields: [keyof typeof v, string][] = [
    ['sbp', 'Systolic'],
    ['dbp', 'Diastolic'],
    ['hr', 'Heart rate'],
    ['spo2', 'SpO₂ %'],
    ['rr', 'Resp. rate'],
  ];
  return (
    <section className="dosing-section" aria-labelledby="entry-heading">
      <h2 id="entry-heading">Enter a reading</h2>
      <form
        className="stack"
        onSubmit={(e) => {
          e.preventDefault();
          post.mutate();
        }}
      >
        <div className="row">
          {fields.map(([k, label]) => (
            <Field key={k} id={`vital-${k}`} label={label}>
              <input id={`vital-${k}`} className="input input--small" inputMode="numeric" value={v[k]} onChange={(e) => setV({ ...v, [k]: e.target.value })} disabled={disabled} />
            </Field>
          ))}
        </div>
        <button type="submit" className="button button--secondary" disabled={disabled || post.isPending}>
          Record reading
        </button>
        <p role="status">{status}</p>
      </form>
    </section>
  );
}

function DischargeSection({ session, isPrescriber, onSession }: { session: SessionView; isPrescriber: boolean; onSession: (s: SessionView) => void }) {
  const a = session.dischargeAssessment;
  const [form, setForm] = useState({
    activity: a?.activity ?? 'moves-4-limbs',
    respiration: a?.respiration ?? 'deep-breath-and-cough',
    consciousness: a?.consciousness ?? 'fully-awake',
    onSupplementalOxygen: a?.onSupplementalOxygen ?? false,
    alertAndOriented: a?.alertAndOriented ?? false,
    steadyGait: a?.steadyGait ?? false,
    escortPresent: a?.escortPresent ?? false,
  });
  const [status, setStatus] = useState('');
  const preview = useQuery({ queryKey: ['dosing-discharge', session.id, a?.assessedAt, session.state], queryFn: () => apiDosing.getDischarge(session.id), refetchInterval: 60_000 });
  const save = useMutation({
    mutationFn: () => apiDosing.saveDischargeAssessment(session.id, form as Parameters<typeof apiDosing.saveDischargeAssessment>[1]),
    onSuccess: (s) => {
      onSession(s);
      setStatus('Checklist saved.');
      void preview.refetch();
    },
    onError: (e) => setStatus(errorText(e)),
  });
  const select = (key: 'activity' | 'respiration' | 'consciousness', label: string, options: [string, string][]) => (
    <Field id={`dc-${key}`} label={label}>
      <select id={`dc-${key}`} className="input" value={form[key]} onChange={(e) => setForm({ ...form, [key]: e.target.value })} disabled={session.state === 'discharged'}>
        {options.map(([v, l]) => (
          <option key={v} value={v}>
            {l}
          </option>
        ))}
      </select>
    </Field>
  );
  return (
    <section className="dosing-section" aria-labelledby="discharge-heading">
      <h2 id="discharge-heading">Recovery and discharge</h2>
      {session.state === 'discharged' ? <p className="notice notice--success">Discharged {session.dischargedAt ? formatInstant(session.dischargedAt, session.timeZone) : ''}. Aftercare instructions were emailed.</p> : null}
      <form
        className="stack"
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate();
        }}
      >
        {select('activity', 'Activity (Aldrete)', [
          ['moves-4-limbs', 'Moves 4 limbs (2)'],
          ['moves-2-limbs', 'Moves 2 limbs (1)'],
          ['moves-none', 'Moves none (0)'],
        ])}
        {select('respiration', 'Respiration (Aldrete)', [
          ['deep-breath-and-cough', 'Breathes deeply and coughs (2)'],
          ['dyspnea-or-limited', 'Dyspnea or limited breathing (1)'],
          ['apneic', 'Apneic (0)'],
        ])}
        {select('consciousness', 'Consciousness (Aldrete)', [
          ['fully-awake', 'Fully awake (2)'],
          ['rousable-when-called', 'Rousable when called (1)'],
          ['not-responding', 'Not responding (0)'],
        ])}
        {(
          [
            ['onSupplementalOxygen', 'On supplemental oxygen'],
            ['alertAndOriented', 'Alert and oriented'],
            ['steadyGait', 'Walks steadily'],
            ['escortPresent', `Escort present${session.facts.escortName ? ` (${session.facts.escortName})` : ''}`],
          ] as const
        ).map(([k, label]) => (
          <div className="checkbox" key={k}>
            <input type="checkbox" id={`dc-${k}`} checked={form[k]} onChange={(e) => setForm({ ...form, [k]: e.target.checked })} disabled={session.state === 'discharged'} />
            <label htmlFor={`dc-${k}`}>{label}</label>
          </div>
        ))}
        {session.state === 'recovery' || session.state === 'monitoring' ? (
          <button type="submit" className="button button--secondary" disabled={save.isPending}>
            Save discharge checklist
          </button>
        ) : null}
        <p role="status">{status}</p>
      </form>
      {preview.data && session.state !== 'discharged' ? (
        <div data-testid="discharge-preview">
          <p>
            Observed {preview.data.observedMinutes ?? 0} of {preview.data.minObservationMinutes} min
            {preview.data.aldrete ? ` · modified Aldrete ${preview.data.aldrete.total}/10` : ''}
          </p>
          {preview.data.allowed ? <p className="notice notice--success">All discharge criteria are met.</p> : <Reasons reasons={preview.data.reasons} />}
        </div>
      ) : null}
      {session.state === 'recovery' ? (
        <TransitionControl
          session={session}
          to="discharged"
          label="Discharge"
          isPrescriber={isPrescriber}
          resetKey={a?.assessedAt}
          onDone={(s) => {
            onSession(s);
            void preview.refetch();
          }}
        />
      ) : null}
    </section>
  );
}

function HistorySection({ session }: { session: SessionView }) {
  const rows = useMemo(() => session.transitions, [session.transitions]);
  if (rows.length === 0) return null;
  return (
    <section className="dosing-section" aria-labelledby="history-heading">
      <h2 id="history-heading">Session record</h2>
      <ul className="reasons">
        {rows.map((t, i) => (
          <li key={i}>
            {formatTime(t.at, session.timeZone)} — {PHASE_LABELS[t.to] ?? t.to} by {t.byName}
            {t.overriddenReasons.length > 0 ? ` (override: ${t.reason ?? ''}; overrode ${t.overriddenReasons.length} reason(s))` : t.reason ? ` (${t.reason})` : ''}
          </li>
        ))}
      </ul>
    </section>
  );
}

function AbortSection({ session, onSession }: { session: SessionView; onSession: (s: SessionView) => void }) {
  const [reason, setReason] = useState('');
  const [error, setError] = useState('');
  const { data: me } = useMe();
  const abort = useMutation({
    mutationFn: () => apiDosing.transition(session.id, 'aborted', reason.trim(), me?.csrfToken ?? ''),
    onSuccess: (r) => (r.ok ? onSession(r.session) : setError(r.decision?.reasons.map((x) => x.message).join(' ') ?? r.message)),
    onError: (e) => setError(errorText(e)),
  });
  return (
    <details className="dosing-section">
      <summary>Abort the session</summary>
      <form
        className="row"
        onSubmit={(e) => {
          e.preventDefault();
          if (reason.trim()) abort.mutate();
        }}
      >
        <Field id="abort-reason" label="Reason for aborting">
          <input id="abort-reason" className="input" value={reason} onChange={(e) => setReason(e.target.value)} />
        </Field>
        <button type="submit" className="button button--danger" disabled={!reason.trim() || abort.isPending}>
          Abort session
        </button>
      </form>
      {error ? <p className="notice notice--error">{error}</p> : null}
    </details>
  );
}
