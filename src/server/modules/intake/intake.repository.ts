import { sql, type Insertable, type Kysely, type Updateable } from 'kysely';
import type {
  ClinicIntakeSettingsTable,
  DB,
  InstrumentDefinitionsTable,
  QuestionnaireResponsesTable,
  SafetyAlertsTable,
} from '../../db/schema';

// ---- settings ----

export function findIntakeSettings(db: Kysely<DB>, organizationId: string) {
  return db.selectFrom('clinic_intake_settings').selectAll().where('organization_id', '=', organizationId).executeTakeFirst();
}

export async function upsertIntakeSettings(db: Kysely<DB>, row: Insertable<ClinicIntakeSettingsTable>) {
  await db
    .insertInto('clinic_intake_settings')
    .values(row)
    .onConflict((oc) =>
      oc.column('organization_id').doUpdateSet({
        alert_escalation_minutes: row.alert_escalation_minutes,
        contraindication_rules: row.contraindication_rules ?? null,
        eligibility_valid_days: row.eligibility_valid_days ?? null,
        updated_at: row.updated_at,
        updated_by: row.updated_by ?? null,
      }),
    )
    .execute();
}

// ---- instrument definitions ----

export function findDefinitionById(db: Kysely<DB>, id: string) {
  return db.selectFrom('instrument_definitions').selectAll().where('id', '=', id).executeTakeFirst();
}

export function findDefinitionVersion(db: Kysely<DB>, organizationId: string, code: string, version: string) {
  return db
    .selectFrom('instrument_definitions')
    .selectAll()
    .where('organization_id', '=', organizationId)
    .where('code', '=', code)
    .where('version', '=', version)
    .executeTakeFirst();
}

/** Imported definitions of a clinic, newest first (all versions). */
export function listImportedDefinitions(db: Kysely<DB>, organizationId: string) {
  return db
    .selectFrom('instrument_definitions')
    .selectAll()
    .where('organization_id', '=', organizationId)
    .where('origin', '=', 'imported')
    .orderBy('code')
    .orderBy('created_at', 'desc')
    .execute();
}

export async function insertDefinitionIfAbsent(db: Kysely<DB>, row: Insertable<InstrumentDefinitionsTable>) {
  await db
    .insertInto('instrument_definitions')
    .values(row)
    .onConflict((oc) => oc.columns(['organization_id', 'code', 'version']).doNothing())
    .execute();
}

export async function insertDefinition(db: Kysely<DB>, row: Insertable<InstrumentDefinitionsTable>) {
  await db.insertInto('instrument_definitions').values(row).execute();
}

export async function deactivateOtherImportedVersions(db: Kysely<DB>, organizationId: string, code: string, keepId: string) {
  await db
    .updateTable('instrument_definitions')
    .set({ active: 0 })
    .where('organization_id', '=', organizationId)
    .where('code', '=', code)
    .where('origin', '=', 'imported')
    .where('id', '!=', keepId)
    .execute();
}

export async function setDefinitionActive(db: Kysely<DB>, organizationId: string, id: string, active: boolean) {
  const r = await db
    .updateTable('instrument_definitions')
    .set({ active: active ? 1 : 0 })
    .where('organization_id', '=', organizationId)
    .where('id', '=', id)
    .where('origin', '=', 'imported')
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}

// ---- responses ----

export function findResponseById(db: Kysely<DB>, id: string) {
  return db.selectFrom('questionnaire_responses').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The patient's open draft of an instrument; with `dosingSessionId`, only the one for that dosing session. */
export function findOpenDraft(db: Kysely<DB>, patientId: string, instrumentCode: string, dosingSessionId?: string) {
  let q = db
    .selectFrom('questionnaire_responses')
    .selectAll()
    .where('patient_id', '=', patientId)
    .where('instrument_code', '=', instrumentCode)
    .where('status', '=', 'in_progress');
  if (dosingSessionId !== undefined) q = q.where('dosing_session_id', '=', dosingSessionId);
  return q.orderBy('updated_at', 'desc').executeTakeFirst();
}

/** Responses answered for a dosing session (post-session measure), oldest first. */
export function listResponsesForDosingSession(db: Kysely<DB>, dosingSessionId: string) {
  return db
    .selectFrom('questionnaire_responses as r')
    .innerJoin('users as u', 'u.id', 'r.entered_by')
    .selectAll('r')
    .select('u.display_name as entered_by_name')
    .where('r.dosing_session_id', '=', dosingSessionId)
    .orderBy('r.started_at', 'asc')
    .orderBy('r.id')
    .execute();
}

export async function insertResponse(db: Kysely<DB>, row: Insertable<QuestionnaireResponsesTable>) {
  await db.insertInto('questionnaire_responses').values(row).execute();
}

/** Updates a response only while it is still in progress; returns rows changed (0 = already submitted). */
export async function updateDraft(db: Kysely<DB>, id: string, changes: Updateable<QuestionnaireResponsesTable>) {
  const r = await db
    .updateTable('questionnaire_responses')
    .set(changes)
    .where('id', '=', id)
    .where('status', '=', 'in_progress')
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}

export function listResponses(db: Kysely<DB>, patientId: string, filter: { status?: string; instrument?: string }) {
  let q = db
    .selectFrom('questionnaire_responses as r')
    .innerJoin('users as u', 'u.id', 'r.entered_by')
    .selectAll('r')
    .select('u.display_name as entered_by_name')
    .where('r.patient_id', '=', patientId);
  if (filter.status) q = q.where('r.status', '=', filter.status as 'in_progress' | 'submitted');
  if (filter.instrument) q = q.where('r.instrument_code', '=', filter.instrument);
  return q.orderBy('r.updated_at', 'desc').orderBy('r.id').execute();
}

export function listSubmittedResponses(db: Kysely<DB>, patientId: string) {
  return db
    .selectFrom('questionnaire_responses')
    .selectAll()
    .where('patient_id', '=', patientId)
    .where('status', '=', 'submitted')
    .orderBy('submitted_at', 'asc')
    .orderBy('id')
    .execute();
}

// ---- safety alerts ----

export async function insertAlert(db: Kysely<DB>, row: Insertable<SafetyAlertsTable>) {
  await db.insertInto('safety_alerts').values(row).execute();
}

export function findAlertsForResponse(db: Kysely<DB>, responseId: string) {
  return db.selectFrom('safety_alerts').selectAll().where('response_id', '=', responseId).orderBy('raised_at').execute();
}

export function findAlertById(db: Kysely<DB>, id: string) {
  return db.selectFrom('safety_alerts').selectAll().where('id', '=', id).executeTakeFirst();
}

const alertColumns = [
  'a.id',
  'a.organization_id',
  'a.patient_id',
  'a.response_id',
  'a.priority',
  'a.instrument_code',
  'a.item_id',
  'a.answer_value',
  'a.status',
  'a.raised_at',
  'a.acknowledged_at',
  'a.acknowledged_by',
  'a.follow_up_enc',
  'a.escalated_at',
  'p.legal_given_name',
  'p.legal_family_name',
  'p.preferred_name',
  'r.definition_id',
  'ack.display_name as acknowledged_by_name',
] as const;

export interface AlertQuery {
  organizationId: string;
  status: 'open' | 'acknowledged' | 'all';
  patientId?: string;
  /** Care-team scope for clinicians (care team or live break-glass grant). */
  careTeamOf?: { userId: string; nowIso: string };
  onlyEscalated?: boolean;
}

export function listAlerts(db: Kysely<DB>, s: AlertQuery) {
  let q = db
    .selectFrom('safety_alerts as a')
    .innerJoin('patients as p', 'p.id', 'a.patient_id')
    .innerJoin('questionnaire_responses as r', 'r.id', 'a.response_id')
    .leftJoin('users as ack', 'ack.id', 'a.acknowledged_by')
    .select(alertColumns)
    .where('a.organization_id', '=', s.organizationId);
  if (s.status !== 'all') q = q.where('a.status', '=', s.status);
  if (s.patientId) q = q.where('a.patient_id', '=', s.patientId);
  if (s.onlyEscalated) q = q.where('a.escalated_at', 'is not', null);
  if (s.careTeamOf) {
    const { userId, nowIso } = s.careTeamOf;
    q = q.where((eb) =>
      eb.or([
        eb.exists(eb.selectFrom('care_team_members as c').select('c.user_id').whereRef('c.patient_id', '=', 'a.patient_id').where('c.user_id', '=', userId)),
        eb.exists(
          eb
            .selectFrom('break_glass_grants as g')
            .select('g.id')
            .whereRef('g.patient_id', '=', 'a.patient_id')
            .where('g.user_id', '=', userId)
            .where('g.expires_at', '>', nowIso),
        ),
      ]),
    );
  }
  return q.orderBy('a.raised_at', 'desc').orderBy('a.id').limit(500).execute();
}
export type AlertListRow = Awaited<ReturnType<typeof listAlerts>>[number];

export async function acknowledgeAlert(db: Kysely<DB>, id: string, by: string, at: string, followUpEnc: string) {
  const r = await db
    .updateTable('safety_alerts')
    .set({ status: 'acknowledged', acknowledged_at: at, acknowledged_by: by, follow_up_enc: followUpEnc })
    .where('id', '=', id)
    .where('status', '=', 'open')
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}

/** Open, not yet escalated alerts raised at or before `raisedBefore` (candidates; each org's delay is applied by the caller). */
export function findEscalationCandidates(db: Kysely<DB>, raisedBefore: string) {
  return db
    .selectFrom('safety_alerts as a')
    .leftJoin('clinic_intake_settings as s', 's.organization_id', 'a.organization_id')
    .select(['a.id', 'a.organization_id', 'a.patient_id', 'a.raised_at', 's.alert_escalation_minutes'])
    .where('a.status', '=', 'open')
    .where('a.escalated_at', 'is', null)
    .where('a.raised_at', '<=', raisedBefore)
    .orderBy('a.raised_at')
    .limit(200)
    .execute();
}

/** The claim: only one instance's conditional UPDATE succeeds for an alert. */
export async function claimEscalation(db: Kysely<DB>, id: string, at: string, claimant: string) {
  const r = await db
    .updateTable('safety_alerts')
    .set({ escalated_at: at, escalation_claimed_by: claimant })
    .where('id', '=', id)
    .where('status', '=', 'open')
    .where('escalated_at', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

// ---- people ----

/** Active clinical care-team members with their e-mail (for alert notifications). */
export function findCareTeamClinicians(db: Kysely<DB>, patientId: string) {
  return db
    .selectFrom('care_team_members as c')
    .innerJoin('users as u', 'u.id', 'c.user_id')
    .select(['u.id', 'u.email', 'u.role'])
    .where('c.patient_id', '=', patientId)
    .where('u.active', '=', 1)
    .where('u.role', 'in', ['therapist', 'prescriber', 'nurse'])
    .execute();
}

export function findActiveAdmins(db: Kysely<DB>, organizationId: string) {
  return db
    .selectFrom('users')
    .select(['id', 'email'])
    .where('organization_id', '=', organizationId)
    .where('role', '=', 'clinic_admin')
    .where('active', '=', 1)
    .execute();
}

export function findUserNames(db: Kysely<DB>, ids: readonly string[]) {
  if (ids.length === 0) return Promise.resolve([] as { id: string; display_name: string }[]);
  return db.selectFrom('users').select(['id', 'display_name']).where('id', 'in', [...new Set(ids)]).execute();
}

export function findPatientBasics(db: Kysely<DB>, patientId: string) {
  return db
    .selectFrom('patients')
    .select(['id', 'organization_id', 'legal_given_name', 'legal_family_name', 'preferred_name', 'date_of_birth'])
    .where('id', '=', patientId)
    .executeTakeFirst();
}

/**
 * Take the write lock at the start of a read-then-write transaction. SQLite: a no-op write
 * (BEGIN IMMEDIATE semantics) so the transaction never fails upgrading a read snapshot while
 * another connection (the audit writer) commits. PostgreSQL: an advisory lock per patient, so
 * two saves of the same draft (two devices, two quick clicks) run one after the other.
 */
export async function lockPatientIntake(trx: Kysely<DB>, dialect: 'sqlite' | 'postgres', key: string): Promise<void> {
  if (dialect === 'postgres') {
    await sql`select pg_advisory_xact_lock(hashtextextended(${`intake:${key}`}, 0))`.execute(trx);
    return;
  }
  await sql`update clinic_intake_settings set updated_at = updated_at where 0`.execute(trx);
}
