/**
 * Server process for the vitals benchmarks (bench/vitals-ingest.ts, bench/vitals-stream.ts):
 * the real service (buildApp, production config, migrated and seeded throwaway database)
 * with N open dosing sessions for the demo patient, listening on 127.0.0.1. Talks to the
 * runner over IPC:
 *   server → {type:'ready', port, cookie, csrf, sessionIds, notes} | {type:'counted', readings, audit} | {type:'error', message}
 *   runner → {type:'count'} | {type:'close'}
 */
import { randomUUID } from 'node:crypto';
import { buildApp } from '../../src/server/app';
import { benchConfig, benchLogLevel, openSeededDatabase, sqliteDurabilityNote } from './app-fixture';
import type { BenchDatabase } from './types';

type FromRunner = { type: 'count' } | { type: 'close' };
const send = (m: unknown) => process.send?.(m);

async function main(): Promise<void> {
  const [database, workDir, postgresUrl, sessionsArg] = process.argv.slice(2);
  const sessions = Number(sessionsArg ?? '1');
  const config = benchConfig({ database: database as BenchDatabase, workDir: workDir!, postgresUrl: postgresUrl || null });
  const db = await openSeededDatabase(config);
  const { app } = await buildApp(config, { database: db, startWorkers: true });
  await app.ready();

  const login = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: 'nurse@demo.clinic', password: 'threshold-demo' } });
  if (login.statusCode !== 200) throw new Error(`nurse sign-in failed: ${login.statusCode}`);
  const cookie = login.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
  const csrf = (login.json() as { csrfToken: string }).csrfToken;

  // N dosing appointments for the demo patient, each opened as a session (scheduled state).
  const alex = await db.db.selectFrom('patients').select(['id', 'organization_id']).where('email', '=', 'patient@demo.clinic').executeTakeFirstOrThrow();
  const clinician = await db.db.selectFrom('users').select('id').where('email', '=', 'prescriber@demo.clinic').executeTakeFirstOrThrow();
  const sessionIds: string[] = [];
  const now = new Date();
  for (let i = 0; i < sessions; i++) {
    const id = randomUUID();
    await db.db
      .insertInto('appointments')
      .values({
        id,
        organization_id: alex.organization_id,
        kind: 'dosing',
        appointment_type_id: null,
        status: 'booked',
        cancel_reason: null,
        patient_id: alex.id,
        consultation_request_id: null,
        clinician_id: clinician.id,
        room_id: null,
        nurse_id: null,
        start_at: now.toISOString(),
        end_at: new Date(now.getTime() + 3 * 3600_000).toISOString(),
        buffer_before_minutes: 0,
        buffer_after_minutes: 0,
        created_by: clinician.id,
        created_at: now.toISOString(),
        updated_at: now.toISOString(),
      })
      .execute();
    const res = await app.inject({ method: 'POST', url: '/api/sessions', headers: { cookie, 'x-csrf-token': csrf }, payload: { appointmentId: id } });
    if (res.statusCode !== 201) throw new Error(`opening session ${i} failed: ${res.statusCode} ${res.body}`);
    sessionIds.push((res.json() as { id: string }).id);
  }

  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  if (!address || typeof address === 'string') throw new Error('no TCP address');

  process.on('message', (message: FromRunner) => {
    void (async () => {
      try {
        if (message.type === 'count') {
          await app.inject({ method: 'GET', url: '/api/health' });
          const r = await db.db.selectFrom('vital_readings').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
          const a = await db.db
            .selectFrom('audit_events')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .where('resource', '=', 'patient.clinical')
            .where('action', '=', 'write')
            .executeTakeFirstOrThrow();
          send({ type: 'counted', readings: Number(r.n), audit: Number(a.n) });
        } else if (message.type === 'close') {
          await app.close();
          await db.close();
          process.disconnect?.();
          process.exit(0);
        }
      } catch (error) {
        send({ type: 'error', message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
      }
    })();
  });
  send({
    type: 'ready',
    port: address.port,
    cookie,
    csrf,
    sessionIds,
    notes: [sqliteDurabilityNote(db) ?? 'postgres: fresh database, pg pool of 10, LISTEN/NOTIFY fan-out', `log level ${benchLogLevel()} (stdout → /dev/null)`],
  });
}

main().catch((error: unknown) => {
  send({ type: 'error', message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  setTimeout(() => process.exit(1), 100);
});
