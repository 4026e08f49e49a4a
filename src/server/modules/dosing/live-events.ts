import { EventEmitter } from 'node:events';
import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type pg from 'pg';
import type { Database } from '../../db/database';
import type { DB } from '../../db/schema';

/**
 * One event of a dosing session's stream. `seq` is durable (stored with the reading or
 * in session_events) and numbers the session's events 1, 2, 3… — the SSE event id.
 */
export interface SessionEvent {
  sessionId: string;
  organizationId: string;
  seq: number;
  kind: 'reading' | 'alert' | 'alert-updated' | 'state' | 'administration' | 'session-created';
  data: unknown;
}

/** What subscribers get: the events committed together, or only their range when too big to carry. */
export interface LiveNotice {
  sessionId: string;
  organizationId: string;
  fromSeq: number;
  toSeq: number;
  events: SessionEvent[] | null;
}

const CHANNEL = 'threshold_dosing_events';
/** PostgreSQL NOTIFY payloads must stay below 8000 bytes. */
const MAX_NOTIFY_BYTES = 7500;

/**
 * Fan-out of committed session events to live subscribers (SSE connections).
 * - SQLite (one process): an in-process emitter, published right after the commit.
 * - PostgreSQL (several instances): `pg_notify` inside the writing transaction, so the
 *   notice goes out exactly when (and only if) the data commits, to every instance
 *   LISTENing, this one included.
 * Subscribers never trust a notice alone for completeness: on a gap they read the
 * durable events from the database (see sse.ts).
 */
export class LiveEvents {
  private readonly emitter = new EventEmitter();
  private listener: pg.PoolClient | null = null;
  /** Releases the current listener exactly once (an error after close, or two errors, must not release twice). */
  private releaseListener: ((destroy: boolean) => void) | null = null;
  private closed = false;

  constructor(private readonly database: Database) {
    this.emitter.setMaxListeners(0);
  }

  get usesNotify(): boolean {
    return this.database.dialect === 'postgres';
  }

  async start(): Promise<void> {
    if (!this.database.pgPool || this.listener || this.closed) return;
    await this.connectListener();
  }

  private async connectListener(): Promise<void> {
    const pool = this.database.pgPool;
    if (!pool || this.closed) return;
    const client = await pool.connect();
    let released = false;
    const release = (destroy: boolean) => {
      if (released) return;
      released = true;
      client.release(destroy);
    };
    this.listener = client;
    this.releaseListener = release;
    client.on('notification', (msg) => {
      if (msg.channel !== CHANNEL || !msg.payload) return;
      try {
        this.dispatch(JSON.parse(msg.payload) as LiveNotice);
      } catch {
        // A malformed notice is ignored; subscribers catch up from the database on the next one.
      }
    });
    client.on('error', () => {
      // The connection died (restart, failover): release it and listen again.
      release(true);
      if (this.listener === client) {
        this.listener = null;
        this.releaseListener = null;
      }
      if (!this.closed) setTimeout(() => void this.connectListener().catch(() => undefined), 500);
    });
    await client.query(`LISTEN ${CHANNEL}`);
  }

  /** Inside the writing transaction (PostgreSQL): queue the notice to go out at commit. */
  async notifyInTransaction(trx: Kysely<DB>, events: SessionEvent[]): Promise<void> {
    if (!this.usesNotify || events.length === 0) return;
    for (const notice of noticesOf(events)) {
      await sql`select pg_notify(${CHANNEL}, ${JSON.stringify(notice)})`.execute(trx);
    }
  }

  /** After the commit (SQLite): deliver in process. On PostgreSQL the NOTIFY does it. */
  publishCommitted(events: SessionEvent[]): void {
    if (this.usesNotify || events.length === 0) return;
    for (const notice of noticesOf(events, Number.POSITIVE_INFINITY)) this.dispatch(notice);
  }

  private dispatch(notice: LiveNotice): void {
    this.emitter.emit(`s:${notice.sessionId}`, notice);
    this.emitter.emit(`o:${notice.organizationId}`, notice);
  }

  subscribeSession(sessionId: string, fn: (n: LiveNotice) => void): () => void {
    this.emitter.on(`s:${sessionId}`, fn);
    return () => this.emitter.off(`s:${sessionId}`, fn);
  }

  subscribeOrganization(organizationId: string, fn: (n: LiveNotice) => void): () => void {
    this.emitter.on(`o:${organizationId}`, fn);
    return () => this.emitter.off(`o:${organizationId}`, fn);
  }

  async close(): Promise<void> {
    this.closed = true;
    const l = this.listener;
    const release = this.releaseListener;
    this.listener = null;
    this.releaseListener = null;
    if (l) {
      try {
        await l.query(`UNLISTEN ${CHANNEL}`);
      } catch {
        // closing anyway
      }
      release?.(false);
    }
    this.emitter.removeAllListeners();
  }
}

/** Group events by session into notices; a notice too big for NOTIFY carries only its range. */
function noticesOf(events: SessionEvent[], maxBytes = MAX_NOTIFY_BYTES): LiveNotice[] {
  const bySession = new Map<string, SessionEvent[]>();
  for (const e of events) {
    const list = bySession.get(e.sessionId);
    if (list) list.push(e);
    else bySession.set(e.sessionId, [e]);
  }
  const out: LiveNotice[] = [];
  for (const list of bySession.values()) {
    list.sort((a, b) => a.seq - b.seq);
    const first = list[0]!;
    const notice: LiveNotice = {
      sessionId: first.sessionId,
      organizationId: first.organizationId,
      fromSeq: first.seq,
      toSeq: list[list.length - 1]!.seq,
      events: list,
    };
    if (maxBytes !== Number.POSITIVE_INFINITY && Buffer.byteLength(JSON.stringify(notice)) > maxBytes) notice.events = null;
    out.push(notice);
  }
  return out;
}
