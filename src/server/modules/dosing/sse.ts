import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema';
import type { DosingContext } from './dosing-context';
import * as repo from './dosing.repository';
import type { LiveNotice, SessionEvent } from './live-events';
import { readingView } from './session-view';

const PAGE = 1000;

export interface EventStream {
  write(chunk: string): void;
  /** Write a last chunk and end the response (the client sees the stream finish). */
  end(chunk?: string): void;
  closed: () => boolean;
  onClose(fn: () => void): void;
  /** Called at every heartbeat while the stream is open. */
  onHeartbeat(fn: () => void): void;
}

/** Open an SSE response on a hijacked reply, with a heartbeat every `heartbeatMs` (config STREAM_HEARTBEAT_MS). */
export function openEventStream(request: FastifyRequest, reply: FastifyReply, heartbeatMs: number): EventStream {
  reply.hijack();
  const raw = reply.raw;
  raw.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-store',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
    'x-content-type-options': 'nosniff',
    'x-request-id': request.id,
  });
  raw.socket?.setNoDelay(true);
  // Tell EventSource how soon to reconnect after a drop.
  raw.write('retry: 2000\n\n');
  let closed = false;
  const handlers: (() => void)[] = [];
  const beats: (() => void)[] = [];
  const heartbeat = setInterval(() => {
    if (closed) return;
    raw.write(': keep-alive\n\n');
    for (const b of beats) b();
  }, heartbeatMs);
  heartbeat.unref();
  const close = () => {
    if (closed) return;
    closed = true;
    clearInterval(heartbeat);
    for (const h of handlers) h();
  };
  request.raw.on('close', close);
  raw.on('close', close);
  raw.on('error', close);
  return {
    write: (chunk) => {
      if (!closed) raw.write(chunk);
    },
    end: (chunk) => {
      if (closed) return;
      close();
      raw.end(chunk);
    },
    closed: () => closed,
    onClose: (fn) => handlers.push(fn),
    onHeartbeat: (fn) => beats.push(fn),
  };
}

export const frame = (e: { seq?: number; kind: string; data: unknown }) =>
  `${e.seq !== undefined ? `id: ${e.seq}\n` : ''}event: ${e.kind}\ndata: ${JSON.stringify(e.data)}\n\n`;

/** Durable events of a session after `afterSeq`, in sequence order (readings and other events merged). */
export async function eventsSince(db: Kysely<DB>, sessionId: string, organizationId: string, afterSeq: number): Promise<SessionEvent[]> {
  const [readings, others] = await Promise.all([repo.readingsAfter(db, sessionId, afterSeq, PAGE), repo.eventsAfter(db, sessionId, afterSeq, PAGE)]);
  const merged: SessionEvent[] = [
    ...readings.map((r) => ({ sessionId, organizationId, seq: Number(r.seq), kind: 'reading' as const, data: readingView(r) })),
    ...others.map((e) => ({ sessionId, organizationId, seq: Number(e.seq), kind: e.kind as SessionEvent['kind'], data: JSON.parse(e.payload) as unknown })),
  ].sort((a, b) => a.seq - b.seq);
  // Both pages are complete up to the smaller of their last seqs; the rest comes next round.
  const limit = Math.min(
    readings.length === PAGE ? Number(readings[PAGE - 1]!.seq) : Number.POSITIVE_INFINITY,
    others.length === PAGE ? Number(others[PAGE - 1]!.seq) : Number.POSITIVE_INFINITY,
  );
  return merged.filter((e) => e.seq <= limit);
}

/** Why a stream was ended by the server (sent as the `access-ended` event). */
export type StreamEndReason = 'break_glass_expired' | 'access_revoked' | 'signed_out' | 'session_gone';

export const STREAM_END_MESSAGES: Record<StreamEndReason, string> = {
  break_glass_expired: 'Your emergency (break-the-glass) access to this patient has ended.',
  access_revoked: 'You no longer have access to this patient’s record.',
  signed_out: 'You have been signed out.',
  session_gone: 'This session no longer exists.',
};

/** The caller's access to a streamed session, re-evaluated while the stream runs. */
export interface StreamAccess {
  /** When a break-the-glass grant ends (epoch ms); null when access does not come from a grant. */
  until: number | null;
  /** Re-evaluate access now: the (possibly renewed) grant expiry while it holds, or why it ended. */
  recheck(): Promise<{ ended: StreamEndReason } | { until: number | null }>;
  /** Told once, when the stream is ended because access ended (to audit it). */
  onEnded(reason: StreamEndReason): void;
}

/** setTimeout's longest delay; a longer grant is re-armed when the timer fires. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Stream a session's events from `afterSeq` on: first the durable backlog (resume after a
 * drop with Last-Event-ID), then live notices. Notices that continue the sequence are sent
 * as they are; a gap (a notice without its events, or one that overtook another) is filled
 * from the database, so nothing is lost and nothing is sent twice.
 *
 * Access is checked at connect (by the route) and then kept true: nothing is sent once a
 * break-the-glass grant's expiry has passed (checked before every send and by a timer set
 * for the expiry, so an idle stream ends on time too), and at every heartbeat the caller's
 * sign-in, the session and the access decision (care team, grant) are read again. When
 * access has ended the stream sends `event: access-ended` with the reason and ends; the
 * client must not reconnect (a reconnect is refused like any other request).
 */
export function streamSession(
  ctx: DosingContext,
  request: FastifyRequest,
  reply: FastifyReply,
  session: { id: string; organization_id: string },
  afterSeq: number,
  access: StreamAccess,
): void {
  const stream = openEventStream(request, reply, ctx.deps.config.streamHeartbeatMs);
  const now = () => ctx.deps.now().getTime();
  let until = access.until;
  let lastSent = afterSeq;
  let chain: Promise<void> = Promise.resolve();
  let expiryTimer: NodeJS.Timeout | null = null;

  const endForAccess = (reason: StreamEndReason) => {
    if (stream.closed()) return;
    stream.end(frame({ kind: 'access-ended', data: { reason, message: STREAM_END_MESSAGES[reason] } }));
    access.onEnded(reason);
  };
  const armExpiry = () => {
    if (expiryTimer) clearTimeout(expiryTimer);
    expiryTimer = null;
    if (until === null || stream.closed()) return;
    expiryTimer = setTimeout(() => enqueue(() => ensureAccess(false)), Math.min(Math.max(until - now(), 0), MAX_TIMER_MS));
    expiryTimer.unref();
  };
  /** True while access holds. `full`: re-read everything; otherwise only when the grant's time is up. */
  const ensureAccess = async (full: boolean): Promise<boolean> => {
    if (stream.closed()) return false;
    if (!full && (until === null || now() < until)) {
      armExpiry();
      return true;
    }
    let result: Awaited<ReturnType<StreamAccess['recheck']>>;
    try {
      result = await access.recheck();
    } catch {
      // Access could not be verified: fail closed. The client reconnects and is checked afresh.
      stream.end();
      return false;
    }
    if ('ended' in result) {
      endForAccess(result.ended);
      return false;
    }
    until = result.until;
    armExpiry();
    return true;
  };

  const send = (events: SessionEvent[]) => {
    let out = '';
    for (const e of events) {
      if (e.seq !== lastSent + 1) continue;
      out += frame(e);
      lastSent = e.seq;
    }
    if (out) stream.write(out);
  };
  const catchUp = async (upTo: number) => {
    while (!stream.closed() && lastSent < upTo) {
      const batch = await eventsSince(ctx.deps.db, session.id, session.organization_id, lastSent);
      if (batch.length === 0 || batch[0]!.seq !== lastSent + 1) break;
      if (!(await ensureAccess(false))) return;
      send(batch);
    }
  };
  const enqueue = (job: () => Promise<unknown>) => {
    chain = chain
      .then(job)
      .then(() => undefined)
      .catch(() => stream.write(': catch-up failed, reconnect\n\n'));
  };
  const unsubscribe = ctx.live.subscribeSession(session.id, (notice: LiveNotice) => {
    enqueue(async () => {
      if (notice.toSeq <= lastSent) return;
      if (notice.events && notice.fromSeq === lastSent + 1) {
        if (await ensureAccess(false)) send(notice.events);
      } else await catchUp(notice.toSeq);
    });
  });
  stream.onHeartbeat(() => enqueue(() => ensureAccess(true)));
  stream.onClose(() => {
    unsubscribe();
    if (expiryTimer) clearTimeout(expiryTimer);
  });
  armExpiry();
  enqueue(() => catchUp(Number.POSITIVE_INFINITY));
}

export function parseLastEventId(request: FastifyRequest, query: { since?: number | undefined }): number {
  const header = request.headers['last-event-id'];
  const raw = typeof header === 'string' && header.trim() !== '' ? header.trim() : query.since !== undefined ? String(query.since) : '0';
  const n = Number(raw);
  return Number.isInteger(n) && n >= 0 ? n : 0;
}
