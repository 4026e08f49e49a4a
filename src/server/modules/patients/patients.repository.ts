import type { Kysely } from 'kysely';
import { preparedQuery } from '../../db/prepared-query';
import type { DB, NewPatientRow, PatientUpdate } from '../../db/schema';

// Chart reads are the hottest path in the service: these two are compiled once.
const patientById = preparedQuery((db: Kysely<DB>, id: string) => db.selectFrom('patients').selectAll().where('id', '=', id));
const careTeamOf = preparedQuery((db: Kysely<DB>, patientId: string) =>
  db
    .selectFrom('care_team_members as c')
    .innerJoin('users as u', 'u.id', 'c.user_id')
    .select(['u.id as user_id', 'u.display_name', 'u.role'])
    .where('c.patient_id', '=', patientId)
    .orderBy('u.display_name'),
);

export async function findPatientById(db: Kysely<DB>, id: string) {
  const [row] = await patientById(db, id);
  return row;
}

export function findCareTeam(db: Kysely<DB>, patientId: string) {
  return careTeamOf(db, patientId);
}

export interface PatientSearch {
  organizationId: string;
  /** Limit to patients on this user's care team (or with a live break-glass grant). */
  careTeamOf?: { userId: string; nowIso: string };
  onlyPatientId?: string;
  nameLike?: string;
  dob?: string;
  limit: number;
  offset: number;
}

export async function searchPatients(db: Kysely<DB>, s: PatientSearch) {
  let q = db.selectFrom('patients as p').where('p.organization_id', '=', s.organizationId);
  if (s.careTeamOf) {
    const { userId, nowIso } = s.careTeamOf;
    q = q.where((eb) =>
      eb.or([
        eb.exists(
          eb.selectFrom('care_team_members as c').select('c.user_id').whereRef('c.patient_id', '=', 'p.id').where('c.user_id', '=', userId),
        ),
        eb.exists(
          eb
            .selectFrom('break_glass_grants as g')
            .select('g.id')
            .whereRef('g.patient_id', '=', 'p.id')
            .where('g.user_id', '=', userId)
            .where('g.expires_at', '>', nowIso),
        ),
      ]),
    );
  }
  if (s.onlyPatientId) q = q.where('p.id', '=', s.onlyPatientId);
  if (s.nameLike) q = q.where('p.search_name', 'like', `%${s.nameLike}%`);
  if (s.dob) q = q.where('p.date_of_birth', '=', s.dob);
  const [items, total] = await Promise.all([
    q
      .select(['p.id', 'p.legal_given_name', 'p.legal_family_name', 'p.preferred_name', 'p.date_of_birth'])
      .orderBy('p.legal_family_name')
      .orderBy('p.legal_given_name')
      .orderBy('p.id')
      .limit(s.limit)
      .offset(s.offset)
      .execute(),
    q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { items, total: Number(total.n) };
}

export async function insertPatient(db: Kysely<DB>, row: NewPatientRow) {
  await db.insertInto('patients').values(row).execute();
}

export async function updatePatient(db: Kysely<DB>, id: string, changes: PatientUpdate) {
  await db.updateTable('patients').set(changes).where('id', '=', id).execute();
}

export async function findStaffInOrganization(db: Kysely<DB>, organizationId: string, userIds: readonly string[]) {
  if (userIds.length === 0) return [];
  return db
    .selectFrom('users')
    .select(['id', 'role', 'active'])
    .where('organization_id', '=', organizationId)
    .where('id', 'in', userIds)
    .where('role', '!=', 'patient')
    .execute();
}

export async function replaceCareTeam(
  db: Kysely<DB>,
  organizationId: string,
  patientId: string,
  userIds: readonly string[],
  addedBy: string,
  at: string,
) {
  const current = await db.selectFrom('care_team_members').select('user_id').where('patient_id', '=', patientId).execute();
  const keep = new Set(userIds);
  const removed = current.map((r) => r.user_id).filter((id) => !keep.has(id));
  const existing = new Set(current.map((r) => r.user_id));
  const added = userIds.filter((id) => !existing.has(id));
  if (removed.length > 0) {
    await db.deleteFrom('care_team_members').where('patient_id', '=', patientId).where('user_id', 'in', removed).execute();
  }
  if (added.length > 0) {
    await db
      .insertInto('care_team_members')
      .values(added.map((user_id) => ({ organization_id: organizationId, patient_id: patientId, user_id, added_by: addedBy, added_at: at })))
      .execute();
  }
  return { added, removed };
}
