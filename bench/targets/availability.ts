import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { Kysely } from 'kysely';
import { buildApp } from '../../src/server/app';
import type { DB } from '../../src/server/db/schema';
import { getAvailability } from '../../src/server/modules/scheduling/availability.service';
import * as repo from '../../src/server/modules/scheduling/scheduling.repository';
import { resolveSession } from '../../src/server/modules/auth/auth.service';
import { benchConfig, benchLogLevel, openSeededDatabase, signIn, sqliteDurabilityNote } from '../lib/app-fixture';
import type { BenchCheck, BenchModule, RunningTarget, StartOptions } from '../lib/types';

/**
 * The availability bench: open slots for 200 clinicians over 60 days through the
 * service, reported beside the time to merely read the same rows from the database.
 *
 * Seeds 200 synthetic clinicians (BENCH_AVAILABILITY_CLINICIANS) in the demo clinic
 * (America/Los_Angeles, so the window crosses whatever DST change falls in it), each with
 * weekday hours 09:00–12:00 and 13:00–17:00, a day off every few weeks and about two
 * 60-minute appointments a working day (~17,000 appointments). Before the HTTP load it
 * times, one call at a time, (a) `getAvailability` for all of them over 60 days — the
 * real service: queries + the pure engine + ISO rendering — and (b) a bare read of
 * exactly the rows that service reads (rules, time off, holidays, appointments), and
 * prints both medians. The autocannon load then drives `GET /api/availability` for one
 * clinician over 60 days (the query a booking page makes).
 */

const CLINICIANS = Number(process.env.BENCH_AVAILABILITY_CLINICIANS ?? 200);
const DAYS = 60;
const DAY_MS = 86_400_000;
const ROUNDS = 7;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

async function seed(db: Kysely<DB>, organizationId: string, typeId: string, now: Date): Promise<string[]> {
  const at = now.toISOString();
  const ids: string[] = [];
  const users = [];
  const rules = [];
  for (let i = 0; i < CLINICIANS; i++) {
    const id = randomUUID();
    ids.push(id);
    users.push({
      id,
      organization_id: organizationId,
      email: `bench-clinician-${i}@bench.example`,
      password_hash: 'x',
      role: 'therapist' as const,
      display_name: `Bench Clinician ${i}`,
      patient_id: null,
      active: 1,
      created_at: at,
      updated_at: at,
    });
    for (let d = 1; d <= 5; d++) {
      for (const [s, e] of [['09:00', '12:00'], ['13:00', '17:00']] as const) {
        rules.push({
          id: randomUUID(),
          organization_id: organizationId,
          resource_kind: 'clinician' as const,
          resource_id: id,
          weekday: d,
          start_time: s,
          end_time: e,
          effective_from: null,
          effective_until: null,
          appointment_kinds: JSON.stringify(['integration']),
          created_at: at,
        });
      }
    }
  }
  for (let i = 0; i < users.length; i += 200) await db.insertInto('users').values(users.slice(i, i + 200)).execute();
  for (let i = 0; i < rules.length; i += 500) await db.insertInto('availability_rules').values(rules.slice(i, i + 500)).execute();

  const appts = [];
  const offs = [];
  const start = Math.ceil(now.getTime() / DAY_MS) * DAY_MS;
  for (let c = 0; c < ids.length; c++) {
    offs.push({
      id: randomUUID(),
      organization_id: organizationId,
      resource_kind: 'clinician' as const,
      resource_id: ids[c]!,
      start_at: new Date(start + ((c % 20) + 3) * DAY_MS).toISOString(),
      end_at: new Date(start + ((c % 20) + 4) * DAY_MS).toISOString(),
      label: 'day off',
      created_by: null,
      created_at: at,
    });
    for (let d = 1; d <= DAYS; d++) {
      const day = new Date(start + d * DAY_MS);
      const dow = day.getUTCDay();
      if (dow === 0 || dow === 6) continue;
      // 18:00Z and 21:00Z are 10:00/13:00 PST (11:00/14:00 PDT): inside the working hours.
      for (const hour of [18, 21]) {
        const s = Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate(), hour + (c % 2));
        appts.push({
          id: randomUUID(),
          organization_id: organizationId,
          kind: 'integration' as const,
          appointment_type_id: typeId,
          status: 'booked' as const,
          cancel_reason: null,
          patient_id: null,
          consultation_request_id: null,
          clinician_id: ids[c]!,
          room_id: null,
          nurse_id: null,
          start_at: new Date(s).toISOString(),
          end_at: new Date(s + 3_600_000).toISOString(),
          buffer_before_minutes: 0,
          buffer_after_minutes: 10,
          created_by: null,
          created_at: at,
          updated_at: at,
        });
      }
    }
  }
  for (let i = 0; i < offs.length; i += 500) await db.insertInto('time_off').values(offs.slice(i, i + 500)).execute();
  for (let i = 0; i < appts.length; i += 500) await db.insertInto('appointments').values(appts.slice(i, i + 500)).execute();
  return ids;
}

export const availability: BenchModule = {
  name: 'availability',
  title: `GET /api/availability (${DAYS} days, one clinician); in-process: ${CLINICIANS} clinicians`,
  databases: ['sqlite', 'postgres'],
  async start(options: StartOptions): Promise<RunningTarget> {
    const config = benchConfig(options);
    const database = await openSeededDatabase(config);
    const { db } = database;
    const org = await db.selectFrom('organizations').select(['id', 'time_zone']).where('slug', '=', 'demo-la').executeTakeFirstOrThrow();
    const now = new Date();
    const typeId = randomUUID();
    await db
      .insertInto('appointment_types')
      .values({
        id: typeId,
        organization_id: org.id,
        kind: 'integration',
        name: 'Bench integration (clinician only)',
        duration_minutes: 60,
        buffer_before_minutes: 0,
        buffer_after_minutes: 10,
        slot_step_minutes: 30,
        required_resources: JSON.stringify(['clinician']),
        public_bookable: 0,
        active: 1,
        created_at: new Date(0).toISOString(),
      })
      .execute();
    const seedStart = performance.now();
    const ids = await seed(db, org.id, typeId, now);
    const seedMs = performance.now() - seedStart;

    const { app, deps } = await buildApp(config, { database, startWorkers: false });
    const cookie = await signIn(app, 'frontdesk@demo.clinic');
    const actor = await resolveSession(deps, cookie.split(';').map((c) => c.trim()).find((c) => c.startsWith('threshold_session='))!.split('=')[1]!);
    if (!actor) throw new Error('no session for the bench actor');

    const from = new Date(now.getTime() + 3_600_000).toISOString();
    const to = new Date(now.getTime() + DAYS * DAY_MS).toISOString();
    const allIds = await repo.findClinicianIdsWithRules(db, org.id);
    const query = { appointmentType: typeId, from, to };

    // (a) through the service, all clinicians; (b) the bare read of the same rows.
    const serviceMs: number[] = [];
    let slotCount = 0;
    let cliniciansWithSlots = 0;
    for (let i = 0; i < ROUNDS; i++) {
      const t0 = performance.now();
      const result = await getAvailability(deps, actor, query);
      serviceMs.push(performance.now() - t0);
      slotCount = result.slots.length;
      cliniciansWithSlots = new Set(result.slots.map((s) => s.clinicianId)).size;
    }
    const readMs: number[] = [];
    let rowsRead = 0;
    const padFrom = new Date(Date.parse(from) - DAY_MS).toISOString();
    const padTo = new Date(Date.parse(to) + DAY_MS).toISOString();
    for (let i = 0; i < ROUNDS; i++) {
      const t0 = performance.now();
      const rows = await Promise.all([
        repo.findRules(db, org.id, allIds),
        repo.findTimeOff(db, org.id, allIds, padFrom, padTo),
        repo.findHolidays(db, org.id, padFrom.slice(0, 10), padTo.slice(0, 10)),
        repo.findBlockingAppointments(db, org.id, allIds, padFrom, padTo),
      ]);
      readMs.push(performance.now() - t0);
      rowsRead = rows.reduce((n, r) => n + r.length, 0);
    }

    const one = ids[0]!;
    const path = `/api/availability?appointmentType=${typeId}&clinicianId=${one}&from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`;
    const check = await app.inject({ method: 'GET', url: path, headers: { cookie } });
    if (check.statusCode !== 200) throw new Error(`${path} answered ${check.statusCode}: ${check.body}`);
    const oneSlots = (check.json() as { slots: unknown[] }).slots.length;

    await app.listen({ host: '127.0.0.1', port: 0 });
    const address = app.server.address();
    if (!address || typeof address === 'string') throw new Error('no TCP address');
    const svc = median(serviceMs);
    const bare = median(readMs);
    return {
      port: address.port,
      request: { method: 'GET', path, headers: { cookie } },
      notes: [
        sqliteDurabilityNote(database) ?? 'postgres',
        `log level ${benchLogLevel()} (stdout → /dev/null)`,
        `seeded ${ids.length} clinicians, ${DAYS} days of rules, time off and ~${ids.length * 2 * 43} appointments in ${(seedMs / 1000).toFixed(1)} s`,
        `open slots, ${allIds.length} clinicians × ${DAYS} days through the service: median ${svc.toFixed(1)} ms over ${ROUNDS} runs (${slotCount.toLocaleString('en-US')} slots)`,
        `bare read of the same ${rowsRead.toLocaleString('en-US')} rows: median ${bare.toFixed(1)} ms  → service / read = ${(svc / bare).toFixed(1)}×`,
        `HTTP load: one clinician × ${DAYS} days (${oneSlots} slots per response)`,
      ],
      async verify(): Promise<BenchCheck[]> {
        return [
          {
            name: 'every clinician has open slots',
            ok: cliniciansWithSlots >= ids.length,
            detail: `${cliniciansWithSlots} of ${allIds.length} clinicians with slots (${ids.length} synthetic)`,
          },
          { name: 'one clinician answers with slots', ok: oneSlots > 0, detail: `${oneSlots} slots` },
        ];
      },
      async close() {
        await app.close();
        await database.close();
      },
    };
  },
};
