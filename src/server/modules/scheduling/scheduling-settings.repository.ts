import type { Insertable, Kysely, Updateable } from 'kysely';
import type { AppointmentTypesTable, AvailabilityRulesTable, DB, RoomsTable, TimeOffTable } from '../../db/schema';

/** Kysely only, no rules: the settings behind availability (hours, time off, rooms, types, holidays, policy). */

export function listAllRooms(db: Kysely<DB>, organizationId: string) {
  return db.selectFrom('rooms').selectAll().where('organization_id', '=', organizationId).orderBy('kind').orderBy('name').execute();
}

export async function insertRoom(db: Kysely<DB>, row: Insertable<RoomsTable>) {
  await db.insertInto('rooms').values(row).execute();
}

export async function updateRoom(db: Kysely<DB>, id: string, changes: Updateable<RoomsTable>) {
  await db.updateTable('rooms').set(changes).where('id', '=', id).execute();
}

export function listAllAppointmentTypes(db: Kysely<DB>, organizationId: string) {
  return db.selectFrom('appointment_types').selectAll().where('organization_id', '=', organizationId).orderBy('kind').orderBy('name').execute();
}

export function findAppointmentTypeById(db: Kysely<DB>, organizationId: string, id: string) {
  return db.selectFrom('appointment_types').selectAll().where('organization_id', '=', organizationId).where('id', '=', id).executeTakeFirst();
}

export async function insertAppointmentType(db: Kysely<DB>, row: Insertable<AppointmentTypesTable>) {
  await db.insertInto('appointment_types').values(row).execute();
}

export async function updateAppointmentType(db: Kysely<DB>, id: string, changes: Updateable<AppointmentTypesTable>) {
  await db.updateTable('appointment_types').set(changes).where('id', '=', id).execute();
}

export function listHolidays(db: Kysely<DB>, organizationId: string) {
  return db.selectFrom('clinic_holidays').select(['id', 'date', 'name']).where('organization_id', '=', organizationId).orderBy('date').execute();
}

export function findHolidayByDate(db: Kysely<DB>, organizationId: string, date: string) {
  return db.selectFrom('clinic_holidays').select(['id']).where('organization_id', '=', organizationId).where('date', '=', date).executeTakeFirst();
}

export function findHoliday(db: Kysely<DB>, organizationId: string, id: string) {
  return db.selectFrom('clinic_holidays').select(['id', 'date']).where('organization_id', '=', organizationId).where('id', '=', id).executeTakeFirst();
}

export async function insertHoliday(db: Kysely<DB>, row: { id: string; organization_id: string; date: string; name: string; created_at: string }) {
  await db.insertInto('clinic_holidays').values(row).execute();
}

export async function deleteHoliday(db: Kysely<DB>, id: string) {
  await db.deleteFrom('clinic_holidays').where('id', '=', id).execute();
}

export async function upsertBookingPolicy(db: Kysely<DB>, organizationId: string, horizonDays: number, minNoticeMinutes: number, at: string) {
  const existing = await db.selectFrom('booking_policies').select('organization_id').where('organization_id', '=', organizationId).executeTakeFirst();
  if (existing) {
    await db
      .updateTable('booking_policies')
      .set({ horizon_days: horizonDays, min_notice_minutes: minNoticeMinutes, updated_at: at })
      .where('organization_id', '=', organizationId)
      .execute();
  } else {
    await db
      .insertInto('booking_policies')
      .values({ organization_id: organizationId, horizon_days: horizonDays, min_notice_minutes: minNoticeMinutes, updated_at: at })
      .execute();
  }
}

export function listRulesOf(db: Kysely<DB>, organizationId: string, resourceId: string) {
  return db
    .selectFrom('availability_rules')
    .selectAll()
    .where('organization_id', '=', organizationId)
    .where('resource_id', '=', resourceId)
    .orderBy('weekday')
    .orderBy('start_time')
    .execute();
}

export async function replaceRules(db: Kysely<DB>, organizationId: string, resourceId: string, rows: Insertable<AvailabilityRulesTable>[]) {
  await db.deleteFrom('availability_rules').where('organization_id', '=', organizationId).where('resource_id', '=', resourceId).execute();
  if (rows.length > 0) await db.insertInto('availability_rules').values(rows).execute();
}

export function listTimeOffOf(db: Kysely<DB>, organizationId: string, resourceId: string, afterIso: string) {
  return db
    .selectFrom('time_off')
    .selectAll()
    .where('organization_id', '=', organizationId)
    .where('resource_id', '=', resourceId)
    .where('end_at', '>', afterIso)
    .orderBy('start_at')
    .limit(500)
    .execute();
}

export function findTimeOffById(db: Kysely<DB>, id: string) {
  return db.selectFrom('time_off').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function insertTimeOff(db: Kysely<DB>, row: Insertable<TimeOffTable>) {
  await db.insertInto('time_off').values(row).execute();
}

export async function deleteTimeOff(db: Kysely<DB>, id: string) {
  await db.deleteFrom('time_off').where('id', '=', id).execute();
}
