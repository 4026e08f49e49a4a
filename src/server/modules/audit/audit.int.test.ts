import { spawnSync } from 'node:child_process';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClinicWorld, createTestApp, signIn, type TestContext } from '../../../../test/helpers/test-app';
import { TEST_DIALECT } from '../../../../test/helpers/test-database';
import { verifyAuditChain } from './verify-audit-chain';

let t: TestContext;
let world: Awaited<ReturnType<typeof createClinicWorld>>;

beforeAll(async () => {
  t = await createTestApp();
  world = await createClinicWorld(t.db);
});
afterAll(async () => {
  await t.close();
});

async function auditedReads(n: number) {
  const s = await signIn(t.app, world.users.therapistA.email);
  await Promise.all(
    Array.from({ length: n }, () => t.app.inject({ method: 'GET', url: `/api/patients/${world.patientA.id}`, headers: s.headers })),
  );
  await t.deps.audit.flush();
}

describe('audit log', () => {
  it('appends one row per patient read, durable before the response, chained by hash', async () => {
    const before = await t.db.selectFrom('audit_events').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const s = await signIn(t.app, world.users.therapistA.email);
    const responses = await Promise.all(
      Array.from({ length: 25 }, () => t.app.inject({ method: 'GET', url: `/api/patients/${world.patientA.id}`, headers: s.headers })),
    );
    expect(responses.every((r) => r.statusCode === 200)).toBe(true);
    // No flush: each response already waited for its row.
    const rows = await t.db
      .selectFrom('audit_events')
      .selectAll()
      .where('actor_user_id', '=', world.users.therapistA.id)
      .where('resource', '=', 'patient.demographics')
      .where('action', '=', 'read')
      .execute();
    expect(rows.length).toBeGreaterThanOrEqual(25);
    for (const r of rows) {
      expect(r).toMatchObject({ patient_id: world.patientA.id, actor_role: 'therapist', outcome: 'allowed', organization_id: world.org.id });
      expect(r.ip).toBeTruthy();
      expect(r.request_id).toBeTruthy();
    }
    const after = await t.db.selectFrom('audit_events').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(after.n) - Number(before.n)).toBeGreaterThanOrEqual(26); // 25 reads + the sign-in
    const report = await verifyAuditChain(t.db, t.config.secrets.appSecret);
    expect(report).toEqual({ rowsChecked: Number(after.n), broken: null });
  });

  it('holds references, never patient content', async () => {
    await t.app.inject({
      method: 'PATCH',
      url: `/api/patients/${world.patientA.id}`,
      headers: (await signIn(t.app, world.users.frontDesk.email)).headers,
      payload: { address: '1 Secret Lane, Los Angeles' },
    });
    await t.deps.audit.flush();
    const rows = await t.db.selectFrom('audit_events').selectAll().execute();
    const text = JSON.stringify(rows);
    expect(text).not.toContain('Secret Lane');
    expect(text).not.toContain('Lovelace');
    const write = rows.find((r) => r.action === 'write' && r.patient_id === world.patientA.id && r.actor_user_id === world.users.frontDesk.id);
    expect(JSON.parse(write!.detail!)).toEqual({ fields: ['address'] });
  });

  it('keeps the chain consistent under many concurrent writers', async () => {
    await auditedReads(60);
    const report = await verifyAuditChain(t.db, t.config.secrets.appSecret, 7);
    expect(report.broken).toBeNull();
  });

  describe('tamper detection', () => {
    async function withTampering<T>(tamper: () => Promise<unknown>, restore: () => Promise<unknown>, check: () => Promise<T>): Promise<T> {
      await tamper();
      try {
        return await check();
      } finally {
        await restore();
      }
    }

    it('finds an altered row', async () => {
      await auditedReads(3);
      const target = await t.db.selectFrom('audit_events').selectAll().orderBy('seq', 'desc').offset(1).limit(1).executeTakeFirstOrThrow();
      const report = await withTampering(
        () => t.db.updateTable('audit_events').set({ outcome: 'denied' }).where('seq', '=', target.seq).execute(),
        () => t.db.updateTable('audit_events').set({ outcome: target.outcome }).where('seq', '=', target.seq).execute(),
        () => verifyAuditChain(t.db, t.config.secrets.appSecret),
      );
      expect(report.broken).toEqual({ seq: Number(target.seq), problem: 'hash_mismatch' });
      expect((await verifyAuditChain(t.db, t.config.secrets.appSecret)).broken).toBeNull();
    });

    it('finds a removed row', async () => {
      const target = await t.db.selectFrom('audit_events').selectAll().orderBy('seq', 'asc').offset(3).limit(1).executeTakeFirstOrThrow();
      const report = await withTampering(
        () => t.db.deleteFrom('audit_events').where('seq', '=', target.seq).execute(),
        () => t.db.insertInto('audit_events').values(target).execute(),
        () => verifyAuditChain(t.db, t.config.secrets.appSecret),
      );
      expect(report.broken).toMatchObject({ seq: Number(target.seq) + 1, problem: 'gap' });
    });

    it('finds an inserted row, even one with a well-formed hash made without the key', async () => {
      const last = await t.db.selectFrom('audit_events').selectAll().orderBy('seq', 'desc').limit(1).executeTakeFirstOrThrow();
      const { hashAuditRow } = await import('./audit-chain');
      const forged = { ...last, seq: Number(last.seq) + 1, prev_hash: last.hash, outcome: 'allowed', action: 'forged' };
      forged.hash = hashAuditRow(Buffer.from('not the key, 32 bytes long......').toString('base64'), last.hash, forged);
      const report = await withTampering(
        () => t.db.insertInto('audit_events').values(forged).execute(),
        () => t.db.deleteFrom('audit_events').where('seq', '=', forged.seq).execute(),
        () => verifyAuditChain(t.db, t.config.secrets.appSecret),
      );
      expect(report.broken).toEqual({ seq: forged.seq, problem: 'hash_mismatch' });
    });

    it.runIf(TEST_DIALECT === 'sqlite')('`npm run audit:verify` exits 0 when intact and 1 naming the first broken row', async () => {
      await t.deps.audit.flush();
      const env = { ...process.env, DATA_DIR: t.testDb.dataDir, DATABASE_URL: `sqlite:${t.testDb.databaseConfig.kind === 'sqlite' ? t.testDb.databaseConfig.file : ''}` };
      const run = () => spawnSync('npx', ['tsx', 'scripts/audit-verify.ts'], { env, encoding: 'utf8' });
      const ok = run();
      expect(ok.stdout).toMatch(/audit log intact: \d+ rows verified/);
      expect(ok.status).toBe(0);

      const target = await t.db.selectFrom('audit_events').selectAll().orderBy('seq', 'asc').offset(5).limit(1).executeTakeFirstOrThrow();
      await sql`update audit_events set actor_role = 'clinic_admin' where seq = ${target.seq}`.execute(t.db);
      const bad = run();
      await sql`update audit_events set actor_role = ${target.actor_role} where seq = ${target.seq}`.execute(t.db);
      expect(bad.status).toBe(1);
      expect(bad.stderr).toContain(`row ${target.seq}`);
    });
  });
});

describe('audit page API', () => {
  it('filters by patient, user and local date for admins, and refuses everyone else', async () => {
    const admin = await signIn(t.app, world.users.admin.email);
    const byPatient = await t.app.inject({ method: 'GET', url: `/api/audit?patientId=${world.patientA.id}&limit=500`, headers: admin.headers });
    expect(byPatient.statusCode).toBe(200);
    const items = byPatient.json().items as { patientId: string; patientName: string | null; actorName: string | null; seq: number }[];
    expect(items.length).toBeGreaterThan(0);
    expect(items.every((i) => i.patientName === 'Ada Lovelace')).toBe(true);
    expect(items.every((i) => i.patientId === world.patientA.id)).toBe(true);
    expect(items[0]!.seq).toBeGreaterThan(items[items.length - 1]!.seq);

    const byUser = await t.app.inject({ method: 'GET', url: `/api/audit?userId=${world.users.frontDesk.id}`, headers: admin.headers });
    expect((byUser.json().items as { actorUserId: string }[]).every((i) => i.actorUserId === world.users.frontDesk.id)).toBe(true);

    // The test clock is 2026-11-26T18:00Z = 10:00 in Los Angeles on the 26th.
    const today = await t.app.inject({ method: 'GET', url: '/api/audit?from=2026-11-26&to=2026-11-26', headers: admin.headers });
    expect(today.json().items.length).toBeGreaterThan(0);
    const tomorrow = await t.app.inject({ method: 'GET', url: '/api/audit?from=2026-11-27', headers: admin.headers });
    expect(tomorrow.json().items).toHaveLength(0);

    const foreignAdmin = await signIn(t.app, world.users.foreignAdmin.email);
    const foreign = await t.app.inject({ method: 'GET', url: `/api/audit?patientId=${world.patientA.id}`, headers: foreignAdmin.headers });
    expect(foreign.json().items).toHaveLength(0);

    for (const who of [world.users.therapistA, world.users.frontDesk, world.users.patientA]) {
      const s = await signIn(t.app, who.email);
      expect((await t.app.inject({ method: 'GET', url: '/api/audit', headers: s.headers })).statusCode).toBe(403);
    }
  });
});
