/**
 * `npm run bench [-- <scenario> ...]`
 *
 * Runs the baseline (bare Fastify + one SQLite primary-key read) and each named
 * scenario (all of them by default), each in its own server process on 127.0.0.1,
 * under the same autocannon load, in alternating rounds (BENCH_ROUNDS), and prints
 * requests/s, latency percentiles and each scenario's share of the baseline against its
 * target.
 *
 * Exit code: 0 whether or not a performance target is met (benchmarks report, they do
 * not gate); 1 when something broke — a server crashed, or a safety check failed (e.g.
 * fewer audit rows than successful reads), because then the numbers mean nothing.
 *
 * Environment:
 *   BENCH_DURATION     measured seconds per benchmark (default 5)
 *   BENCH_WARMUP       warm-up seconds before measuring (default 1)
 *   BENCH_ROUNDS       rounds per scenario (default 3): the baseline and the scenario are measured
 *                      alternately (baseline first in the 1st, 3rd, … round, the scenario first in the 2nd, 4th, …),
 *                      each round's ratio is taken from its own pair, and the median round is
 *                      reported — a machine whose speed drifts during the run moves both alike
 *   BENCH_CONNECTIONS  concurrent connections (default 32: a busy clinic's concurrent users; at
 *                      10 the audited read is bounded by fsync latency, not by the service —
 *                      every request waits for a durable commit, see bench/README.md)
 *   BENCH_DB           sqlite (default) | postgres — postgres also runs each scenario on a
 *                      fresh PostgreSQL database (BENCH_PG_URL, default
 *                      postgres://postgres@127.0.0.1:5432/postgres); the baseline stays SQLite
 *   BENCH_LOG_LEVEL    server log level (default info, as deployed; logs go to /dev/null)
 *   BENCH_PROFILE      1 → servers run under --cpu-prof, profiles in bench/.profiles/
 *                      (summarise with `npx tsx bench/profile-summary.ts <file>`)
 *   BENCH_WHATIF       experiments that patch the service from outside to size a change
 *                      (see targets/audited-read.ts); such rows are never PASS/FAIL
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { measureLoad, type LoadResult, type LoadSettings } from './lib/load';
import { createFreshDatabase } from './lib/postgres';
import { median, renderReport, verdictOf, type Row } from './lib/report';
import { ServerProcess, type ServerCost } from './lib/server-process';
import type { BenchCheck, BenchDatabase, BenchModule } from './lib/types';
import { BASELINE, SCENARIOS } from './modules';

function positive(name: string, fallback: number, allowZero = false): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 0 || (!allowZero && n === 0)) {
    console.error(`${name} must be a ${allowZero ? 'non-negative' : 'positive'} number, got "${raw}"`);
    process.exit(2);
  }
  return n;
}

function databasesFromEnv(): BenchDatabase[] {
  const raw = (process.env.BENCH_DB || 'sqlite').trim().toLowerCase();
  if (raw === 'sqlite') return ['sqlite'];
  if (raw === 'postgres' || raw === 'postgresql' || raw === 'both') return ['sqlite', 'postgres'];
  console.error(`BENCH_DB must be sqlite or postgres, got "${raw}"`);
  process.exit(2);
}

/**
 * Benchmarks that drive their own load (fresh idempotency keys per POST, hundreds of
 * SSE listeners) rather than one fixed autocannon request: run as their own scripts,
 * each printing its figures beside its own baseline measured in the same run.
 */
const STANDALONE: Record<string, string> = {
  'vitals-ingest': 'vitals-ingest.ts',
  'vitals-stream': 'vitals-stream.ts',
};

function selectScenarios(names: string[]): { modules: BenchModule[]; standalone: string[] } {
  if (names.length === 0) return { modules: [...SCENARIOS], standalone: Object.keys(STANDALONE) };
  const known = [...SCENARIOS.map((s) => s.name), ...Object.keys(STANDALONE)];
  const unknown = names.filter((n) => !known.includes(n));
  if (unknown.length > 0) {
    console.error(`Unknown scenario ${unknown.join(', ')}; available: ${known.join(', ')}`);
    process.exit(2);
  }
  return { modules: SCENARIOS.filter((s) => names.includes(s.name)), standalone: names.filter((n) => n in STANDALONE) };
}

function runStandalone(name: string, here: string): boolean {
  console.log(`\n== ${name} (${STANDALONE[name]})`);
  const result = spawnSync('npx', ['tsx', path.join(here, STANDALONE[name]!)], { stdio: 'inherit', env: process.env });
  return result.status === 0;
}

/** One measured round on a running server: warm-up, measure, verify. */
async function measureRound(
  server: ServerProcess,
  port: number,
  request: Parameters<typeof measureLoad>[1],
  settings: LoadSettings,
): Promise<{ result: LoadResult; checks: BenchCheck[]; cost: ServerCost | null }> {
  const result = await measureLoad(port, request, settings, () => server.beforeMeasure());
  const { checks, cost } = await server.verify(result.ok2xx);
  return { result, checks, cost };
}

type Measured = Awaited<ReturnType<typeof measureRound>>;
type Running = Awaited<ReturnType<typeof ServerProcess.start>>;

async function startServer(
  module: BenchModule,
  database: BenchDatabase,
  workRoot: string,
  profileDir: string | null,
  postgresUrl: string | null,
): Promise<Running> {
  const workDir = mkdtempSync(path.join(workRoot, `${module.name}-${database}-`));
  return ServerProcess.start({ module: module.name, database, workDir, postgresUrl, profileDir });
}

/**
 * Measures `module` against the running baseline in `rounds` alternating pairs. The row
 * shows the round with the median ratio (its req/s, latencies and costs); every round's
 * safety checks are kept, so a failure in any round fails the run.
 */
async function runScenario(
  module: BenchModule,
  database: BenchDatabase,
  baseline: Running,
  baselineRuns: Measured[],
  settings: LoadSettings,
  rounds: number,
  workRoot: string,
  profileDir: string | null,
): Promise<Row> {
  const label = `${module.name} [${database}]`;
  let pg: Awaited<ReturnType<typeof createFreshDatabase>> | null = null;
  if (database === 'postgres') {
    try {
      pg = await createFreshDatabase();
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error);
      console.log(`  ${label}: skipped, PostgreSQL unreachable (${why})`);
      return { module, database, result: null, notes: [], checks: [], problem: 'skipped: PostgreSQL unreachable', whatIf: null, cost: null, roundRatios: null };
    }
  }
  process.stdout.write(`  ${label}: starting server… `);
  const started = await startServer(module, database, workRoot, profileDir, pg?.url ?? null);
  try {
    console.log(`listening on 127.0.0.1:${started.port}`);
    const runs: Measured[] = [];
    const ratios: number[] = [];
    for (let round = 0; round < rounds; round++) {
      process.stdout.write(`    round ${round + 1}/${rounds} (${settings.warmupS} s warm-up + ${settings.durationS} s each): `);
      const measure = (s: Running) => measureRound(s.server, s.port, s.request, settings);
      let base: Measured;
      let scenario: Measured;
      if (round % 2 === 0) {
        base = await measure(baseline);
        scenario = await measure(started);
      } else {
        scenario = await measure(started);
        base = await measure(baseline);
      }
      baselineRuns.push(base);
      runs.push(scenario);
      const ratio = base.result.rps > 0 ? scenario.result.rps / base.result.rps : 0;
      ratios.push(ratio);
      console.log(
        `baseline ${Math.round(base.result.rps).toLocaleString('en-US')} req/s, ${module.name} ${Math.round(scenario.result.rps).toLocaleString('en-US')} req/s (${(ratio * 100).toFixed(1)} %)`,
      );
    }
    const shown = runs[ratios.indexOf(median(ratios))]!;
    const whatIf = process.env.BENCH_WHATIF?.trim() || null;
    return {
      module,
      database,
      result: shown.result,
      notes: started.notes,
      checks: runs.flatMap((r, i) => r.checks.map((c) => (rounds > 1 ? { ...c, name: `round ${i + 1}: ${c.name}` } : c))),
      problem: null,
      whatIf,
      cost: shown.cost,
      roundRatios: ratios,
    };
  } finally {
    await started.server.close();
    await pg?.drop();
  }
}

async function main(): Promise<void> {
  const args = process.argv.slice(2).filter((a) => a !== '--');
  if (args.includes('--help') || args.includes('-h')) {
    console.log(`usage: npm run bench [-- <scenario> ...]\nscenarios: ${SCENARIOS.map((s) => `${s.name} (${s.title})`).join(', ')}, ${Object.keys(STANDALONE).join(', ')}`);
    return;
  }
  const { modules: scenarios, standalone } = selectScenarios(args);
  const databases = databasesFromEnv();
  const settings: LoadSettings = {
    connections: Math.round(positive('BENCH_CONNECTIONS', 32)),
    durationS: positive('BENCH_DURATION', 5),
    warmupS: positive('BENCH_WARMUP', 1, true),
  };
  const rounds = Math.round(positive('BENCH_ROUNDS', 3));
  const here = path.dirname(fileURLToPath(import.meta.url));
  const profileDir = process.env.BENCH_PROFILE === '1' ? path.join(here, '.profiles') : null;
  if (profileDir) mkdirSync(profileDir, { recursive: true });
  const workRoot = mkdtempSync(path.join(os.tmpdir(), 'threshold-bench-'));

  const cpus = os.cpus();
  console.log(
    `Threshold bench · ${settings.connections} connections · ${rounds} alternating rounds of ${settings.warmupS} s warm-up + ${settings.durationS} s measured · ` +
      `Node ${process.version} · ${cpus.length} × ${cpus[0]?.model.trim() ?? 'cpu'} · ${os.platform()}`,
  );
  console.log(`data under ${workRoot} (${profileDir ? `CPU profiles → ${profileDir}` : 'no profiling'})\n`);

  if (scenarios.length === 0) {
    rmSync(workRoot, { recursive: true, force: true });
    for (const name of standalone) if (!runStandalone(name, here)) process.exitCode = 1;
    return;
  }

  const rows: Row[] = [];
  const baselineRuns: Measured[] = [];
  let baselineNotes: readonly string[] = [];
  try {
    process.stdout.write(`  ${BASELINE.name} [sqlite]: starting server… `);
    const baseline = await startServer(BASELINE, 'sqlite', workRoot, profileDir, null);
    console.log(`listening on 127.0.0.1:${baseline.port}`);
    baselineNotes = baseline.notes;
    try {
      for (const scenario of scenarios) {
        for (const database of databases) {
          if (!scenario.databases.includes(database)) continue;
          rows.push(await runScenario(scenario, database, baseline, baselineRuns, settings, rounds, workRoot, profileDir));
        }
      }
    } finally {
      await baseline.server.close();
    }
  } finally {
    if (process.env.BENCH_KEEP !== '1') rmSync(workRoot, { recursive: true, force: true });
  }
  // The baseline row shows its median measurement over every round of every scenario.
  const baselineShown = baselineRuns.find((r) => r.result.rps === median(baselineRuns.map((b) => b.result.rps))) ?? null;
  const baselineRow: Row = {
    module: BASELINE,
    database: 'sqlite',
    result: baselineShown?.result ?? null,
    notes: baselineNotes,
    checks: baselineRuns.flatMap((r) => r.checks),
    problem: baselineShown ? null : 'no result',
    whatIf: null,
    cost: baselineShown?.cost ?? null,
    roundRatios: null,
  };

  console.log('\n' + renderReport(rows, baselineRow));
  console.log(
    'req/s counts 2xx only. cpu µs/req: server process CPU (user+sys) per 2xx, all threads; main µs/req: the main thread\'s\n' +
      'share of it (the rest is the SQLite writer, GC helpers, libuv\'s pool); loop µs/req: event-loop busy time per 2xx\n' +
      '(includes synchronous SQLite fsync waits); loop busy: share of the run the server loop was busy. On a shared, loaded\n' +
      `machine req/s swings between runs; the per-request costs are steadier. Load average now: ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}.\n`,
  );

  let safetyOk = true;
  for (const row of [baselineRow, ...rows]) {
    if (row.notes.length === 0 && row.checks.length === 0) continue;
    console.log(`${row.module.name} [${row.database}]`);
    for (const note of row.notes) console.log(`    · ${note}`);
    for (const check of row.checks) {
      console.log(`    ${check.ok ? '✔' : '✘'} ${check.name}: ${check.detail}`);
      if (!check.ok) safetyOk = false;
    }
    const codes = row.result ? Object.entries(row.result.statusCodes).filter(([code]) => !code.startsWith('2')) : [];
    if (codes.length > 0 || (row.result?.errors ?? 0) > 0) {
      console.log(`    ! non-2xx responses ${JSON.stringify(Object.fromEntries(codes))}, connection errors ${row.result?.errors ?? 0}`);
    }
  }

  console.log('');
  for (const row of rows) {
    const { ratio, verdict } = verdictOf(row, baselineRow.result);
    if (verdict !== 'PASS' && verdict !== 'FAIL') continue;
    console.log(
      `${verdict === 'PASS' ? 'PASS' : 'FAIL'}  ${row.module.name} [${row.database}] reached ${(ratio! * 100).toFixed(1)} % of the baseline ` +
        `(target ≥ ${Math.round(row.module.targetRatio! * 100)} %)` +
        (row.roundRatios && row.roundRatios.length > 1 ? `: the median of ${row.roundRatios.map((r) => `${(r * 100).toFixed(1)}`).join(', ')} % over ${row.roundRatios.length} rounds` : ''),
    );
  }
  if (!safetyOk) {
    console.log('\nA safety check failed: these numbers do not describe a correctly audited service.');
    process.exitCode = 1;
  }
  for (const name of standalone) if (!runStandalone(name, here)) process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error('\nbench failed:', error instanceof Error ? (error.stack ?? error.message) : error);
  process.exitCode = 1;
});
