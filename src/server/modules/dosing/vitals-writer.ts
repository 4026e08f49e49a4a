import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/schema';
import type { LiveEvents, SessionEvent } from './live-events';

/**
 * Group commit for vital-sign batches. Monitors post often (one reading a second per chair),
 * and a durable commit costs an fsync; committing each POST on its own caps the clinic at a
 * few hundred POSTs a second and queues the rest. Instead, batches that arrive while a
 * commit is running are written together in the next transaction, each inside its own
 * SAVEPOINT so one failing batch (a session just discharged, a constraint) is rolled back
 * alone and answered with its own error. Every caller's promise settles only after the
 * commit that holds its batch: the 200 still means "durable".
 */
export class GroupCommitWriter<J, R> {
  private queue: { job: J; resolve: (r: R) => void; reject: (e: unknown) => void }[] = [];
  private running = false;

  constructor(
    private readonly db: Kysely<DB>,
    private readonly live: LiveEvents,
    private readonly write: (trx: Kysely<DB>, job: J) => Promise<{ result: R; events: SessionEvent[] }>,
    private readonly maxGroup = 256,
    private readonly collectMs = 1,
  ) {}

  submit(job: J): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ job, resolve, reject });
      if (!this.running) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.running = true;
    try {
      while (this.queue.length > 0) {
        // A commit blocks the event loop for its fsync (better-sqlite3 is synchronous), so let
        // the requests that are already in flight reach the queue first: one short window
        // turns a burst of POSTs into one commit instead of one commit each.
        await new Promise((resolve) => setTimeout(resolve, this.collectMs));
        const group = this.queue.splice(0, this.maxGroup);
        const outcomes: ({ ok: true; result: R; events: SessionEvent[] } | { ok: false; error: unknown })[] = [];
        try {
          await this.db.transaction().execute(async (trx) => {
            for (const [i, item] of group.entries()) {
              const sp = sql.raw(`vitals_batch_${i}`);
              await sql`savepoint ${sp}`.execute(trx);
              try {
                const { result, events } = await this.write(trx, item.job);
                await sql`release savepoint ${sp}`.execute(trx);
                outcomes.push({ ok: true, result, events });
              } catch (error) {
                await sql`rollback to savepoint ${sp}`.execute(trx);
                await sql`release savepoint ${sp}`.execute(trx);
                outcomes.push({ ok: false, error });
              }
            }
          });
        } catch (error) {
          // The commit itself failed: nothing of the group is stored.
          for (const item of group) item.reject(error);
          continue;
        }
        const committed: SessionEvent[] = [];
        for (const [i, item] of group.entries()) {
          const o = outcomes[i]!;
          if (o.ok) {
            committed.push(...o.events);
            item.resolve(o.result);
          } else item.reject(o.error);
        }
        this.live.publishCommitted(committed);
      }
    } finally {
      this.running = false;
    }
  }
}
