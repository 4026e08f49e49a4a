import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import nodemailer from 'nodemailer';
import type { FastifyBaseLogger } from 'fastify';
import type { Config } from '../../config';
import type { DB } from '../../db/schema';
import * as repo from './outbox.repository';

export interface MailAttachment {
  filename: string;
  contentType: string;
  /** Text content (e.g. an .ics file). */
  content: string;
}

export interface OutgoingMail {
  organizationId: string | null;
  /** What kind of message, for operators: "invitation", "consultation-confirmation", … */
  kind: string;
  to: string;
  subject: string;
  text: string;
  html?: string;
  attachments?: MailAttachment[];
}

const FROM = 'Threshold <no-reply@threshold.local>';

/**
 * Transactional outbox: callers enqueue mail in the same transaction as the change
 * that causes it; the worker delivers it later with retries and backoff, through SMTP
 * when SMTP_URL is set, otherwise into the local mailbox that admins read in the app.
 */
export class Outbox {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = true;
  private readonly smtp: nodemailer.Transporter | null;
  private readonly builder = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });

  constructor(
    private readonly db: Kysely<DB>,
    private readonly dialect: 'sqlite' | 'postgres',
    private readonly config: Pick<Config, 'smtpUrl' | 'outbox'>,
    private readonly log: FastifyBaseLogger,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.smtp = config.smtpUrl ? nodemailer.createTransport(config.smtpUrl) : null;
  }

  /** Queue a message. Pass the transaction that makes the change the mail is about. */
  async enqueue(executor: Kysely<DB>, mail: OutgoingMail): Promise<string> {
    const id = randomUUID();
    const at = this.now().toISOString();
    await repo.insertOutboxMessage(executor, {
      id,
      organization_id: mail.organizationId,
      kind: mail.kind,
      to_address: mail.to,
      subject: mail.subject,
      text_body: mail.text,
      html_body: mail.html ?? null,
      attachments: mail.attachments ? JSON.stringify(mail.attachments) : null,
      status: 'pending',
      attempts: 0,
      next_attempt_at: at,
      locked_until: null,
      last_error: null,
      created_at: at,
      sent_at: null,
    });
    return id;
  }

  /** Ask the worker to look now (after a commit that queued mail). */
  nudge(): void {
    if (!this.stopped) setImmediate(() => void this.runOnce());
  }

  start(): void {
    this.stopped = false;
    const tick = () => {
      void this.runOnce().finally(() => {
        if (!this.stopped) this.timer = setTimeout(tick, this.config.outbox.pollMs);
      });
    };
    tick();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
    this.smtp?.close();
  }

  /** Delivers every due message once; resolves when done. Safe to call concurrently. */
  runOnce(): Promise<void> {
    this.running ??= this.deliverDue().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async deliverDue(): Promise<void> {
    for (;;) {
      const now = this.now();
      const lease = new Date(now.getTime() + 5 * 60_000).toISOString();
      const batch = await repo.claimDueMessages(this.db, this.dialect, now.toISOString(), lease, 20);
      if (batch.length === 0) return;
      for (const row of batch) {
        try {
          await this.deliver(row);
          await repo.markSent(this.db, row.id, this.now().toISOString());
          this.log.info({ outboxId: row.id, kind: row.kind }, 'mail delivered');
        } catch (error) {
          const attempts = row.attempts + 1;
          const final = attempts >= this.config.outbox.maxAttempts;
          // Exponential backoff: 30 s, 1 min, 2 min … capped at one hour.
          const delay = Math.min(30_000 * 2 ** (attempts - 1), 3_600_000);
          const message = error instanceof Error ? error.message : String(error);
          await repo.markAttemptFailed(this.db, row.id, attempts, final, new Date(this.now().getTime() + delay).toISOString(), message);
          this.log.warn({ outboxId: row.id, kind: row.kind, attempts, final }, 'mail delivery failed');
        }
      }
    }
  }

  private async deliver(row: Awaited<ReturnType<typeof repo.claimDueMessages>>[number]): Promise<void> {
    const attachments = row.attachments ? (JSON.parse(row.attachments) as MailAttachment[]) : [];
    const message: nodemailer.SendMailOptions = {
      from: FROM,
      to: row.to_address,
      subject: row.subject,
      text: row.text_body,
      ...(row.html_body ? { html: row.html_body } : {}),
      attachments: attachments.map((a) => ({ filename: a.filename, contentType: a.contentType, content: a.content })),
      messageId: `<${row.id}@threshold.local>`,
    };
    if (this.smtp) {
      await this.smtp.sendMail(message);
      return;
    }
    const built = await this.builder.sendMail(message);
    await repo.insertLocalMailboxMessage(this.db, {
      id: randomUUID(),
      organization_id: row.organization_id,
      outbox_id: row.id,
      to_address: row.to_address,
      subject: row.subject,
      raw: (built.message as Buffer).toString('utf8'),
      delivered_at: this.now().toISOString(),
    });
  }
}
