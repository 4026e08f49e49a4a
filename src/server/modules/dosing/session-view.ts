import type { Kysely } from 'kysely';
import { NEXT_STATE, type SessionState } from '../../../core/dosing/session-lifecycle';
import type { AlertView, DoseOrderView, SessionView, VitalReadingView } from '../../../core/schemas/dosing.schema';
import type { DB, SessionAlertsTable, VitalReadingsTable } from '../../db/schema';
import type { FieldCipher } from '../../crypto/field-encryption';
import { AppError } from '../../http/errors';
import * as repo from './dosing.repository';

export const ACTIVE_STATES = ['scheduled', 'checked-in', 'dosing', 'monitoring', 'recovery'] as const;

export function patientDisplayName(p: { legal_given_name: string; legal_family_name: string; preferred_name: string | null }): string {
  return p.preferred_name && p.preferred_name !== p.legal_given_name
    ? `${p.preferred_name} (${p.legal_given_name}) ${p.legal_family_name}`
    : `${p.legal_given_name} ${p.legal_family_name}`;
}

export function readingView(r: Pick<VitalReadingsTable, 'id' | 'seq' | 'at' | 'hr' | 'sbp' | 'dbp' | 'spo2' | 'rr' | 'source' | 'phase'>): VitalReadingView {
  return { id: r.id, seq: Number(r.seq), at: r.at, hr: r.hr, sbp: r.sbp, dbp: r.dbp, spo2: r.spo2, rr: r.rr, source: r.source, phase: r.phase };
}

/** `withIntervention` false for the event log and live streams: free text stays encrypted at rest. */
export function alertView(
  a: SessionAlertsTable & { acknowledged_by_name?: string | null },
  cipher: FieldCipher | null,
): AlertView {
  return {
    id: a.id,
    sessionId: a.session_id,
    rule: a.rule,
    level: a.level,
    field: a.field,
    value: a.value,
    threshold: a.threshold,
    message: a.message,
    source: a.source,
    raisedAt: a.raised_at,
    escalationLevel: a.escalation_level,
    escalatedAt: a.escalated_at,
    status: a.status,
    acknowledgedAt: a.acknowledged_at,
    acknowledgedByName: a.acknowledged_by_name ?? null,
    intervention: cipher ? cipher.decryptNullable(a.intervention_enc, `session_alerts.intervention:${a.id}`) : null,
  };
}

export async function loadSessionView(db: Kysely<DB>, cipher: FieldCipher, id: string): Promise<SessionView> {
  const s = await repo.findSessionById(db, id);
  if (!s) throw new AppError('not_found', 'Session not found');
  const [appointment, patient, org, orders, administrations, transitions, openAlerts] = await Promise.all([
    repo.findAppointment(db, s.appointment_id),
    repo.findPatientContact(db, s.patient_id),
    repo.findOrganization(db, s.organization_id),
    repo.listDoseOrders(db, id),
    repo.listAdministrations(db, id),
    repo.listTransitions(db, id),
    repo.countOpenAlerts(db, id),
  ]);
  const addenda = await repo.listAdministrationAddenda(
    db,
    administrations.map((a) => a.id),
  );
  const assessment = s.discharge_assessment
    ? (JSON.parse(s.discharge_assessment) as SessionView['dischargeAssessment'] & { assessedBy: string })
    : null;
  const userIds = new Set<string>();
  for (const o of orders) {
    userIds.add(o.calculated_by);
    if (o.verified_by) userIds.add(o.verified_by);
  }
  for (const a of administrations) {
    userIds.add(a.given_by);
    userIds.add(a.verified_by);
  }
  if (assessment) userIds.add(assessment.assessedBy);
  const names = new Map((await repo.findUsersByIds(db, [...userIds])).map((u) => [u.id, u.display_name]));
  const name = (uid: string | null) => (uid ? (names.get(uid) ?? 'former staff member') : null);
  const orderViews: DoseOrderView[] = orders.map((o) => ({
    id: o.id,
    route: o.route,
    doseMg: o.dose_mg,
    status: o.status,
    calculation: JSON.parse(o.calculation) as DoseOrderView['calculation'],
    overrideReason: cipher.decryptNullable(o.override_reason_enc, `dose_orders.override_reason:${o.id}`),
    calculatedBy: o.calculated_by,
    calculatedByName: name(o.calculated_by) ?? '',
    calculatedAt: o.calculated_at,
    verifiedBy: o.verified_by,
    verifiedByName: name(o.verified_by),
    verifiedAt: o.verified_at,
  }));
  const state = s.state as SessionState;
  return {
    id: s.id,
    patientId: s.patient_id,
    patientName: patient ? patientDisplayName(patient) : 'Unknown patient',
    appointmentId: s.appointment_id,
    scheduledStart: appointment?.start_at ?? s.created_at,
    scheduledEnd: appointment?.end_at ?? s.created_at,
    roomId: s.room_id,
    roomName: appointment?.room_name ?? null,
    clinicianName: appointment?.clinician_name ?? null,
    state: s.state,
    nextState: NEXT_STATE[state] ?? null,
    protocolRevision: s.protocol_revision,
    eventSeq: Number(s.event_seq),
    timeZone: org?.time_zone ?? 'UTC',
    facts: {
      weightKg: s.weight_kg,
      weightMeasuredAt: s.weight_measured_at,
      pregnancyStatus: s.pregnancy_status,
      fastingConfirmed: s.fasting_confirmed === 1,
      abstinenceConfirmed: s.abstinence_confirmed === 1,
      escortName: cipher.decryptNullable(s.escort_name_enc, `dosing_sessions.escort_name:${s.id}`),
      escortPhone: cipher.decryptNullable(s.escort_phone_enc, `dosing_sessions.escort_phone:${s.id}`),
      next24hKeptFree: s.next24h_free_confirmed === 1,
      updatedAt: s.facts_updated_at,
    },
    baselineVitals: s.baseline_vitals ? (JSON.parse(s.baseline_vitals) as SessionView['baselineVitals']) : null,
    dischargeAssessment: assessment
      ? {
          activity: assessment.activity,
          respiration: assessment.respiration,
          consciousness: assessment.consciousness,
          onSupplementalOxygen: assessment.onSupplementalOxygen,
          alertAndOriented: assessment.alertAndOriented,
          steadyGait: assessment.steadyGait,
          escortPresent: assessment.escortPresent,
          assessedAt: assessment.assessedAt,
          assessedByName: name(assessment.assessedBy) ?? '',
        }
      : null,
    checkedInAt: s.checked_in_at,
    dosingStartedAt: s.dosing_started_at,
    firstDoseAt: s.first_dose_at,
    monitoringStartedAt: s.monitoring_started_at,
    recoveryStartedAt: s.recovery_started_at,
    dischargedAt: s.discharged_at,
    abortedAt: s.aborted_at,
    abortReason: cipher.decryptNullable(s.abort_reason_enc, `dosing_sessions.abort_reason:${s.id}`),
    doseOrders: orderViews,
    administrations: administrations.map((a) => ({
      id: a.id,
      doseOrderId: a.dose_order_id,
      drug: a.drug,
      route: a.route,
      concentrationMgPerMl: a.concentration_mg_per_ml,
      lot: a.lot,
      expiry: a.expiry,
      doseMg: a.dose_mg,
      volumeMl: a.volume_ml,
      startedAt: a.started_at,
      endedAt: a.ended_at,
      givenBy: a.given_by,
      givenByName: name(a.given_by) ?? '',
      verifiedBy: a.verified_by,
      verifiedByName: name(a.verified_by) ?? '',
      createdAt: a.created_at,
      addenda: addenda
        .filter((d) => d.administration_id === a.id)
        .map((d) => ({
          id: d.id,
          text: cipher.decrypt(d.text_enc, `administration_addenda.text:${d.id}`),
          authorName: d.display_name ?? 'former staff member',
          createdAt: d.created_at,
        })),
    })),
    transitions: transitions.map((t) => ({
      from: t.from_state,
      to: t.to_state,
      at: t.at,
      byName: t.display_name ?? 'former staff member',
      byRole: t.by_role,
      reason: cipher.decryptNullable(t.reason_enc, `dosing_transitions.reason:${t.id}`),
      overriddenReasons: JSON.parse(t.overridden_reasons) as SessionView['transitions'][number]['overriddenReasons'],
    })),
    openAlertCount: openAlerts,
    createdAt: s.created_at,
  };
}
