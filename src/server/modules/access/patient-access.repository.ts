import type { Kysely } from 'kysely';
import { preparedQuery } from '../../db/prepared-query';
import type { DB } from '../../db/schema';

const accessFacts = preparedQuery((db: Kysely<DB>, patientId: string, userId: string, nowIso: string) =>
  db
    .selectFrom('patients as p')
    .select((eb) => [
      'p.organization_id',
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

/** Everything the policy needs about one patient and one actor, in one query (compiled once: every chart read runs it). */
export async function findPatientAccessFacts(db: Kysely<DB>, patientId: string, userId: string, nowIso: string) {
  const [row] = await accessFacts(db, patientId, userId, nowIso);
  if (!row) return undefined;
  const breakGlassUntil = (row.break_glass_until as string | null) ?? null;
  return { organizationId: row.organization_id, onTeam: Boolean(row.on_team), breakGlass: breakGlassUntil !== null, breakGlassUntil };
}

export async function insertBreakGlassGrant(
  db: Kysely<DB>,
  row: { id: string; organization_id: string; user_id: string; patient_id: string; reason: string; created_at: string; expires_at: string },
) {
  await db.insertInto('break_glass_grants').values(row).execute();
}
