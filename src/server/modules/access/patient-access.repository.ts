import type { Kysely } from 'kysely';
import { preparedQuery } from '../../db/prepared-query';
import type { DB, PatientRow } from '../../db/schema';

const accessFacts = preparedQuery((db: Kysely<DB>, patientId: string, userId: string, nowIso: string) =>
  db
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
    ])
    .where('p.id', '=', patientId),
);

/**
 * Everything the policy needs about one patient and one actor, in one query (compiled
 * once: every chart read runs it). It returns the patient's row too, so a chart read
 * that is allowed does not read it again.
 */
export async function findPatientAccessFacts(db: Kysely<DB>, patientId: string, userId: string, nowIso: string) {
  const [row] = await accessFacts(db, patientId, userId, nowIso);
  if (!row) return undefined;
  const { on_team, break_glass_until, ...patient } = row;
  const breakGlassUntil = (break_glass_until as string | null) ?? null;
  return {
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
