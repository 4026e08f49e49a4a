import type { Insertable, Kysely, Updateable } from 'kysely';
import type { DB, PatientGoalsTable } from '../../db/schema';

export function listGoals(db: Kysely<DB>, patientId: string) {
  return db
    .selectFrom('patient_goals as g')
    .innerJoin('users as u', 'u.id', 'g.created_by')
    .selectAll('g')
    .select('u.display_name as created_by_name')
    .where('g.patient_id', '=', patientId)
    .orderBy('g.created_at')
    .orderBy('g.id')
    .execute();
}
export type GoalRow = Awaited<ReturnType<typeof listGoals>>[number];

export function findGoal(db: Kysely<DB>, id: string) {
  return db.selectFrom('patient_goals').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function insertGoal(db: Kysely<DB>, row: Insertable<PatientGoalsTable>) {
  await db.insertInto('patient_goals').values(row).execute();
}

export async function updateGoal(db: Kysely<DB>, id: string, changes: Updateable<PatientGoalsTable>) {
  await db.updateTable('patient_goals').set(changes).where('id', '=', id).execute();
}
