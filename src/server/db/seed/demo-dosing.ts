import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { DateTime } from 'luxon';
import { findBundledInstrument } from '../../../core/instruments/definitions/bundled-instruments';
import { scoreResponse, type Answers } from '../../../core/instruments/score-response';
import { createFieldCipher } from '../../crypto/field-encryption';
import { storeDefinition } from '../../modules/intake/instrument-catalog';
import { answersContext, scoreContext } from '../../modules/intake/responses.service';
import type { DB } from '../schema';
import type { DemoContext } from './demo-clinic';

/**
 * Dosing demo (issue 5): Alex Rivera — eligible and consented by the intake seed — is
 * booked for a dosing session today (clinic zone, relative to ctx.now) in a chair, with the
 * prescriber and the nurse, so a new user can open the clinic board after `npm start`,
 * start the session and run it. Runs after the scheduling and intake seeds: it reuses the
 * chair and the dosing appointment type they created when present. Alex also filled in
 * today's pre-dose PHQ-9 in the portal this morning (the protocol asks for it on the day).
 */
export async function seedDemoDosing(trx: Kysely<DB>, ctx: DemoContext): Promise<void> {
  const at = ctx.now.toISOString();
  const org = await trx.selectFrom('organizations').select(['time_zone']).where('id', '=', ctx.organizationId).executeTakeFirstOrThrow();
  const zone = org.time_zone;

  let chair = await trx
    .selectFrom('rooms')
    .select('id')
    .where('organization_id', '=', ctx.organizationId)
    .where('kind', '=', 'chair')
    .where('active', '=', 1)
    .orderBy('name')
    .executeTakeFirst();
  if (!chair) {
    chair = { id: randomUUID() };
    await trx.insertInto('rooms').values({ id: chair.id, organization_id: ctx.organizationId, kind: 'chair', name: 'Chair A', active: 1, created_at: at }).execute();
  }
  const type = await trx
    .selectFrom('appointment_types')
    .select(['id', 'duration_minutes', 'buffer_before_minutes', 'buffer_after_minutes'])
    .where('organization_id', '=', ctx.organizationId)
    .where('kind', '=', 'dosing')
    .executeTakeFirst();

  // Today, at the current half hour in the clinic's zone: always "today" on the board.
  const local = DateTime.fromJSDate(ctx.now, { zone });
  const start = local.set({ minute: local.minute < 30 ? 0 : 30, second: 0, millisecond: 0 });
  const duration = type?.duration_minutes ?? 180;
  const end = DateTime.min(start.plus({ minutes: duration }), start.endOf('day'));
  await trx
    .insertInto('appointments')
    .values({
      id: randomUUID(),
      organization_id: ctx.organizationId,
      kind: 'dosing',
      appointment_type_id: type?.id ?? null,
      status: 'booked',
      cancel_reason: null,
      patient_id: ctx.patients.alex,
      consultation_request_id: null,
      clinician_id: ctx.users.prescriber,
      room_id: chair.id,
      nurse_id: ctx.users.nurse,
      start_at: start.toUTC().toISO()!,
      end_at: end.toUTC().toISO()!,
      buffer_before_minutes: type?.buffer_before_minutes ?? 0,
      buffer_after_minutes: type?.buffer_after_minutes ?? 0,
      created_by: ctx.users.frontDesk,
      created_at: at,
      updated_at: at,
    })
    .execute();

  // Today's pre-dose PHQ-9 (item 9 "not at all": no safety alert), submitted earlier today.
  const def = findBundledInstrument('phq-9');
  if (def) {
    const cipher = createFieldCipher(ctx.dataEncryptionKey);
    const submittedAt = DateTime.max(local.startOf('day'), local.minus({ minutes: 40 })).toUTC().toISO()!;
    const answers: Answers = { phq9_1: 2, phq9_2: 2, phq9_3: 2, phq9_4: 2, phq9_5: 1, phq9_6: 1, phq9_7: 2, phq9_8: 1, phq9_9: 0, phq9_difficulty: 1 };
    const score = scoreResponse(def, answers);
    const definitionId = await storeDefinition(trx, ctx.organizationId, { definition: def, origin: 'bundled', storedId: null }, submittedAt);
    const id = randomUUID();
    await trx
      .insertInto('questionnaire_responses')
      .values({
        id,
        organization_id: ctx.organizationId,
        patient_id: ctx.patients.alex,
        instrument_code: 'phq-9',
        instrument_version: def.version,
        definition_id: definitionId,
        status: 'submitted',
        answers_enc: cipher.encryptJson(answers, answersContext(id)),
        score_status: score.status,
        score_total: score.total ?? null,
        score_band: score.band?.id ?? null,
        score_detail_enc: cipher.encryptJson(score, scoreContext(id)),
        entry_mode: 'portal',
        entered_by: ctx.users.patientAlex,
        administered_on: null,
        started_at: submittedAt,
        updated_at: submittedAt,
        submitted_at: submittedAt,
      })
      .execute();
  }
}
