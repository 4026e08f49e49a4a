import { sql, type Insertable, type Kysely, type Updateable } from 'kysely';
import type {
  AdministrationsTable,
  ClinicProtocolsTable,
  DB,
  DoseOrdersTable,
  DosingSessionsTable,
  SessionAlertsTable,
  SessionEventsTable,
  SessionNotesTable,
  VitalReadingsTable,
} from '../../db/schema';
import { preparedQuery } from '../../db/prepared-query';
import { findAppointmentView, updateAppointment } from '../scheduling/scheduling.repository';

/** Only this file (and its siblings' repositories) touch Kysely; no business rules here. */

// ---- protocol ----
export function findLatestProtocol(db: Kysely<DB>, organizationId: string) {
  return db
    .selectFrom('clinic_protocols as p')
    .leftJoin('users as u', 'u.id', 'p.created_by')
    .select(['p.id', 'p.revision', 'p.document', 'p.change_note', 'p.created_at', 'u.display_name as created_by_name'])
    .where('p.organization_id', '=', organizationId)
    .orderBy('p.revision', 'desc')
    .limit(1)
    .executeTakeFirst();
}

export function findProtocolRevision(db: Kysely<DB>, organizationId: string, revision: number) {
  return db
    .selectFrom('clinic_protocols')
    .select(['document'])
    .where('organization_id', '=', organizationId)
    .where('revision', '=', revision)
    .executeTakeFirst();
}

export function listProtocolRevisions(db: Kysely<DB>, organizationId: string) {
  return db
    .selectFrom('clinic_protocols as p')
    .leftJoin('users as u', 'u.id', 'p.created_by')
    .select(['p.revision', 'p.document', 'p.change_note', 'p.created_at', 'u.display_name as created_by_name'])
    .where('p.organization_id', '=', organizationId)
    .orderBy('p.revision', 'desc')
    .execute();
}

export async function insertProtocolRevision(db: Kysely<DB>, row: Insertable<ClinicProtocolsTable>): Promise<boolean> {
  const r = await db
    .insertInto('clinic_protocols')
    .values(row)
    .onConflict((oc) => oc.columns(['organization_id', 'revision']).doNothing())
    .executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0) === 1;
}

// ---- people, places ----
export function findOrganization(db: Kysely<DB>, id: string) {
  return db.selectFrom('organizations').select(['id', 'name', 'time_zone']).where('id', '=', id).executeTakeFirst();
}

export function findUsersByIds(db: Kysely<DB>, ids: readonly string[]) {
  if (ids.length === 0) return Promise.resolve([]);
  return db.selectFrom('users').select(['id', 'display_name', 'role', 'organization_id', 'active', 'email']).where('id', 'in', [...ids]).execute();
}

export function findStaffByRole(db: Kysely<DB>, organizationId: string, roles: readonly string[]) {
  return db
    .selectFrom('users')
    .select(['id', 'email', 'role', 'display_name'])
    .where('organization_id', '=', organizationId)
    .where('role', 'in', roles as never)
    .where('active', '=', 1)
    .execute();
}

export function findPatientContact(db: Kysely<DB>, id: string) {
  return db
    .selectFrom('patients')
    .select(['id', 'organization_id', 'legal_given_name', 'legal_family_name', 'preferred_name', 'email'])
    .where('id', '=', id)
    .executeTakeFirst();
}

/** A dosing appointment, through the scheduling module's repository (issue 3). */
export const findAppointment = (db: Kysely<DB>, id: string) => findAppointmentView(db, id);

/** Keep the appointment's status in step with the session (scheduling's repository does the write). */
export const setAppointmentStatus = (db: Kysely<DB>, id: string, status: 'checked_in' | 'in_progress' | 'completed', at: string) =>
  updateAppointment(db, id, { status, updated_at: at });

/** Dosing appointments of a clinic in [fromIso, toIso) that have no session yet. */
export function findDosingAppointmentsWithoutSession(db: Kysely<DB>, organizationId: string, fromIso: string, toIso: string) {
  return db
    .selectFrom('appointments as a')
    .innerJoin('patients as p', 'p.id', 'a.patient_id')
    .leftJoin('rooms as r', 'r.id', 'a.room_id')
    .leftJoin('dosing_sessions as s', 's.appointment_id', 'a.id')
    .select(['a.id', 'a.patient_id', 'a.start_at', 'r.name as room_name', 'p.legal_given_name', 'p.legal_family_name', 'p.preferred_name'])
    .where('a.organization_id', '=', organizationId)
    .where('a.kind', '=', 'dosing')
    .where('a.status', 'not in', ['cancelled', 'no_show', 'completed'])
    .where('a.start_at', '>=', fromIso)
    .where('a.start_at', '<', toIso)
    .where('s.id', 'is', null)
    .orderBy('a.start_at')
    .execute();
}

// ---- sessions ----
// On every session request (each monitor POSTs once a second): compiled once, and on
// SQLite outside a transaction run on the read connection (see preparedQuery).
const sessionById = preparedQuery((db: Kysely<DB>, id: string) => db.selectFrom('dosing_sessions').selectAll().where('id', '=', id));
export async function findSessionById(db: Kysely<DB>, id: string): Promise<DosingSessionsTable | undefined> {
  return (await sessionById(db, id))[0];
}

export function findSessionByAppointment(db: Kysely<DB>, appointmentId: string) {
  return db.selectFrom('dosing_sessions').select(['id']).where('appointment_id', '=', appointmentId).executeTakeFirst();
}

export async function insertSession(db: Kysely<DB>, row: Insertable<DosingSessionsTable>): Promise<boolean> {
  const r = await db.insertInto('dosing_sessions').values(row).onConflict((oc) => oc.column('appointment_id').doNothing()).executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0) === 1;
}

export async function updateSession(db: Kysely<DB>, id: string, changes: Updateable<DosingSessionsTable>, whereState?: string) {
  let q = db.updateTable('dosing_sessions').set(changes).where('id', '=', id);
  if (whereState) q = q.where('state', '=', whereState);
  const r = await q.executeTakeFirst();
  return Number(r.numUpdatedRows);
}

/** Reserve `n` event sequence numbers; returns the last one. Locks the session row (PostgreSQL). */
export async function reserveEventSeq(db: Kysely<DB>, sessionId: string, n: number): Promise<{ last: number; state: string }> {
  const row = await db
    .updateTable('dosing_sessions')
    .set((eb) => ({ event_seq: eb('event_seq', '+', n) }))
    .where('id', '=', sessionId)
    .returning(['event_seq', 'state'])
    .executeTakeFirstOrThrow();
  return { last: Number(row.event_seq), state: row.state };
}

export function insertTransition(db: Kysely<DB>, row: Insertable<DB['dosing_transitions']>) {
  return db.insertInto('dosing_transitions').values(row).execute();
}

export function listTransitions(db: Kysely<DB>, sessionId: string) {
  return db
    .selectFrom('dosing_transitions as t')
    .leftJoin('users as u', 'u.id', 't.by_user_id')
    .select(['t.id', 't.from_state', 't.to_state', 't.at', 't.by_role', 't.reason_enc', 't.overridden_reasons', 'u.display_name'])
    .where('t.session_id', '=', sessionId)
    .orderBy('t.at')
    .execute();
}

export function findOtherSessionsLastDose(db: Kysely<DB>, patientId: string, excludeSessionId: string) {
  return db
    .selectFrom('dosing_sessions')
    .select(['id', 'first_dose_at', 'weight_kg'])
    .where('patient_id', '=', patientId)
    .where('id', '!=', excludeSessionId)
    .where('first_dose_at', 'is not', null)
    .orderBy('first_dose_at', 'desc')
    .limit(1)
    .executeTakeFirst();
}

// ---- dose orders and administrations ----
export function insertDoseOrder(db: Kysely<DB>, row: Insertable<DoseOrdersTable>) {
  return db.insertInto('dose_orders').values(row).execute();
}

export function supersedeOpenOrders(db: Kysely<DB>, sessionId: string) {
  return db.updateTable('dose_orders').set({ status: 'superseded' }).where('session_id', '=', sessionId).where('status', '=', 'awaiting_verification').execute();
}

export function listDoseOrders(db: Kysely<DB>, sessionId: string) {
  return db.selectFrom('dose_orders').selectAll().where('session_id', '=', sessionId).orderBy('calculated_at').orderBy('id').execute();
}

export function findDoseOrder(db: Kysely<DB>, sessionId: string, id: string) {
  return db.selectFrom('dose_orders').selectAll().where('session_id', '=', sessionId).where('id', '=', id).executeTakeFirst();
}

export async function verifyDoseOrder(db: Kysely<DB>, id: string, by: string, at: string): Promise<boolean> {
  const r = await db
    .updateTable('dose_orders')
    .set({ status: 'verified', verified_by: by, verified_at: at })
    .where('id', '=', id)
    .where('status', '=', 'awaiting_verification')
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function insertAdministration(db: Kysely<DB>, row: Insertable<AdministrationsTable>): Promise<boolean> {
  const r = await db
    .insertInto('administrations')
    .values(row)
    .onConflict((oc) => oc.columns(['session_id', 'idempotency_key']).doNothing())
    .executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0) === 1;
}

export function findAdministrationByKey(db: Kysely<DB>, sessionId: string, key: string) {
  return db.selectFrom('administrations').selectAll().where('session_id', '=', sessionId).where('idempotency_key', '=', key).executeTakeFirst();
}

export function findAdministration(db: Kysely<DB>, sessionId: string, id: string) {
  return db.selectFrom('administrations').selectAll().where('session_id', '=', sessionId).where('id', '=', id).executeTakeFirst();
}

export function listAdministrations(db: Kysely<DB>, sessionId: string) {
  return db.selectFrom('administrations').selectAll().where('session_id', '=', sessionId).orderBy('started_at').orderBy('id').execute();
}

/** Previous dose of the patient in another session, for the titration limit. */
export function findPreviousAdministration(db: Kysely<DB>, patientId: string, excludeSessionId: string) {
  return db
    .selectFrom('administrations as a')
    .innerJoin('dosing_sessions as s', 's.id', 'a.session_id')
    .select(['a.route', 'a.dose_mg', 's.weight_kg', 'a.started_at'])
    .where('a.patient_id', '=', patientId)
    .where('a.session_id', '!=', excludeSessionId)
    .orderBy('a.started_at', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/** Sets the end time once: never overwrites one. */
export async function endAdministration(db: Kysely<DB>, id: string, endedAt: string): Promise<boolean> {
  const r = await db.updateTable('administrations').set({ ended_at: endedAt }).where('id', '=', id).where('ended_at', 'is', null).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export function insertAdministrationAddendum(db: Kysely<DB>, row: Insertable<DB['administration_addenda']>) {
  return db.insertInto('administration_addenda').values(row).execute();
}

export function listAdministrationAddenda(db: Kysely<DB>, administrationIds: readonly string[]) {
  if (administrationIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('administration_addenda as a')
    .leftJoin('users as u', 'u.id', 'a.author_id')
    .select(['a.id', 'a.administration_id', 'a.text_enc', 'a.created_at', 'u.display_name'])
    .where('a.administration_id', 'in', [...administrationIds])
    .orderBy('a.created_at')
    .execute();
}

export function insertControlledEntry(db: Kysely<DB>, row: Insertable<DB['controlled_substance_log']>) {
  return db.insertInto('controlled_substance_log').values(row).execute();
}

export function listControlledEntries(db: Kysely<DB>, organizationId: string, lot: string) {
  return db
    .selectFrom('controlled_substance_log as l')
    .leftJoin('users as r', 'r.id', 'l.recorded_by')
    .leftJoin('users as w', 'w.id', 'l.witness_id')
    .select(['l.id', 'l.kind', 'l.drug', 'l.amount_mg', 'l.session_id', 'l.at', 'r.display_name as recorded_by_name', 'w.display_name as witness_name'])
    .where('l.organization_id', '=', organizationId)
    .where('l.lot', '=', lot)
    .orderBy('l.at')
    .execute();
}

// ---- vitals ----
// The vitals hot path (one POST a second per chair): statements compiled once (see
// preparedQuery). They are only ever run inside a write transaction.
const claimKey = preparedQuery((db: Kysely<DB>, sessionId: string, key: string, at: string) =>
  db
    .insertInto('vital_batches')
    .values({ session_id: sessionId, idempotency_key: key, response: '', created_at: at })
    .onConflict((oc) => oc.columns(['session_id', 'idempotency_key']).doNothing())
    .returning('session_id'),
);
/** Claims an idempotency key; false when a batch with this key was stored before (a retry). */
export async function claimBatchKey(db: Kysely<DB>, sessionId: string, key: string, at: string): Promise<boolean> {
  return (await claimKey(db, sessionId, key, at)).length === 1;
}

const bumpSeq = preparedQuery((db: Kysely<DB>, sessionId: string, n: number, maxAt: string) =>
  db
    .updateTable('dosing_sessions')
    .set((eb) => ({
      event_seq: eb('event_seq', '+', n),
      last_reading_at: sql<string>`case when last_reading_at is null or last_reading_at < ${maxAt} then ${maxAt} else last_reading_at end`,
    }))
    .where('id', '=', sessionId)
    .returning(['event_seq', 'state']),
);
/** Reserves `n` event numbers for readings and moves last_reading_at forward; locks the session row. */
export async function reserveReadingSeq(db: Kysely<DB>, sessionId: string, n: number, maxAt: string): Promise<{ last: number; state: string }> {
  const row = (await bumpSeq(db, sessionId, n, maxAt))[0];
  if (!row) throw new Error(`dosing session ${sessionId} is missing`);
  return { last: Number(row.event_seq), state: row.state };
}

export function findBatch(db: Kysely<DB>, sessionId: string, key: string) {
  return db.selectFrom('vital_batches').select(['response']).where('session_id', '=', sessionId).where('idempotency_key', '=', key).executeTakeFirst();
}

const saveResponse = preparedQuery((db: Kysely<DB>, sessionId: string, key: string, response: string) =>
  db.updateTable('vital_batches').set({ response }).where('session_id', '=', sessionId).where('idempotency_key', '=', key),
);
export async function saveBatchResponse(db: Kysely<DB>, sessionId: string, key: string, response: string): Promise<void> {
  await saveResponse(db, sessionId, key, response);
}

const insertOneReading = preparedQuery(
  (
    db: Kysely<DB>,
    id: string,
    organizationId: string,
    sessionId: string,
    at: string,
    hr: number | null,
    sbp: number | null,
    dbp: number | null,
    spo2: number | null,
    rr: number | null,
    source: VitalReadingsTable['source'],
    phase: string,
    seq: number,
    recordedBy: string,
    receivedAt: string,
  ) =>
    db.insertInto('vital_readings').values({
      id,
      organization_id: organizationId,
      session_id: sessionId,
      at,
      hr,
      sbp,
      dbp,
      spo2,
      rr,
      source,
      phase,
      seq,
      recorded_by: recordedBy,
      received_at: receivedAt,
    }),
);

export async function insertReadings(db: Kysely<DB>, rows: VitalReadingsTable[]) {
  if (rows.length === 1) {
    // A monitor's usual POST: one reading, through the statement compiled once.
    const r = rows[0]!;
    await insertOneReading(db, r.id, r.organization_id, r.session_id, r.at, r.hr, r.sbp, r.dbp, r.spo2, r.rr, r.source, r.phase, r.seq, r.recorded_by, r.received_at);
    return;
  }
  // Chunked so a large batch stays under SQLite's bound-parameter limit.
  for (let i = 0; i < rows.length; i += 200) await db.insertInto('vital_readings').values(rows.slice(i, i + 200)).execute();
}

export function listReadings(db: Kysely<DB>, sessionId: string) {
  return db.selectFrom('vital_readings').selectAll().where('session_id', '=', sessionId).orderBy('at').orderBy('seq').execute();
}

export function latestReading(db: Kysely<DB>, sessionId: string, phases?: readonly string[]) {
  let q = db.selectFrom('vital_readings').selectAll().where('session_id', '=', sessionId);
  if (phases) q = q.where('phase', 'in', [...phases]);
  return q.orderBy('at', 'desc').orderBy('seq', 'desc').limit(1).executeTakeFirst();
}

export function readingsAfter(db: Kysely<DB>, sessionId: string, afterSeq: number, limit: number) {
  return db
    .selectFrom('vital_readings')
    .selectAll()
    .where('session_id', '=', sessionId)
    .where('seq', '>', afterSeq)
    .orderBy('seq')
    .limit(limit)
    .execute();
}

export function eventsAfter(db: Kysely<DB>, sessionId: string, afterSeq: number, limit: number) {
  return db
    .selectFrom('session_events')
    .selectAll()
    .where('session_id', '=', sessionId)
    .where('seq', '>', afterSeq)
    .orderBy('seq')
    .limit(limit)
    .execute();
}

export function insertEvents(db: Kysely<DB>, rows: Insertable<SessionEventsTable>[]) {
  if (rows.length === 0) return Promise.resolve();
  return db.insertInto('session_events').values(rows).execute();
}

// ---- alerts ----
export function listAlerts(db: Kysely<DB>, sessionId: string) {
  return db
    .selectFrom('session_alerts as a')
    .leftJoin('users as u', 'u.id', 'a.acknowledged_by')
    .selectAll('a')
    .select(['u.display_name as acknowledged_by_name'])
    .where('a.session_id', '=', sessionId)
    .orderBy('a.raised_at')
    .orderBy('a.id')
    .execute();
}

const openRules = preparedQuery((db: Kysely<DB>, sessionId: string) =>
  db.selectFrom('session_alerts').select(['rule']).where('session_id', '=', sessionId).where('status', '=', 'open'),
);
export function openAlertRules(db: Kysely<DB>, sessionId: string): Promise<{ rule: string }[]> {
  return openRules(db, sessionId);
}

export async function countOpenAlerts(db: Kysely<DB>, sessionId: string): Promise<number> {
  const r = await db
    .selectFrom('session_alerts')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('session_id', '=', sessionId)
    .where('status', '=', 'open')
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

export async function insertAlert(db: Kysely<DB>, row: Insertable<SessionAlertsTable>): Promise<boolean> {
  const r = await db.insertInto('session_alerts').values(row).onConflict((oc) => oc.column('dedupe_key').doNothing()).executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0) === 1;
}

export function findAlert(db: Kysely<DB>, sessionId: string, id: string) {
  return db
    .selectFrom('session_alerts as a')
    .leftJoin('users as u', 'u.id', 'a.acknowledged_by')
    .selectAll('a')
    .select(['u.display_name as acknowledged_by_name'])
    .where('a.session_id', '=', sessionId)
    .where('a.id', '=', id)
    .executeTakeFirst();
}

export async function acknowledgeAlert(db: Kysely<DB>, id: string, by: string, at: string, interventionEnc: string): Promise<boolean> {
  const r = await db
    .updateTable('session_alerts')
    .set({ status: 'acknowledged', acknowledged_by: by, acknowledged_at: at, intervention_enc: interventionEnc })
    .where('id', '=', id)
    .where('status', '=', 'open')
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Compare-and-set: only one instance wins an escalation step. */
export async function escalateAlert(db: Kysely<DB>, id: string, from: string, to: 'prescriber' | 'admin', at: string): Promise<boolean> {
  const r = await db
    .updateTable('session_alerts')
    .set({ escalation_level: to, escalated_at: at })
    .where('id', '=', id)
    .where('status', '=', 'open')
    .where('escalation_level', '=', from as never)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export function listOpenAlertsEverywhere(db: Kysely<DB>, limit: number) {
  return db
    .selectFrom('session_alerts as a')
    .innerJoin('dosing_sessions as s', 's.id', 'a.session_id')
    .select(['a.id', 'a.session_id', 'a.raised_at', 'a.escalation_level', 'a.level', 's.organization_id', 's.protocol_revision', 's.patient_id', 's.room_id'])
    .where('a.status', '=', 'open')
    .where('a.escalation_level', '!=', 'admin')
    .orderBy('a.raised_at')
    .limit(limit)
    .execute();
}

export function listMonitoredSessions(db: Kysely<DB>, limit: number) {
  return db
    .selectFrom('dosing_sessions')
    .select(['id', 'organization_id', 'protocol_revision', 'last_reading_at', 'dosing_started_at', 'checked_in_at', 'state'])
    .where('state', 'in', ['dosing', 'monitoring', 'recovery'])
    .limit(limit)
    .execute();
}

// ---- notes ----
export function findNote(db: Kysely<DB>, sessionId: string) {
  return db
    .selectFrom('session_notes as n')
    .leftJoin('users as u', 'u.id', 'n.author_id')
    .selectAll('n')
    .select(['u.display_name as author_name'])
    .where('n.session_id', '=', sessionId)
    .executeTakeFirst();
}

export async function insertNote(db: Kysely<DB>, row: Insertable<SessionNotesTable>): Promise<boolean> {
  const r = await db.insertInto('session_notes').values(row).onConflict((oc) => oc.column('session_id').doNothing()).executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0) === 1;
}

/** Only a draft changes; a signed note never does. */
export async function updateDraftNote(db: Kysely<DB>, id: string, changes: Updateable<SessionNotesTable>): Promise<boolean> {
  const r = await db.updateTable('session_notes').set(changes).where('id', '=', id).where('status', '=', 'draft').executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export function insertNoteAddendum(db: Kysely<DB>, row: Insertable<DB['session_note_addenda']>) {
  return db.insertInto('session_note_addenda').values(row).execute();
}

export function listNoteAddenda(db: Kysely<DB>, noteId: string) {
  return db.selectFrom('session_note_addenda').selectAll().where('note_id', '=', noteId).orderBy('created_at').execute();
}

// ---- board ----
export function listActiveSessions(db: Kysely<DB>, organizationId: string) {
  return db
    .selectFrom('dosing_sessions as s')
    .innerJoin('patients as p', 'p.id', 's.patient_id')
    .innerJoin('appointments as a', 'a.id', 's.appointment_id')
    .leftJoin('rooms as r', 'r.id', 's.room_id')
    .select([
      's.id',
      's.patient_id',
      's.state',
      's.first_dose_at',
      's.event_seq',
      'a.start_at',
      'r.name as room_name',
      'p.legal_given_name',
      'p.legal_family_name',
      'p.preferred_name',
    ])
    .where('s.organization_id', '=', organizationId)
    .where('s.state', 'not in', ['discharged', 'aborted'])
    .orderBy('r.name')
    .orderBy('a.start_at')
    .execute();
}

export function listOpenAlertsForSessions(db: Kysely<DB>, sessionIds: readonly string[]) {
  if (sessionIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('session_alerts')
    .selectAll()
    .where('session_id', 'in', [...sessionIds])
    .where('status', '=', 'open')
    .orderBy('raised_at')
    .execute();
}

/** Patient ids (of these) the user may see clinically: care team or a live break-glass grant. */
export async function visiblePatientIds(db: Kysely<DB>, userId: string, patientIds: readonly string[], nowIso: string): Promise<Set<string>> {
  if (patientIds.length === 0) return new Set();
  const [team, glass] = await Promise.all([
    db.selectFrom('care_team_members').select('patient_id').where('user_id', '=', userId).where('patient_id', 'in', [...patientIds]).execute(),
    db
      .selectFrom('break_glass_grants')
      .select('patient_id')
      .where('user_id', '=', userId)
      .where('patient_id', 'in', [...patientIds])
      .where('expires_at', '>', nowIso)
      .execute(),
  ]);
  return new Set([...team, ...glass].map((r) => r.patient_id));
}

/**
 * For each of these patients the caller sees only through break-the-glass (not on the care
 * team), when that access ends (epoch ms, the latest live grant). Care-team patients and
 * patients no longer visible are absent.
 */
export async function breakGlassOnlyUntil(db: Kysely<DB>, userId: string, patientIds: readonly string[], nowIso: string): Promise<Map<string, number>> {
  if (patientIds.length === 0) return new Map();
  const [team, glass] = await Promise.all([
    db.selectFrom('care_team_members').select('patient_id').where('user_id', '=', userId).where('patient_id', 'in', [...patientIds]).execute(),
    db
      .selectFrom('break_glass_grants')
      .select(['patient_id', (eb) => eb.fn.max('expires_at').as('until')])
      .where('user_id', '=', userId)
      .where('patient_id', 'in', [...patientIds])
      .where('expires_at', '>', nowIso)
      .groupBy('patient_id')
      .execute(),
  ]);
  const onTeam = new Set(team.map((r) => r.patient_id));
  return new Map(glass.filter((g) => !onTeam.has(g.patient_id)).map((g) => [g.patient_id, Date.parse(String(g.until))]));
}

export function careTeamOfRole(db: Kysely<DB>, patientId: string, role: string) {
  return db
    .selectFrom('care_team_members as c')
    .innerJoin('users as u', 'u.id', 'c.user_id')
    .select(['u.id', 'u.email', 'u.display_name'])
    .where('c.patient_id', '=', patientId)
    .where('u.role', '=', role as never)
    .where('u.active', '=', 1)
    .execute();
}
