/**
 * Browser journeys: build the web app, start the real server on a fresh SQLite data
 * directory and a free port, drive Debian's Chromium through each journey, stop the
 * server, and exit non-zero if anything failed. Last line: "N passed, M failed".
 *
 *   npm run test:e2e                         all journeys
 *   E2E_ONLY=therapist npm run test:e2e      journeys whose name contains "therapist"
 *   E2E_SCREENSHOTS=/tmp/shots npm run ...   save a full-page screenshot of every page scanned
 *   E2E_SKIP_BUILD=1                         reuse dist/web
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { apiSession, journeys, scannedCount, type JourneyContext } from './harness';
import './navigation.spec';
import './clinician.spec';
import './admin.spec';
import './patient.spec';
import './front-desk.spec';
import './consultation.spec';
import './dosing.spec';
import './intake.spec';
import './directory.spec';
import './availability.spec';
import './stream-ended.spec';

const ROOT = path.resolve(import.meta.dirname, '../..');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const FAILURE_DIR = path.join(os.tmpdir(), 'threshold-e2e-failures');

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: ROOT, env, stdio: 'inherit' });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${cmd} ${args.join(' ')} exited with ${code}`))));
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

async function waitForReady(baseUrl: string, server: ChildProcess, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exited: number | null = null;
  server.once('exit', (code) => (exited = code ?? -1));
  while (Date.now() < deadline) {
    if (exited !== null) throw new Error(`the server exited with ${exited} before it was ready`);
    try {
      const res = await fetch(`${baseUrl}/api/ready`);
      if (res.ok) return;
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`the server was not ready within ${timeoutMs / 1000}s`);
}

function stopServer(server: ChildProcess | null): Promise<void> {
  if (!server || server.exitCode !== null || server.pid === undefined) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      try {
        process.kill(-server.pid!, 'SIGKILL');
      } catch {
        /* already gone */
      }
      resolve();
    }, 10_000);
    server.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    try {
      // The server runs in its own process group (npx → tsx → node): stop all of it.
      process.kill(-server.pid!, 'SIGTERM');
    } catch {
      clearTimeout(timer);
      resolve();
    }
  });
}

async function main(): Promise<number> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'threshold-e2e-'));
  // Each run builds into its own folder, so concurrent runs (and a dev build) never clobber each other.
  const webDist = process.env.E2E_SKIP_BUILD ? path.join(ROOT, 'dist/web') : path.join(dataDir, 'web');
  if (!process.env.E2E_SKIP_BUILD) {
    console.log('› building the web app (vite build)');
    await run('npx', ['vite', 'build', '--logLevel', 'warn', '--outDir', webDist, '--emptyOutDir']);
  }
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn' };
  // Always the embedded SQLite database, plain HTTP and the local mailbox.
  for (const key of ['DATABASE_URL', 'SMTP_URL', 'PUBLIC_URL', 'NODE_ENV', 'SEED_DEMO']) delete env[key];
  env.WEB_DIST_DIR = webDist;
  // Every journey signs in from 127.0.0.1, wrong passwords included (like a whole clinic
  // behind one address): the per-address limit must not end the run; per account stays 5.
  env.LOGIN_MAX_FAILURES_PER_ADDRESS = '1000';
  // Live streams re-check the viewer's access at each heartbeat (15 s by default): every
  // second here, so a journey sees a stream end after a sign-out without waiting long.
  env.STREAM_HEARTBEAT_MS = '1000';

  let server: ChildProcess | null = null;
  let browser: Browser | null = null;
  let passed = 0;
  let failed = 0;
  const onSignal = () => {
    void stopServer(server).finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    console.log(`› starting the server on ${baseUrl} (DATA_DIR=${dataDir})`);
    server = spawn('npx', ['tsx', 'src/server/main.ts'], { cwd: ROOT, env, stdio: ['ignore', 'inherit', 'inherit'], detached: true });
    await waitForReady(baseUrl, server);

    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    const b = browser;
    const only = process.env.E2E_ONLY?.toLowerCase();
    const selected = only ? journeys.filter((j) => j.name.toLowerCase().includes(only)) : journeys;
    mkdirSync(FAILURE_DIR, { recursive: true });

    for (const j of selected) {
      const pages: Page[] = [];
      const pageErrors: string[] = [];
      const ctx: JourneyContext = {
        browser: b,
        baseUrl,
        newPage: async (options = {}) => {
          const context = await b.newContext(
            options.phone
              ? { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true }
              : { viewport: { width: 1280, height: 900 } },
          );
          context.setDefaultTimeout(10_000);
          const page = await context.newPage();
          page.on('pageerror', (err) => pageErrors.push(err.message));
          pages.push(page);
          return page;
        },
        apiAs: (email) => apiSession(baseUrl, email),
      };
      const started = Date.now();
      try {
        await j.fn(ctx);
        if (pageErrors.length > 0) throw new Error(`uncaught errors in the page:\n  ${pageErrors.join('\n  ')}`);
        passed += 1;
        console.log(`  ✓ ${j.name} (${Date.now() - started} ms)`);
      } catch (error) {
        failed += 1;
        console.log(`  ✗ ${j.name} (${Date.now() - started} ms)`);
        console.log(`    ${(error instanceof Error ? (error.stack ?? error.message) : String(error)).split('\n').join('\n    ')}`);
        for (const [i, page] of pages.entries()) {
          const file = path.join(FAILURE_DIR, `${j.name.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}-${i}.png`);
          await page.screenshot({ path: file, fullPage: true }).then(
            () => console.log(`    screenshot: ${file} (${page.url()})`),
            () => undefined,
          );
        }
      } finally {
        for (const page of pages) await page.context().close().catch(() => undefined);
      }
    }
    console.log(`› axe-core scanned ${scannedCount()} pages`);
  } catch (error) {
    failed += 1;
    console.log(`✗ the run could not complete: ${error instanceof Error ? error.message : String(error)}`);
  } finally {
    await browser?.close().catch(() => undefined);
    await stopServer(server);
    rmSync(dataDir, { recursive: true, force: true });
  }
  console.log(`${passed} passed, ${failed} failed`);
  return failed === 0 && passed > 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    console.log('0 passed, 1 failed');
    process.exit(1);
  },
);
