import { sql, type Kysely } from 'kysely';
import type { VitalsBatchResult } from '../../../core/schemas/dosing.schema';
import type { DB } from '../../db/schema';
import type { WriteAudit } from '../access/patient-access';
import { SqliteWorkerAuditLog } from '../audit/sqlite-audit-log';
import type { DosingContext } from './dosing-context';
import type { LiveEvents, SessionEvent } from './live-events';
import { writeVitalBatch, type VitalsBatchJob, type VitalsBatchOutcome } from './vitals-store';

/**
 * Stores a vitals batch durably; resolves after the commit that holds it, once its events
 * are published. Where it can, the POST's audit row goes into that same commit.
 */
export interface VitalsWriter {
  submit(writeAudit: WriteAudit, job: VitalsBatchJob): Promise<VitalsBatchResult>;
}

const STORE_MODULE = new URL('./vitals-store.ts', import.meta.url).href;

/**
 * The writer for a dosing context. On SQLite the batch goes to the SQLite writer thread
 * (the audit writer, modules/audit/audit-writer.worker.ts), which commits it in the same
 * transactions as the audit rows: one writer, so no wait for SQLite's write lock, and no
 * fsync, on the event loop; the events are published here when the thread acknowledges
 * the commit. On PostgreSQL (whose I/O does not block the loop) a group commit on the
 * main thread, with NOTIFY inside the transaction.
 */
export function createVitalsWriter(ctx: DosingContext): VitalsWriter {
  const { audit, db } = ctx.deps;
  if (audit instanceof SqliteWorkerAuditLog) {
    return {
      async submit(writeAudit, job) {
        const { result, events } = await audit.runJob<VitalsBatchOutcome>(STORE_MODULE, job, writeAudit.allowed);
        writeAudit.recordedWithWrite();
        ctx.live.publishCommitted(events);
        return result;
      },
    };
  }
  const notify = (trx: Kysely<DB>, events: SessionEvent[]) => ctx.live.notifyInTransaction(trx, events);
  const options = { notify, protocols: ctx.protocolCache };
  const group = new GroupCommitWriter<VitalsBatchJob, VitalsBatchResult>(db, ctx.live, (trx, job) => writeVitalBatch(trx, job, options));
  return { submit: (_writeAudit, job) => group.submit(job) };
}

/**
 * Group commit for vital-sign batches on the main thread (PostgreSQL). Monitors post often
 * (one reading a second per chair), and a durable commit costs a disk flush; committing
 * each POST on its own caps the clinic at a few hundred POSTs a second and queues the rest. Instead, batches that arrive while a
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
        // Let the requests that are already in flight reach the queue first: one short
        // window turns a burst of POSTs into one commit instead of one commit each.
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
