import { Type } from '@sinclair/typebox';
import { sql } from 'kysely';
import client from 'prom-client';
import type { Deps } from '../../deps';
import type { App } from '../../http/types';

export function createMetrics() {
  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry });
  const httpDuration = new client.Histogram({
    name: 'threshold_http_request_duration_seconds',
    help: 'HTTP request duration by route pattern and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  // The labelled series for each (method, route pattern, status), looked up once: prom-client
  // otherwise hashes the label object on every observation, i.e. on every request. Route
  // patterns (not URLs) keep this set small.
  const series = new Map<string, client.Histogram.Internal<'method' | 'route' | 'status'>>();
  function observeRequest(method: string, route: string, status: number, seconds: number): void {
    const key = `${method} ${status} ${route}`;
    let child = series.get(key);
    if (!child) {
      child = httpDuration.labels({ method, route, status: String(status) });
      series.set(key, child);
    }
    child.observe(seconds);
  }
  return { registry, httpDuration, observeRequest };
}
export type Metrics = ReturnType<typeof createMetrics>;

export function opsRoutes(app: App, deps: Deps, metrics: Metrics): void {
  app.get(
    '/api/health',
    { schema: { tags: ['ops'], summary: 'The process is up', response: { 200: Type.Object({ status: Type.Literal('ok') }) } } },
    async () => ({ status: 'ok' as const }),
  );

  app.get(
    '/api/ready',
    {
      schema: {
        tags: ['ops'],
        summary: 'The database is reachable',
        response: {
          200: Type.Object({ status: Type.Literal('ready'), database: Type.String() }),
          503: Type.Object({ status: Type.Literal('unavailable'), database: Type.String() }),
        },
      },
    },
    async (_request, reply) => {
      try {
        await sql`select 1`.execute(deps.db);
        return { status: 'ready' as const, database: deps.database.dialect };
      } catch {
        return reply.status(503).send({ status: 'unavailable' as const, database: deps.database.dialect });
      }
    },
  );

  app.get('/metrics', { schema: { hide: true } }, async (_request, reply) => {
    void reply.header('content-type', metrics.registry.contentType);
    return metrics.registry.metrics();
  });
}
