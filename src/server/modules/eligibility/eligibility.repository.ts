import type { Insertable, Kysely } from 'kysely';
import type { DB, EligibilityAddendaTable, EligibilityDecisionsTable } from '../../db/schema';

export function listDecisions(db: Kysely<DB>, patientId: string) {
  return db.selectFrom('eligibility_decisions').selectAll().where('patient_id', '=', patientId).orderBy('signed_at', 'desc').orderBy('id', 'desc').execute();
}

export function findDecision(db: Kysely<DB>, id: string) {
  return db.selectFrom('eligibility_decisions').selectAll().where('id', '=', id).executeTakeFirst();
}

export function findLatestUnsupersededDecision(db: Kysely<DB>, patientId: string) {
  return db
    .selectFrom('eligibility_decisions')
    .select(['id'])
    .where('patient_id', '=', patientId)
    .where('superseded_by_id', 'is', null)
    .orderBy('signed_at', 'desc')
    .orderBy('id', 'desc')
    .executeTakeFirst();
}

export async function insertDecision(db: Kysely<DB>, row: Insertable<EligibilityDecisionsTable>) {
  await db.insertInto('eligibility_decisions').values(row).execute();
}

/** The only change a signed decision ever gets: a pointer to the decision that superseded it. */
export async function markSuperseded(db: Kysely<DB>, id: string, byId: string) {
  const r = await db
    .updateTable('eligibility_decisions')
    .set({ superseded_by_id: byId })
    .where('id', '=', id)
    .where('superseded_by_id', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}

export function listAddenda(db: Kysely<DB>, patientId: string) {
  return db.selectFrom('eligibility_addenda').selectAll().where('patient_id', '=', patientId).orderBy('created_at').orderBy('id').execute();
}

export async function insertAddendum(db: Kysely<DB>, row: Insertable<EligibilityAddendaTable>) {
  await db.insertInto('eligibility_addenda').values(row).execute();
}
