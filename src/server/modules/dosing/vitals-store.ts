import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { evaluateVitalReading } from '../../../core/dosing/vital-alerts';
import type { AcceptedReading, RejectedReading } from '../../../core/dosing/vital-batch';
import type { ClinicProtocol } from '../../../core/protocol/clinic-protocol.schema';
import type { VitalsBatchResult } from '../../../core/schemas/dosing.schema';
import type { DB, DosingSessionsTable, SessionAlertsTable, VitalReadingsTable } from '../../db/schema';
import { AppError } from '../../http/errors';
import * as repo from './dosing.repository';
import type { SessionEvent } from './live-events';
import { protocolRevisionAt } from './protocol.service';
import { alertView, readingView } from './session-view';

/**
 * The storing half of vitals ingest: what runs inside the write transaction. It takes no
 * service context (only plain data and an executor) because on SQLite it runs in the
 * writer thread (modules/audit/audit-writer.worker.ts), on PostgreSQL in the main thread's
 * group commit (vitals-writer.ts). Everything in a job is plain data (structured-clonable).
 */

/** States in which readings raise alerts: the patient is in the chair (pre-dose readings feed the check-in gate instead). */
const ALERTING_STATES = new Set(['checked-in', 'dosing', 'monitoring', 'recovery']);
const TERMINAL = new Set(['discharged', 'aborted']);

export interface VitalsBatchJob {
  session: Pick<DosingSessionsTable, 'id' | 'organization_id' | 'protocol_revision'>;
  actorUserId: string;
  idempotencyKey: string;
  /** Valid readings in device-time order. */
  ordered: AcceptedReading[];
  rejected: RejectedReading[];
  /** The request's time: received_at, raised_at, the events' created_at. */
  receivedAt: string;
  /** The latest device time in the batch. */
  maxAt: string;
  source: 'manual' | 'device';
}

export interface VitalsBatchOutcome {
  result: VitalsBatchResult;
  /** Events to publish once the transaction has committed (none for a replay). */
  events: SessionEvent[];
}

/** Queues the fan-out inside the transaction (PostgreSQL NOTIFY); a no-op where the fan-out follows the commit. */
export type NotifyInTransaction = (trx: Kysely<DB>, events: SessionEvent[]) => Promise<void>;

export interface StoreOptions {
  notify: NotifyInTransaction;
  /** Protocol revisions by org and revision (stored revisions never change). */
  protocols: Map<string, ClinicProtocol>;
}

/**
 * Append events to a session's stream inside the caller's transaction: reserve their
 * sequence numbers (this locks the session row on PostgreSQL), store them, queue the notice.
 */
export async function appendSessionEvents(
  trx: Kysely<DB>,
  session: Pick<DosingSessionsTable, 'id' | 'organization_id'>,
  items: { kind: SessionEvent['kind']; data: unknown }[],
  at: string,
  notify: NotifyInTransaction,
): Promise<SessionEvent[]> {
  if (items.length === 0) return [];
  const { last } = await repo.reserveEventSeq(trx, session.id, items.length);
  const first = last - items.length + 1;
  const events: SessionEvent[] = items.map((it, i) => ({
    sessionId: session.id,
    organizationId: session.organization_id,
    seq: first + i,
    kind: it.kind,
    data: it.data,
  }));
  await repo.insertEvents(
    trx,
    events.map((e) => ({ session_id: e.sessionId, seq: e.seq, organization_id: e.organizationId, kind: e.kind, payload: JSON.stringify(e.data), created_at: at })),
  );
  await notify(trx, events);
  return events;
}

/**
 * One batch inside a write transaction: claim the idempotency key (a retry, even a
 * concurrent one, gets the first answer), number and store the readings, raise alerts
 * (one open alert per rule), store the answer with the key. Throws AppError('conflict')
 * for a session that has ended; the caller rolls the batch back alone (a savepoint).
 */
export async function writeVitalBatch(trx: Kysely<DB>, job: VitalsBatchJob, options: StoreOptions): Promise<VitalsBatchOutcome> {
  const { notify } = options;
  const { session, ordered, rejected, receivedAt, maxAt, source, idempotencyKey } = job;
  const sessionId = session.id;
  if (!(await repo.claimBatchKey(trx, sessionId, idempotencyKey, receivedAt))) {
    const stored = await repo.findBatch(trx, sessionId, idempotencyKey);
    return { result: { ...(JSON.parse(stored?.response || '{}') as VitalsBatchResult), replayed: true }, events: [] };
  }
  const bumped = await repo.reserveReadingSeq(trx, sessionId, ordered.length, maxAt);
  if (TERMINAL.has(bumped.state)) throw new AppError('conflict', `The session is ${bumped.state}; it takes no more readings`, { field: 'id' });
  const first = bumped.last - ordered.length + 1;
  const rows: VitalReadingsTable[] = ordered.map((a, i) => ({
    id: randomUUID(),
    organization_id: session.organization_id,
    session_id: sessionId,
    at: new Date(a.at).toISOString(),
    ...a.reading,
    source,
    phase: bumped.state,
    seq: first + i,
    recorded_by: job.actorUserId,
    received_at: receivedAt,
  }));
  await repo.insertReadings(trx, rows);
  const readingEvents: SessionEvent[] = rows.map((r) => ({ sessionId, organizationId: session.organization_id, seq: r.seq, kind: 'reading' as const, data: readingView(r) }));

  const alerts: SessionAlertsTable[] = [];
  if (ALERTING_STATES.has(bumped.state)) {
    // The session's protocol revision (a document of ~20 kB) is loaded here, not carried in
    // the job: copying it to the writer thread with every POST cost more than the write.
    const protocol = await protocolRevisionAt(options.protocols, trx, session.organization_id, session.protocol_revision);
    const candidates = rows.flatMap((r) => evaluateVitalReading(protocol, r).map((a) => ({ a, r })));
    if (candidates.length > 0) {
      // One open alert per rule: a run of high readings is one alert until acknowledged.
      const open = new Set((await repo.openAlertRules(trx, sessionId)).map((x) => x.rule));
      for (const { a, r } of candidates) {
        if (open.has(a.rule)) continue;
        open.add(a.rule);
        alerts.push({
          id: randomUUID(),
          organization_id: session.organization_id,
          session_id: sessionId,
          rule: a.rule,
          level: a.level,
          field: a.field,
          value: a.value,
          threshold: a.threshold,
          message: a.message,
          source: a.source,
          reading_id: r.id,
          dedupe_key: null,
          raised_at: receivedAt,
          escalation_level: 'nurse',
          escalated_at: null,
          status: 'open',
          acknowledged_at: null,
          acknowledged_by: null,
          intervention_enc: null,
        });
      }
      for (const alert of alerts) await repo.insertAlert(trx, alert);
    }
  }
  await notify(trx, readingEvents);
  const alertEvents = await appendSessionEvents(
    trx,
    session,
    alerts.map((a) => ({ kind: 'alert' as const, data: alertView(a, null) })),
    receivedAt,
    notify,
  );
  const result: VitalsBatchResult = {
    idempotencyKey,
    replayed: false,
    accepted: rows.map((r, i) => ({ index: ordered[i]!.index, id: r.id, seq: r.seq })).sort((x, y) => x.index - y.index),
    rejected,
    alerts: alerts.map((a) => alertView(a, null)),
  };
  await repo.saveBatchResponse(trx, sessionId, idempotencyKey, JSON.stringify(result));
  return { result, events: [...readingEvents, ...alertEvents] };
}

/**
 * Entry point for the SQLite writer thread (see SqliteWorkerAuditLog.runJob): the thread
 * calls it inside its transaction, in a savepoint of the job's own. On SQLite the fan-out
 * is in process, after the commit, so nothing is queued here.
 */
const threadOptions: StoreOptions = { notify: async () => undefined, protocols: new Map() };
export function runWriterJob(db: Kysely<DB>, job: VitalsBatchJob): Promise<VitalsBatchOutcome> {
  return writeVitalBatch(db, job, threadOptions);
}
