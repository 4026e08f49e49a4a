import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { AuditEntry, AuditLog } from './audit-log';
import type { UnchainedRow, WriterReply, WriterRequest } from './audit-writer.worker';

interface Waiter {
  resolve: () => void;
  reject: (error: unknown) => void;
}

/** Audit log for SQLite: rows are chained and committed by a writer thread (see the worker). */
export class SqliteWorkerAuditLog implements AuditLog {
  private readonly worker: Worker;
  private queue: { row: UnchainedRow; waiter: Waiter }[] = [];
  private scheduled = false;
  private nextBatchId = 1;
  private readonly inFlight = new Map<number, Waiter[]>();
  private idleWaiters: (() => void)[] = [];
  private failure: Error | null = null;

  constructor(
    file: string,
    key: string,
    private readonly now: () => Date = () => new Date(),
  ) {
    // The worker is TypeScript like the rest of the service: a two-line bootstrap
    // registers tsx's loader in the new thread (loaders are per thread), then imports it.
    const entry = new URL('./audit-writer.worker.ts', import.meta.url).href;
    const tsxApi = pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm/api').replace(/\.cjs$/, '.mjs')).href;
    this.worker = new Worker(
      `const { workerData } = require('node:worker_threads');
       import(workerData.tsxApi).then((tsx) => { tsx.register(); return import(workerData.entry); });`,
      { eval: true, workerData: { file, key, entry, tsxApi } },
    );
    this.worker.on('message', (reply: WriterReply) => this.settle(reply));
    this.worker.on('error', (error) => this.failAll(error));
    this.worker.on('exit', (code) => {
      if (code !== 0) this.failAll(new Error(`audit writer stopped with code ${code}`));
    });
  }

  record(entry: AuditEntry): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise<void>((resolve, reject) => {
      this.queue.push({
        row: {
          at: this.now().toISOString(),
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
        },
        waiter: { resolve, reject },
      });
      // One batch in flight at a time: while the writer commits (fsync), new rows wait
      // here and travel together in the next message when it answers. Same latency (the
      // writer is busy anyway), far fewer messages.
      if (!this.scheduled && this.inFlight.size === 0) {
        this.scheduled = true;
        setImmediate(() => this.send());
      }
    });
  }

  private send(): void {
    this.scheduled = false;
    if (this.queue.length === 0) return;
    const batch = this.queue;
    this.queue = [];
    const batchId = this.nextBatchId++;
    this.inFlight.set(
      batchId,
      batch.map((b) => b.waiter),
    );
    this.worker.postMessage({ batchId, rows: batch.map((b) => b.row) } satisfies WriterRequest);
  }

  private settle(reply: WriterReply): void {
    for (const id of reply.batchIds) {
      const waiters = this.inFlight.get(id) ?? [];
      this.inFlight.delete(id);
      for (const w of waiters) {
        if (reply.ok) w.resolve();
        else w.reject(new Error(`audit write failed: ${reply.message}`));
      }
    }
    if (this.inFlight.size === 0 && this.queue.length > 0 && !this.scheduled) this.send();
    this.notifyIdle();
  }

  private failAll(error: Error): void {
    this.failure = error;
    for (const waiters of this.inFlight.values()) for (const w of waiters) w.reject(error);
    this.inFlight.clear();
    for (const q of this.queue) q.waiter.reject(error);
    this.queue = [];
    this.notifyIdle();
  }

  private notifyIdle(): void {
    if (this.inFlight.size === 0 && this.queue.length === 0) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const w of waiters) w();
    }
  }

  flush(): Promise<void> {
    if (this.inFlight.size === 0 && this.queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  async close(): Promise<void> {
    await this.flush();
    const exited = new Promise<void>((resolve) => this.worker.once('exit', () => resolve()));
    this.worker.postMessage('close');
    await exited;
  }
}
