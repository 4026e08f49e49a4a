import { SqliteAdapter, type Kysely } from 'kysely';
import { jsonArrayFrom as pgJsonArrayFrom } from 'kysely/helpers/postgres';
import { jsonArrayFrom as sqliteJsonArrayFrom } from 'kysely/helpers/sqlite';
import type { Role } from '../../../core/access/roles';
import { preparedQuery } from '../../db/prepared-query';
import type { DB, PatientRow } from '../../db/schema';

export interface CareTeamMember {
  readonly user_id: string;
  readonly display_name: string;
  readonly role: Role;
}

const accessFacts = preparedQuery((db: Kysely<DB>, patientId: string, userId: string, nowIso: string) => {
  const jsonArrayFrom = db.getExecutor().adapter instanceof SqliteAdapter ? sqliteJsonArrayFrom : pgJsonArrayFrom;
  return db
    .selectFrom('patients as p')
    .selectAll('p')
    .select((eb) => [
      eb
        .exists(
          eb
            .selectFrom('care_team_members as c')
            .select('c.user_id')
            .whereRef('c.patient_id', '=', 'p.id')
            .where('c.user_id', '=', userId),
        )
        .as('on_team'),
      eb
        .selectFrom('break_glass_grants as g')
        .select((g) => g.fn.max('g.expires_at').as('until'))
        .whereRef('g.patient_id', '=', 'p.id')
        .where('g.user_id', '=', userId)
        .where('g.expires_at', '>', nowIso)
        .as('break_glass_until'),
      jsonArrayFrom(
        eb
          .selectFrom('care_team_members as t')
          .innerJoin('users as u', 'u.id', 't.user_id')
          .select(['u.id as user_id', 'u.display_name', 'u.role'])
          .whereRef('t.patient_id', '=', 'p.id')
          .orderBy('u.display_name'),
      ).as('care_team'),
    ])
    .where('p.id', '=', patientId);
});

/**
 * Everything the policy needs about one patient and one actor, in one query (compiled
 * once: every chart read runs it). It returns the patient's row and care team too, so
 * a chart read that is allowed does not read them again.
 */
export async function findPatientAccessFacts(db: Kysely<DB>, patientId: string, userId: string, nowIso: string) {
  const [row] = await accessFacts(db, patientId, userId, nowIso);
  if (!row) return undefined;
  const { on_team, break_glass_until, care_team, ...patient } = row;
  const breakGlassUntil = (break_glass_until as string | null) ?? null;
  // SQLite's json_group_array arrives as text; PostgreSQL's json_agg already parsed.
  const careTeam = (typeof care_team === 'string' ? JSON.parse(care_team) : care_team) as CareTeamMember[];
  return {
    careTeam,
    organizationId: patient.organization_id,
    onTeam: Boolean(on_team),
    breakGlass: breakGlassUntil !== null,
    breakGlassUntil,
    patient: patient as PatientRow,
  };
}

export async function insertBreakGlassGrant(
  db: Kysely<DB>,
  row: { id: string; organization_id: string; user_id: string; patient_id: string; reason: string; created_at: string; expires_at: string },
) {
  await db.insertInto('break_glass_grants').values(row).execute();
}
