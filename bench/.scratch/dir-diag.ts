import { performance } from 'node:perf_hooks';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildApp } from '../../src/server/app';
import { benchConfig, openSeededDatabase } from '../lib/app-fixture';
import { seedSyntheticDirectory } from '../targets/directory-search';
const n = Number(process.argv[2] ?? 100000);
const dbKind = (process.argv[3] ?? 'sqlite') as 'sqlite' | 'postgres';
const workDir = mkdtempSync(path.join(os.tmpdir(), 'dirdiag-'));
const config = benchConfig({ database: dbKind, workDir, postgresUrl: process.env.PGURL ?? null });
const database = await openSeededDatabase(config);
let t0 = performance.now();
await seedSyntheticDirectory(database, n, new Date());
console.log('seed', ((performance.now() - t0) / 1000).toFixed(1), 's');
const { app } = await buildApp(config, { database });
await app.ready();
const urls = process.argv.slice(4).length ? process.argv.slice(4) : [
  '/api/directory/providers?q=depression&zip=90012&radius=25&conditions=ptsd&telehealth=true',
  '/api/directory/providers?q=veterans&zip=90012&radius=25&conditions=ptsd&inPerson=true',
  '/api/directory/providers?zip=90012&radius=25&routes=iv&superbill=true',
  '/api/directory/providers?q=therapy&zip=10001&radius=25&routes=im&acceptingNewPatients=true',
  '/api/directory/providers?q=anxiety&conditions=ptsd&telehealth=true',
];
for (const url of urls) {
  for (let k = 0; k < 3; k++) {
    t0 = performance.now();
    const r = await app.inject({ url });
    console.log((performance.now() - t0).toFixed(2), 'ms', r.statusCode, r.json().total, url);
  }
}
await app.close();
await database.close();
