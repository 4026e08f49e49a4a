import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import fastifyCookie from '@fastify/cookie';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import pino from 'pino';
import Fastify, { LogController, type FastifyError, type FastifyReply, type FastifyRequest } from 'fastify';
import { ErrorBody } from '../core/schemas/common.schema';
import type { Config } from './config';
import { openDatabase, type Database } from './db/database';
import type { Deps } from './deps';
import { registerErrorHandling } from './http/errors';
import { registerSessionAuth } from './http/session-auth';
import type { App } from './http/types';
import { KyselyAuditLog, type AuditLog } from './modules/audit/audit-log';
import { SqliteWorkerAuditLog } from './modules/audit/sqlite-audit-log';
import { auditRoutes } from './modules/audit/audit.routes';
import { authRoutes } from './modules/auth/auth.routes';
import { mailboxRoutes } from './modules/mail/mailbox.routes';
import { Outbox } from './modules/mail/outbox';
import { createMetrics, opsRoutes } from './modules/ops/ops.routes';
import { patientRoutes } from './modules/patients/patients.routes';
import { schedulingRoutes } from './modules/scheduling/scheduling.routes';
import { schedulingSettingsRoutes } from './modules/scheduling/scheduling-settings.routes';
import { staffRoutes } from './modules/staff/staff.routes';
import { directoryRoutes } from './modules/directory/directory.routes';
import { dosingRoutes } from './modules/dosing/dosing.routes';
import { intakeRoutes } from './modules/intake/intake.routes';
import { SessionCache } from './modules/auth/session-cache';
import { LazyChildLogger } from './http/lazy-child-logger';
import { flushOnExit, LogBatcher } from './http/log-batcher';

export interface BuildOptions {
  /** An already-open database (tests share one per file); otherwise opened from config. */
  database?: Database;
  now?: () => Date;
  /** Run the outbox worker in the background (off in tests, which drive it directly). */
  startWorkers?: boolean;
  /** Where log lines go (default stdout); tests read them to prove no patient data leaks. */
  logStream?: { write(line: string): void };
}

/**
 * Paths pino censors. Driver errors can carry values in `detail` (PostgreSQL's
 * "Key (email)=(…) already exists"), so those go too.
 */
const LOG_REDACTIONS = [
  'req.headers.cookie',
  'req.headers["x-csrf-token"]',
  'req.headers.authorization',
  'res.headers["set-cookie"]',
  'err.detail',
  'err.parameters',
  'err.where',
];

function sendFrameworkError(error: FastifyError, _request: FastifyRequest, reply: FastifyReply): void {
  void reply.code(error.statusCode ?? 400).send({ error: { code: 'validation', message: 'The URL is not valid', field: 'url' } });
}

/** Request logs carry the path without its query string: searches may contain names. */
function redactedUrl(url: string): string {
  const q = url.indexOf('?');
  return q === -1 ? url : `${url.slice(0, q)}?…`;
}

const SESSION_CACHE_MS = 5_000;

export async function buildApp(config: Config, options: BuildOptions = {}): Promise<{ app: App; deps: Deps }> {
  const ownsDatabase = !options.database;
  const database = options.database ?? openDatabase(config.database);
  const now = options.now ?? (() => new Date());

  // Log lines are collected (LogBatcher) and written in large chunks at least twice a
  // second, instead of a write per line: on a busy server the per-line work was a
  // measurable share of every request. What is collected is written when the app closes.
  const logDestination = options.logStream ? null : pino.destination({ dest: 1, sync: false });
  const logBatcher = logDestination ? new LogBatcher(logDestination) : null;
  const logFlushTimer = logBatcher ? setInterval(() => logBatcher.flush(), 500).unref() : null;
  const flushLogsSync = () => {
    logBatcher?.flush();
    logDestination?.flushSync();
  };
  const stopFlushOnExit = logBatcher ? flushOnExit(flushLogsSync) : null;
  const app = Fastify({
    logger: {
      level: config.logLevel,
      stream: options.logStream ?? logBatcher!,
      redact: { paths: LOG_REDACTIONS, censor: '[redacted]' },
      serializers: {
        req: (req: { method: string; url: string; id: string }) => ({ method: req.method, url: redactedUrl(req.url), id: req.id }),
      },
    },
    // One log line per request (written in onResponse below) instead of two.
    logController: new LogController({ disableRequestLogging: true }),
    childLoggerFactory: (logger, bindings, options) => new LazyChildLogger(logger, bindings, options),
    bodyLimit: config.bodyLimitBytes,
    genReqId: () => randomUUID(),
    // A hop count becomes proxy-addr's trust function: trust the first n hops.
    trustProxy: typeof config.trustProxy === 'number' ? (_address: string, hop: number) => hop < (config.trustProxy as number) : config.trustProxy,
    // Errors Fastify raises before routing (a malformed URL) get the same error shape.
    frameworkErrors: sendFrameworkError,
    ajv: { customOptions: { coerceTypes: 'array', removeAdditional: false, allErrors: true, allowUnionTypes: true } },
  }).withTypeProvider<TypeBoxTypeProvider>();

  const audit: AuditLog =
    database.sqliteFile !== null
      ? new SqliteWorkerAuditLog(database.sqliteFile, config.secrets.appSecret, now)
      : new KyselyAuditLog(database.db, database.dialect, config.secrets.appSecret, now);
  const outbox = new Outbox(database.db, database.dialect, config, app.log, now);
  // Sessions are remembered briefly only where this process is the database's one server
  // (embedded SQLite); PostgreSQL may be shared by several (see SessionCache).
  const sessions = new SessionCache(database.dialect === 'sqlite' ? SESSION_CACHE_MS : 0, () => now().getTime());
  const deps: Deps = { config, database, db: database.db, audit, outbox, sessions, now };
  const metrics = createMetrics();

  // The API speaks JSON only: other bodies get a clear 415 rather than a confusing 400.
  app.removeContentTypeParser('text/plain');
  await app.register(fastifyCookie);
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.0.3',
      info: { title: 'Threshold API', version: '0.1.0', description: 'Clinic software for ketamine-assisted psychotherapy' },
      components: { securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: 'threshold_session' } } },
    },
    refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => (typeof json.$id === 'string' ? json.$id : `def-${i}`) },
  });
  app.addSchema(ErrorBody);
  registerErrorHandling(app);
  registerSessionAuth(app, deps);

  // Hooks in callback style: on every request, an async hook's promise is measurable.
  app.addHook('onSend', (request, reply, payload, done) => {
    void reply.header('x-content-type-options', 'nosniff');
    void reply.header('referrer-policy', 'no-referrer');
    void reply.header('x-frame-options', 'DENY');
    // API answers carry patient data: no browser or proxy keeps a copy (a shared computer
    // at the front desk, a back button after signing out) unless a route says otherwise.
    if (request.url.startsWith('/api/') && !reply.hasHeader('cache-control')) void reply.header('cache-control', 'no-store');
    done(null, payload);
  });
  app.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions.url ?? 'unmatched';
    metrics.observeRequest(request.method, route, reply.statusCode, reply.elapsedTime / 1000);
    // Through the root logger with the id spelled out: the same line request.log would
    // write, without creating the request's child logger (see LazyChildLogger).
    app.log.info(
      { reqId: request.id, method: request.method, route, url: redactedUrl(request.url), status: reply.statusCode, ms: Math.round(reply.elapsedTime * 10) / 10 },
      'request completed',
    );
    done();
  });

  authRoutes(app, deps);
  patientRoutes(app, deps);
  schedulingRoutes(app, deps);
  schedulingSettingsRoutes(app, deps);
  staffRoutes(app, deps);
  directoryRoutes(app, deps);
  const dosing = dosingRoutes(app, deps);
  intakeRoutes(app, deps, { startWorkers: options.startWorkers === true });
  auditRoutes(app, deps);
  mailboxRoutes(app, deps);
  opsRoutes(app, deps, metrics);
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  const webIndex = path.join(config.webDistDir, 'index.html');
  const serveWeb = existsSync(webIndex);
  if (serveWeb) {
    await app.register(fastifyStatic, { root: config.webDistDir, wildcard: false, index: false });
  }
  app.setNotFoundHandler((request, reply) => {
    // The web app routes in the browser: any non-API GET gets its shell.
    if (serveWeb && request.method === 'GET' && !request.url.startsWith('/api/')) {
      void reply.header('cache-control', 'no-cache');
      return reply.sendFile('index.html');
    }
    return reply.status(404).send({ error: { code: 'not_found', message: `No route for ${request.method} ${redactedUrl(request.url)}` } });
  });

  app.addHook('onClose', async () => {
    if (logFlushTimer) clearInterval(logFlushTimer);
    stopFlushOnExit?.();
    flushLogsSync();
    await outbox.stop();
    await audit.close();
    if (ownsDatabase) await database.close();
  });
  if (options.startWorkers) outbox.start();
  if (options.startWorkers) dosing.startJobs();

  return { app: app as unknown as App, deps };
}
