/**
 * `npm run bench:instructions [-- <scenario> ...]` (default: the baseline and audited-read)
 *
 * Counts the CPU instructions each server spends per request under valgrind's callgrind:
 * a measure that, unlike requests per second, does not drift with the machine's speed
 * (see bench/README.md: the same code measured 38–62 % of the baseline as the machine
 * sped up and slowed down). Use it to compare two versions of the code; `npm run bench`
 * remains the measurement of the target.
 *
 * Each server runs in its own process under callgrind (all at once: valgrind runs a
 * process's threads one at a time, so two servers use the two cores), takes
 * BENCH_WARM_REQUESTS (default 3000) to start up and compile its hot code, then has its
 * counters zeroed, takes BENCH_REQUESTS (default 4000) from 16 connections, and has them dumped.
 * Counts are per thread: the main thread (the event loop), the SQLite writer thread (the
 * non-main thread that ran SQLite), and the rest (V8's compiler and GC helpers, libuv's
 * pool: their share is inflated under valgrind, where compiling takes longer against a
 * slowed program). Kernel work (system calls, fsync) is not counted; nor is time spent
 * waiting. Under valgrind the server runs ~50 times slower, so whatever depends on time
 * (rows per commit, the audit stamp formatted once per millisecond) happens at other rates
 * than at full speed. Takes about 10 minutes; needs valgrind (`apt-get install valgrind`).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sendRequests } from './lib/load';
import { ServerProcess } from './lib/server-process';
import { envNumber } from './lib/vitals-runner';
import { BASELINE, SCENARIOS } from './modules';

const WARM = Math.round(envNumber('BENCH_WARM_REQUESTS', 3000));
const COUNT = Math.round(envNumber('BENCH_REQUESTS', 4000));
const CONNECTIONS = 16;

interface ThreadCount {
  thread: number;
  instructions: number;
  ranSqlite: boolean;
}

/** The per-thread files callgrind wrote when asked to dump (part 1): `<prefix>.<pid>.1-<thread>`. */
function readDump(dir: string, pid: number): ThreadCount[] {
  const part = new RegExp(`^cg\\.${pid}\\.1-(\\d+)$`);
  return readdirSync(dir)
    .map((name) => ({ name, m: part.exec(name) }))
    .filter((f): f is { name: string; m: RegExpExecArray } => f.m !== null)
    .map(({ name, m }) => {
      const text = readFileSync(path.join(dir, name), 'utf8');
      const summary = /^summary: (\d+)/m.exec(text) ?? /^totals: (\d+)/m.exec(text);
      return { thread: Number(m[1]), instructions: Number(summary?.[1] ?? 0), ranSqlite: /sqlite3VdbeExec/.test(text) };
    })
    .sort((a, b) => a.thread - b.thread);
}

function callgrindControl(flag: '-z' | '-d', pid: number): void {
  const r = spawnSync('callgrind_control', [flag, String(pid)], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`callgrind_control ${flag} failed: ${r.stderr || r.stdout}`);
}

async function waitForDump(dir: string, pid: number): Promise<ThreadCount[]> {
  // callgrind writes the files when the program next runs its code; give it time to.
  for (let i = 0; i < 120; i++) {
    const threads = readDump(dir, pid);
    if (threads.some((t) => t.thread === 1)) {
      await new Promise((r) => setTimeout(r, 2000)); // the other threads' files follow
      return readDump(dir, pid);
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
  throw new Error('callgrind wrote no dump');
}

interface Counted {
  name: string;
  requests: number;
  main: number;
  writer: number | null;
  rest: number;
}

async function count(moduleName: string, workRoot: string): Promise<Counted> {
  const outDir = mkdtempSync(path.join(workRoot, `${moduleName}-cg-`));
  const workDir = mkdtempSync(path.join(workRoot, `${moduleName}-data-`));
  const { server, port, request } = await ServerProcess.start({
    module: moduleName,
    database: 'sqlite',
    workDir,
    postgresUrl: null,
    profileDir: null,
    readyTimeoutMs: 45 * 60_000,
    wrapper: ['valgrind', '-q', '--tool=callgrind', '--separate-threads=yes', `--callgrind-out-file=${path.join(outDir, 'cg.%p')}`],
  });
  try {
    const pid = server.pid;
    if (pid === undefined) throw new Error('no server pid');
    const warm = await sendRequests(port, request, CONNECTIONS, WARM);
    if (warm.other > 0) throw new Error(`${moduleName}: ${warm.other} warm-up requests failed`);
    await server.beforeMeasure();
    callgrindControl('-z', pid);
    const measured = await sendRequests(port, request, CONNECTIONS, COUNT);
    callgrindControl('-d', pid);
    if (measured.other > 0 || measured.ok2xx !== COUNT) throw new Error(`${moduleName}: ${measured.other} of ${COUNT} requests failed`);
    const threads = await waitForDump(outDir, pid);
    const main = threads.find((t) => t.thread === 1)?.instructions ?? 0;
    const writer = threads.filter((t) => t.thread !== 1 && t.ranSqlite).sort((a, b) => b.instructions - a.instructions)[0] ?? null;
    const rest = threads.filter((t) => t.thread !== 1 && t !== writer).reduce((n, t) => n + t.instructions, 0);
    return { name: moduleName, requests: measured.ok2xx, main, writer: writer?.instructions ?? null, rest };
  } finally {
    await server.close();
  }
}

async function main(): Promise<void> {
  if (spawnSync('valgrind', ['--version']).status !== 0) {
    console.error('valgrind is not installed (Debian: apt-get install -y valgrind)');
    process.exit(2);
  }
  const known = [BASELINE, ...SCENARIOS].map((m) => m.name);
  const names = process.argv.slice(2).length > 0 ? process.argv.slice(2) : [BASELINE.name, 'audited-read'];
  const unknown = names.filter((n) => !known.includes(n));
  if (unknown.length > 0) {
    console.error(`Unknown scenario ${unknown.join(', ')}; available: ${known.join(', ')}`);
    process.exit(2);
  }
  const workRoot = mkdtempSync(path.join(os.tmpdir(), 'threshold-instructions-'));
  console.log(`Instructions per request under callgrind · ${WARM} warm-up + ${COUNT} counted requests · ${CONNECTIONS} connections · Node ${process.version}`);
  console.log(`running ${names.join(', ')} at once (about 10 minutes)…\n`);
  try {
    const results = await Promise.all(names.map((n) => count(n, workRoot)));
    const baseline = results.find((r) => r.name === BASELINE.name);
    const k = (n: number, requests: number) => `${(n / requests / 1000).toFixed(1)}k`;
    console.log(`${'server'.padEnd(16)} ${'main thread'.padStart(12)} ${'vs baseline'.padStart(12)} ${'writer'.padStart(10)} ${'rest'.padStart(10)}   (instructions per request)`);
    for (const r of results) {
      const ratio = baseline ? `${(r.main / r.requests / (baseline.main / baseline.requests)).toFixed(2)} ×` : '—';
      console.log(
        `${r.name.padEnd(16)} ${k(r.main, r.requests).padStart(12)} ${ratio.padStart(12)} ${(r.writer === null ? '—' : k(r.writer, r.requests)).padStart(10)} ${k(r.rest, r.requests).padStart(10)}`,
      );
    }
  } finally {
    rmSync(workRoot, { recursive: true, force: true });
  }
}

await main();
