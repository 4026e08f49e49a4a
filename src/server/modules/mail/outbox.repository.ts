import { sql, type Kysely } from 'kysely';
import type { DB, OutboxTable } from '../../db/schema';

export async function insertOutboxMessage(db: Kysely<DB>, row: OutboxTable) {
  await db.insertInto('outbox').values(row).execute();
}

/**
 * Claims due messages for this worker. On PostgreSQL `FOR UPDATE SKIP LOCKED` lets
 * several instances share the outbox without sending a message twice; on SQLite the
 * single writer makes the transaction itself the lock.
 */
export async function claimDueMessages(db: Kysely<DB>, dialect: 'sqlite' | 'postgres', nowIso: string, leaseUntil: string, limit: number) {
  return db.transaction().execute(async (trx) => {
    let q = trx
      .selectFrom('outbox')
      .selectAll()
      .where('status', 'in', ['pending', 'sending'])
      .where('next_attempt_at', '<=', nowIso)
      .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', nowIso)]))
      .orderBy('next_attempt_at')
      .limit(limit);
    if (dialect === 'postgres') q = q.modifyEnd(sql`for update skip locked`);
    const rows = await q.execute();
    if (rows.length > 0) {
      await trx
        .updateTable('outbox')
        .set({ status: 'sending', locked_until: leaseUntil })
        .where(
          'id',
          'in',
          rows.map((r) => r.id),
        )
        .execute();
    }
    return rows;
  });
}

export async function markSent(db: Kysely<DB>, id: string, at: string) {
  await db
    .updateTable('outbox')
    .set((eb) => ({ status: 'sent', sent_at: at, locked_until: null, last_error: null, attempts: eb('attempts', '+', 1) }))
    .where('id', '=', id)
    .execute();
}

export async function markAttemptFailed(db: Kysely<DB>, id: string, attempts: number, finalFailure: boolean, nextAt: string, error: string) {
  await db
    .updateTable('outbox')
    .set({ status: finalFailure ? 'failed' : 'pending', attempts, next_attempt_at: nextAt, locked_until: null, last_error: error.slice(0, 500) })
    .where('id', '=', id)
    .execute();
}

export async function insertLocalMailboxMessage(
  db: Kysely<DB>,
  row: { id: string; organization_id: string | null; outbox_id: string; to_address: string; subject: string; raw: string; delivered_at: string },
) {
  await db.insertInto('local_mailbox').values(row).execute();
}

export function findLocalMailbox(db: Kysely<DB>, organizationId: string, limit: number) {
  return db
    .selectFrom('local_mailbox')
    .select(['id', 'to_address', 'subject', 'delivered_at'])
    .where('organization_id', '=', organizationId)
    .orderBy('delivered_at', 'desc')
    .limit(limit)
    .execute();
}

export function findLocalMailboxMessage(db: Kysely<DB>, organizationId: string, id: string) {
  return db
    .selectFrom('local_mailbox')
    .selectAll()
    .where('organization_id', '=', organizationId)
    .where('id', '=', id)
    .executeTakeFirst();
}

export function countOutboxByStatus(db: Kysely<DB>) {
  return db
    .selectFrom('outbox')
    .select((eb) => ['status', eb.fn.countAll<number>().as('n')])
    .groupBy('status')
    .execute();
}
