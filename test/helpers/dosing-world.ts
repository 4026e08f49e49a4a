/**
 * Test factories for dosing-session tests: a clinic world (every role, two care teams,
 * a second tenant) plus a dosing appointment in a chair for a patient who is eligible,
 * consented, and has done today's PHQ-9. Rows of other capabilities' tables are written
 * directly here because this is test set-up, not application code.
 */
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB } from '../../src/server/db/schema';
import { createClinicWorld } from './test-app';

export async function createDosingWorld(db: Kysely<DB>, now: Date) {
  const world = await createClinicWorld(db);
  const at = now.toISOString();
  const patientId = world.patientA.id;
  await db.updateTable('patients').set({ email: 'ada.patient@test.example' }).where('id', '=', patientId).execute();
  const chair = await createChair(db, world.org.id, 'Chair 1');
  const appointmentId = await createDosingAppointment(db, world.org.id, patientId, world.users.prescriber.id, chair, now);
  const foreignChair = await createChair(db, world.other.id, 'Harbor chair');
  const foreignAppointmentId = await createDosingAppointment(db, world.other.id, world.foreignPatient.id, world.users.foreignTherapist.id, foreignChair, now);
  await makeReady(db, world.org.id, patientId, world.users.prescriber.id, now);
  const patientBAppointment = await createDosingAppointment(db, world.org.id, world.patientB.id, world.users.prescriber.id, await createChair(db, world.org.id, 'Chair 2'), now);
  void at;
  return { ...world, chair, appointmentId, foreignAppointmentId, patientBAppointment };
}

export async function createChair(db: Kysely<DB>, organizationId: string, name: string) {
  const id = randomUUID();
  await db.insertInto('rooms').values({ id, organization_id: organizationId, kind: 'chair', name, active: 1, created_at: new Date().toISOString() }).execute();
  return id;
}

export async function createDosingAppointment(db: Kysely<DB>, organizationId: string, patientId: string, clinicianId: string, roomId: string, now: Date) {
  const id = randomUUID();
  const start = new Date(now.getTime() + 15 * 60_000);
  await db
    .insertInto('appointments')
    .values({
      id,
      organization_id: organizationId,
      kind: 'dosing',
      appointment_type_id: null,
      status: 'booked',
      cancel_reason: null,
      patient_id: patientId,
      consultation_request_id: null,
      clinician_id: clinicianId,
      room_id: roomId,
      nurse_id: null,
      start_at: start.toISOString(),
      end_at: new Date(start.getTime() + 3 * 3600_000).toISOString(),
      buffer_before_minutes: 0,
      buffer_after_minutes: 0,
      created_by: clinicianId,
      created_at: now.toISOString(),
      updated_at: now.toISOString(),
    })
    .execute();
  return id;
}

/** Eligible (signed decision), consented (current KAP consent), today's PHQ-9 submitted. */
export async function makeReady(db: Kysely<DB>, organizationId: string, patientId: string, prescriberId: string, now: Date) {
  const at = now.toISOString();
  await db
    .insertInto('eligibility_decisions')
    .values({
      id: randomUUID(),
      organization_id: organizationId,
      patient_id: patientId,
      decision: 'eligible',
      rationale_enc: 'v1:test:test:test',
      conditions_enc: null,
      flags_snapshot: '[]',
      overridden_rule_ids: '[]',
      override_reason_enc: null,
      valid_until: null,
      supersedes_id: null,
      superseded_by_id: null,
      signed_by: prescriberId,
      signed_by_name: 'Prescriber',
      signed_at: new Date(now.getTime() - 7 * 86_400_000).toISOString(),
      content_sha256: 'x',
    })
    .execute();
  const docId = randomUUID();
  await db
    .insertInto('consent_documents')
    .values({
      id: docId,
      organization_id: organizationId,
      kind: 'kap_treatment',
      version: 1,
      title: 'KAP consent',
      body: 'Consent text',
      status: 'published',
      created_by: prescriberId,
      created_at: at,
      updated_at: at,
      published_at: at,
      published_by: prescriberId,
    })
    .execute();
  await db
    .insertInto('consent_signatures')
    .values({
      id: randomUUID(),
      organization_id: organizationId,
      patient_id: patientId,
      document_id: docId,
      kind: 'kap_treatment',
      version: 1,
      typed_name: 'Ada Lovelace',
      signed_at: at,
      ip: null,
      text_sha256: 'x',
      signed_by_user_id: prescriberId,
      pdf_base64: '',
    })
    .execute();
  await db
    .insertInto('questionnaire_responses')
    .values({
      id: randomUUID(),
      organization_id: organizationId,
      patient_id: patientId,
      instrument_code: 'phq-9',
      instrument_version: '1',
      definition_id: null,
      status: 'submitted',
      answers_enc: 'v1:x:x:x',
      score_status: 'complete',
      score_total: 8,
      score_band: 'mild',
      score_detail_enc: null,
      entry_mode: 'staff',
      entered_by: prescriberId,
      administered_on: null,
      started_at: at,
      updated_at: at,
      submitted_at: at,
    })
    .execute();
}
