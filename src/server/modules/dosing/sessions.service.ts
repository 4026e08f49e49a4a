import { createHash, randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { DateTime } from 'luxon';
import { aftercareMessage } from '../../../core/dosing/aftercare';
import { calculateDose, type DoseCalculation } from '../../../core/dosing/calculate-dose';
import { evaluateCheckInGate, type GateDecision } from '../../../core/dosing/check-in-gate';
import { evaluateDischarge, type DischargeDecision } from '../../../core/dosing/discharge';
import { evaluateTransition, type SessionState, type TransitionContext, type TransitionDecision } from '../../../core/dosing/session-lifecycle';
import { minimumObservationMinutes, type RouteId } from '../../../core/protocol/clinic-protocol.schema';
import type {
  AdministrationBody,
  CheckInFactsBody,
  CreateSessionBody,
  DischargeAssessmentBody,
  DoseRequestBody,
  SessionNoteContent,
  SessionNoteView,
  SessionView,
  TransitionBody,
  WasteBody,
} from '../../../core/schemas/dosing.schema';
import type { DB, DosingSessionsTable } from '../../db/schema';
import { AppError } from '../../http/errors';
import { withPatientAccess } from '../access/patient-access';
import type { RequestMeta, SessionActor } from '../auth/auth.service';
import { gatherCheckInFacts, readingOf } from './check-in-facts';
import type { DosingContext } from './dosing-context';
import * as repo from './dosing.repository';
import type { SessionEvent } from './live-events';
import { currentProtocol, protocolAt } from './protocol.service';
import { appendEvents, withSession } from './session-access';
import { loadSessionView } from './session-view';

/** A blocked transition: 409 with the pure rules' decision (reasons, overridable). */
export class TransitionBlockedError extends AppError {
  constructor(readonly decision: TransitionDecision) {
    super('conflict', `The session cannot go from ${decision.from} to ${decision.to}: ${decision.reasons.map((r) => r.message).join(' ')}`, {
      field: 'to',
    });
  }
}

const enc = (ctx: DosingContext, text: string | null | undefined, where: string) => ctx.cipher.encryptNullable(text?.trim() || null, where);

async function clinicZone(db: Kysely<DB>, organizationId: string): Promise<string> {
  return (await repo.findOrganization(db, organizationId))?.time_zone ?? 'UTC';
}

// ---- create / read ----

export async function createSession(ctx: DosingContext, actor: SessionActor, body: CreateSessionBody, meta: RequestMeta): Promise<SessionView> {
  const { deps } = ctx;
  const appointment = await repo.findAppointment(deps.db, body.appointmentId);
  if (!appointment || appointment.organization_id !== actor.organizationId) {
    throw new AppError('not_found', 'Appointment not found', { field: 'appointmentId' });
  }
  if (!appointment.patient_id) throw new AppError('validation', 'The appointment has no patient', { field: 'appointmentId' });
  const patientId = appointment.patient_id;
  return withPatientAccess(
    deps,
    actor,
    patientId,
    'clinical',
    'write',
    meta,
    async () => {
      if (actor.role !== 'nurse' && actor.role !== 'prescriber') throw new AppError('forbidden', 'A nurse or prescriber opens a dosing session');
      if (appointment.kind !== 'dosing') throw new AppError('validation', `The appointment is a ${appointment.kind} appointment, not a dosing session`, { field: 'appointmentId' });
      if (appointment.status === 'cancelled' || appointment.status === 'no_show') {
        throw new AppError('conflict', `The appointment is ${appointment.status.replace('_', '-')}`, { field: 'appointmentId' });
      }
      const existing = await repo.findSessionByAppointment(deps.db, appointment.id);
      if (existing) throw new AppError('conflict', 'A session for this appointment already exists', { field: 'appointmentId' });
      const { revision } = await currentProtocol(deps.db, actor.organizationId);
      const id = randomUUID();
      const at = deps.now().toISOString();
      let events: SessionEvent[] = [];
      await deps.db.transaction().execute(async (trx) => {
        const inserted = await repo.insertSession(trx, {
          id,
          organization_id: actor.organizationId,
          patient_id: patientId,
          appointment_id: appointment.id,
          room_id: appointment.room_id,
          state: 'scheduled',
          protocol_revision: revision,
          event_seq: 0,
          pregnancy_status: 'unknown',
          fasting_confirmed: 0,
          abstinence_confirmed: 0,
          next24h_free_confirmed: 0,
          created_by: actor.userId,
          created_at: at,
          updated_at: at,
        });
        if (!inserted) throw new AppError('conflict', 'A session for this appointment already exists', { field: 'appointmentId' });
        events = await appendEvents(ctx, trx, { id, organization_id: actor.organizationId }, [
          { kind: 'session-created', data: { sessionId: id, patientId, state: 'scheduled', at } },
        ]);
      });
      ctx.live.publishCommitted(events);
      return loadSessionView(deps.db, ctx.cipher, id);
    },
    { appointmentId: appointment.id },
  );
}

export function getSession(ctx: DosingContext, actor: SessionActor, id: string, meta: RequestMeta): Promise<SessionView> {
  return withSession(ctx, actor, id, 'read', meta, () => loadSessionView(ctx.deps.db, ctx.cipher, id));
}

// ---- check-in facts and gate ----

export function updateCheckInFacts(ctx: DosingContext, actor: SessionActor, id: string, body: CheckInFactsBody, meta: RequestMeta): Promise<SessionView> {
  const { deps } = ctx;
  return withSession(
    ctx,
    actor,
    id,
    'write',
    meta,
    async (session) => {
      if (session.state !== 'scheduled' && session.state !== 'checked-in') {
        throw new AppError('conflict', `Check-in facts are recorded before dosing; the session is ${session.state}`, { field: 'id' });
      }
      const at = deps.now().toISOString();
      const changes: Partial<DosingSessionsTable> = { facts_updated_by: actor.userId, facts_updated_at: at, updated_at: at };
      if (body.weightKg !== undefined) {
        changes.weight_kg = body.weightKg;
        changes.weight_measured_at = body.weightKg === null ? null : at;
      }
      if (body.pregnancyStatus !== undefined) changes.pregnancy_status = body.pregnancyStatus;
      if (body.fastingConfirmed !== undefined) changes.fasting_confirmed = body.fastingConfirmed ? 1 : 0;
      if (body.abstinenceConfirmed !== undefined) changes.abstinence_confirmed = body.abstinenceConfirmed ? 1 : 0;
      if (body.next24hKeptFree !== undefined) changes.next24h_free_confirmed = body.next24hKeptFree ? 1 : 0;
      if (body.escortName !== undefined) changes.escort_name_enc = enc(ctx, body.escortName, `dosing_sessions.escort_name:${id}`);
      if (body.escortPhone !== undefined) changes.escort_phone_enc = enc(ctx, body.escortPhone, `dosing_sessions.escort_phone:${id}`);
      const n = await repo.updateSession(deps.db, id, changes, session.state);
      if (n !== 1) throw new AppError('conflict', 'The session changed meanwhile; reload and try again', { field: 'id' });
      return loadSessionView(deps.db, ctx.cipher, id);
    },
    { fields: Object.keys(body) },
  );
}

export function previewCheckInGate(ctx: DosingContext, actor: SessionActor, id: string, meta: RequestMeta): Promise<GateDecision> {
  const { deps } = ctx;
  return withSession(ctx, actor, id, 'read', meta, async (session) => {
    const protocol = await protocolAt(ctx, deps.db, session.organization_id, session.protocol_revision);
    const now = deps.now();
    const { facts } = await gatherCheckInFacts(deps.db, ctx.cipher, session, await clinicZone(deps.db, session.organization_id), now, protocol.preDose.requiredMeasures.value);
    return evaluateCheckInGate(protocol, facts, now.getTime());
  });
}

// ---- discharge ----

interface StoredAssessment extends DischargeAssessmentBody {
  assessedBy: string;
  assessedAt: string;
}

async function dischargeDecision(ctx: DosingContext, db: Kysely<DB>, session: DosingSessionsTable, now: Date): Promise<{ decision: DischargeDecision; minObs: number }> {
  const protocol = await protocolAt(ctx, db, session.organization_id, session.protocol_revision);
  const [administrations, latest, openAlerts] = await Promise.all([
    repo.listAdministrations(db, session.id),
    repo.latestReading(db, session.id),
    repo.countOpenAlerts(db, session.id),
  ]);
  const routes = [...new Set(administrations.map((a) => a.route as RouteId))];
  const assessment = session.discharge_assessment ? (JSON.parse(session.discharge_assessment) as StoredAssessment) : null;
  const escortName = ctx.cipher.decryptNullable(session.escort_name_enc, `dosing_sessions.escort_name:${session.id}`) ?? '';
  const baseline = session.baseline_vitals ? (JSON.parse(session.baseline_vitals) as { hr: number | null; sbp: number | null; dbp: number | null; spo2: number | null; rr: number | null }) : null;
  const decision = evaluateDischarge(
    protocol,
    {
      routes,
      doseAt: session.first_dose_at ? Date.parse(session.first_dose_at) : null,
      aldrete: assessment
        ? { activity: assessment.activity, respiration: assessment.respiration, consciousness: assessment.consciousness, onSupplementalOxygen: assessment.onSupplementalOxygen }
        : null,
      baselineVitals: baseline ? readingOf(baseline) : null,
      latestVitals: latest ? { reading: readingOf(latest), at: Date.parse(latest.at) } : null,
      alertAndOriented: assessment?.alertAndOriented ?? false,
      steadyGait: assessment?.steadyGait ?? false,
      escort: assessment ? { present: assessment.escortPresent, name: escortName } : null,
      openAlertCount: openAlerts,
    },
    now.getTime(),
  );
  return { decision, minObs: minimumObservationMinutes(protocol, routes) };
}

export function previewDischarge(ctx: DosingContext, actor: SessionActor, id: string, meta: RequestMeta) {
  const { deps } = ctx;
  return withSession(ctx, actor, id, 'read', meta, async (session) => {
    const { decision, minObs } = await dischargeDecision(ctx, deps.db, session, deps.now());
    return {
      allowed: decision.allowed,
      overridable: decision.overridable,
      reasons: decision.reasons,
      aldrete: decision.aldrete,
      observedMinutes: decision.observedMinutes,
      observationMetAt: decision.observationMetAt === null ? null : new Date(decision.observationMetAt).toISOString(),
      minObservationMinutes: minObs,
    };
  });
}

export function saveDischargeAssessment(ctx: DosingContext, actor: SessionActor, id: string, body: DischargeAssessmentBody, meta: RequestMeta): Promise<SessionView> {
  const { deps } = ctx;
  return withSession(ctx, actor, id, 'write', meta, async (session) => {
    if (session.state !== 'monitoring' && session.state !== 'recovery') {
      throw new AppError('conflict', `The discharge assessment is made during monitoring or recovery; the session is ${session.state}`, { field: 'id' });
    }
    const at = deps.now().toISOString();
    const stored: StoredAssessment = { ...body, assessedBy: actor.userId, assessedAt: at };
    const n = await repo.updateSession(deps.db, id, { discharge_assessment: JSON.stringify(stored), updated_at: at }, session.state);
    if (n !== 1) throw new AppError('conflict', 'The session changed meanwhile; reload and try again', { field: 'id' });
    return loadSessionView(deps.db, ctx.cipher, id);
  });
}

// ---- transitions ----

export async function transition(
  ctx: DosingContext,
  actor: SessionActor,
  id: string,
  body: TransitionBody,
  meta: RequestMeta,
): Promise<{ session: SessionView; decision: TransitionDecision }> {
  const { deps } = ctx;
  const to = body.to as SessionState;
  return withSession(
    ctx,
    actor,
    id,
    'write',
    meta,
    async () => {
      let events: SessionEvent[] = [];
      let decision: TransitionDecision | null = null;
      let mailQueued = false;
      await deps.db.transaction().execute(async (trx) => {
        // Lock the row first (PostgreSQL) so two transitions cannot both pass the rules.
        await repo.reserveEventSeq(trx, id, 0);
        const session = await repo.findSessionById(trx, id);
        if (!session) throw new AppError('not_found', 'Session not found');
        const from = session.state as SessionState;
        const now = deps.now();
        const at = now.toISOString();
        const reason = body.reason?.trim() || undefined;
        const context: TransitionContext = {};
        if (to === 'aborted') context.abortReason = reason ?? '';
        else if (reason) context.override = { by: { id: actor.userId, role: actor.role }, reason };

        const protocol = await protocolAt(ctx, trx, session.organization_id, session.protocol_revision);
        let baseline: string | null = null;
        let dischargeRoutes: RouteId[] = [];
        if (to === 'checked-in' && from === 'scheduled') {
          const { facts, preDoseReading } = await gatherCheckInFacts(
            trx,
            ctx.cipher,
            session,
            await clinicZone(trx, session.organization_id),
            now,
            protocol.preDose.requiredMeasures.value,
          );
          context.checkIn = evaluateCheckInGate(protocol, facts, now.getTime());
          if (preDoseReading) baseline = JSON.stringify({ at: preDoseReading.at, ...preDoseReading.reading });
        } else if (to === 'dosing' && from === 'checked-in') {
          const order = (await repo.listDoseOrders(trx, id)).filter((o) => o.status !== 'superseded').at(-1);
          if (order) {
            const calc = JSON.parse(order.calculation) as DoseCalculation;
            context.dose = {
              // A prescriber's override recorded on the order covers its violations.
              violations: order.override_reason_enc ? [] : calc.violations,
              calculatedBy: order.calculated_by,
              verifiedBy: order.verified_by,
            };
          }
        } else if (to === 'monitoring' && from === 'dosing') {
          const list = await repo.listAdministrations(trx, id);
          context.administrations = { count: list.length, inProgress: list.filter((a) => a.ended_at === null).length };
        } else if (to === 'recovery' && from === 'monitoring') {
          context.openAlertCount = await repo.countOpenAlerts(trx, id);
        } else if (to === 'discharged' && from === 'recovery') {
          context.discharge = (await dischargeDecision(ctx, trx, session, now)).decision;
          dischargeRoutes = [...new Set((await repo.listAdministrations(trx, id)).map((a) => a.route as RouteId))];
        }

        decision = evaluateTransition(from, to, context);
        if (!decision.allowed) throw new TransitionBlockedError(decision);

        const changes: Partial<DosingSessionsTable> = { state: to, updated_at: at };
        if (to === 'checked-in') {
          changes.checked_in_at = at;
          changes.baseline_vitals = baseline;
        } else if (to === 'dosing') changes.dosing_started_at = at;
        else if (to === 'monitoring') changes.monitoring_started_at = at;
        else if (to === 'recovery') changes.recovery_started_at = at;
        else if (to === 'discharged') changes.discharged_at = at;
        else if (to === 'aborted') {
          changes.aborted_at = at;
          changes.abort_reason_enc = enc(ctx, reason, `dosing_sessions.abort_reason:${id}`);
        }
        const n = await repo.updateSession(trx, id, changes, from);
        if (n !== 1) throw new AppError('conflict', 'The session changed meanwhile; reload and try again', { field: 'to' });
        const transitionId = randomUUID();
        await repo.insertTransition(trx, {
          id: transitionId,
          organization_id: session.organization_id,
          session_id: id,
          from_state: from,
          to_state: to,
          overridden_reasons: JSON.stringify(decision.overridden ? decision.reasons : []),
          reason_enc: enc(ctx, reason, `dosing_transitions.reason:${transitionId}`),
          by_user_id: actor.userId,
          by_role: actor.role,
          at,
        });
        events = await appendEvents(ctx, trx, session, [
          { kind: 'state', data: { sessionId: id, patientId: session.patient_id, from, state: to, at, overridden: decision.overridden } },
        ]);
        if (to === 'discharged') mailQueued = await queueAftercare(ctx, trx, session, dischargeRoutes);
        const appointmentStatus = to === 'checked-in' ? 'checked_in' : to === 'dosing' ? 'in_progress' : to === 'discharged' ? 'completed' : null;
        if (appointmentStatus) await repo.setAppointmentStatus(trx, session.appointment_id, appointmentStatus, at);
      });
      ctx.live.publishCommitted(events);
      if (mailQueued) deps.outbox.nudge();
      return { session: await loadSessionView(deps.db, ctx.cipher, id), decision: decision! };
    },
    { to },
  );
}

/** The aftercare email: generic instructions only, never clinical detail (see core/dosing/aftercare.ts). */
async function queueAftercare(ctx: DosingContext, trx: Kysely<DB>, session: DosingSessionsTable, _routes: RouteId[]): Promise<boolean> {
  const [patient, org] = await Promise.all([repo.findPatientContact(trx, session.patient_id), repo.findOrganization(trx, session.organization_id)]);
  if (!patient?.email || !org) return false;
  const message = aftercareMessage({ clinicName: org.name, clinicPhone: null, firstName: patient.preferred_name ?? patient.legal_given_name });
  await ctx.deps.outbox.enqueue(trx, { organizationId: session.organization_id, kind: 'dosing-aftercare', to: patient.email, subject: message.subject, text: message.text });
  return true;
}

// ---- dose ----

async function doseInputs(ctx: DosingContext, db: Kysely<DB>, session: DosingSessionsTable, body: DoseRequestBody): Promise<DoseCalculation> {
  const protocol = await protocolAt(ctx, db, session.organization_id, session.protocol_revision);
  const prev = await repo.findPreviousAdministration(db, session.patient_id, session.id);
  return calculateDose(protocol, {
    route: body.route,
    weightKg: session.weight_kg,
    mgPerKg: body.mgPerKg ?? null,
    doseMg: body.doseMg ?? null,
    ivDurationMinutes: body.ivDurationMinutes ?? null,
    previous: prev ? { route: prev.route as RouteId, doseMg: prev.dose_mg, mgPerKg: prev.weight_kg ? prev.dose_mg / prev.weight_kg : null } : null,
  });
}

export function calculate(ctx: DosingContext, actor: SessionActor, id: string, body: DoseRequestBody, meta: RequestMeta): Promise<DoseCalculation> {
  return withSession(ctx, actor, id, 'read', meta, (session) => doseInputs(ctx, ctx.deps.db, session, body));
}

export function orderDose(ctx: DosingContext, actor: SessionActor, id: string, body: DoseRequestBody, meta: RequestMeta): Promise<SessionView> {
  const { deps } = ctx;
  return withSession(
    ctx,
    actor,
    id,
    'write',
    meta,
    async (session) => {
      if (actor.role !== 'nurse' && actor.role !== 'prescriber') throw new AppError('forbidden', 'A nurse or prescriber calculates the dose');
      if (session.state !== 'checked-in') throw new AppError('conflict', `A dose is ordered after check-in; the session is ${session.state}`, { field: 'id' });
      const calc = await doseInputs(ctx, deps.db, session, body);
      const override = body.overrideReason?.trim();
      if (calc.violations.length > 0) {
        const hard = calc.violations.filter((v) => !v.overridable);
        if (hard.length > 0) throw new AppError('conflict', hard.map((v) => v.message).join(' '), { field: 'route' });
        if (!override) throw new AppError('conflict', `${calc.violations.map((v) => v.message).join(' ')} A prescriber may override with a reason.`, { field: 'overrideReason' });
        if (actor.role !== 'prescriber') throw new AppError('forbidden', 'Only a prescriber may order a dose outside the protocol', { field: 'overrideReason' });
      } else if (override) {
        throw new AppError('validation', 'The dose is within the protocol; no override is needed', { field: 'overrideReason' });
      }
      const orderId = randomUUID();
      const at = deps.now().toISOString();
      await deps.db.transaction().execute(async (trx) => {
        await repo.supersedeOpenOrders(trx, id);
        await repo.insertDoseOrder(trx, {
          id: orderId,
          organization_id: session.organization_id,
          session_id: id,
          route: body.route,
          request: JSON.stringify({ ...body, overrideReason: undefined }),
          calculation: JSON.stringify(calc),
          dose_mg: calc.doseMg,
          status: 'awaiting_verification',
          override_reason_enc: enc(ctx, override, `dose_orders.override_reason:${orderId}`),
          calculated_by: actor.userId,
          calculated_by_role: actor.role,
          calculated_at: at,
          verified_by: null,
          verified_at: null,
        });
      });
      return loadSessionView(deps.db, ctx.cipher, id);
    },
    { route: body.route },
  );
}

export function verifyDose(ctx: DosingContext, actor: SessionActor, id: string, orderId: string, meta: RequestMeta): Promise<SessionView> {
  const { deps } = ctx;
  return withSession(
    ctx,
    actor,
    id,
    'write',
    meta,
    async () => {
      if (actor.role !== 'nurse' && actor.role !== 'prescriber') throw new AppError('forbidden', 'A nurse or prescriber verifies the dose');
      const order = await repo.findDoseOrder(deps.db, id, orderId);
      if (!order) throw new AppError('not_found', 'Dose order not found', { field: 'itemId' });
      if (order.calculated_by === actor.userId) {
        throw new AppError('conflict', 'A second clinician must verify: you calculated this dose', { field: 'itemId' });
      }
      if (order.status !== 'awaiting_verification') throw new AppError('conflict', `The dose order is ${order.status.replace('_', ' ')}`, { field: 'itemId' });
      const ok = await repo.verifyDoseOrder(deps.db, orderId, actor.userId, deps.now().toISOString());
      if (!ok) throw new AppError('conflict', 'The dose order changed meanwhile; reload', { field: 'itemId' });
      return loadSessionView(deps.db, ctx.cipher, id);
    },
    { doseOrderId: orderId },
  );
}

// ---- administrations and the controlled-substance log ----

export async function recordAdministration(
  ctx: DosingContext,
  actor: SessionActor,
  id: string,
  body: AdministrationBody,
  meta: RequestMeta,
): Promise<{ created: boolean; session: SessionView }> {
  const { deps } = ctx;
  return withSession(
    ctx,
    actor,
    id,
    'write',
    meta,
    async (session) => {
      if (actor.role !== 'nurse' && actor.role !== 'prescriber') throw new AppError('forbidden', 'A nurse or prescriber records an administration');
      const existing = await repo.findAdministrationByKey(deps.db, id, body.idempotencyKey);
      if (existing) {
        if (existing.dose_order_id !== body.doseOrderId || existing.lot !== body.lot.trim()) {
          throw new AppError('conflict', 'This idempotency key was used for a different administration', { field: 'idempotencyKey' });
        }
        return { created: false, session: await loadSessionView(deps.db, ctx.cipher, id) };
      }
      if (session.state !== 'dosing') throw new AppError('conflict', `Administrations are recorded while dosing; the session is ${session.state}`, { field: 'id' });
      const order = await repo.findDoseOrder(deps.db, id, body.doseOrderId);
      if (!order) throw new AppError('validation', 'No such dose order in this session', { field: 'doseOrderId' });
      if (order.status !== 'verified' || !order.verified_by) throw new AppError('conflict', 'The dose must be verified by a second clinician before it is given', { field: 'doseOrderId' });
      const now = deps.now();
      const started = Date.parse(body.startedAt);
      if (started > now.getTime() + 60_000) throw new AppError('validation', 'startedAt is in the future', { field: 'startedAt' });
      if (body.endedAt && Date.parse(body.endedAt) < started) throw new AppError('validation', 'endedAt is before startedAt', { field: 'endedAt' });
      if (body.endedAt && Date.parse(body.endedAt) > now.getTime() + 60_000) throw new AppError('validation', 'endedAt is in the future', { field: 'endedAt' });
      const zone = await clinicZone(deps.db, session.organization_id);
      const startDay = DateTime.fromMillis(started, { zone }).toISODate()!;
      if (body.expiry < startDay) throw new AppError('validation', `The lot expired on ${body.expiry}; do not give it`, { field: 'expiry' });
      const calc = JSON.parse(order.calculation) as DoseCalculation;
      const adminId = randomUUID();
      const at = now.toISOString();
      const volume = calc.iv?.volumeMl ?? calc.im?.volumeMl ?? null;
      let events: SessionEvent[] = [];
      let created = true;
      await deps.db.transaction().execute(async (trx) => {
        const inserted = await repo.insertAdministration(trx, {
          id: adminId,
          organization_id: session.organization_id,
          session_id: id,
          patient_id: session.patient_id,
          dose_order_id: order.id,
          idempotency_key: body.idempotencyKey,
          drug: calc.drug,
          route: order.route,
          concentration_mg_per_ml: calc.iv?.concentrationMgPerMl ?? calc.im?.concentrationMgPerMl ?? null,
          lot: body.lot.trim(),
          expiry: body.expiry,
          dose_mg: order.dose_mg,
          volume_ml: volume,
          started_at: new Date(started).toISOString(),
          ended_at: body.endedAt ? new Date(body.endedAt).toISOString() : null,
          given_by: actor.userId,
          verified_by: order.verified_by!,
          created_at: at,
        });
        if (!inserted) {
          created = false;
          return;
        }
        await repo.insertControlledEntry(trx, {
          id: randomUUID(),
          organization_id: session.organization_id,
          lot: body.lot.trim(),
          drug: calc.drug,
          kind: 'given',
          amount_mg: order.dose_mg,
          session_id: id,
          administration_id: adminId,
          recorded_by: actor.userId,
          witness_id: order.verified_by!,
          note_enc: null,
          at,
        });
        const startedIso = new Date(started).toISOString();
        if (!session.first_dose_at || startedIso < session.first_dose_at) {
          await trx
            .updateTable('dosing_sessions')
            .set({ first_dose_at: startedIso, updated_at: at })
            .where('id', '=', id)
            .where((eb) => eb.or([eb('first_dose_at', 'is', null), eb('first_dose_at', '>', startedIso)]))
            .execute();
        }
        events = await appendEvents(ctx, trx, session, [
          { kind: 'administration', data: { sessionId: id, administrationId: adminId, route: order.route, doseMg: order.dose_mg, startedAt: startedIso } },
        ]);
      });
      ctx.live.publishCommitted(events);
      return { created, session: await loadSessionView(deps.db, ctx.cipher, id) };
    },
    { idempotencyKey: body.idempotencyKey },
  );
}

export function endAdministration(ctx: DosingContext, actor: SessionActor, id: string, adminId: string, endedAt: string, meta: RequestMeta): Promise<SessionView> {
  const { deps } = ctx;
  return withSession(ctx, actor, id, 'write', meta, async () => {
    const a = await repo.findAdministration(deps.db, id, adminId);
    if (!a) throw new AppError('not_found', 'Administration not found', { field: 'itemId' });
    if (a.ended_at) throw new AppError('conflict', 'The end time is already recorded and cannot change; add an addendum to correct it', { field: 'endedAt' });
    const end = Date.parse(endedAt);
    if (end < Date.parse(a.started_at)) throw new AppError('validation', 'endedAt is before the start', { field: 'endedAt' });
    if (end > deps.now().getTime() + 60_000) throw new AppError('validation', 'endedAt is in the future', { field: 'endedAt' });
    if (!(await repo.endAdministration(deps.db, adminId, new Date(end).toISOString()))) {
      throw new AppError('conflict', 'The end time is already recorded', { field: 'endedAt' });
    }
    return loadSessionView(deps.db, ctx.cipher, id);
  });
}

export function addAdministrationAddendum(ctx: DosingContext, actor: SessionActor, id: string, adminId: string, text: string, meta: RequestMeta): Promise<SessionView> {
  const { deps } = ctx;
  return withSession(ctx, actor, id, 'write', meta, async (session) => {
    const a = await repo.findAdministration(deps.db, id, adminId);
    if (!a) throw new AppError('not_found', 'Administration not found', { field: 'itemId' });
    if (!text.trim()) throw new AppError('validation', 'text is required', { field: 'text' });
    const addendumId = randomUUID();
    await repo.insertAdministrationAddendum(deps.db, {
      id: addendumId,
      organization_id: session.organization_id,
      administration_id: adminId,
      text_enc: ctx.cipher.encrypt(text.trim(), `administration_addenda.text:${addendumId}`),
      author_id: actor.userId,
      created_at: deps.now().toISOString(),
    });
    return loadSessionView(deps.db, ctx.cipher, id);
  });
}

export function recordWaste(ctx: DosingContext, actor: SessionActor, id: string, body: WasteBody, meta: RequestMeta): Promise<{ ok: true }> {
  const { deps } = ctx;
  return withSession(ctx, actor, id, 'write', meta, async (session) => {
    if (actor.role !== 'nurse' && actor.role !== 'prescriber') throw new AppError('forbidden', 'A nurse or prescriber records wasted drug');
    if (body.witnessUserId === actor.userId) throw new AppError('validation', 'The witness must be another clinician', { field: 'witnessUserId' });
    const [witness] = await repo.findUsersByIds(deps.db, [body.witnessUserId]);
    if (!witness || witness.organization_id !== actor.organizationId || witness.active !== 1 || !['nurse', 'prescriber'].includes(witness.role)) {
      throw new AppError('validation', 'The witness must be an active nurse or prescriber of this clinic', { field: 'witnessUserId' });
    }
    const given = (await repo.listAdministrations(deps.db, id)).find((a) => a.lot === body.lot.trim());
    if (!given) throw new AppError('validation', 'No administration in this session used that lot', { field: 'lot' });
    const entryId = randomUUID();
    await repo.insertControlledEntry(deps.db, {
      id: entryId,
      organization_id: session.organization_id,
      lot: body.lot.trim(),
      drug: given.drug,
      kind: 'wasted',
      amount_mg: body.amountMg,
      session_id: id,
      administration_id: given.id,
      recorded_by: actor.userId,
      witness_id: body.witnessUserId,
      note_enc: enc(ctx, body.note, `controlled_substance_log.note:${entryId}`),
      at: deps.now().toISOString(),
    });
    return { ok: true as const };
  });
}

/** Per-lot totals for the controlled-substance record (no patient identity in it). */
export async function lotRecord(ctx: DosingContext, actor: SessionActor, lot: string, meta: RequestMeta) {
  const { deps } = ctx;
  const allowed = actor.role === 'nurse' || actor.role === 'prescriber' || actor.role === 'clinic_admin';
  await deps.audit.record({
    organizationId: actor.organizationId,
    actorUserId: actor.userId,
    actorRole: actor.role,
    patientId: null,
    resource: 'clinic.controlled_substances',
    action: 'read',
    outcome: allowed ? 'allowed' : 'denied',
    ip: meta.ip,
    requestId: meta.requestId,
  });
  if (!allowed) throw new AppError('forbidden', 'The controlled-substance log is for nurses, prescribers and clinic admins');
  const rows = await repo.listControlledEntries(deps.db, actor.organizationId, lot.trim());
  const sum = (k: string) => rows.filter((r) => r.kind === k).reduce((n, r) => n + r.amount_mg, 0);
  return {
    lot: lot.trim(),
    givenMg: sum('given'),
    wastedMg: sum('wasted'),
    entries: rows.map((r) => ({
      id: r.id,
      kind: r.kind,
      drug: r.drug,
      amountMg: r.amount_mg,
      sessionId: r.session_id,
      recordedByName: r.recorded_by_name ?? '',
      witnessName: r.witness_name ?? '',
      at: r.at,
    })),
  };
}

// ---- therapist and experience record ----

async function noteView(ctx: DosingContext, db: Kysely<DB>, sessionId: string): Promise<SessionNoteView> {
  const note = await repo.findNote(db, sessionId);
  if (!note) return { id: null, status: 'none', content: null, authorName: null, updatedAt: null, signedAt: null, signedByName: null, contentSha256: null, addenda: [] };
  const addenda = await repo.listNoteAddenda(db, note.id);
  return {
    id: note.id,
    status: note.status,
    content: ctx.cipher.decryptJson<SessionNoteContent>(note.content_enc, `session_notes.content:${note.id}`),
    authorName: note.author_name ?? null,
    updatedAt: note.updated_at,
    signedAt: note.signed_at,
    signedByName: note.signed_by_name,
    contentSha256: note.content_sha256,
    addenda: addenda.map((a) => ({ id: a.id, text: ctx.cipher.decrypt(a.text_enc, `session_note_addenda.text:${a.id}`), authorName: a.author_name, createdAt: a.created_at })),
  };
}

export function getNote(ctx: DosingContext, actor: SessionActor, id: string, meta: RequestMeta) {
  return withSession(ctx, actor, id, 'read', meta, () => noteView(ctx, ctx.deps.db, id));
}

export function saveNoteDraft(ctx: DosingContext, actor: SessionActor, id: string, content: SessionNoteContent, meta: RequestMeta) {
  const { deps } = ctx;
  return withSession(ctx, actor, id, 'write', meta, async (session) => {
    if (session.state === 'scheduled') throw new AppError('conflict', 'Notes start once the patient is checked in', { field: 'id' });
    const at = deps.now().toISOString();
    await deps.db.transaction().execute(async (trx) => {
      const note = await repo.findNote(trx, id);
      if (note?.status === 'signed') throw new AppError('conflict', 'The note is signed and cannot change; add an addendum', { field: 'content' });
      if (!note) {
        const noteId = randomUUID();
        const inserted = await repo.insertNote(trx, {
          id: noteId,
          organization_id: session.organization_id,
          session_id: id,
          patient_id: session.patient_id,
          status: 'draft',
          content_enc: ctx.cipher.encryptJson(content, `session_notes.content:${noteId}`),
          author_id: actor.userId,
          created_at: at,
          updated_by: actor.userId,
          updated_at: at,
          signed_by: null,
          signed_by_name: null,
          signed_at: null,
          content_sha256: null,
        });
        if (!inserted) throw new AppError('conflict', 'Someone else started the note meanwhile; reload', { field: 'content' });
      } else {
        const ok = await repo.updateDraftNote(trx, note.id, {
          content_enc: ctx.cipher.encryptJson(content, `session_notes.content:${note.id}`),
          updated_by: actor.userId,
          updated_at: at,
        });
        if (!ok) throw new AppError('conflict', 'The note is signed and cannot change; add an addendum', { field: 'content' });
      }
    });
    return noteView(ctx, deps.db, id);
  });
}

export function signNote(ctx: DosingContext, actor: SessionActor, id: string, meta: RequestMeta) {
  const { deps } = ctx;
  return withSession(ctx, actor, id, 'write', meta, async () => {
    const note = await repo.findNote(deps.db, id);
    if (!note) throw new AppError('conflict', 'There is no draft note to sign', { field: 'id' });
    if (note.status === 'signed') throw new AppError('conflict', 'The note is already signed', { field: 'id' });
    const plaintext = ctx.cipher.decrypt(note.content_enc, `session_notes.content:${note.id}`);
    const ok = await repo.updateDraftNote(deps.db, note.id, {
      status: 'signed',
      signed_by: actor.userId,
      signed_by_name: actor.displayName,
      signed_at: deps.now().toISOString(),
      content_sha256: createHash('sha256').update(plaintext).digest('hex'),
    });
    if (!ok) throw new AppError('conflict', 'The note is already signed', { field: 'id' });
    return noteView(ctx, deps.db, id);
  });
}

export function addNoteAddendum(ctx: DosingContext, actor: SessionActor, id: string, text: string, meta: RequestMeta) {
  const { deps } = ctx;
  return withSession(ctx, actor, id, 'write', meta, async (session) => {
    const note = await repo.findNote(deps.db, id);
    if (!note || note.status !== 'signed') throw new AppError('conflict', 'Addenda are added to a signed note; edit the draft instead', { field: 'text' });
    if (!text.trim()) throw new AppError('validation', 'text is required', { field: 'text' });
    const addendumId = randomUUID();
    await repo.insertNoteAddendum(deps.db, {
      id: addendumId,
      organization_id: session.organization_id,
      note_id: note.id,
      text_enc: ctx.cipher.encrypt(text.trim(), `session_note_addenda.text:${addendumId}`),
      author_id: actor.userId,
      author_name: actor.displayName,
      created_at: deps.now().toISOString(),
    });
    return noteView(ctx, deps.db, id);
  });
}
