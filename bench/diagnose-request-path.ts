/**
 * `npx tsx bench/diagnose-request-path.ts [iterations]`
 *
 * Times each step of an audited chart read in isolation, in-process, on a fresh seeded
 * SQLite database with the app's pragmas, to show where a request's main-thread time
 * goes (better-sqlite3 is synchronous: everything here, fsync included, blocks the
 * event loop). Diagnostic only; `npm run bench` is the measurement.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildApp } from '../src/server/app';
import { findPatientAccessFacts } from '../src/server/modules/access/patient-access.repository';
import { resolveSession } from '../src/server/modules/auth/auth.service';
import { findCareTeam, findPatientById } from '../src/server/modules/patients/patients.repository';
import { benchConfig, openSeededDatabase, signIn } from './lib/app-fixture';

const N = Number(process.argv[2] ?? 3000);

async function time(label: string, n: number, fn: () => unknown, perOp = 1): Promise<number> {
  for (let i = 0; i < Math.min(200, n); i++) await fn(); // warm the JIT
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) await fn();
  const us = Number(process.hrtime.bigint() - t0) / 1000 / n / perOp;
  console.log(`  ${us.toFixed(1).padStart(8)} µs  ${label}`);
  return us;
}

async function main(): Promise<void> {
  const workDir = mkdtempSync(path.join(os.tmpdir(), 'threshold-diag-'));
  process.env.BENCH_LOG_LEVEL ??= 'warn'; // keep the app quiet on this terminal
  try {
    const config = benchConfig({ database: 'sqlite', workDir, postgresUrl: null });
    const database = await openSeededDatabase(config);
    const { db, sqlite } = database;
    if (!sqlite) throw new Error('sqlite only');
    const { app, deps } = await buildApp(config, { database });
    const cookie = await signIn(app, 'therapist@demo.clinic');
    const token = cookie.split('=')[1]!.split(';')[0]!;
    const therapist = await db.selectFrom('users').select('id').where('email', '=', 'therapist@demo.clinic').executeTakeFirstOrThrow();
    const { patient_id: patientId } = await db
      .selectFrom('care_team_members')
      .select('patient_id')
      .where('user_id', '=', therapist.id)
      .orderBy('patient_id')
      .executeTakeFirstOrThrow();
    const nowIso = new Date().toISOString();
    const sessionId = (await resolveSession(deps, token))!.sessionId;

    console.log(`Per-step cost, ${N} sequential iterations each (main-thread time per operation):\n`);
    console.log('Building blocks');
    const compiled = db
      .selectFrom('sessions')
      .innerJoin('users', 'users.id', 'sessions.user_id')
      .innerJoin('organizations', 'organizations.id', 'users.organization_id')
      .select(['sessions.id as session_id', 'sessions.csrf_token', 'sessions.last_seen_at', 'sessions.expires_at', 'users.id as user_id', 'users.email', 'users.display_name', 'users.role', 'users.organization_id', 'users.patient_id', 'users.active', 'organizations.name as organization_name', 'organizations.time_zone'])
      .where('sessions.id', '=', sessionId)
      .compile();
    await time('Kysely: build + compile the session query (no execution)', N, () =>
      db
        .selectFrom('sessions')
        .innerJoin('users', 'users.id', 'sessions.user_id')
        .innerJoin('organizations', 'organizations.id', 'users.organization_id')
        .select(['sessions.id as session_id', 'sessions.csrf_token', 'sessions.last_seen_at', 'sessions.expires_at', 'users.id as user_id', 'users.email', 'users.display_name', 'users.role', 'users.organization_id', 'users.patient_id', 'users.active', 'organizations.name as organization_name', 'organizations.time_zone'])
        .where('sessions.id', '=', sessionId)
        .compile(),
    );
    await time('better-sqlite3: prepare the session SQL (Kysely does this on every query)', N, () => sqlite.prepare(compiled.sql));
    const cached = sqlite.prepare(compiled.sql);
    await time('better-sqlite3: run the cached prepared session statement', N, () => cached.get(...(compiled.parameters as unknown[])));
    const pk = sqlite.prepare('select * from patients where id = ?');
    await time('better-sqlite3: cached patient PK read (the baseline query)', N, () => pk.get(patientId));

    console.log('\nRequest-path steps through the app code (Kysely)');
    const steps = {
      session: await time('resolveSession (sha256 + session⋈user⋈org)', N, () => resolveSession(deps, token)),
      facts: await time('findPatientAccessFacts (patient + 2 EXISTS)', N, () => findPatientAccessFacts(db, patientId, therapist.id, new Date(nowIso))),
      patient: await time('findPatientById (selectAll)', N, () => findPatientById(db, patientId)),
      team: await time('findCareTeam (join users, order by)', N, () => findCareTeam(db, patientId)),
    };
    const entry = {
      organizationId: null,
      actorUserId: therapist.id,
      actorRole: 'therapist',
      patientId,
      resource: 'patient.demographics',
      action: 'read',
      outcome: 'allowed' as const,
      ip: '127.0.0.1',
      requestId: 'diag',
    };
    const n2 = Math.min(N, 1000);
    const one = await time('audit.record alone (1 row per commit: BEGIN, head, INSERT, COMMIT+fsync)', n2, () => deps.audit.record(entry));
    const ten = await time('audit.record ×10 concurrent (group commit of 10), per row', n2 / 2, () => Promise.all(Array.from({ length: 10 }, () => deps.audit.record(entry))), 10);

    // Fsync share: the same commit with synchronous=NORMAL (NOT acceptable for the audit
    // log; measured only to size the fsync). Restored right after.
    sqlite.pragma('synchronous = NORMAL');
    const oneNoSync = await time('  … same single-row commit with synchronous=NORMAL (diagnostic only)', n2, () => deps.audit.record(entry));
    sqlite.pragma('synchronous = FULL');

    console.log('\nWhole request without the network (app.inject, 1 at a time / 10 concurrent)');
    const url = `/api/patients/${patientId}`;
    const inject = () => app.inject({ method: 'GET', url, headers: { cookie } });
    const r = await inject();
    if (r.statusCode !== 200) throw new Error(`inject answered ${r.statusCode}`);
    const seq = await time('GET /api/patients/:id, sequential', Math.min(N, 2000), inject);
    const conc = await time('GET /api/patients/:id, 10 concurrent, per request', Math.min(N, 2000) / 10, () => Promise.all(Array.from({ length: 10 }, inject)), 10);

    const reads = steps.session + steps.facts + steps.patient + steps.team;
    console.log(`\nSummary (µs per request)`);
    console.log(`  4 reads through Kysely ............ ${reads.toFixed(0)}`);
    console.log(`  audit, alone / in a batch of 10 ... ${one.toFixed(0)} / ${ten.toFixed(0)}   (fsync ≈ ${(one - oneNoSync).toFixed(0)} per commit)`);
    console.log(`  whole request (inject) seq / ×10 .. ${seq.toFixed(0)} / ${conc.toFixed(0)}`);

    await app.close();
    await database.close();
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
