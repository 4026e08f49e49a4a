/**
 * Run as a process of its own by log-flush.int.test.ts: builds the app over the data dir
 * the test gives it (CRASH_DATA_DIR; the test removes it), writes one log line through it,
 * then dies of an uncaught exception before the log lines' next scheduled write.
 */
import path from 'node:path';
import { buildApp } from '../../src/server/app';
import { loadConfig } from '../../src/server/config';

const dataDir = process.env.CRASH_DATA_DIR;
if (!dataDir) throw new Error('CRASH_DATA_DIR is not set');
const config = loadConfig({ NODE_ENV: 'development', LOG_LEVEL: 'info', DATA_DIR: dataDir, WEB_DIST_DIR: path.join(dataDir, 'no-web') });
const { app } = await buildApp(config);
await app.ready();
app.log.info('the last line before the crash');
// Thrown before the event loop turns again, so no scheduled write of log lines can come first.
process.nextTick(() => {
  throw new Error('deliberate crash');
});
