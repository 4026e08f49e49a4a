/**
 * `npx tsx bench/vitals-stream.ts` — device-POST-to-browser-event latency.
 *
 * BENCH_SESSIONS (default 500) dosing sessions are open on the real service (its own
 * process, throwaway database); one Server-Sent Events client per session listens on
 * `GET /api/sessions/:id/stream` (what the flowsheet does). Each session's "monitor" has
 * its own keep-alive connection. After the streams are open, 1 s to settle and
 * BENCH_WARMUP (default 1) seconds of unmeasured traffic. Steady phase: every monitor
 * POSTs one reading per second (spread over the second) for BENCH_DURATION seconds; latency = time the reading's SSE event arrives − time its POST was sent (so it
 * includes the durable commit before the fan-out). Burst phase: all sessions POST at the
 * same instant, BENCH_BURSTS times. Baseline from the same run: the same SSE/POST round
 * trip on a bare Node http server that relays the body to the listener without storing
 * anything — the floor of this client and loop.
 *
 * Target (issue 5): steady p99 < 10 ms. BENCH_DB=postgres also runs on PostgreSQL (the
 * fan-out then goes through LISTEN/NOTIFY). Traffic on 127.0.0.1; bounded in time.
 */
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { databasesFromEnv, envNumber, percentile, postJson, startVitalsServer } from './lib/vitals-runner';
import type { BenchDatabase } from './lib/types';

const SESSIONS = Math.round(envNumber('BENCH_SESSIONS', 500));
const DURATION_S = envNumber('BENCH_DURATION', 5);
const BURSTS = Math.round(envNumber('BENCH_BURSTS', 3));
const WARMUP_S = Number(process.env.BENCH_WARMUP ?? 1);
const TARGET_P99_MS = 10;

interface Stats {
  p50: number;
  p99: number;
  max: number;
  n: number;
  lost: number;
}
const statsOf = (values: number[], expected: number): Stats => {
  const s = [...values].sort((a, b) => a - b);
  return { p50: percentile(s, 50), p99: percentile(s, 99), max: s[s.length - 1] ?? Number.NaN, n: s.length, lost: expected - s.length };
};

/** One SSE listener; calls `onEvent(key)` for each reading event, keyed by its `at`. */
function listen(port: number, urlPath: string, headers: Record<string, string>, onEvent: (key: string) => void): Promise<http.ClientRequest> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path: urlPath, headers: { accept: 'text/event-stream', ...headers }, agent: false }, (res) => {
      if (res.statusCode !== 200) reject(new Error(`stream answered ${res.statusCode}`));
      res.setEncoding('utf8');
      let buffer = '';
      res.on('data', (chunk: string) => {
        buffer += chunk;
        let cut: number;
        while ((cut = buffer.indexOf('\n\n')) !== -1) {
          const block = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          const data = block.split('\n').find((l) => l.startsWith('data: '));
          if (data && block.includes('event: reading')) onEvent((JSON.parse(data.slice(6)) as { at: string }).at);
        }
      });
      resolve(req);
    });
    req.on('error', reject);
  });
}

async function measure(
  port: number,
  ids: string[],
  streamPath: (id: string) => string,
  postPath: (id: string) => string,
  headers: Record<string, string>,
): Promise<{ steady: Stats; burst: Stats; failed: number }> {
  const sent = new Map<string, number>();
  const latencies: number[] = [];
  let collecting: number[] = latencies;
  const onEvent = (key: string) => {
    const t0 = sent.get(key);
    if (t0 === undefined) return;
    sent.delete(key);
    collecting.push(performance.now() - t0);
  };
  const streams = await Promise.all(ids.map((id) => listen(port, streamPath(id), headers, onEvent)));
  // One keep-alive connection per session, as each chair's monitor has its own: with fewer,
  // a POST could wait in this client for a free socket, and that wait is not the server's.
  // FIFO reuse keeps every connection in use about once a second, so none idles into the
  // server's keep-alive timeout (a request racing that close would be reset).
  const agent = new http.Agent({ keepAlive: true, maxSockets: ids.length, scheduling: 'fifo' });
  let failed = 0;
  // Unique device timestamps identify each reading in the stream.
  let tick = Date.now() - 3_600_000;
  const post = (id: string) => {
    const at = new Date(++tick).toISOString();
    sent.set(at, performance.now());
    return postJson(agent, port, postPath(id), headers, { idempotencyKey: randomUUID(), source: 'device', readings: [{ at, hr: 72, spo2: 98, sbp: 120, dbp: 80, rr: 14 }] }).then(
      (r) => {
        if (r.status !== 200) failed++;
      },
      () => {
        failed++;
      },
    );
  };
  // Steady: each session once per second, spread evenly over the second.
  const steadyFor = async (seconds: number): Promise<number> => {
    const end = performance.now() + seconds * 1000;
    const spacing = 1000 / ids.length;
    let posted = 0;
    const inflight: Promise<unknown>[] = [];
    for (let round = 0; performance.now() < end; round++) {
      const roundStart = performance.now();
      for (let i = 0; i < ids.length; i++) {
        const due = roundStart + i * spacing;
        const wait = due - performance.now();
        if (wait > 1) await new Promise((r) => setTimeout(r, wait));
        inflight.push(post(ids[i]!));
        posted++;
      }
    }
    await Promise.all(inflight);
    await new Promise((r) => setTimeout(r, 500));
    return posted;
  };
  try {
    // Opening hundreds of streams at once (each audited, each catching up from the
    // database) is not the steady state: let it finish, then warm up unmeasured.
    await new Promise((r) => setTimeout(r, 1000));
    if (WARMUP_S > 0) {
      collecting = [];
      await steadyFor(WARMUP_S);
      sent.clear();
      collecting = latencies;
    }
    const expected = await steadyFor(DURATION_S);
    const steady = statsOf(latencies, expected);

    const burstLat: number[] = [];
    collecting = burstLat;
    sent.clear();
    for (let b = 0; b < BURSTS; b++) {
      await Promise.all(ids.map((id) => post(id)));
      await new Promise((r) => setTimeout(r, 500));
    }
    const burst = statsOf(burstLat, ids.length * BURSTS);
    return { steady, burst, failed };
  } finally {
    for (const s of streams) s.destroy();
    agent.destroy();
  }
}

/** The floor: a bare http server relaying each POST body to the session's SSE listener. */
async function baseline(): Promise<{ steady: Stats; burst: Stats; failed: number }> {
  const listeners = new Map<string, http.ServerResponse>();
  const server = http.createServer((req, res) => {
    const m = /^\/s\/([^/]+)\/(stream|vitals)$/.exec(req.url ?? '');
    if (!m) return void res.writeHead(404).end();
    if (m[2] === 'stream') {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.socket?.setNoDelay(true);
      res.flushHeaders();
      listeners.set(m[1]!, res);
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { readings: { at: string }[] };
      listeners.get(m[1]!)?.write(`event: reading\ndata: ${JSON.stringify(body.readings[0])}\n\n`);
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  const ids = Array.from({ length: SESSIONS }, (_, i) => `s${i}`);
  try {
    return await measure(port, ids, (id) => `/s/${id}/stream`, (id) => `/s/${id}/vitals`, {});
  } finally {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  }
}

const fmt = (s: Stats) => `p50 ${s.p50.toFixed(2)} ms · p99 ${s.p99.toFixed(2)} ms · max ${s.max.toFixed(1)} ms · ${s.n} events${s.lost > 0 ? ` · ${s.lost} MISSING` : ''}`;

async function main(): Promise<void> {
  console.log(`vitals stream · ${SESSIONS} sessions · 1 reading/s each for ${DURATION_S} s, then ${BURSTS} bursts · Node ${process.version} · ${os.cpus().length} CPUs`);
  const base = await baseline();
  console.log(`  baseline (bare relay, no storage): steady ${fmt(base.steady)}\n                                      burst  ${fmt(base.burst)}${base.failed > 0 ? ` · ${base.failed} POSTs failed` : ''}`);
  let safe = true;
  for (const database of databasesFromEnv() as BenchDatabase[]) {
    const server = await startVitalsServer(database, SESSIONS);
    try {
      const headers = { cookie: server.cookie, 'x-csrf-token': server.csrf };
      const r = await measure(
        server.port,
        server.sessionIds,
        (id) => `/api/sessions/${id}/stream?since=1`,
        (id) => `/api/sessions/${id}/vitals`,
        headers,
      );
      const verdict = r.steady.p99 < TARGET_P99_MS ? 'PASS' : 'FAIL';
      console.log(`\nvitals-stream [${database}]`);
      for (const n of server.notes) console.log(`    · ${n}`);
      console.log(`    steady: ${fmt(r.steady)}   target p99 < ${TARGET_P99_MS} ms: ${database === 'sqlite' ? verdict : `info (${verdict})`}`);
      console.log(`    burst:  ${fmt(r.burst)}   (all ${SESSIONS} sessions at once)`);
      if (r.failed > 0) {
        safe = false;
        console.log(`    ✘ ${r.failed} POSTs failed (not 200)`);
      }
      if (r.steady.lost > 0 || r.burst.lost > 0) {
        safe = false;
        console.log('    ✘ some posted readings never reached their stream');
      } else console.log('    ✔ every posted reading reached its stream exactly once');
    } finally {
      await server.close();
    }
  }
  if (!safe) process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error('\nbench failed:', error instanceof Error ? (error.stack ?? error.message) : error);
  process.exitCode = 1;
});
