import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { escalationFor, evaluateReadingGap, evaluateVitalReading, type EscalationLevel } from '../../../core/dosing/vital-alerts';
import { validateVitalBatch, type AcceptedReading, type RejectedReading } from '../../../core/dosing/vital-batch';
import type { ClinicProtocol } from '../../../core/protocol/clinic-protocol.schema';
import type { AlertView, VitalsBatchBody, VitalsBatchResult } from '../../../core/schemas/dosing.schema';
import type { Kysely } from 'kysely';
import type { DB, DosingSessionsTable, SessionAlertsTable, VitalReadingsTable } from '../../db/schema';
import { AppError } from '../../http/errors';
import type { RequestMeta, SessionActor } from '../auth/auth.service';
import type { DosingContext } from './dosing-context';
import * as repo from './dosing.repository';
import type { SessionEvent } from './live-events';
import { protocolAt } from './protocol.service';
import { appendEvents, withSession } from './session-access';
import { alertView, readingView } from './session-view';
import { GroupCommitWriter } from './vitals-writer';

/** States in which readings raise alerts: the patient is in the chair (pre-dose readings feed the check-in gate instead). */
const ALERTING_STATES = new Set(['checked-in', 'dosing', 'monitoring', 'recovery']);
const TERMINAL = new Set(['discharged', 'aborted']);

/**
 * Ingest a batch of readings. Idempotent by (session, idempotencyKey): the first
 * response is stored with the batch and returned again to any retry. Each reading is
 * validated on its own; invalid ones are rejected by index and field, the rest stored in
 * one transaction with their event sequence numbers, alerts raised at once.
 */
export function ingestVitals(ctx: DosingContext, actor: SessionActor, sessionId: string, body: VitalsBatchBody, meta: RequestMeta): Promise<VitalsBatchResult> {
  const { deps } = ctx;
  return withSession(
    ctx,
    actor,
    sessionId,
    'write',
    meta,
    async (session) => {
      const now = deps.now();
      const { accepted, rejected } = validateVitalBatch(body.readings, now.getTime());
      if (accepted.length === 0) {
        const stored = await repo.findBatch(deps.db, sessionId, body.idempotencyKey);
        if (stored?.response) return { ...(JSON.parse(stored.response) as VitalsBatchResult), replayed: true };
        const details = rejected.map((r) => ({ field: `readings.${r.index}.${r.field}`, message: r.message }));
        throw new AppError('validation', `No reading was valid: ${details.slice(0, 3).map((d) => `${d.field}: ${d.message}`).join(' ')}`, {
          field: details[0]!.field,
          details,
        });
      }
      const protocol = await protocolAt(ctx, deps.db, session.organization_id, session.protocol_revision);
      const source = body.source ?? 'device';
      const receivedAt = now.toISOString();
      // Same-batch readings enter the stream in device-time order.
      const ordered = [...accepted].sort((a, b) => a.at - b.at || a.index - b.index);
      const maxAt = new Date(ordered[ordered.length - 1]!.at).toISOString();

      return writerFor(ctx).submit({ session, actor, body, protocol, ordered, rejected, receivedAt, maxAt, source });
    },
    { idempotencyKey: body.idempotencyKey, readings: body.readings.length },
  );
}


const writers = new WeakMap<DosingContext, GroupCommitWriter<BatchJob, VitalsBatchResult>>();
function writerFor(ctx: DosingContext): GroupCommitWriter<BatchJob, VitalsBatchResult> {
  let w = writers.get(ctx);
  if (!w) {
    w = new GroupCommitWriter(ctx.deps.db, ctx.live, (trx, job) => writeBatch(ctx, trx, job));
    writers.set(ctx, w);
  }
  return w;
}

interface BatchJob {
  session: DosingSessionsTable;
  actor: SessionActor;
  body: VitalsBatchBody;
  protocol: ClinicProtocol;
  ordered: AcceptedReading[];
  rejected: RejectedReading[];
  receivedAt: string;
  maxAt: string;
  source: 'manual' | 'device';
}

/** One batch inside the group's transaction: claim the key, number and store the readings, raise alerts. */
async function writeBatch(ctx: DosingContext, trx: Kysely<DB>, job: BatchJob): Promise<{ result: VitalsBatchResult; events: SessionEvent[] }> {
  const { session, actor, body, protocol, ordered, rejected, receivedAt, maxAt, source } = job;
  const sessionId = session.id;
  let events: SessionEvent[] = [];
  const result = await (async (): Promise<VitalsBatchResult> => {
    if (!(await repo.claimBatchKey(trx, sessionId, body.idempotencyKey, receivedAt))) {
      const stored = await repo.findBatch(trx, sessionId, body.idempotencyKey);
      return { ...(JSON.parse(stored?.response || '{}') as VitalsBatchResult), replayed: true };
    }
    const bumped = await trx
      .updateTable('dosing_sessions')
      .set((eb) => ({
        event_seq: eb('event_seq', '+', ordered.length),
        last_reading_at: sql<string>`case when last_reading_at is null or last_reading_at < ${maxAt} then ${maxAt} else last_reading_at end`,
      }))
      .where('id', '=', sessionId)
      .returning(['event_seq', 'state'])
      .executeTakeFirstOrThrow();
    if (TERMINAL.has(bumped.state)) throw new AppError('conflict', `The session is ${bumped.state}; it takes no more readings`, { field: 'id' });
    const first = Number(bumped.event_seq) - ordered.length + 1;
    const rows: VitalReadingsTable[] = ordered.map((a, i) => ({
      id: randomUUID(),
      organization_id: session.organization_id,
      session_id: sessionId,
      at: new Date(a.at).toISOString(),
      ...a.reading,
      source,
      phase: bumped.state,
      seq: first + i,
      recorded_by: actor.userId,
      received_at: receivedAt,
    }));
    await repo.insertReadings(trx, rows);
    events = rows.map((r) => ({ sessionId, organizationId: session.organization_id, seq: r.seq, kind: 'reading' as const, data: readingView(r) }));

    const alerts: SessionAlertsTable[] = [];
    if (ALERTING_STATES.has(bumped.state)) {
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
    await ctx.live.notifyInTransaction(trx, events);
    const alertEvents = await appendEvents(
      ctx,
      trx,
      session,
      alerts.map((a) => ({ kind: 'alert' as const, data: alertView(a, null) })),
    );
    events = [...events, ...alertEvents];
    const response: VitalsBatchResult = {
      idempotencyKey: body.idempotencyKey,
      replayed: false,
      accepted: rows.map((r, i) => ({ index: ordered[i]!.index, id: r.id, seq: r.seq })).sort((x, y) => x.index - y.index),
      rejected,
      alerts: alerts.map((a) => alertView(a, null)),
    };
    await repo.saveBatchResponse(trx, sessionId, body.idempotencyKey, JSON.stringify(response));
    return response;
  })();
  return { result, events };
}

export function listVitals(ctx: DosingContext, actor: SessionActor, sessionId: string, meta: RequestMeta) {
  const { deps } = ctx;
  return withSession(ctx, actor, sessionId, 'read', meta, async () => {
    const [rows, s] = await Promise.all([repo.listReadings(deps.db, sessionId), repo.findSessionById(deps.db, sessionId)]);
    return { items: rows.map(readingView), eventSeq: Number(s?.event_seq ?? 0) };
  });
}

export function listSessionAlerts(ctx: DosingContext, actor: SessionActor, sessionId: string, meta: RequestMeta): Promise<{ items: AlertView[] }> {
  const { deps } = ctx;
  return withSession(ctx, actor, sessionId, 'read', meta, async () => ({
    items: (await repo.listAlerts(deps.db, sessionId)).map((a) => alertView(a, ctx.cipher)),
  }));
}

export function acknowledgeAlert(ctx: DosingContext, actor: SessionActor, sessionId: string, alertId: string, intervention: string, meta: RequestMeta): Promise<AlertView> {
  const { deps } = ctx;
  return withSession(
    ctx,
    actor,
    sessionId,
    'write',
    meta,
    async (session) => {
      const text = intervention.trim();
      if (!text) throw new AppError('validation', 'Describe the intervention taken', { field: 'intervention' });
      const at = deps.now().toISOString();
      let events: SessionEvent[] = [];
      await deps.db.transaction().execute(async (trx) => {
        const alert = await repo.findAlert(trx, sessionId, alertId);
        if (!alert) throw new AppError('not_found', 'Alert not found', { field: 'itemId' });
        if (alert.status !== 'open') throw new AppError('conflict', 'The alert is already acknowledged', { field: 'itemId' });
        const ok = await repo.acknowledgeAlert(trx, alertId, actor.userId, at, ctx.cipher.encrypt(text, `session_alerts.intervention:${alertId}`));
        if (!ok) throw new AppError('conflict', 'The alert is already acknowledged', { field: 'itemId' });
        const updated = await repo.findAlert(trx, sessionId, alertId);
        events = await appendEvents(ctx, trx, session, [{ kind: 'alert-updated', data: alertView(updated!, null) }]);
      });
      ctx.live.publishCommitted(events);
      const fresh = await repo.findAlert(deps.db, sessionId, alertId);
      return alertView(fresh!, ctx.cipher);
    },
    { alertId },
  );
}

// ---- periodic job: escalation and "no reading for N minutes" ----

const RANK: Record<EscalationLevel, number> = { nurse: 0, prescriber: 1, admin: 2 };

/**
 * One pass of the dosing job. Safe to run on every instance at once: escalation is a
 * compare-and-set on the alert's level, and a gap alert carries a unique dedupe key, so
 * each step happens once. Uses deps.now(), so tests drive it with the test clock.
 */
export async function runDosingJobsOnce(ctx: DosingContext): Promise<{ escalated: number; gapAlerts: number }> {
  const { deps } = ctx;
  const now = deps.now();
  const at = now.toISOString();
  let escalated = 0;
  let gapAlerts = 0;
  const published: SessionEvent[] = [];
  let mail = false;

  for (const a of await repo.listOpenAlertsEverywhere(deps.db, 1000)) {
    const protocol = await protocolAt(ctx, deps.db, a.organization_id, a.protocol_revision);
    const target = escalationFor(protocol, Date.parse(a.raised_at), now.getTime()).level;
    if (RANK[target] <= RANK[a.escalation_level]) continue;
    await deps.db.transaction().execute(async (trx) => {
      if (!(await repo.escalateAlert(trx, a.id, a.escalation_level, target as 'prescriber' | 'admin', at))) return;
      escalated++;
      const alert = await repo.findAlert(trx, a.session_id, a.id);
      published.push(...(await appendEvents(ctx, trx, { id: a.session_id, organization_id: a.organization_id }, [{ kind: 'alert-updated', data: alertView(alert!, null) }])));
      // Who is told: the patient's prescribers, then the clinic admins. The email carries no clinical detail.
      const recipients =
        target === 'prescriber' ? await repo.careTeamOfRole(trx, a.patient_id, 'prescriber') : await repo.findStaffByRole(trx, a.organization_id, ['clinic_admin', 'prescriber']);
      for (const r of recipients) {
        mail = true;
        await deps.outbox.enqueue(trx, {
          organizationId: a.organization_id,
          kind: 'dosing-alert-escalation',
          to: r.email,
          subject: 'A dosing-session alert needs attention',
          text: `An alert in a dosing session has not been acknowledged for some time and is now escalated to you (${target}).\nOpen the clinic board in Threshold to see it.`,
        });
      }
    });
  }

  for (const s of await repo.listMonitoredSessions(deps.db, 1000)) {
    const protocol = await protocolAt(ctx, deps.db, s.organization_id, s.protocol_revision);
    const startedAt = s.dosing_started_at ?? s.checked_in_at ?? at;
    const gap = evaluateReadingGap(protocol, s.last_reading_at ? Date.parse(s.last_reading_at) : null, Date.parse(startedAt), now.getTime());
    if (!gap) continue;
    await deps.db.transaction().execute(async (trx) => {
      const alert: SessionAlertsTable = {
        id: randomUUID(),
        organization_id: s.organization_id,
        session_id: s.id,
        rule: gap.rule,
        level: gap.level,
        field: null,
        value: null,
        threshold: gap.threshold,
        message: gap.message,
        source: gap.source,
        reading_id: null,
        // One gap alert per silence: keyed by the last reading (or the start) it counts from.
        dedupe_key: `no-reading:${s.id}:${s.last_reading_at ?? `start:${startedAt}`}`,
        raised_at: at,
        escalation_level: 'nurse',
        escalated_at: null,
        status: 'open',
        acknowledged_at: null,
        acknowledged_by: null,
        intervention_enc: null,
      };
      if (!(await repo.insertAlert(trx, alert))) return;
      gapAlerts++;
      published.push(...(await appendEvents(ctx, trx, { id: s.id, organization_id: s.organization_id }, [{ kind: 'alert', data: alertView(alert, null) }])));
    });
  }
  ctx.live.publishCommitted(published);
  if (mail) deps.outbox.nudge();
  return { escalated, gapAlerts };
}

/** Runs the job every `intervalMs` until stopped; errors are logged and the next pass tries again. */
export function startDosingJobs(ctx: DosingContext, log: { error(obj: unknown, msg: string): void }, intervalMs = 10_000): () => Promise<void> {
  let running: Promise<unknown> | null = null;
  const timer = setInterval(() => {
    if (running) return;
    running = runDosingJobsOnce(ctx)
      .catch((error: unknown) => log.error({ err: error }, 'dosing job failed'))
      .finally(() => {
        running = null;
      });
  }, intervalMs);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await running;
  };
}
