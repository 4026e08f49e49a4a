/**
 * `npx tsx bench/vitals-ingest.ts` — sustained vital-sign ingest through the HTTP API,
 * beside a bare baseline from the same run.
 *
 * Baseline: the same rows inserted straight into a fresh SQLite file by better-sqlite3
 * (WAL, synchronous=FULL — the app's own openDatabase), one transaction per batch of
 * BENCH_BATCH readings: the fastest durable way to store them.
 * Scenario: the real service in its own process; BENCH_CONNECTIONS clients POST batches of
 * BENCH_BATCH readings with fresh idempotency keys to `POST /api/sessions/:id/vitals` as the
 * signed-in nurse (session auth, CSRF, access check, audit row, validation, one transaction,
 * event sequence, live fan-out). A 200 means the readings are committed (durable before
 * acknowledgement). Afterwards the stored rows must equal the acknowledged readings.
 *
 * Target (issue 5): ≥ 50 % of the baseline's readings/s on SQLite. BENCH_DB=postgres also
 * runs the scenario on a fresh PostgreSQL database (reported, no target).
 * All traffic on 127.0.0.1; bounded by BENCH_DURATION (default 5 s) + BENCH_WARMUP (1 s).
 * Exit 0 whether or not the target is met; 1 if a safety check failed or something crashed.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { openDatabase } from '../src/server/db/database';
import { migrateToLatest } from '../src/server/db/migrate';
import { databasesFromEnv, envNumber, percentile, postJson, startVitalsServer } from './lib/vitals-runner';
import type { BenchDatabase } from './lib/types';

const DURATION_S = envNumber('BENCH_DURATION', 5);
const WARMUP_S = Number(process.env.BENCH_WARMUP ?? 1);
const CONNECTIONS = Math.round(envNumber('BENCH_CONNECTIONS', 10));
const BATCH = Math.round(envNumber('BENCH_BATCH', 50));
const TARGET = 0.5;

function readingsFor(start: number, n: number) {
  return Array.from({ length: n }, (_, i) => ({
    at: new Date(start - (n - i) * 1000).toISOString(),
    hr: 60 + (i % 40),
    sbp: 110 + (i % 30),
    dbp: 70 + (i % 15),
    spo2: 95 + (i % 5),
    rr: 12 + (i % 6),
  }));
}

/** Raw batched insert of the same rows the API stores (same table, same columns, same indexes). */
async function baseline(): Promise<{ readingsPerS: number; note: string }> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'threshold-vitals-baseline-'));
  const database = openDatabase({ kind: 'sqlite', file: path.join(dir, 'baseline.sqlite') });
  try {
    await migrateToLatest(database.db);
    const sqlite = database.sqlite!;
    // A parent session row for the foreign key (fake org/patient/appointment rows, FK-off for set-up only).
    sqlite.pragma('foreign_keys = OFF');
    const sessionId = randomUUID();
    const now = new Date().toISOString();
    sqlite
      .prepare(
        `insert into dosing_sessions (id, organization_id, patient_id, appointment_id, state, protocol_revision, event_seq, created_by, created_at, updated_at)
         values (?, 'org', 'patient', ?, 'scheduled', 0, 0, 'user', ?, ?)`,
      )
      .run(sessionId, randomUUID(), now, now);
    sqlite.pragma('foreign_keys = ON');
    const cols = ['id', 'organization_id', 'session_id', 'at', 'hr', 'sbp', 'dbp', 'spo2', 'rr', 'source', 'phase', 'seq', 'recorded_by', 'received_at'];
    const insert = sqlite.prepare(`insert into vital_readings (${cols.join(', ')}) values ${Array(BATCH).fill(`(${cols.map(() => '?').join(', ')})`).join(', ')}`);
    let seq = 0;
    const runBatch = sqlite.transaction(() => {
      const rows = readingsFor(Date.now(), BATCH);
      const received = new Date().toISOString();
      const params: unknown[] = [];
      for (const r of rows) params.push(randomUUID(), 'org', sessionId, r.at, r.hr, r.sbp, r.dbp, r.spo2, r.rr, 'device', 'monitoring', ++seq, 'user', received);
      insert.run(...params);
    });
    const until = (s: number) => performance.now() + s * 1000;
    for (const end = until(WARMUP_S); performance.now() < end; ) runBatch();
    const start = performance.now();
    let readings = 0;
    for (const end = until(DURATION_S); performance.now() < end; ) {
      runBatch();
      readings += BATCH;
    }
    const seconds = (performance.now() - start) / 1000;
    const sync = ['OFF', 'NORMAL', 'FULL', 'EXTRA'][Number(sqlite.pragma('synchronous', { simple: true }))];
    return { readingsPerS: readings / seconds, note: `journal_mode=${String(sqlite.pragma('journal_mode', { simple: true }))}, synchronous=${sync}, ${BATCH} rows per transaction` };
  } finally {
    await database.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

interface ScenarioResult {
  database: BenchDatabase;
  readingsPerS: number;
  requestsPerS: number;
  p50: number;
  p99: number;
  acknowledged: number;
  non200: number;
  stored: number;
  storedBefore: number;
  notes: string[];
}

async function scenario(database: BenchDatabase): Promise<ScenarioResult> {
  const server = await startVitalsServer(database, CONNECTIONS);
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONNECTIONS });
  const headers = { cookie: server.cookie, 'x-csrf-token': server.csrf };
  try {
    const drive = async (seconds: number, record: boolean) => {
      const latencies: number[] = [];
      let acknowledged = 0;
      let non200 = 0;
      const end = performance.now() + seconds * 1000;
      await Promise.all(
        server.sessionIds.map(async (sessionId) => {
          while (performance.now() < end) {
            const t0 = performance.now();
            const res = await postJson(agent, server.port, `/api/sessions/${sessionId}/vitals`, headers, {
              idempotencyKey: randomUUID(),
              source: 'device',
              readings: readingsFor(Date.now(), BATCH),
            });
            if (!record) continue;
            latencies.push(performance.now() - t0);
            if (res.status === 200) acknowledged += (res.body as { accepted: unknown[] }).accepted.length;
            else non200++;
          }
        }),
      );
      return { latencies, acknowledged, non200 };
    };
    if (WARMUP_S > 0) await drive(WARMUP_S, false);
    const before = await server.count();
    const start = performance.now();
    const r = await drive(DURATION_S, true);
    const seconds = (performance.now() - start) / 1000;
    const after = await server.count();
    const sorted = r.latencies.sort((a, b) => a - b);
    return {
      database,
      readingsPerS: r.acknowledged / seconds,
      requestsPerS: r.latencies.length / seconds,
      p50: percentile(sorted, 50),
      p99: percentile(sorted, 99),
      acknowledged: r.acknowledged,
      non200: r.non200,
      stored: after.readings,
      storedBefore: before.readings,
      notes: server.notes,
    };
  } finally {
    agent.destroy();
    await server.close();
  }
}

async function main(): Promise<void> {
  console.log(`vitals ingest · ${CONNECTIONS} connections · ${BATCH} readings per POST · ${WARMUP_S} s warm-up + ${DURATION_S} s measured · Node ${process.version} · ${os.cpus().length} CPUs`);
  const base = await baseline();
  console.log(`  baseline (raw better-sqlite3 insert): ${Math.round(base.readingsPerS).toLocaleString('en-US')} readings/s — ${base.note}`);
  let safe = true;
  const rows: ScenarioResult[] = [];
  for (const db of databasesFromEnv()) {
    try {
      const r = await scenario(db);
      rows.push(r);
    } catch (error) {
      console.log(`  vitals-ingest [${db}]: ${error instanceof Error ? error.message : String(error)}`);
      if (db === 'sqlite') safe = false;
    }
  }
  console.log('');
  console.log('benchmark                            db        readings/s   req/s   p50 ms   p99 ms   vs baseline   target    result');
  console.log(`baseline (raw batched insert)        sqlite    ${Math.round(base.readingsPerS).toLocaleString('en-US').padStart(10)}`);
  for (const r of rows) {
    const ratio = r.readingsPerS / base.readingsPerS;
    const judged = r.database === 'sqlite';
    const verdict = judged ? (ratio >= TARGET ? 'PASS' : 'FAIL') : 'info';
    console.log(
      `POST /api/sessions/:id/vitals        ${r.database.padEnd(8)}  ${Math.round(r.readingsPerS).toLocaleString('en-US').padStart(10)}  ${Math.round(r.requestsPerS).toString().padStart(6)}  ${r.p50.toFixed(1).padStart(7)}  ${r.p99.toFixed(1).padStart(7)}   ${(ratio * 100).toFixed(1).padStart(8)} %   ${judged ? '≥ 50 %' : '      '}    ${verdict}`,
    );
  }
  console.log('');
  for (const r of rows) {
    const storedDuring = r.stored - r.storedBefore;
    const ok = r.non200 === 0 && storedDuring >= r.acknowledged;
    if (!ok) safe = false;
    console.log(`vitals-ingest [${r.database}]`);
    for (const n of r.notes) console.log(`    · ${n}`);
    console.log(`    ${ok ? '✔' : '✘'} every acknowledged reading is stored: ${r.acknowledged} acknowledged, ${storedDuring} rows added during the measured run, ${r.non200} non-200 responses`);
  }
  if (!safe) {
    console.log('\nA safety check failed: these numbers do not describe a correct service.');
    process.exitCode = 1;
  }
}

main().catch((error: unknown) => {
  console.error('\nbench failed:', error instanceof Error ? (error.stack ?? error.message) : error);
  process.exitCode = 1;
});
