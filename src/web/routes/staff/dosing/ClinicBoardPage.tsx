import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { isApiError } from '../../../api/client';
import { getBoard, openSession, type AlertView, type BoardView, type VitalReadingView } from '../../../api/dosing';
import { useMe } from '../../../api/session';
import { ErrorNotice, Loading, Page } from '../../../components/Page';
import { AlertBanner } from './AlertBanner';
import './dosing.css';
import { formatTime, minutesSince, PHASE_LABELS, playAlertChime, useEventSource, vitalsText, type StreamEnded } from './live';

const BOARD_KEY = ['dosing-board'] as const;

interface SessionEventOnBoard {
  sessionId: string;
  seq: number;
  kind: string;
  data: unknown;
}

/** One screen for the nurse watching the room: every active session, live. */
export function ClinicBoardPage() {
  const { data: me } = useMe();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const board = useQuery({ queryKey: BOARD_KEY, queryFn: getBoard });
  const [live, setLive] = useState(false);
  const [flash, setFlash] = useState<string | null>(null);
  const [now, setNow] = useState(() => Date.now());
  const [startError, setStartError] = useState('');
  const [streamEnded, setStreamEnded] = useState<StreamEnded | null>(null);

  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 30_000);
    return () => clearInterval(t);
  }, []);

  const patch = (fn: (b: BoardView) => BoardView) => queryClient.setQueryData<BoardView>(BOARD_KEY, (b) => (b ? fn(b) : b));
  const upsertAlert = (sessionId: string, alert: AlertView) =>
    patch((b) => ({
      ...b,
      sessions: b.sessions.map((s) =>
        s.sessionId !== sessionId ? s : { ...s, openAlerts: alert.status === 'open' ? [...s.openAlerts.filter((a) => a.id !== alert.id), alert] : s.openAlerts.filter((a) => a.id !== alert.id) },
      ),
    }));

  useEventSource(
    board.data ? '/api/board/stream' : null,
    {
      snapshot: (data) => queryClient.setQueryData(BOARD_KEY, data as BoardView),
      refresh: () => void queryClient.invalidateQueries({ queryKey: BOARD_KEY }),
      session: (data) => {
        const e = data as SessionEventOnBoard;
        if (e.kind === 'reading') {
          const r = e.data as VitalReadingView;
          patch((b) => ({
            ...b,
            sessions: b.sessions.map((s) => (s.sessionId === e.sessionId && (!s.latestVitals || s.latestVitals.at <= r.at) ? { ...s, latestVitals: r, eventSeq: e.seq } : s)),
          }));
        } else if (e.kind === 'alert' || e.kind === 'alert-updated') {
          const a = e.data as AlertView;
          upsertAlert(e.sessionId, a);
          if (e.kind === 'alert') {
            setFlash(e.sessionId);
            playAlertChime(a.level);
          }
        } else {
          void queryClient.invalidateQueries({ queryKey: BOARD_KEY });
        }
      },
    },
    setLive,
    setStreamEnded,
  );

  const start = useMutation({
    mutationFn: openSession,
    onSuccess: (s) => void navigate(`/staff/sessions/${s.id}`),
    onError: (e) => setStartError(isApiError(e) ? e.message : 'Could not open the session.'),
  });

  if (!me) return <Loading />;
  const b = board.data;
  return (
    <Page
      title="Clinic board"
      lead={
        <>
          <span className={`live-dot${live ? ' live-dot--on' : ''}`} aria-hidden="true" />
          {live ? 'Live: readings and alerts appear as they arrive.' : streamEnded ? 'Live updates stopped.' : 'Connecting to live updates…'}
        </>
      }
    >
      {streamEnded ? (
        <div className="notice notice--info" role="status" data-testid="stream-ended">
          <p className="notice__title">Live updates have stopped</p>
          <p>{streamEnded.message} The board below will not update; reload the page to see it again.</p>
        </div>
      ) : null}
      {board.isPending ? <Loading what="Loading the board…" /> : null}
      {board.error ? <ErrorNotice error={board.error} /> : null}
      {b ? (
        <>
          {b.sessions.map((s) => (
            <AlertBanner
              key={`alerts-${s.sessionId}`}
              sessionId={s.sessionId}
              alerts={s.openAlerts}
              label={`${s.roomName ?? 'No chair'}, ${s.patientName}`}
              flash={flash === s.sessionId}
              onAcknowledged={(a) => upsertAlert(s.sessionId, a)}
            />
          ))}
          <section aria-labelledby="active-heading">
            <h2 id="active-heading">Active sessions</h2>
            {b.sessions.length === 0 ? <p>No active sessions.</p> : null}
            <ul className="board" aria-label="Active sessions by chair">
              {b.sessions.map((s) => (
                <li key={s.sessionId} className={`board-card${s.openAlerts.length > 0 ? ' board-card--alert' : ''}`}>
                  <p className="board-card__chair">{s.roomName ?? 'No chair'}</p>
                  <h3 style={{ margin: 0 }}>
                    <Link to={`/staff/sessions/${s.sessionId}`}>{s.patientName}</Link>
                  </h3>
                  <p>
                    <span className="badge badge--info">{PHASE_LABELS[s.state] ?? s.state}</span> · since dose: {minutesSince(s.firstDoseAt, now)}
                  </p>
                  <p className="board-card__vitals" aria-label={`Latest vitals for ${s.patientName}`} data-testid={`vitals-${s.sessionId}`}>
                    {vitalsText(s.latestVitals)}
                  </p>
                  {s.latestVitals ? <p className="muted">at {formatTime(s.latestVitals.at, b.timeZone)}</p> : null}
                  <p>{s.openAlerts.length > 0 ? <span className="badge badge--danger">{s.openAlerts.length} open alert(s)</span> : <span className="badge badge--success">No open alerts</span>}</p>
                </li>
              ))}
            </ul>
            {b.otherActiveSessions > 0 ? (
              <p className="muted">
                {b.otherActiveSessions} other active session(s) belong to patients outside your care team and are not shown.
              </p>
            ) : null}
          </section>
          <section aria-labelledby="arriving-heading">
            <h2 id="arriving-heading">Arriving today</h2>
            <div aria-live="assertive">{startError ? <p className="notice notice--error">{startError}</p> : null}</div>
            {b.arriving.length === 0 ? <p>No more dosing appointments today.</p> : null}
            <ul className="board">
              {b.arriving.map((a) => (
                <li key={a.appointmentId} className="board-card">
                  <p className="board-card__chair">{a.roomName ?? 'No chair'}</p>
                  <h3 style={{ margin: 0 }}>{a.patientName}</h3>
                  <p>Booked {formatTime(a.startAt, b.timeZone).slice(0, 5)}</p>
                  {me.role === 'nurse' || me.role === 'prescriber' ? (
                    <button type="button" className="button button--primary" disabled={start.isPending} onClick={() => start.mutate(a.appointmentId)}>
                      Start session for {a.patientName}
                    </button>
                  ) : null}
                </li>
              ))}
            </ul>
          </section>
        </>
      ) : null}
    </Page>
  );
}
