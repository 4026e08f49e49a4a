import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { TEST_DIALECT } from './helpers/test-database';

/** The README's promise, checked: the real entry point, a fresh data dir, two starts. */

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });

let child: ChildProcess | null = null;
afterEach(() => {
  child?.kill('SIGKILL');
  child = null;
});

async function start(env: Record<string, string>): Promise<string> {
  const port = await freePort();
  // The server itself is the child (not npx → tsx → node): a signal to it reaches the
  // server, and no orphaned server outlives the test.
  child = spawn(process.execPath, ['--import', 'tsx', 'src/server/main.ts'], {
    env: { ...process.env, NODE_ENV: 'development', LOG_LEVEL: 'warn', PORT: String(port), HOST: '127.0.0.1', ...env },
    stdio: 'ignore',
  });
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(`${base}/api/ready`)).ok) return base;
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('server did not become ready');
}

async function stop(): Promise<void> {
  const c = child!;
  const exited = new Promise<number | null>((resolve) => c.once('exit', (code) => resolve(code)));
  c.kill('SIGTERM');
  await exited;
  child = null;
}

describe.runIf(TEST_DIALECT === 'sqlite')('npm start', () => {
  it('creates, migrates and seeds the database on first start and keeps the data on the second', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'threshold-start-'));
    let base = await start({ DATA_DIR: dataDir });
    const login = async () => {
      const res = await fetch(`${base}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'frontdesk@demo.clinic', password: 'threshold-demo' }),
      });
      expect(res.status).toBe(200);
      const me = (await res.json()) as { csrfToken: string; organizationName: string };
      expect(me.organizationName).toBe('Demo Clinic — Los Angeles');
      return { cookie: res.headers.get('set-cookie')!.split(';')[0]!, csrf: me.csrfToken };
    };
    let s = await login();
    const created = await fetch(`${base}/api/patients`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: s.cookie, 'x-csrf-token': s.csrf },
      body: JSON.stringify({ legalGivenName: 'Persist', legalFamilyName: 'Ence', dateOfBirth: '1980-01-01' }),
    });
    expect(created.status).toBe(201);
    await stop();

    base = await start({ DATA_DIR: dataDir });
    s = await login();
    const list = (await (await fetch(`${base}/api/patients?q=persist`, { headers: { cookie: s.cookie } })).json()) as { total: number };
    expect(list.total).toBe(1);
    const all = (await (await fetch(`${base}/api/patients?limit=200`, { headers: { cookie: s.cookie } })).json()) as { total: number };
    expect(all.total).toBe(6); // five demo patients, seeded once, plus the new one
    await stop();
    rmSync(dataDir, { recursive: true, force: true });
  }, 60_000);

  it('refuses to start in production without secrets, saying which', () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'threshold-prod-'));
    const run = spawnSync('npx', ['tsx', 'src/server/main.ts'], {
      env: { ...process.env, NODE_ENV: 'production', DATA_DIR: dataDir, APP_SECRET: '', DATA_ENCRYPTION_KEY: '' },
      encoding: 'utf8',
      timeout: 30_000,
    });
    rmSync(dataDir, { recursive: true, force: true });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('Threshold cannot start: NODE_ENV=production requires APP_SECRET and DATA_ENCRYPTION_KEY');
  });
});
