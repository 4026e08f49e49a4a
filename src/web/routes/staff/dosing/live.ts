import { useEffect, useRef } from 'react';

/** Sent by the server as its last event when the caller's access has ended (grant expiry, care team, sign-out). */
export interface StreamEnded {
  reason: string;
  message: string;
}

/**
 * Subscribe to a Server-Sent Events URL. EventSource reconnects by itself after a drop and
 * sends Last-Event-ID, so the server resumes exactly where the stream stopped. When the
 * server ends the stream with `access-ended`, the connection is closed for good (a
 * reconnect would only be refused) and `onEnded` is told why.
 */
export function useEventSource(
  url: string | null,
  handlers: Record<string, (data: unknown, id: string) => void>,
  onState?: (open: boolean) => void,
  onEnded?: (ended: StreamEnded) => void,
): void {
  const ref = useRef(handlers);
  const stateRef = useRef(onState);
  const endedRef = useRef(onEnded);
  useEffect(() => {
    ref.current = handlers;
    stateRef.current = onState;
    endedRef.current = onEnded;
  });
  useEffect(() => {
    if (!url) return;
    const es = new EventSource(url, { withCredentials: true });
    const kinds = Object.keys(ref.current);
    const listeners = kinds.map((kind) => {
      const fn = (e: MessageEvent<string>) => ref.current[kind]?.(JSON.parse(e.data) as unknown, e.lastEventId);
      es.addEventListener(kind, fn as EventListener);
      return [kind, fn] as const;
    });
    const ended = (e: MessageEvent<string>) => {
      es.close();
      stateRef.current?.(false);
      let info: StreamEnded = { reason: 'unknown', message: 'Live updates have stopped.' };
      try {
        info = JSON.parse(e.data) as StreamEnded;
      } catch {
        // keep the generic message
      }
      endedRef.current?.(info);
    };
    es.addEventListener('access-ended', ended as EventListener);
    es.onopen = () => stateRef.current?.(true);
    es.onerror = () => {
      stateRef.current?.(false);
      // A refused reconnect (401/403/404) closes the EventSource for good.
      if (es.readyState === EventSource.CLOSED) endedRef.current?.({ reason: 'refused', message: 'Live updates could not be resumed.' });
    };
    return () => {
      for (const [kind, fn] of listeners) es.removeEventListener(kind, fn as EventListener);
      es.removeEventListener('access-ended', ended as EventListener);
      es.close();
    };
  }, [url]);
}

/** A short two-tone chime for a new alert (Web Audio; silent where audio is blocked). */
export function playAlertChime(level: string): void {
  try {
    const AudioCtx = window.AudioContext ?? (window as unknown as { webkitAudioContext?: typeof AudioContext }).webkitAudioContext;
    if (!AudioCtx) return;
    const ctx = new AudioCtx();
    const tones = level === 'critical' ? [880, 660, 880] : [660, 880];
    tones.forEach((freq, i) => {
      const osc = ctx.createOscillator();
      const gain = ctx.createGain();
      osc.frequency.value = freq;
      gain.gain.value = 0.15;
      osc.connect(gain).connect(ctx.destination);
      osc.start(ctx.currentTime + i * 0.18);
      osc.stop(ctx.currentTime + i * 0.18 + 0.15);
    });
    setTimeout(() => void ctx.close(), 1500);
  } catch {
    // Audio is a courtesy: the visual banner is the alert.
  }
}

export const PHASE_LABELS: Record<string, string> = {
  scheduled: 'Scheduled',
  'checked-in': 'Checked in',
  dosing: 'Dosing',
  monitoring: 'Monitoring',
  recovery: 'Recovery',
  discharged: 'Discharged',
  aborted: 'Aborted',
};

export function minutesSince(iso: string | null, now: number): string {
  if (!iso) return '—';
  const m = Math.max(0, Math.floor((now - Date.parse(iso)) / 60_000));
  return m < 60 ? `${m} min` : `${Math.floor(m / 60)} h ${m % 60} min`;
}

export function formatTime(iso: string, timeZone: string): string {
  return new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', second: '2-digit' }).format(new Date(iso));
}

export function vitalsText(v: { hr: number | null; sbp: number | null; dbp: number | null; spo2: number | null; rr: number | null } | null): string {
  if (!v) return 'No readings yet';
  const parts: string[] = [];
  if (v.sbp !== null || v.dbp !== null) parts.push(`BP ${v.sbp ?? '–'}/${v.dbp ?? '–'}`);
  if (v.hr !== null) parts.push(`HR ${v.hr}`);
  if (v.spo2 !== null) parts.push(`SpO₂ ${v.spo2}%`);
  if (v.rr !== null) parts.push(`RR ${v.rr}`);
  return parts.join(' · ');
}
