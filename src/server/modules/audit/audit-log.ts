import type { Kysely } from 'kysely';
import type { DB, AuditEventsTable } from '../../db/schema';
import { GENESIS_HASH, hashAuditRow } from './audit-chain';
import { findChainHead, insertAuditRows, lockChainForAppend } from './audit.repository';

export type AuditOutcome = 'allowed' | 'denied' | 'failed';

export interface AuditEntry {
  organizationId: string | null;
  actorUserId: string | null;
  actorRole: string | null;
  patientId: string | null;
  /** What was touched: "patient.demographics", "patient.care_team", "auth.session", … */
  resource: string;
  action: string;
  outcome: AuditOutcome;
  breakGlass?: boolean;
  ip?: string | null;
  requestId?: string | null;
  /** References only (ids, field names, reasons typed by staff for break-glass), never clinical content. */
  detail?: Record<string, unknown> | null;
}

interface Waiter {
  entry: AuditEntry;
  at: string;
  resolve: () => void;
  reject: (error: unknown) => void;
}

export interface AuditLog {
  /** Resolves once the row is durable. */
  record(entry: AuditEntry): Promise<void>;
  /** Resolves when everything recorded so far is committed. */
  flush(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Appends audit rows with group commit through Kysely (used on PostgreSQL, whose I/O
 * does not block the event loop): entries recorded while a commit is running are
 * written together in the next transaction, so every caller still waits for its row to
 * be durable before it answers, without one commit per request. On PostgreSQL an
 * advisory lock serialises appends across instances.
 */
export class KyselyAuditLog implements AuditLog {
  private queue: Waiter[] = [];
  private running: Promise<void> | null = null;

  constructor(
    private readonly db: Kysely<DB>,
    private readonly dialect: 'sqlite' | 'postgres',
    private readonly key: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  record(entry: AuditEntry): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ entry, at: this.now().toISOString(), resolve, reject });
      if (!this.running) this.running = this.drain();
    });
  }

  async flush(): Promise<void> {
    while (this.running) await this.running;
  }

  async close(): Promise<void> {
    await this.flush();
  }

  private async drain(): Promise<void> {
    // Let the current tick's requests join the first batch.
    await new Promise<void>((r) => setImmediate(r));
    try {
      while (this.queue.length > 0) {
        const batch = this.queue;
        this.queue = [];
        try {
          await this.commit(batch);
          for (const w of batch) w.resolve();
        } catch (error) {
          for (const w of batch) w.reject(error);
        }
      }
    } finally {
      this.running = null;
    }
  }

  private async commit(batch: Waiter[]): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await lockChainForAppend(trx, this.dialect);
      const head = (await findChainHead(trx)) ?? { seq: 0, hash: GENESIS_HASH };
      let prev = head;
      const rows: AuditEventsTable[] = batch.map(({ entry, at }) => {
        const fields = {
          seq: prev.seq + 1,
          at,
          organization_id: entry.organizationId,
          actor_user_id: entry.actorUserId,
          actor_role: entry.actorRole,
          patient_id: entry.patientId,
          resource: entry.resource,
          action: entry.action,
          outcome: entry.outcome,
          break_glass: entry.breakGlass ? 1 : 0,
          ip: entry.ip ?? null,
          request_id: entry.requestId ?? null,
          detail: entry.detail ? JSON.stringify(entry.detail) : null,
        };
        const hash = hashAuditRow(this.key, prev.hash, fields);
        const row = { ...fields, prev_hash: prev.hash, hash };
        prev = { seq: fields.seq, hash };
        return row;
      });
      await insertAuditRows(trx, rows);
    });
  }
}
