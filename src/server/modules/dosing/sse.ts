import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema';
import type { DosingContext } from './dosing-context';
import * as repo from './dosing.repository';
import type { LiveNotice, SessionEvent } from './live-events';
import { readingView } from './session-view';

const HEARTBEAT_MS = 15_000;
const PAGE = 1000;

/** Open an SSE response on a hijacked reply. */
export function openEventStream(request: FastifyRequest, reply: FastifyReply): { write(chunk: string): void; closed: () => boolean; onClose(fn: () => void): void } {
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
  const heartbeat = setInterval(() => {
    if (!closed) raw.write(': keep-alive\n\n');
  }, HEARTBEAT_MS);
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
    closed: () => closed,
    onClose: (fn) => handlers.push(fn),
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

/**
 * Stream a session's events from `afterSeq` on: first the durable backlog (resume after a
 * drop with Last-Event-ID), then live notices. Notices that continue the sequence are sent
 * as they are; a gap (a notice without its events, or one that overtook another) is filled
 * from the database, so nothing is lost and nothing is sent twice.
 */
export function streamSession(ctx: DosingContext, request: FastifyRequest, reply: FastifyReply, session: { id: string; organization_id: string }, afterSeq: number): void {
  const stream = openEventStream(request, reply);
  let lastSent = afterSeq;
  let chain: Promise<void> = Promise.resolve();
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
      send(batch);
    }
  };
  const enqueue = (job: () => Promise<void>) => {
    chain = chain.then(job).catch(() => stream.write(': catch-up failed, reconnect\n\n'));
  };
  const unsubscribe = ctx.live.subscribeSession(session.id, (notice: LiveNotice) => {
    enqueue(async () => {
      if (notice.toSeq <= lastSent) return;
      if (notice.events && notice.fromSeq === lastSent + 1) send(notice.events);
      else await catchUp(notice.toSeq);
    });
  });
  stream.onClose(unsubscribe);
  enqueue(() => catchUp(Number.POSITIVE_INFINITY));
}

export function parseLastEventId(request: FastifyRequest, query: { since?: number | undefined }): number {
  const header = request.headers['last-event-id'];
  const raw = typeof header === 'string' && header.trim() !== '' ? header.trim() : query.since !== undefined ? String(query.since) : '0';
  const n = Number(raw);
  return Number.isInteger(n) && n >= 0 ? n : 0;
}
