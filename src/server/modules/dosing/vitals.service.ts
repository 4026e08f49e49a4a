import { randomUUID } from 'node:crypto';
import { escalationFor, evaluateReadingGap, type EscalationLevel } from '../../../core/dosing/vital-alerts';
import { validateVitalBatch } from '../../../core/dosing/vital-batch';
import type { AlertView, VitalsBatchBody, VitalsBatchResult } from '../../../core/schemas/dosing.schema';
import type { SessionAlertsTable } from '../../db/schema';
import { AppError } from '../../http/errors';
import type { RequestMeta, SessionActor } from '../auth/auth.service';
import type { DosingContext } from './dosing-context';
import * as repo from './dosing.repository';
import type { SessionEvent } from './live-events';
import { protocolAt } from './protocol.service';
import { appendEvents, withSession } from './session-access';
import { alertView, readingView } from './session-view';
import { createVitalsWriter, type VitalsWriter } from './vitals-writer';

/**
 * Ingest a batch of readings. Idempotent by (session, idempotencyKey): the first
 * response is stored with the batch and returned again to any retry. Each reading is
 * validated on its own; invalid ones are rejected by index and field, the rest stored in
 * one transaction with their event sequence numbers, alerts raised at once
 * (vitals-store.ts), committed by the writer (vitals-writer.ts) before the answer.
 */
export function ingestVitals(ctx: DosingContext, actor: SessionActor, sessionId: string, body: VitalsBatchBody, meta: RequestMeta): Promise<VitalsBatchResult> {
  const { deps } = ctx;
  return withSession(
    ctx,
    actor,
    sessionId,
    'write',
    meta,
    async (session, _grant, writeAudit) => {
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
      // Same-batch readings enter the stream in device-time order.
      const ordered = [...accepted].sort((a, b) => a.at - b.at || a.index - b.index);
      return writerFor(ctx).submit(writeAudit, {
        session: { id: session.id, organization_id: session.organization_id, protocol_revision: session.protocol_revision },
        actorUserId: actor.userId,
        idempotencyKey: body.idempotencyKey,
        ordered,
        rejected,
        receivedAt: now.toISOString(),
        maxAt: new Date(ordered[ordered.length - 1]!.at).toISOString(),
        source: body.source ?? 'device',
      });
    },
    { idempotencyKey: body.idempotencyKey, readings: body.readings.length },
  );
}

const writers = new WeakMap<DosingContext, VitalsWriter>();
function writerFor(ctx: DosingContext): VitalsWriter {
  let w = writers.get(ctx);
  if (!w) {
    w = createVitalsWriter(ctx);
    writers.set(ctx, w);
  }
  return w;
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
