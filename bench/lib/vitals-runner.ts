import { fork, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createFreshDatabase } from './postgres';
import type { BenchDatabase } from './types';

const SERVER = fileURLToPath(new URL('./vitals-server.ts', import.meta.url));

export interface VitalsServer {
  port: number;
  cookie: string;
  csrf: string;
  sessionIds: string[];
  notes: string[];
  count(): Promise<{ readings: number; audit: number }>;
  close(): Promise<void>;
}

type Msg =
  | { type: 'ready'; port: number; cookie: string; csrf: string; sessionIds: string[]; notes: string[] }
  | { type: 'counted'; readings: number; audit: number }
  | { type: 'error'; message: string };

/** Starts the vitals bench server in its own process (stdout → /dev/null), on a throwaway database. */
export async function startVitalsServer(database: BenchDatabase, sessions: number): Promise<VitalsServer> {
  const workDir = mkdtempSync(path.join(os.tmpdir(), `threshold-vitals-${database}-`));
  const pg = database === 'postgres' ? await createFreshDatabase() : null;
  const child: ChildProcess = fork(SERVER, [database, workDir, pg?.url ?? '', String(sessions)], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    env: process.env,
  });
  let waiting: ((m: Msg) => void) | null = null;
  let failed: Error | null = null;
  child.on('message', (m: Msg) => {
    if (m.type === 'error') failed = new Error(`vitals bench server failed: ${m.message}`);
    const w = waiting;
    waiting = null;
    w?.(m);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const next = (timeoutMs: number) =>
    new Promise<Msg>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error('vitals bench server did not answer in time')), timeoutMs);
      waiting = (m) => {
        clearTimeout(t);
        if (failed) reject(failed);
        else resolve(m);
      };
      child.once('exit', (code) => reject(new Error(`vitals bench server exited with ${code}`)));
    });
  const ready = await next(300_000);
  if (ready.type !== 'ready') throw new Error(`unexpected ${ready.type}`);
  return {
    port: ready.port,
    cookie: ready.cookie,
    csrf: ready.csrf,
    sessionIds: ready.sessionIds,
    notes: ready.notes,
    async count() {
      child.send({ type: 'count' });
      const m = await next(60_000);
      if (m.type !== 'counted') throw new Error('expected counted');
      return { readings: m.readings, audit: m.audit };
    },
    async close() {
      child.send({ type: 'close' });
      await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
      await pg?.drop();
      rmSync(workDir, { recursive: true, force: true });
    },
  };
}

export function envNumber(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) {
    console.error(`${name} must be a positive number, got "${raw}"`);
    process.exit(2);
  }
  return n;
}

export function databasesFromEnv(): BenchDatabase[] {
  const raw = (process.env.BENCH_DB || 'sqlite').trim().toLowerCase();
  if (raw === 'sqlite') return ['sqlite'];
  if (raw === 'postgres' || raw === 'postgresql' || raw === 'both') return ['sqlite', 'postgres'];
  console.error(`BENCH_DB must be sqlite or postgres, got "${raw}"`);
  process.exit(2);
}

/** POST JSON over a keep-alive agent; resolves with status and parsed body. */
export function postJson(agent: http.Agent, port: number, urlPath: string, headers: Record<string, string>, body: unknown): Promise<{ status: number; body: unknown }> {
  const payload = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port, path: urlPath, method: 'POST', agent, headers: { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: unknown = null;
          try {
            parsed = JSON.parse(text);
          } catch {
            parsed = text;
          }
          resolve({ status: res.statusCode ?? 0, body: parsed });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}
