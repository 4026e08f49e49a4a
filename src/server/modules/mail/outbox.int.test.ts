import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSmtpSink } from '../../../../test/helpers/smtp-sink';
import { createOrganization, createTestApp, createUser, signIn, type TestContext } from '../../../../test/helpers/test-app';

describe('outbox through a real SMTP server', () => {
  let smtp: Awaited<ReturnType<typeof startSmtpSink>>;
  let t: TestContext;
  beforeAll(async () => {
    smtp = await startSmtpSink();
    t = await createTestApp({ SMTP_URL: smtp.url });
  });
  afterAll(async () => {
    await t.close();
    await smtp.close();
  });

  it('delivers queued mail with its attachment', async () => {
    const id = await t.deps.outbox.enqueue(t.db, {
      organizationId: null,
      kind: 'test',
      to: 'someone@example.com',
      subject: 'Your appointment',
      text: 'See you soon.',
      attachments: [{ filename: 'invite.ics', contentType: 'text/calendar; method=REQUEST', content: 'BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n' }],
    });
    await t.deps.outbox.runOnce();
    expect(smtp.received).toHaveLength(1);
    const mail = smtp.received[0]!;
    expect(mail.to).toEqual(['someone@example.com']);
    expect(mail.raw).toContain('Subject: Your appointment');
    expect(mail.raw).toContain('invite.ics');
    const row = await t.db.selectFrom('outbox').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: 'sent', attempts: 1 });
  });

  it('retries with backoff after a failure, then delivers exactly once', async () => {
    smtp.failNext(2);
    const before = smtp.received.length;
    const id = await t.deps.outbox.enqueue(t.db, { organizationId: null, kind: 'test', to: 'retry@example.com', subject: 'Retry me', text: 'x' });
    await t.deps.outbox.runOnce();
    let row = await t.db.selectFrom('outbox').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: 'pending', attempts: 1 });
    expect(row.last_error).toMatch(/451|Try again/);
    const firstRetry = Date.parse(row.next_attempt_at) - t.clock.now.getTime();
    expect(firstRetry).toBe(30_000);

    await t.deps.outbox.runOnce(); // not due yet
    expect(smtp.received.length).toBe(before);

    t.clock.advance(30_000);
    await t.deps.outbox.runOnce();
    row = await t.db.selectFrom('outbox').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect(row.attempts).toBe(2);
    expect(Date.parse(row.next_attempt_at) - t.clock.now.getTime()).toBe(60_000);

    t.clock.advance(60_000);
    await t.deps.outbox.runOnce();
    row = await t.db.selectFrom('outbox').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect(row.status).toBe('sent');
    expect(smtp.received.filter((m) => m.to[0] === 'retry@example.com')).toHaveLength(1);
  });

  it('gives up after the configured number of attempts', async () => {
    smtp.failNext(100);
    const id = await t.deps.outbox.enqueue(t.db, { organizationId: null, kind: 'test', to: 'never@example.com', subject: 'Never', text: 'x' });
    for (let i = 0; i < t.config.outbox.maxAttempts; i++) {
      await t.deps.outbox.runOnce();
      t.clock.advance(3_600_000);
    }
    const row = await t.db.selectFrom('outbox').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: 'failed', attempts: t.config.outbox.maxAttempts });
    smtp.failNext(0);
  });

  it('does not deliver mail whose transaction rolled back', async () => {
    const before = smtp.received.length;
    await expect(
      t.db.transaction().execute(async (trx) => {
        await t.deps.outbox.enqueue(trx, { organizationId: null, kind: 'test', to: 'rollback@example.com', subject: 'No', text: 'x' });
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    await t.deps.outbox.runOnce();
    expect(smtp.received.length).toBe(before);
  });
});

describe('local mailbox when no SMTP_URL is set', () => {
  let t: TestContext;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  it('delivers into the mailbox that the clinic admin reads in the app', async () => {
    const org = await createOrganization(t.db);
    const admin = await createUser(t.db, org.id, 'clinic_admin');
    const therapist = await createUser(t.db, org.id, 'therapist');
    await t.deps.outbox.enqueue(t.db, { organizationId: org.id, kind: 'test', to: 'local@example.com', subject: 'Hello locally', text: 'Body text' });
    await t.deps.outbox.runOnce();

    const s = await signIn(t.app, admin.email);
    const list = await t.app.inject({ method: 'GET', url: '/api/admin/mailbox', headers: s.headers });
    expect(list.statusCode).toBe(200);
    expect(list.json()).toMatchObject({ smtpConfigured: false, items: [{ to: 'local@example.com', subject: 'Hello locally' }] });
    const one = await t.app.inject({ method: 'GET', url: `/api/admin/mailbox/${list.json().items[0].id}`, headers: s.headers });
    expect(one.json().raw).toContain('Body text');

    const other = await signIn(t.app, therapist.email);
    expect((await t.app.inject({ method: 'GET', url: '/api/admin/mailbox', headers: other.headers })).statusCode).toBe(403);
  });
});
