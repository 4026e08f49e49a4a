import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { performance } from 'node:perf_hooks';
import { sql, type Kysely } from 'kysely';
import zipcodes from 'zipcodes';
import { APPROACHES, CONDITIONS, CREDENTIALS, FORMATS, KETAMINE_ROUTES, LANGUAGES, US_STATES } from '../../src/core/directory/vocabulary';
import type { ClinicListingBody, DirectorySearchResult, ProviderProfileBody } from '../../src/core/schemas/directory.schema';
import { buildApp } from '../../src/server/app';
import { openDatabase, type Database } from '../../src/server/db/database';
import { migrateToLatest } from '../../src/server/db/migrate';
import type { DB } from '../../src/server/db/schema';
import type { App } from '../../src/server/http/types';
import { clinicRowOf, providerRowOf, zipCentroid } from '../../src/server/modules/directory/directory.service';
import { benchConfig, benchLogLevel, newBenchSecrets, sqliteDurabilityNote, type BenchSecrets } from '../lib/app-fixture';
import type { BenchCheck, BenchModule, RunningTarget, StartOptions } from '../lib/types';

/**
 * Directory search at scale: 100,000 synthetic clinicians (BENCH_DIRECTORY_PROVIDERS)
 * in 2,000 clinics, 60 % clustered around 30 metro areas and 40 % spread over random US
 * ZIP centroids, with realistic vocabularies and bios (common words in most bios, a few
 * rare words in ~0.05 % of them).
 *
 * Before the HTTP load, the module measures single requests one at a time through the
 * full stack (app.inject: routing, validation, service, SQL, serialisation), for
 * several query classes, beside a bare baseline from the same run (one indexed
 * primary-key read of a provider row through Kysely), and prints p50/p95 per class.
 * The issue's target is p95 < 10 ms for the typical search (text + two filters + 25
 * miles). The autocannon load then drives the common-word typical search over HTTP.
 */

const METROS = [
  '90012', '10001', '60601', '77002', '85004', '19103', '78205', '92101', '75201', '95113',
  '78701', '32202', '43215', '94103', '28202', '46204', '98101', '80202', '20001', '02108',
  '37203', '48226', '97205', '89101', '73102', '40202', '21201', '53202', '87102', '33131',
];

const FIRST = ['Maya', 'Jordan', 'Priya', 'Chris', 'Alex', 'Sam', 'Taylor', 'Morgan', 'Riley', 'Casey', 'Avery', 'Jamie', 'Robin', 'Dana', 'Lee', 'Noor', 'Elena', 'Marcus', 'Aisha', 'Tomás', 'Wei', 'Hana', 'Omar', 'Grace', 'Ivan', 'Sofia', 'Kwame', 'Lucia', 'Ravi', 'Zoe'];
const LAST = ['Chen', 'Reyes', 'Natarajan', 'Adeyemi', 'Rivera', 'Okafor', 'Nguyen', 'Blake', 'Park', 'Hale', 'Quinn', 'Ortega', 'Whitfield', 'Kim', 'Patel', 'Garcia', 'Smith', 'Johnson', 'Brown', 'Lopez', 'Martin', 'Silva', 'Cohen', 'Haddad', 'Novak', 'Sato', 'Mensah', 'Rossi', 'Khan', 'Fischer'];
// Common bio vocabulary: most bios contain several of these.
const COMMON = ['therapy', 'ketamine', 'support', 'trauma', 'depression', 'anxiety', 'integration', 'healing', 'session', 'experience', 'people', 'work', 'compassionate', 'safe', 'space', 'journey', 'mindful', 'body', 'relationship', 'clients', 'years', 'practice', 'care', 'change', 'meaning', 'together', 'preparation', 'psychotherapy', 'medicine', 'wellbeing'];
// Rare words: each in about 1 bio in 2,000.
const RARE = ['ayahuasca', 'veterans', 'firefighters', 'perinatal', 'chaplaincy', 'dzogchen', 'equine', 'oncology', 'sommelier', 'transhumanist'];

/** A small deterministic PRNG (mulberry32) so every run seeds the same directory. */
function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function pick<T>(r: () => number, xs: readonly T[]): T {
  return xs[Math.floor(r() * xs.length)]!;
}
function some<T>(r: () => number, xs: readonly T[], p: number, min = 0): T[] {
  const out = xs.filter(() => r() < p);
  while (out.length < min) {
    const x = pick(r, xs);
    if (!out.includes(x)) out.push(x);
  }
  return out;
}

const ZIPS = Object.values(zipcodes.codes).filter((z) => z.country === 'US' && (US_STATES as readonly string[]).includes(z.state));

/** A point about `miles` (gaussian) from a centre. */
function jitter(r: () => number, lat: number, lng: number, miles: number) {
  const g = () => Math.sqrt(-2 * Math.log(r() || 1e-9)) * Math.cos(2 * Math.PI * r());
  const dLat = (g() * miles) / 69;
  const dLng = (g() * miles) / (69 * Math.cos((lat * Math.PI) / 180));
  return { latitude: Math.max(-89, Math.min(89, lat + dLat)), longitude: Math.max(-179.9, Math.min(179.9, lng + dLng)) };
}

const INSERT_BATCH = 500;

async function insertBatched<T extends keyof DB>(db: Kysely<DB>, table: T, rows: Record<string, unknown>[]): Promise<void> {
  for (let i = 0; i < rows.length; i += INSERT_BATCH) {
    await db
      .insertInto(table)
      .values(rows.slice(i, i + INSERT_BATCH) as never)
      .execute();
  }
}

export async function seedSyntheticDirectory(database: Database, providers: number, now: Date): Promise<{ sampleUserId: string }> {
  const r = rng(20261126);
  const at = now.toISOString();
  const expires = `${now.getUTCFullYear() + 2}-01-31`;
  const clinicsCount = Math.max(1, Math.round(providers / 50));
  const orgs: Record<string, unknown>[] = [];
  const clinics: ReturnType<typeof clinicRowOf>[] = [];
  for (let i = 0; i < clinicsCount; i++) {
    const id = randomUUID();
    const base = r() < 0.6 ? zipCentroid(pick(r, METROS))! : (() => {
      const z = pick(r, ZIPS);
      return { latitude: z.latitude, longitude: z.longitude };
    })();
    const p = i < clinicsCount * 0.6 ? jitter(r, base.latitude, base.longitude, 12) : base;
    const near = pick(r, ZIPS);
    orgs.push({ id, name: `Synthetic Clinic ${i}`, slug: `synthetic-${id}`, time_zone: 'America/Los_Angeles', created_at: at });
    const listing: ClinicListingBody = {
      listed: true,
      publicName: `${pick(r, LAST)} ${pick(r, ['Ketamine', 'Wellness', 'Psychiatry', 'Integration', 'Healing'])} Center ${i}`,
      description: 'Synthetic clinic for the directory benchmark.',
      address: { addressLine1: `${100 + i} Main St`, addressLine2: null, city: near.city, state: near.state as ClinicListingBody['address']['state'], postalCode: near.zip, latitude: p.latitude, longitude: p.longitude },
      phone: '+1 555 555 0100',
      website: null,
      email: null,
      telehealthStates: [near.state as ClinicListingBody['address']['state']],
      photoUrl: null,
    };
    clinics.push(clinicRowOf(id, listing, at, at));
  }
  const users: Record<string, unknown>[] = [];
  const rows: Record<string, unknown>[] = [];
  for (let i = 0; i < providers; i++) {
    const clinic = clinics[i % clinicsCount]!;
    const userId = randomUUID();
    const first = pick(r, FIRST);
    const last = pick(r, LAST);
    const credentials = some(r, CREDENTIALS.map((c) => c.code), 0.08, 1).slice(0, 2);
    users.push({
      id: userId,
      organization_id: clinic.organization_id,
      email: `p${i}@synthetic.example`,
      password_hash: 'not-a-login',
      role: 'therapist',
      display_name: `${first} ${last}`,
      patient_id: null,
      active: 1,
      created_at: at,
      updated_at: at,
    });
    const bioWords = Array.from({ length: 40 }, () => pick(r, COMMON));
    if (r() < 0.005) bioWords.push(pick(r, RARE));
    const loc = jitter(r, clinic.latitude, clinic.longitude, 2);
    const body: ProviderProfileBody = {
      listed: true,
      displayName: `${first} ${last}, ${credentials.join(', ')}`,
      pronouns: null,
      credentials: credentials as ProviderProfileBody['credentials'],
      licenceType: 'Synthetic licence',
      licenceNumber: `S${i}`,
      licenceState: clinic.state as ProviderProfileBody['licenceState'],
      // 3 % expired: the search must hide them.
      licenceExpiresOn: r() < 0.03 ? '2020-01-31' : expires,
      conditions: some(r, CONDITIONS.map((c) => c.code), 0.3, 1) as ProviderProfileBody['conditions'],
      approaches: some(r, APPROACHES.map((c) => c.code), 0.25, 1) as ProviderProfileBody['approaches'],
      routes: some(r, KETAMINE_ROUTES.map((c) => c.code), 0.4, 1) as ProviderProfileBody['routes'],
      formats: some(r, FORMATS.map((c) => c.code), 0.6, 1) as ProviderProfileBody['formats'],
      inPerson: r() < 0.8,
      telehealth: r() < 0.7,
      languages: ['en', ...(r() < 0.3 ? [pick(r, LANGUAGES.map((l) => l.code).slice(1))] : [])] as ProviderProfileBody['languages'],
      feeMinUsd: 100 + Math.floor(r() * 300),
      feeMaxUsd: 450,
      slidingScale: r() < 0.4,
      superbill: r() < 0.6,
      acceptingNewPatients: r() < 0.75,
      bio: bioWords.join(' '),
      photoUrl: null,
    };
    const row = providerRowOf({
      userId,
      organizationId: clinic.organization_id,
      body,
      location: { addressLine1: `${i} Oak Ave`, addressLine2: null, city: clinic.city, state: clinic.state, postalCode: clinic.postal_code, ...loc },
      usesClinicLocation: false,
      clinic,
      accountActive: true,
      verification: { at, by: null },
      at,
    });
    rows.push({ ...row, created_at: at });
  }
  if (database.sqlite) {
    // One transaction through the raw handle: the FTS triggers run per row as in production.
    const sqlite = database.sqlite;
    const insert = (table: string, sample: Record<string, unknown>) => {
      const cols = Object.keys(sample);
      return sqlite.prepare(`insert into ${table} (${cols.join(', ')}) values (${cols.map((c) => `@${c}`).join(', ')})`);
    };
    const insOrg = insert('organizations', orgs[0]!);
    const insClinic = insert('directory_clinics', clinics[0]!);
    const insUser = insert('users', users[0]!);
    const insProvider = insert('directory_providers', rows[0]!);
    sqlite.transaction(() => {
      for (const o of orgs) insOrg.run(o);
      for (const c of clinics) insClinic.run(c);
      for (const u of users) insUser.run(u);
      for (const p of rows) insProvider.run(p);
    })();
    sqlite.exec('analyze');
  } else {
    const db = database.db;
    await insertBatched(db, 'organizations', orgs);
    await insertBatched(db, 'directory_clinics', clinics);
    await insertBatched(db, 'users', users);
    await insertBatched(db, 'directory_providers', rows);
    await sql`analyze`.execute(db);
  }
  return { sampleUserId: (users[0] as { id: string }).id };
}

interface QueryClass {
  name: string;
  paths: string[];
}

function queryClasses(): QueryClass[] {
  const metros = ['90012', '10001', '60601', '77002', '98101', '33131', '80202', '02108'];
  return [
    // The issue's typical search: text + two filters + 25-mile radius.
    { name: 'typical, common word ("depression")', paths: metros.map((z) => `/api/directory/providers?q=depression&zip=${z}&radius=25&conditions=ptsd&telehealth=true`) },
    { name: 'typical, very common word ("therapy")', paths: metros.map((z) => `/api/directory/providers?q=therapy&zip=${z}&radius=25&routes=im&acceptingNewPatients=true`) },
    { name: 'typical, rare word ("veterans")', paths: metros.map((z) => `/api/directory/providers?q=veterans&zip=${z}&radius=25&conditions=ptsd&inPerson=true`) },
    { name: 'typical, sorted by relevance', paths: metros.map((z) => `/api/directory/providers?q=trauma%20integration&zip=${z}&radius=25&formats=group&languages=en&sort=relevance`) },
    { name: 'no text, 2 filters, 25 mi', paths: metros.map((z) => `/api/directory/providers?zip=${z}&radius=25&routes=iv&superbill=true`) },
    { name: 'common word, 100 mi', paths: metros.map((z) => `/api/directory/providers?q=ketamine&zip=${z}&radius=100&conditions=anxiety&telehealth=true`) },
    { name: 'nationwide, common word (no location)', paths: ['/api/directory/providers?q=anxiety&conditions=ptsd&telehealth=true', '/api/directory/providers?q=healing&routes=iv&superbill=true'] },
    { name: 'nationwide, rare word (no location)', paths: ['/api/directory/providers?q=ayahuasca', '/api/directory/providers?q=equine&inPerson=true'] },
  ];
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

/** Sequential timings: `iterations` runs, or fewer (≥ 20) when a class exceeds its time budget. */
async function timeIt(iterations: number, work: (i: number) => Promise<void>, budgetMs = 10_000): Promise<{ p50: number; p95: number; n: number }> {
  for (let i = 0; i < Math.min(20, iterations); i++) await work(i); // warm-up
  const times: number[] = [];
  const started = performance.now();
  for (let i = 0; i < iterations && (i < 20 || performance.now() - started < budgetMs); i++) {
    const t0 = performance.now();
    await work(i);
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p95: percentile(times, 95), n: times.length };
}

const TARGET_P95_MS = 10;

async function measureSingleRequests(app: App, db: Kysely<DB>, sampleUserId: string, iterations: number, only?: (qc: QueryClass) => boolean, suffix = '') {
  const lines: string[] = [];
  const failures: string[] = [];
  const baseline = await timeIt(iterations, async () => {
    await db.selectFrom('directory_providers').selectAll().where('user_id', '=', sampleUserId).executeTakeFirstOrThrow();
  });
  lines.push(`bare baseline: 1 provider row by indexed key (Kysely)             p50 ${baseline.p50.toFixed(2)} ms  p95 ${baseline.p95.toFixed(2)} ms`);
  const profile = await timeIt(iterations, async () => {
    const res = await app.inject({ method: 'GET', url: `/api/directory/providers/${sampleUserId}` });
    if (res.statusCode !== 200) throw new Error(`profile answered ${res.statusCode}`);
  });
  lines.push(`GET /api/directory/providers/:id (full stack)                       p50 ${profile.p50.toFixed(2)} ms  p95 ${profile.p95.toFixed(2)} ms`);
  for (const qc of queryClasses().filter((q) => !only || only(q))) {
    let totals = 0;
    let n = 0;
    const m = await timeIt(iterations, async (i) => {
      const res = await app.inject({ method: 'GET', url: qc.paths[i % qc.paths.length]! });
      if (res.statusCode !== 200) throw new Error(`${qc.paths[i % qc.paths.length]} answered ${res.statusCode}: ${res.body}`);
      totals += res.json<DirectorySearchResult>().total;
      n++;
    });
    const typical = qc.name.startsWith('typical');
    const verdict = typical ? (m.p95 < TARGET_P95_MS ? '  PASS p95 < 10 ms' : '  FAIL p95 ≥ 10 ms') : '';
    if (typical && m.p95 >= TARGET_P95_MS) failures.push(`${qc.name}${suffix}`);
    lines.push(`${`${qc.name}${suffix}`.padEnd(68)}p50 ${m.p50.toFixed(2)} ms  p95 ${m.p95.toFixed(2)} ms  (avg ${Math.round(totals / n)} matches, n=${m.n})${verdict}`);
  }
  return { lines, failures };
}

/** Seeds the throwaway database in a child process (bench/lib/seed-directory.ts says why). */
async function seedInChildProcess(options: StartOptions, secrets: BenchSecrets, providers: number): Promise<{ sampleUserId: string; seedSeconds: number }> {
  const script = fileURLToPath(new URL('../lib/seed-directory.ts', import.meta.url));
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--import', 'tsx', script, options.database, options.workDir, options.postgresUrl ?? '', String(providers)],
    { env: { ...process.env, BENCH_APP_SECRET: secrets.APP_SECRET, BENCH_DATA_ENCRYPTION_KEY: secrets.DATA_ENCRYPTION_KEY }, maxBuffer: 1 << 20 },
  );
  const last = stdout.trim().split('\n').pop() ?? '';
  return JSON.parse(last) as { sampleUserId: string; seedSeconds: number };
}

export const directorySearch: BenchModule = {
  name: 'directory-search',
  title: 'GET /api/directory/providers (text + 2 filters + 25 mi, 100k providers)',
  databases: ['sqlite', 'postgres'],
  async start(options: StartOptions): Promise<RunningTarget> {
    const secrets = newBenchSecrets();
    const config = benchConfig(options, secrets);
    const count = Number(process.env.BENCH_DIRECTORY_PROVIDERS || 100_000);
    const { sampleUserId, seedSeconds } = await seedInChildProcess(options, secrets, count);
    const database = openDatabase(config.database);
    await migrateToLatest(database.db);
    const { app } = await buildApp(config, { database, startWorkers: false });
    await app.ready();

    // Sanity: the demo clinic is found from its ZIP, results respect the radius.
    const probe = await app.inject({ method: 'GET', url: '/api/directory/providers?zip=90012&radius=25&q=depression&conditions=ptsd&telehealth=true' });
    if (probe.statusCode !== 200) throw new Error(`search answered ${probe.statusCode}: ${probe.body}`);
    const probeBody = probe.json<DirectorySearchResult>();
    const checks: BenchCheck[] = [
      {
        name: 'typical search returns results within the radius',
        ok: probeBody.total > 0 && probeBody.items.every((i) => i.distanceMiles !== null && i.distanceMiles <= 25),
        detail: `${probeBody.total} matches around 90012, farthest on page 1: ${Math.max(...probeBody.items.map((i) => i.distanceMiles ?? 0))} mi`,
      },
    ];

    const iterations = Number(process.env.BENCH_DIRECTORY_ITERATIONS || 200);
    // SQLite: FTS5 keeps an index written row by row (as the seed's triggers did) in
    // several segments, and every query phrase is looked up in each. Measured as loaded,
    // then after the `optimize` a bulk import ends with (one segment, ~2 s at 100k).
    let asLoaded: Awaited<ReturnType<typeof measureSingleRequests>> | null = null;
    let optimizeSeconds = 0;
    if (database.sqlite) {
      asLoaded = await measureSingleRequests(app, database.db, sampleUserId, iterations, (qc) => qc.name.startsWith('typical'), ' [FTS as loaded]');
      const t1 = performance.now();
      database.sqlite.exec(`insert into directory_provider_fts(directory_provider_fts) values ('optimize')`);
      optimizeSeconds = (performance.now() - t1) / 1000;
    }
    const single = await measureSingleRequests(app, database.db, sampleUserId, iterations);

    await app.listen({ host: '127.0.0.1', port: 0 });
    const address = app.server.address();
    if (!address || typeof address === 'string') throw new Error('no TCP address');
    return {
      port: address.port,
      request: { method: 'GET', path: '/api/directory/providers?q=depression&zip=90012&radius=25&conditions=ptsd&telehealth=true' },
      notes: [
        sqliteDurabilityNote(database) ?? 'postgres',
        `log level ${benchLogLevel()} (stdout → /dev/null)`,
        `${count.toLocaleString('en-US')} synthetic providers in ${Math.round(count / 50).toLocaleString('en-US')} clinics seeded in ${seedSeconds.toFixed(1)} s`,
        `single requests, one at a time, ${iterations} each (app.inject, full stack):`,
        ...(asLoaded ? [...asLoaded.lines.slice(2), `then FTS5 'optimize' (${optimizeSeconds.toFixed(1)} s), and every class again:`] : []),
        ...single.lines,
        ...(asLoaded && asLoaded.failures.length > 0 ? [`as loaded, target p95 < 10 ms NOT met for: ${asLoaded.failures.join('; ')}`] : []),
        single.failures.length === 0 ? 'target p95 < 10 ms for typical searches: met' : `target p95 < 10 ms NOT met for: ${single.failures.join('; ')}`,
        'HTTP load row above: the common-word typical search under concurrent connections (latency includes queueing)',
      ],
      async verify(): Promise<BenchCheck[]> {
        return checks;
      },
      async close() {
        await app.close();
        await database.close();
      },
    };
  },
};
