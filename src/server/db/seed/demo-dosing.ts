import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { DateTime } from 'luxon';
import type { DB } from '../schema';
import type { DemoContext } from './demo-clinic';

/**
 * Dosing demo (issue 5): Alex Rivera — eligible and consented by the intake seed — is
 * booked for a dosing session today (clinic zone, relative to ctx.now) in a chair, with the
 * prescriber and the nurse, so a new user can open the clinic board after `npm start`,
 * start the session and run it. Runs after the scheduling and intake seeds: it reuses the
 * chair and the dosing appointment type they created when present.
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
}
