import { sql, type Kysely } from 'kysely';
import type {
  AppointmentsTable,
  ConsultationRequestsTable,
  DB,
} from '../../db/schema';
import type { Insertable, Updateable } from 'kysely';
import type { Dialect } from '../../db/database';

/** Kysely only; no business rules. Every function takes the executor it runs on. */

export function findOrganization(db: Kysely<DB>, id: string) {
  return db.selectFrom('organizations').select(['id', 'name', 'time_zone']).where('id', '=', id).executeTakeFirst();
}

export function findBookingPolicy(db: Kysely<DB>, organizationId: string) {
  return db.selectFrom('booking_policies').selectAll().where('organization_id', '=', organizationId).executeTakeFirst();
}

export function listAppointmentTypes(db: Kysely<DB>, organizationId: string) {
  return db
    .selectFrom('appointment_types')
    .selectAll()
    .where('organization_id', '=', organizationId)
    .where('active', '=', 1)
    .orderBy('kind')
    .orderBy('name')
    .execute();
}

export function findAppointmentType(db: Kysely<DB>, organizationId: string, idOrKind: string) {
  return db
    .selectFrom('appointment_types')
    .selectAll()
    .where('organization_id', '=', organizationId)
    .where('active', '=', 1)
    .where((eb) => eb.or([eb('id', '=', idOrKind), eb('kind', '=', idOrKind as never)]))
    .orderBy('created_at')
    .executeTakeFirst();
}

export function findPublicConsultationType(db: Kysely<DB>, organizationId: string) {
  return db
    .selectFrom('appointment_types')
    .selectAll()
    .where('organization_id', '=', organizationId)
    .where('active', '=', 1)
    .where('kind', '=', 'consultation')
    .where('public_bookable', '=', 1)
    .orderBy('created_at')
    .executeTakeFirst();
}

export function listRooms(db: Kysely<DB>, organizationId: string) {
  return db.selectFrom('rooms').selectAll().where('organization_id', '=', organizationId).where('active', '=', 1).orderBy('name').execute();
}

export function findRoom(db: Kysely<DB>, organizationId: string, id: string) {
  return db.selectFrom('rooms').selectAll().where('organization_id', '=', organizationId).where('id', '=', id).executeTakeFirst();
}

export function listSchedulableStaff(db: Kysely<DB>, organizationId: string) {
  return db
    .selectFrom('users')
    .select(['id', 'display_name', 'role'])
    .where('organization_id', '=', organizationId)
    .where('active', '=', 1)
    .where('role', 'in', ['therapist', 'prescriber', 'nurse'])
    .orderBy('display_name')
    .execute();
}

export function findStaffUser(db: Kysely<DB>, id: string) {
  return db
    .selectFrom('users')
    .select(['id', 'organization_id', 'display_name', 'role', 'active', 'email'])
    .where('id', '=', id)
    .where('role', '!=', 'patient')
    .executeTakeFirst();
}

export function findRules(db: Kysely<DB>, organizationId: string, resourceIds: readonly string[]) {
  if (resourceIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('availability_rules')
    .selectAll()
    .where('organization_id', '=', organizationId)
    .where('resource_id', 'in', resourceIds)
    .execute();
}

/** Clinician ids with at least one rule (for candidate lists when no clinician is named). */
export async function findClinicianIdsWithRules(db: Kysely<DB>, organizationId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('availability_rules as r')
    .innerJoin('users as u', 'u.id', 'r.resource_id')
    .select('r.resource_id')
    .distinct()
    .where('r.organization_id', '=', organizationId)
    .where('r.resource_kind', '=', 'clinician')
    .where('u.active', '=', 1)
    .orderBy('r.resource_id')
    .execute();
  return rows.map((r) => r.resource_id);
}

export function findTimeOff(db: Kysely<DB>, organizationId: string, resourceIds: readonly string[], fromIso: string, toIso: string) {
  if (resourceIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('time_off')
    .selectAll()
    .where('organization_id', '=', organizationId)
    .where('resource_id', 'in', resourceIds)
    .where('end_at', '>', fromIso)
    .where('start_at', '<', toIso)
    .execute();
}

export function findHolidays(db: Kysely<DB>, organizationId: string, fromDate: string, toDate: string) {
  return db
    .selectFrom('clinic_holidays')
    .select(['date', 'name'])
    .where('organization_id', '=', organizationId)
    .where('date', '>=', fromDate)
    .where('date', '<=', toDate)
    .execute();
}

/**
 * Non-cancelled appointments touching any of the resources between two instants
 * (padded by the caller for buffers). Reads clinician, room and nurse columns.
 *
 * One query per column, each driven by that column's (resource, start_at) index, merged
 * and ordered by start here. A single `clinician_id IN … OR room_id IN … OR nurse_id IN …`
 * with `organization_id = ?` made both planners fall back to the clinic-wide
 * (organization_id, start_at) index and read every appointment of the clinic (SQLite:
 * ~10 ms for one clinician among 17,000 appointments; ~0.1 ms this way). The clinic is
 * checked on the rows (resource ids are UUIDs, so it only guards against a stray id).
 */
export async function findBlockingAppointments(
  db: Kysely<DB>,
  organizationId: string,
  resourceIds: readonly string[],
  fromIso: string,
  toIso: string,
) {
  if (resourceIds.length === 0) return [];
  const byColumn = (column: 'clinician_id' | 'room_id' | 'nurse_id') =>
    db
      .selectFrom('appointments')
      .select([
        'id',
        'organization_id',
        'kind',
        'status',
        'clinician_id',
        'room_id',
        'nurse_id',
        'patient_id',
        'start_at',
        'end_at',
        'buffer_before_minutes',
        'buffer_after_minutes',
      ])
      .where(column, 'in', resourceIds)
      .where('start_at', '<', toIso)
      .where('end_at', '>', fromIso)
      .where('status', '!=', 'cancelled')
      .execute();
  const parts = await Promise.all([byColumn('clinician_id'), byColumn('room_id'), byColumn('nurse_id')]);
  const seen = new Set<string>();
  const rows = [];
  for (const part of parts) {
    for (const { organization_id, ...row } of part) {
      if (organization_id !== organizationId || seen.has(row.id)) continue;
      seen.add(row.id);
      rows.push(row);
    }
  }
  return rows.sort((a, b) => (a.start_at < b.start_at ? -1 : a.start_at > b.start_at ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

export function findPatientAppointmentsBetween(db: Kysely<DB>, patientId: string, fromIso: string, toIso: string) {
  return db
    .selectFrom('appointments')
    .select(['id', 'start_at', 'end_at', 'status'])
    .where('patient_id', '=', patientId)
    .where('status', '!=', 'cancelled')
    .where('end_at', '>', fromIso)
    .where('start_at', '<', toIso)
    .execute();
}

const appointmentColumns = [
  'a.id',
  'a.organization_id',
  'a.kind',
  'a.appointment_type_id',
  'a.status',
  'a.cancel_reason',
  'a.patient_id',
  'a.consultation_request_id',
  'a.clinician_id',
  'a.room_id',
  'a.nurse_id',
  'a.start_at',
  'a.end_at',
  'a.buffer_before_minutes',
  'a.buffer_after_minutes',
  'u.display_name as clinician_name',
  'r.name as room_name',
  'p.legal_given_name',
  'p.legal_family_name',
  'p.preferred_name',
  'c.name as visitor_name',
] as const;

function appointmentQuery(db: Kysely<DB>) {
  return db
    .selectFrom('appointments as a')
    .innerJoin('users as u', 'u.id', 'a.clinician_id')
    .leftJoin('rooms as r', 'r.id', 'a.room_id')
    .leftJoin('patients as p', 'p.id', 'a.patient_id')
    .leftJoin('consultation_requests as c', 'c.id', 'a.consultation_request_id')
    .select(appointmentColumns);
}

export type AppointmentView = Awaited<ReturnType<typeof findAppointmentView>> & object;

export function findAppointmentView(db: Kysely<DB>, id: string) {
  return appointmentQuery(db).where('a.id', '=', id).executeTakeFirst();
}

export interface AppointmentSearch {
  organizationId: string;
  fromIso: string;
  toIso: string;
  clinicianId?: string;
  roomId?: string;
  patientId?: string;
  includeCancelled: boolean;
}

export function searchAppointments(db: Kysely<DB>, s: AppointmentSearch) {
  let q = appointmentQuery(db)
    .where('a.organization_id', '=', s.organizationId)
    .where('a.end_at', '>', s.fromIso)
    .where('a.start_at', '<', s.toIso);
  if (s.clinicianId) {
    const id = s.clinicianId;
    q = q.where((eb) => eb.or([eb('a.clinician_id', '=', id), eb('a.nurse_id', '=', id)]));
  }
  if (s.roomId) q = q.where('a.room_id', '=', s.roomId);
  if (s.patientId) q = q.where('a.patient_id', '=', s.patientId);
  if (!s.includeCancelled) q = q.where('a.status', '!=', 'cancelled');
  return q.orderBy('a.start_at').orderBy('a.id').limit(2000).execute();
}

export async function insertAppointment(db: Kysely<DB>, row: Insertable<AppointmentsTable>) {
  await db.insertInto('appointments').values(row).execute();
}

export async function updateAppointment(db: Kysely<DB>, id: string, changes: Updateable<AppointmentsTable>) {
  await db.updateTable('appointments').set(changes).where('id', '=', id).execute();
}

export function findAppointmentRow(db: Kysely<DB>, id: string) {
  return db.selectFrom('appointments').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Care-team membership and live break-glass grants of one staff member, for calendar redaction. */
export async function findAccessiblePatientIds(db: Kysely<DB>, userId: string, patientIds: readonly string[], nowIso: string) {
  if (patientIds.length === 0) return new Set<string>();
  const [team, glass] = await Promise.all([
    db.selectFrom('care_team_members').select('patient_id').where('user_id', '=', userId).where('patient_id', 'in', patientIds).execute(),
    db
      .selectFrom('break_glass_grants')
      .select('patient_id')
      .where('user_id', '=', userId)
      .where('patient_id', 'in', patientIds)
      .where('expires_at', '>', nowIso)
      .execute(),
  ]);
  return new Set([...team, ...glass].map((r) => r.patient_id));
}

// ---- locking ----

/**
 * Serialises bookings that touch the same resources. PostgreSQL: transaction-scoped
 * advisory locks keyed by each resource id, taken in sorted order (no deadlock between
 * two bookings that share several resources); held until commit or rollback, across
 * instances. SQLite: Kysely's SqliteDriver runs every transaction on its single
 * connection behind a mutex, so a transaction already excludes every other statement
 * of this process; a write as the first statement upgrades to the RESERVED lock so
 * another process on the same file waits on busy_timeout rather than interleaving.
 */
export async function lockResources(trx: Kysely<DB>, dialect: Dialect, keys: readonly string[]): Promise<void> {
  const sorted = [...new Set(keys)].sort();
  if (dialect === 'postgres') {
    for (const key of sorted) {
      await sql`select pg_advisory_xact_lock(hashtextextended(${`schedule:${key}`}, 0))`.execute(trx);
    }
    return;
  }
  // A no-op write takes SQLite's write lock now (BEGIN IMMEDIATE semantics).
  await sql`update booking_policies set horizon_days = horizon_days where 0`.execute(trx);
}

// ---- consultations ----

export async function insertConsultationRequest(db: Kysely<DB>, row: Insertable<ConsultationRequestsTable>) {
  await db.insertInto('consultation_requests').values(row).execute();
}

export function findConsultationRequest(db: Kysely<DB>, id: string) {
  return db
    .selectFrom('consultation_requests as c')
    .innerJoin('users as u', 'u.id', 'c.clinician_id')
    .innerJoin('organizations as o', 'o.id', 'c.organization_id')
    .selectAll('c')
    .select(['u.display_name as clinician_name', 'o.name as clinic_name', 'o.time_zone'])
    .where('c.id', '=', id)
    .executeTakeFirst();
}

export function findConsultationAppointment(db: Kysely<DB>, requestId: string) {
  return db
    .selectFrom('appointments')
    .select(['id', 'start_at', 'end_at', 'status', 'clinician_id'])
    .where('consultation_request_id', '=', requestId)
    .where('kind', '=', 'consultation')
    .orderBy('created_at', 'desc')
    .executeTakeFirst();
}

export async function updateConsultationRequest(db: Kysely<DB>, id: string, changes: Updateable<ConsultationRequestsTable>) {
  await db.updateTable('consultation_requests').set(changes).where('id', '=', id).execute();
}

export async function searchConsultationRequests(
  db: Kysely<DB>,
  s: { organizationId: string; status?: string; limit: number; offset: number },
) {
  let q = db.selectFrom('consultation_requests as c').where('c.organization_id', '=', s.organizationId);
  if (s.status) q = q.where('c.status', '=', s.status as never);
  const [rows, total] = await Promise.all([
    q
      .innerJoin('users as u', 'u.id', 'c.clinician_id')
      .selectAll('c')
      .select('u.display_name as clinician_name')
      .orderBy('c.created_at', 'desc')
      .orderBy('c.id')
      .limit(s.limit)
      .offset(s.offset)
      .execute(),
    q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(total.n) };
}

export function findConsultationNotes(db: Kysely<DB>, requestIds: readonly string[]) {
  if (requestIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('consultation_notes as n')
    .innerJoin('users as u', 'u.id', 'n.author_user_id')
    .select(['n.id', 'n.request_id', 'n.body', 'n.created_at', 'u.display_name as author_name'])
    .where('n.request_id', 'in', requestIds)
    .orderBy('n.created_at')
    .execute();
}

export function findConsultationAppointments(db: Kysely<DB>, requestIds: readonly string[]) {
  if (requestIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('appointments')
    .select(['id', 'consultation_request_id', 'start_at', 'end_at', 'status', 'created_at'])
    .where('consultation_request_id', 'in', requestIds)
    .where('kind', '=', 'consultation')
    .orderBy('created_at')
    .execute();
}

export async function insertConsultationNote(
  db: Kysely<DB>,
  row: { id: string; organization_id: string; request_id: string; author_user_id: string; body: string; created_at: string },
) {
  await db.insertInto('consultation_notes').values(row).execute();
}

export async function countBookingAttempts(db: Kysely<DB>, key: string, sinceIso: string) {
  const row = await db
    .selectFrom('booking_attempts')
    .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.min('at').as('oldest')])
    .where('throttle_key', '=', key)
    .where('at', '>', sinceIso)
    .executeTakeFirstOrThrow();
  return { count: Number(row.n), oldest: (row.oldest as string | null) ?? null };
}

export async function insertBookingAttempt(db: Kysely<DB>, row: { id: string; throttle_key: string; at: string }) {
  await db.insertInto('booking_attempts').values(row).execute();
}

export function findOrgNotificationRecipients(db: Kysely<DB>, organizationId: string) {
  return db
    .selectFrom('users')
    .select(['email'])
    .where('organization_id', '=', organizationId)
    .where('active', '=', 1)
    .where('role', 'in', ['front_desk', 'clinic_admin'])
    .execute();
}

export function findPatientsByEmailAndDob(db: Kysely<DB>, organizationId: string, email: string, dob: string) {
  return db
    .selectFrom('patients')
    .select(['id', 'legal_given_name', 'legal_family_name', 'date_of_birth', 'email'])
    .where('organization_id', '=', organizationId)
    .where('date_of_birth', '=', dob)
    .where(sql<string>`lower(email)`, '=', email.toLowerCase())
    .execute();
}

// ---- invitations ----

export async function insertInvitation(
  db: Kysely<DB>,
  row: { id: string; organization_id: string; patient_id: string; email: string; expires_at: string; created_by: string; created_at: string },
) {
  await db.insertInto('patient_invitations').values({ ...row, used_at: null }).execute();
}

export function findInvitation(db: Kysely<DB>, id: string) {
  return db
    .selectFrom('patient_invitations as i')
    .innerJoin('patients as p', 'p.id', 'i.patient_id')
    .innerJoin('organizations as o', 'o.id', 'i.organization_id')
    .selectAll('i')
    .select(['p.legal_given_name', 'p.legal_family_name', 'p.preferred_name', 'o.name as clinic_name'])
    .where('i.id', '=', id)
    .executeTakeFirst();
}

/** Marks it used only if still unused: returns false when another request used it first. */
export async function claimInvitation(db: Kysely<DB>, id: string, at: string): Promise<boolean> {
  const result = await db.updateTable('patient_invitations').set({ used_at: at }).where('id', '=', id).where('used_at', 'is', null).executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export function findUserByEmail(db: Kysely<DB>, email: string) {
  return db.selectFrom('users').select(['id']).where('email', '=', email).executeTakeFirst();
}

export function findUserByPatientId(db: Kysely<DB>, patientId: string) {
  return db.selectFrom('users').select(['id', 'email']).where('patient_id', '=', patientId).executeTakeFirst();
}

// ---- calendar feeds ----

export function findActiveFeedToken(db: Kysely<DB>, userId: string) {
  return db
    .selectFrom('calendar_feed_tokens')
    .select(['id', 'created_at'])
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .orderBy('created_at', 'desc')
    .executeTakeFirst();
}

export async function revokeFeedTokens(db: Kysely<DB>, userId: string, at: string) {
  await db.updateTable('calendar_feed_tokens').set({ revoked_at: at }).where('user_id', '=', userId).where('revoked_at', 'is', null).execute();
}

export async function insertFeedToken(
  db: Kysely<DB>,
  row: { id: string; organization_id: string; user_id: string; token_hash: string; created_at: string },
) {
  await db.insertInto('calendar_feed_tokens').values({ ...row, revoked_at: null }).execute();
}

export function findFeedByHash(db: Kysely<DB>, tokenHash: string) {
  return db
    .selectFrom('calendar_feed_tokens as t')
    .innerJoin('users as u', 'u.id', 't.user_id')
    .innerJoin('organizations as o', 'o.id', 't.organization_id')
    .select(['t.id', 't.user_id', 't.organization_id', 't.revoked_at', 'u.active', 'u.display_name', 'o.name as clinic_name', 'o.time_zone'])
    .where('t.token_hash', '=', tokenHash)
    .executeTakeFirst();
}

export function findFeedAppointments(db: Kysely<DB>, userId: string, fromIso: string, toIso: string) {
  return db
    .selectFrom('appointments as a')
    .leftJoin('rooms as r', 'r.id', 'a.room_id')
    .select(['a.id', 'a.kind', 'a.status', 'a.start_at', 'a.end_at', 'a.updated_at', 'r.name as room_name'])
    .where((eb) => eb.or([eb('a.clinician_id', '=', userId), eb('a.nurse_id', '=', userId)]))
    .where('a.end_at', '>', fromIso)
    .where('a.start_at', '<', toIso)
    .orderBy('a.start_at')
    .limit(5000)
    .execute();
}
