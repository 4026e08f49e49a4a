import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The only reader of process.env. Validates at start-up and fails with a clear
 * message; everything else receives a frozen Config.
 */
export interface Config {
  readonly port: number;
  readonly host: string;
  readonly dataDir: string;
  /** `sqlite:<file>` or a postgres:// URL. */
  readonly database: { readonly kind: 'sqlite'; readonly file: string } | { readonly kind: 'postgres'; readonly url: string };
  readonly smtpUrl: string | null;
  readonly publicUrl: string;
  readonly production: boolean;
  /** Seed the demo clinic on first start (never in production). */
  readonly seedDemo: boolean;
  readonly logLevel: string;
  readonly secrets: Secrets;
  readonly session: { readonly idleMinutes: number; readonly absoluteHours: number };
  readonly breakGlassMinutes: number;
  readonly loginThrottle: { readonly perAccount: number; readonly perAddress: number; readonly windowMinutes: number };
  readonly bodyLimitBytes: number;
  /** Trust X-Forwarded-* from this many proxy hops (false: use the socket address). */
  readonly trustProxy: boolean | number;
  readonly outbox: { readonly pollMs: number; readonly maxAttempts: number };
  /**
   * Live streams (SSE) send a keep-alive this often, and at each one re-read the caller's
   * sign-in and access: it bounds how long a stream outlives a sign-out or a care-team change.
   */
  readonly streamHeartbeatMs: number;
  /** Serve the built web app from this folder when it exists. */
  readonly webDistDir: string;
}

export interface Secrets {
  /** HMAC key for signed links and tokens (base64, ≥ 32 bytes). */
  readonly appSecret: string;
  /** AES-256-GCM key for encrypted free text (base64, exactly 32 bytes). */
  readonly dataEncryptionKey: string;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

type Env = Record<string, string | undefined>;

function intFrom(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(`${name} must be a whole number from ${min} to ${max}, got "${raw}"`);
  }
  return value;
}

function checkKey(name: string, value: string, exactBytes?: number): string {
  const bytes = Buffer.from(value, 'base64');
  if (exactBytes !== undefined ? bytes.length !== exactBytes : bytes.length < 32) {
    throw new ConfigError(
      `${name} must be base64 of ${exactBytes ?? 'at least 32'} random bytes (try: openssl rand -base64 32)`,
    );
  }
  return value;
}

/**
 * Secrets come from the environment; outside production, missing ones are generated
 * once into DATA_DIR/secrets.json so that the embedded default just works and keeps
 * working across restarts.
 */
function loadSecrets(env: Env, dataDir: string, production: boolean): Secrets {
  const fromEnv = { appSecret: env.APP_SECRET, dataEncryptionKey: env.DATA_ENCRYPTION_KEY };
  if (production) {
    const missing = Object.entries({ APP_SECRET: fromEnv.appSecret, DATA_ENCRYPTION_KEY: fromEnv.dataEncryptionKey })
      .filter(([, v]) => !v)
      .map(([k]) => k);
    if (missing.length > 0) {
      throw new ConfigError(
        `NODE_ENV=production requires ${missing.join(' and ')} (base64 of 32 random bytes each: openssl rand -base64 32)`,
      );
    }
  }
  const file = path.join(dataDir, 'secrets.json');
  let stored: Partial<Secrets> = {};
  if (existsSync(file)) {
    stored = JSON.parse(readFileSync(file, 'utf8')) as Partial<Secrets>;
  }
  const secrets = {
    appSecret: fromEnv.appSecret || stored.appSecret || randomBytes(32).toString('base64'),
    dataEncryptionKey: fromEnv.dataEncryptionKey || stored.dataEncryptionKey || randomBytes(32).toString('base64'),
  };
  if (!production && (stored.appSecret !== secrets.appSecret || stored.dataEncryptionKey !== secrets.dataEncryptionKey)) {
    if (!fromEnv.appSecret || !fromEnv.dataEncryptionKey) {
      writeFileSync(file, JSON.stringify(secrets, null, 2) + '\n', { mode: 0o600 });
    }
  }
  return {
    appSecret: checkKey('APP_SECRET', secrets.appSecret),
    dataEncryptionKey: checkKey('DATA_ENCRYPTION_KEY', secrets.dataEncryptionKey, 32),
  };
}

export function loadConfig(env: Env = process.env): Config {
  const nodeEnv = env.NODE_ENV ?? 'development';
  if (!['development', 'production', 'test'].includes(nodeEnv)) {
    throw new ConfigError(`NODE_ENV must be development, production or test, got "${nodeEnv}"`);
  }
  const production = nodeEnv === 'production';
  const port = intFrom(env, 'PORT', 3000, 0, 65535);
  const dataDir = path.resolve(env.DATA_DIR || './data');
  mkdirSync(dataDir, { recursive: true });

  const dbUrl = env.DATABASE_URL?.trim();
  let database: Config['database'];
  if (!dbUrl) {
    database = { kind: 'sqlite', file: path.join(dataDir, 'threshold.sqlite') };
  } else if (/^postgres(ql)?:\/\//.test(dbUrl)) {
    database = { kind: 'postgres', url: dbUrl };
  } else if (dbUrl.startsWith('sqlite:')) {
    database = { kind: 'sqlite', file: path.resolve(dbUrl.slice('sqlite:'.length)) };
  } else {
    throw new ConfigError('DATABASE_URL must start with postgres:// (or sqlite:<file>); leave it unset for the embedded SQLite database');
  }

  const smtpUrl = env.SMTP_URL?.trim() || null;
  if (smtpUrl && !/^smtps?:\/\//.test(smtpUrl)) {
    throw new ConfigError('SMTP_URL must start with smtp:// or smtps://');
  }
  const publicUrl = (env.PUBLIC_URL?.trim() || `http://localhost:${port}`).replace(/\/+$/, '');
  try {
    new URL(publicUrl);
  } catch {
    throw new ConfigError(`PUBLIC_URL must be an absolute URL, got "${publicUrl}"`);
  }

  const config: Config = {
    port,
    host: env.HOST || '0.0.0.0',
    dataDir,
    database,
    smtpUrl,
    publicUrl,
    production,
    seedDemo: !production && env.SEED_DEMO !== 'false',
    logLevel: env.LOG_LEVEL || 'info',
    secrets: loadSecrets(env, dataDir, production),
    session: {
      idleMinutes: intFrom(env, 'SESSION_IDLE_MINUTES', 30, 1, 24 * 60),
      absoluteHours: intFrom(env, 'SESSION_ABSOLUTE_HOURS', 12, 1, 24 * 30),
    },
    breakGlassMinutes: intFrom(env, 'BREAK_GLASS_MINUTES', 60, 5, 24 * 60),
    loginThrottle: {
      perAccount: intFrom(env, 'LOGIN_MAX_FAILURES_PER_ACCOUNT', 5, 1, 1000),
      // A clinic's staff often share one office address (NAT): generous per address, strict per account.
      perAddress: intFrom(env, 'LOGIN_MAX_FAILURES_PER_ADDRESS', 50, 1, 10000),
      windowMinutes: intFrom(env, 'LOGIN_THROTTLE_MINUTES', 15, 1, 24 * 60),
    },
    bodyLimitBytes: intFrom(env, 'BODY_LIMIT_BYTES', 1024 * 1024, 1024, 50 * 1024 * 1024),
    // Off by default: trusting X-Forwarded-For from anyone would let a client choose the
    // address that sign-in throttling and the audit log record.
    trustProxy: env.TRUST_PROXY === 'true' ? true : intFrom(env, 'TRUST_PROXY', 0, 0, 10) || false,
    outbox: {
      pollMs: intFrom(env, 'OUTBOX_POLL_MS', 2000, 50, 600_000),
      maxAttempts: intFrom(env, 'OUTBOX_MAX_ATTEMPTS', 8, 1, 100),
    },
    // Capped at a minute: the re-check is what ends a stream after a sign-out or a care-team
    // change, so a longer wait lets it outlive its access longer. It must also stay below any
    // proxy's idle timeout (nginx's proxy_read_timeout defaults to 60 s).
    streamHeartbeatMs: intFrom(env, 'STREAM_HEARTBEAT_MS', 15_000, 100, 60_000),
    webDistDir: path.resolve(env.WEB_DIST_DIR || './dist/web'),
  };
  return Object.freeze(config);
}
