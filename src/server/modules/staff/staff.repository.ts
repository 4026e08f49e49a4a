import type { Kysely } from 'kysely';
import type { DB, UsersTable } from '../../db/schema';

export function findStaff(db: Kysely<DB>, organizationId: string) {
  return db
    .selectFrom('users')
    .select(['id', 'email', 'display_name', 'role', 'active', 'created_at'])
    .where('organization_id', '=', organizationId)
    .where('role', '!=', 'patient')
    .orderBy('display_name')
    .execute();
}

export function findStaffById(db: Kysely<DB>, organizationId: string, id: string) {
  return db
    .selectFrom('users')
    .select(['id', 'email', 'display_name', 'role', 'active', 'created_at'])
    .where('organization_id', '=', organizationId)
    .where('id', '=', id)
    .where('role', '!=', 'patient')
    .executeTakeFirst();
}

export function emailTaken(db: Kysely<DB>, email: string) {
  return db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirst();
}

export async function insertUser(db: Kysely<DB>, row: UsersTable) {
  await db.insertInto('users').values(row).execute();
}

export async function updateUser(db: Kysely<DB>, id: string, changes: Partial<Pick<UsersTable, 'display_name' | 'role' | 'active' | 'updated_at'>>) {
  await db.updateTable('users').set(changes).where('id', '=', id).execute();
}
