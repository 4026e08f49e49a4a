import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config';

// Every test's data dir is made under one parent, removed when the file's tests end.
const root = mkdtempSync(path.join(tmpdir(), 'threshold-config-'));
const tmp = () => mkdtempSync(path.join(root, 'data-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const key = Buffer.alloc(32, 7).toString('base64');

describe('loadConfig', () => {
  it('runs the embedded default: SQLite under DATA_DIR, local mailbox, demo seed, generated secrets kept across starts', () => {
    const dir = tmp();
    const first = loadConfig({ DATA_DIR: dir });
    expect(first.database).toEqual({ kind: 'sqlite', file: path.join(dir, 'threshold.sqlite') });
    expect(first).toMatchObject({ port: 3000, smtpUrl: null, seedDemo: true, production: false, publicUrl: 'http://localhost:3000' });
    const file = path.join(dir, 'secrets.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const second = loadConfig({ DATA_DIR: dir });
    expect(second.secrets).toEqual(first.secrets);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(first.secrets);
    expect(Object.isFrozen(first)).toBe(true);
  });

  it('trusts proxy headers only when told to', () => {
    expect(loadConfig({ DATA_DIR: tmp() }).trustProxy).toBe(false);
    expect(loadConfig({ DATA_DIR: tmp(), TRUST_PROXY: 'true' }).trustProxy).toBe(true);
    expect(loadConfig({ DATA_DIR: tmp(), TRUST_PROXY: '1' }).trustProxy).toBe(1);
    expect(() => loadConfig({ DATA_DIR: tmp(), TRUST_PROXY: 'yes please' })).toThrow(/TRUST_PROXY/);
  });

  it('reads the live-stream heartbeat (default 15 s) within 100 ms to 60 s', () => {
    expect(loadConfig({ DATA_DIR: tmp() }).streamHeartbeatMs).toBe(15_000);
    expect(loadConfig({ DATA_DIR: tmp(), STREAM_HEARTBEAT_MS: '500' }).streamHeartbeatMs).toBe(500);
    expect(loadConfig({ DATA_DIR: tmp(), STREAM_HEARTBEAT_MS: '60000' }).streamHeartbeatMs).toBe(60_000);
  });

  it('switches to PostgreSQL with a postgres:// DATABASE_URL', () => {
    const c = loadConfig({ DATA_DIR: tmp(), DATABASE_URL: 'postgres://u@db:5432/threshold' });
    expect(c.database).toEqual({ kind: 'postgres', url: 'postgres://u@db:5432/threshold' });
  });

  it('in production requires the secrets and never seeds demo data', () => {
    expect(() => loadConfig({ DATA_DIR: tmp(), NODE_ENV: 'production' })).toThrow(/APP_SECRET and DATA_ENCRYPTION_KEY/);
    expect(() => loadConfig({ DATA_DIR: tmp(), NODE_ENV: 'production', APP_SECRET: key })).toThrow(/DATA_ENCRYPTION_KEY/);
    const c = loadConfig({ DATA_DIR: tmp(), NODE_ENV: 'production', APP_SECRET: key, DATA_ENCRYPTION_KEY: key, SEED_DEMO: 'true' });
    expect(c.seedDemo).toBe(false);
  });

  it.each([
    [{ PORT: 'eighty' }, /PORT/],
    [{ PORT: '70000' }, /PORT/],
    [{ DATABASE_URL: 'mysql://x' }, /DATABASE_URL/],
    [{ SMTP_URL: 'http://mail' }, /SMTP_URL/],
    [{ PUBLIC_URL: 'not a url' }, /PUBLIC_URL/],
    [{ NODE_ENV: 'staging' }, /NODE_ENV/],
    [{ APP_SECRET: 'short' }, /APP_SECRET/],
    [{ DATA_ENCRYPTION_KEY: Buffer.alloc(16).toString('base64') }, /DATA_ENCRYPTION_KEY/],
    [{ STREAM_HEARTBEAT_MS: '99' }, /STREAM_HEARTBEAT_MS must be a whole number from 100 to 60000/],
    [{ STREAM_HEARTBEAT_MS: '60001' }, /STREAM_HEARTBEAT_MS/],
    [{ STREAM_HEARTBEAT_MS: '1.5s' }, /STREAM_HEARTBEAT_MS/],
  ])('rejects %j with a clear message', (env, message) => {
    expect(() => loadConfig({ DATA_DIR: tmp(), ...env })).toThrow(ConfigError);
    expect(() => loadConfig({ DATA_DIR: tmp(), ...env })).toThrow(message);
  });
});
