import autocannon from 'autocannon';
import type { BenchRequest } from './types';

export interface LoadSettings {
  readonly connections: number;
  /** Seconds of measured load. */
  readonly durationS: number;
  /** Seconds of load before measuring, thrown away (JIT, caches, WAL growth). */
  readonly warmupS: number;
}

export interface LoadResult {
  /** 2xx responses per second over the measured run. */
  readonly rps: number;
  readonly p50: number;
  readonly p975: number;
  readonly p99: number;
  readonly meanMs: number;
  readonly ok2xx: number;
  readonly non2xx: number;
  readonly errors: number;
  readonly statusCodes: Record<string, number>;
}

/** The request as autocannon sends it, to 127.0.0.1. */
function target(port: number, request: BenchRequest) {
  return {
    url: `http://127.0.0.1:${port}${request.path}`,
    method: request.method,
    ...(request.headers ? { headers: { ...request.headers } } : {}),
    ...(request.body !== undefined ? { body: request.body } : {}),
    pipelining: 1,
  };
}

function fire(port: number, request: BenchRequest, connections: number, durationS: number) {
  return autocannon({ ...target(port, request), connections, duration: durationS, timeout: 10 });
}

/** Warms up, then calls `beforeMeasure`, then measures. Traffic stays on 127.0.0.1. */
export async function measureLoad(
  port: number,
  request: BenchRequest,
  settings: LoadSettings,
  beforeMeasure: () => Promise<void>,
): Promise<LoadResult> {
  if (settings.warmupS > 0) await fire(port, request, settings.connections, settings.warmupS);
  await beforeMeasure();
  const r = await fire(port, request, settings.connections, settings.durationS);
  const statusCodes = Object.fromEntries(Object.entries(r.statusCodeStats ?? {}).map(([k, v]) => [k, Number(v.count)]));
  return {
    rps: r['2xx'] / r.duration,
    p50: r.latency.p50,
    p975: r.latency.p97_5,
    p99: r.latency.p99,
    meanMs: r.latency.average,
    ok2xx: r['2xx'],
    non2xx: r.non2xx,
    errors: r.errors,
    statusCodes,
  };
}

/** Sends exactly `amount` requests over `connections` (for counts that must not depend on time). */
export async function sendRequests(port: number, request: BenchRequest, connections: number, amount: number): Promise<{ ok2xx: number; other: number }> {
  // A server under valgrind answers ~50 times slower than usual: a long timeout.
  const r = await autocannon({ ...target(port, request), connections, amount, timeout: 120 });
  return { ok2xx: r['2xx'], other: r.non2xx + r.errors };
}
