import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { isClinicalRole } from '../../../core/access/roles';
import { allItems } from '../../../core/instruments/instrument-definition.schema';
import type { AcknowledgeAlertBody, AlertList, AlertListQuery, SafetyAlert } from '../../../core/schemas/intake.schema';
import type { DB } from '../../db/schema';
import type { Deps } from '../../deps';
import { AppError } from '../../http/errors';
import { withPatientAccess } from '../access/patient-access';
import type { RequestMeta, SessionActor } from '../auth/auth.service';
import { definitionById } from './instrument-catalog';
import { DEFAULT_ALERT_ESCALATION_MINUTES } from './intake-settings';
import * as repo from './intake.repository';
import { answerLabel, cipherOf } from './responses.service';

export const followUpContext = (alertId: string) => `safety_alerts.follow_up:${alertId}`;

function patientName(r: { legal_given_name: string; legal_family_name: string; preferred_name: string | null }): string {
  return r.preferred_name ? `${r.preferred_name} ${r.legal_family_name} (${r.legal_given_name})` : `${r.legal_given_name} ${r.legal_family_name}`;
}

/** The care team's view: the alert with its clinical detail. */
export async function toClinicalAlert(deps: Deps, db: Kysely<DB>, r: repo.AlertListRow): Promise<SafetyAlert> {
  const def = r.definition_id ? await definitionById(db, r.definition_id) : null;
  const item = def ? allItems(def).find((i) => i.id === r.item_id) : undefined;
  const critical = def?.criticalItems?.find((c) => c.itemId === r.item_id);
  return {
    id: r.id,
    patientId: r.patient_id,
    patientName: patientName(r),
    priority: 'high',
    status: r.status,
    raisedAt: r.raised_at,
    escalatedAt: r.escalated_at,
    instrument: def?.title ?? r.instrument_code,
    itemId: r.item_id,
    itemText: item?.text ?? r.item_id,
    answerLabel: def ? answerLabel(def, r.item_id, r.answer_value) : String(r.answer_value),
    reason: critical?.reason ?? 'Critical answer',
    acknowledgedAt: r.acknowledged_at,
    acknowledgedByName: r.acknowledged_by_name,
    followUp: r.follow_up_enc ? cipherOf(deps).decrypt(r.follow_up_enc, followUpContext(r.id)) : null,
  };
}

/**
 * Clinicians see alerts of their care team's patients (with detail). The clinic admin —
 * who has no clinical access — sees only escalated alerts: who, when, and that no one has
 * acknowledged it, so they can get a clinician onto it. Front desk and patients: 403.
 * One audit row per patient whose alert left the server.
 */
export async function listAlerts(deps: Deps, actor: SessionActor, query: AlertListQuery, meta: RequestMeta): Promise<AlertList> {
  const status = query.status ?? 'open';
  const nowIso = deps.now().toISOString();
  let view: AlertList['view'];
  let items: SafetyAlert[];
  if (isClinicalRole(actor.role)) {
    view = 'care_team';
    const rows = await repo.listAlerts(deps.db, {
      organizationId: actor.organizationId,
      status,
      ...(query.patientId ? { patientId: query.patientId } : {}),
      careTeamOf: { userId: actor.userId, nowIso },
    });
    items = await Promise.all(rows.map((r) => toClinicalAlert(deps, deps.db, r)));
  } else if (actor.role === 'clinic_admin') {
    view = 'escalations';
    const rows = await repo.listAlerts(deps.db, {
      organizationId: actor.organizationId,
      status,
      ...(query.patientId ? { patientId: query.patientId } : {}),
      onlyEscalated: true,
    });
    items = rows.map((r) => ({
      id: r.id,
      patientId: r.patient_id,
      patientName: patientName(r),
      priority: 'high',
      status: r.status,
      raisedAt: r.raised_at,
      escalatedAt: r.escalated_at,
      acknowledgedAt: r.acknowledged_at,
      acknowledgedByName: r.acknowledged_by_name,
    }));
  } else {
    await deps.audit.record({
      organizationId: actor.organizationId,
      actorUserId: actor.userId,
      actorRole: actor.role,
      patientId: null,
      resource: 'patient.safety_alerts',
      action: 'list',
      outcome: 'denied',
      ip: meta.ip,
      requestId: meta.requestId,
      detail: { reason: 'role_has_no_clinical_access' },
    });
    throw new AppError('forbidden', 'Your role does not give access to safety alerts');
  }
  const patients = [...new Set(items.map((i) => i.patientId))];
  await Promise.all(
    patients.map((patientId) =>
      deps.audit.record({
        organizationId: actor.organizationId,
        actorUserId: actor.userId,
        actorRole: actor.role,
        patientId,
        resource: view === 'care_team' ? 'patient.clinical' : 'patient.safety_alert_escalation',
        action: 'list',
        outcome: 'allowed',
        ip: meta.ip,
        requestId: meta.requestId,
        detail: { view: 'alerts', alertIds: items.filter((i) => i.patientId === patientId).map((i) => i.id) },
      }),
    ),
  );
  return { items, view };
}

/** A clinician on the care team acknowledges the alert and records the follow-up taken. */
export async function acknowledgeAlert(deps: Deps, actor: SessionActor, alertId: string, body: AcknowledgeAlertBody, meta: RequestMeta): Promise<SafetyAlert> {
  const alert = await repo.findAlertById(deps.db, alertId);
  if (!alert || alert.organization_id !== actor.organizationId) throw new AppError('not_found', 'Alert not found');
  if (!isClinicalRole(actor.role)) {
    await deps.audit.record({
      organizationId: actor.organizationId,
      actorUserId: actor.userId,
      actorRole: actor.role,
      patientId: alert.patient_id,
      resource: 'patient.clinical',
      action: 'write',
      outcome: 'denied',
      ip: meta.ip,
      requestId: meta.requestId,
      detail: { alertId, reason: 'only_clinicians_acknowledge' },
    });
    throw new AppError('forbidden', 'Only a clinician on the care team can acknowledge a safety alert');
  }
  const followUp = body.followUp.trim();
  if (followUp.length < 10) throw new AppError('validation', 'Describe the follow-up taken (at least 10 characters)', { field: 'followUp' });
  return withPatientAccess(
    deps,
    actor,
    alert.patient_id,
    'clinical',
    'write',
    meta,
    async () => {
      const at = deps.now().toISOString();
      const changed = await repo.acknowledgeAlert(deps.db, alertId, actor.userId, at, cipherOf(deps).encrypt(followUp, followUpContext(alertId)));
      if (changed !== 1) throw new AppError('conflict', 'This alert was already acknowledged', { field: 'alertId' });
      const rows = await repo.listAlerts(deps.db, { organizationId: actor.organizationId, status: 'all', patientId: alert.patient_id });
      const row = rows.find((r) => r.id === alertId)!;
      return toClinicalAlert(deps, deps.db, row);
    },
    { alertId, action: 'acknowledge_alert' },
  );
}

/**
 * Escalation of unacknowledged alerts to the clinic admins, run periodically by every
 * instance. Safe with several instances: an alert is escalated by whichever instance's
 * conditional UPDATE (open, not yet escalated) succeeds; the e-mail is enqueued in the same
 * transaction, so it is sent exactly once. The delay is each clinic's setting.
 */
export class AlertEscalationJob {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<number> | null = null;
  private readonly instanceId = randomUUID();

  constructor(
    private readonly deps: Deps,
    private readonly intervalMs = 60_000,
  ) {}

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      void this.runOnce().catch(() => undefined);
    }, this.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    if (this.running) await this.running.catch(() => undefined);
  }

  /** One pass; returns how many alerts this instance escalated. */
  runOnce(): Promise<number> {
    this.running ??= this.pass().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async pass(): Promise<number> {
    const { deps } = this;
    const now = deps.now();
    const nowIso = now.toISOString();
    // The smallest allowed setting is 5 minutes: anything newer cannot be due.
    const candidates = await repo.findEscalationCandidates(deps.db, new Date(now.getTime() - 5 * 60_000).toISOString());
    let escalated = 0;
    for (const c of candidates) {
      const minutes = c.alert_escalation_minutes ?? DEFAULT_ALERT_ESCALATION_MINUTES;
      if (Date.parse(c.raised_at) + minutes * 60_000 > now.getTime()) continue;
      const claimed = await deps.db.transaction().execute(async (trx) => {
        if (!(await repo.claimEscalation(trx, c.id, nowIso, this.instanceId))) return false;
        const admins = await repo.findActiveAdmins(trx, c.organization_id);
        for (const admin of admins) {
          await deps.outbox.enqueue(trx, {
            organizationId: c.organization_id,
            kind: 'safety-alert-escalation',
            to: admin.email,
            subject: 'Threshold: a high-priority alert has not been acknowledged',
            text: [
              `A high-priority safety alert has not been acknowledged by the care team within ${minutes} minutes.`,
              '',
              `Please sign in to Threshold to see which care team needs to respond: ${deps.config.publicUrl}/staff/alerts`,
              '',
              'For privacy, this message contains no patient details.',
            ].join('\n'),
          });
        }
        return true;
      });
      if (!claimed) continue;
      escalated += 1;
      await deps.audit.record({
        organizationId: c.organization_id,
        actorUserId: null,
        actorRole: 'system',
        patientId: c.patient_id,
        resource: 'patient.safety_alert',
        action: 'escalate',
        outcome: 'allowed',
        detail: { alertId: c.id, afterMinutes: minutes },
      });
    }
    if (escalated > 0) deps.outbox.nudge();
    return escalated;
  }
}
