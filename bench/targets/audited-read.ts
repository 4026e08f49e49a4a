import { sql } from 'kysely';
import { buildApp } from '../../src/server/app';
import type { Database } from '../../src/server/db/database';
import { findChainPage } from '../../src/server/modules/audit/audit.repository';
import { GENESIS_HASH, verifyChainPage } from '../../src/server/modules/audit/audit-chain';
import { benchConfig, benchLogLevel, openSeededDatabase, signIn, sqliteDurabilityNote } from '../lib/app-fixture';
import type { BenchCheck, BenchModule, RunningTarget, StartOptions } from '../lib/types';

const THERAPIST = 'therapist@demo.clinic';

/**
 * BENCH_WHATIF=<comma list>: experiments that patch the running service from the
 * outside to size a proposed change. Rows run this way are reported as what-ifs, never
 * as PASS/FAIL.
 *   stmt-cache   reuse better-sqlite3 prepared statements by SQL text (Kysely's
 *                SqliteDriver prepares every query afresh)
 *   sync-normal  synchronous=NORMAL: NOT durable, NOT acceptable for the audit log;
 *                sizes what the fsync costs the event loop (the upper bound of moving
 *                the audit commit off the main thread)
 */
export function whatIfs(): string[] {
  return (process.env.BENCH_WHATIF ?? '')
    .split(',')
    .map((w) => w.trim())
    .filter(Boolean);
}

/**
 * trace-sql: wraps prepare and each statement's run/get/all to time them by SQL text
 * (adds a little overhead). The summary is appended to the notes at verify time.
 */
const sqlStats = new Map<string, { prepares: number; prepareUs: number; runs: number; runUs: number }>();
let traceStartedAt = 0;
function traceSql(sqlite: NonNullable<Database['sqlite']>, notes: string[]): void {
  const prepare = sqlite.prepare.bind(sqlite);
  const statOf = (source: string) => {
    const key = source.replace(/\s+/g, ' ').slice(0, 90);
    let st = sqlStats.get(key);
    if (!st) sqlStats.set(key, (st = { prepares: 0, prepareUs: 0, runs: 0, runUs: 0 }));
    return st;
  };
  sqlite.prepare = ((source: string) => {
    const st = statOf(source);
    const t0 = process.hrtime.bigint();
    const stmt = prepare(source);
    st.prepares++;
    st.prepareUs += Number(process.hrtime.bigint() - t0) / 1000;
    for (const m of ['run', 'get', 'all'] as const) {
      const original = stmt[m].bind(stmt) as (...a: unknown[]) => unknown;
      (stmt as unknown as Record<string, unknown>)[m] = (...args: unknown[]) => {
        const t1 = process.hrtime.bigint();
        try {
          return original(...args);
        } finally {
          st.runs++;
          st.runUs += Number(process.hrtime.bigint() - t1) / 1000;
        }
      };
    }
    return stmt;
  }) as typeof sqlite.prepare;
  notes.push('WHAT-IF trace-sql: per-statement timing (see below)');
}

export function resetSqlTrace(): void {
  sqlStats.clear();
  traceStartedAt = Date.now();
}

export function sqlTraceNotes(requests: number): string[] {
  if (sqlStats.size === 0 || requests === 0) return [];
  const rows = [...sqlStats.entries()].sort((a, b) => b[1].prepareUs + b[1].runUs - (a[1].prepareUs + a[1].runUs));
  const total = rows.reduce((n, [, s]) => n + s.prepareUs + s.runUs, 0);
  return [
    `SQL time per 2xx over ${((Date.now() - traceStartedAt) / 1000).toFixed(1)} s: ${(total / requests).toFixed(0)} µs (prepare + execute, main thread)`,
    ...rows.slice(0, 12).map(
      ([sqlText, s]) =>
        `  ${((s.prepareUs + s.runUs) / requests).toFixed(1).padStart(6)} µs/req  prep ${(s.prepareUs / Math.max(1, s.prepares)).toFixed(0).padStart(3)} µs ×${(s.prepares / requests).toFixed(2)}  exec ${(s.runUs / Math.max(1, s.runs)).toFixed(0).padStart(4)} µs ×${(s.runs / requests).toFixed(2)}  ${sqlText}`,
    ),
  ];
}

function applyWhatIfs(database: Database): string[] {
  const notes: string[] = [];
  const sqlite = database.sqlite;
  for (const w of whatIfs()) {
    if (!sqlite) {
      notes.push(`what-if ${w} ignored (not SQLite)`);
      continue;
    }
    if (w === 'stmt-cache') {
      const cache = new Map<string, ReturnType<typeof sqlite.prepare>>();
      const prepare = sqlite.prepare.bind(sqlite);
      sqlite.prepare = ((source: string) => {
        let stmt = cache.get(source);
        if (!stmt) cache.set(source, (stmt = prepare(source)));
        return stmt;
      }) as typeof sqlite.prepare;
      notes.push('WHAT-IF stmt-cache: prepared statements reused by SQL text');
    } else if (w === 'sync-normal') {
      sqlite.pragma('synchronous = NORMAL');
      notes.push('WHAT-IF sync-normal: synchronous=NORMAL — audit rows NOT durable, diagnostic only');
    } else if (w === 'trace-sql') {
      traceSql(sqlite, notes);
    } else {
      throw new Error(`unknown BENCH_WHATIF ${w} (known: stmt-cache, sync-normal)`);
    }
  }
  return notes;
}

/**
 * The "speed with safety" scenario: the real service (buildApp, production
 * config) with a signed-in therapist reading the chart header of a patient on their
 * care team. Every request resolves the session, checks access with the policy, reads
 * the patient and care team, and waits for its audit row to be committed (group
 * commit) before answering. After the run the audit table must hold at least one
 * new allowed-read row per 2xx response, and the new part of the hash chain must verify.
 */
export const auditedRead: BenchModule = {
  name: 'audited-read',
  title: 'GET /api/patients/:id (auth+access+audit)',
  databases: ['sqlite', 'postgres'],
  targetRatio: 0.5,
  targetOn: ['sqlite'],
  async start(options: StartOptions): Promise<RunningTarget> {
    const config = benchConfig(options);
    const database = await openSeededDatabase(config);
    const { db } = database;
    const whatIfNotes = applyWhatIfs(database);
    const { app } = await buildApp(config, { database, startWorkers: true });

    const cookie = await signIn(app, THERAPIST);
    const mine = await db
      .selectFrom('care_team_members as c')
      .innerJoin('users as u', 'u.id', 'c.user_id')
      .select(['c.patient_id', 'u.id as user_id'])
      .where('u.email', '=', THERAPIST)
      .orderBy('c.patient_id')
      .executeTakeFirst();
    if (!mine) throw new Error(`${THERAPIST} is on no care team in the seed`);
    const path = `/api/patients/${mine.patient_id}`;

    // Sanity: the route answers 200 with the chart for the cookie, and 401 without it.
    const withCookie = await app.inject({ method: 'GET', url: path, headers: { cookie } });
    if (withCookie.statusCode !== 200) throw new Error(`${path} answered ${withCookie.statusCode}: ${withCookie.body}`);
    const body = withCookie.json<{ id: string; careTeam: unknown[] }>();
    if (body.id !== mine.patient_id || !Array.isArray(body.careTeam)) throw new Error(`${path} answered an unexpected body`);
    const anonymous = await app.inject({ method: 'GET', url: path });
    if (anonymous.statusCode !== 401) throw new Error(`${path} without a cookie answered ${anonymous.statusCode}, expected 401`);

    await app.listen({ host: '127.0.0.1', port: 0 });
    const address = app.server.address();
    if (!address || typeof address === 'string') throw new Error('no TCP address');

    const headOf = async () =>
      (await db.selectFrom('audit_events').select(['seq', 'hash']).orderBy('seq', 'desc').limit(1).executeTakeFirst()) ?? {
        seq: 0,
        hash: GENESIS_HASH,
      };
    let start = await headOf();

    return {
      port: address.port,
      request: { method: 'GET', path, headers: { cookie } },
      notes: [
        sqliteDurabilityNote(database) ?? 'postgres: fresh database, pg pool of 10, audit commit under an advisory lock',
        `log level ${benchLogLevel()} (stdout → /dev/null)`,
        'pre-flight: 200 with cookie, 401 without',
        ...whatIfNotes,
      ],
      async beforeMeasure() {
        start = await headOf();
        resetSqlTrace();
      },
      async verify({ ok2xx }): Promise<BenchCheck[]> {
        const trace = sqlTraceNotes(ok2xx);
        const counted = await db
          .selectFrom('audit_events')
          .select((eb) => [
            eb.fn.countAll<number>().as('all'),
            eb.fn
              .count<number>(sql`case when patient_id = ${mine.patient_id} and actor_user_id = ${mine.user_id}
                and resource = 'patient.demographics' and action = 'read' and outcome = 'allowed' then 1 end`)
              .as('reads'),
          ])
          .where('seq', '>', start.seq)
          .executeTakeFirstOrThrow();
        const reads = Number(counted.reads);
        const checks: BenchCheck[] = [
          {
            name: 'audit rows ≥ 2xx responses',
            ok: reads >= ok2xx && ok2xx > 0,
            detail: `${reads} allowed-read audit rows written during the measured run for ${ok2xx} 2xx responses (${Number(counted.all)} rows in all)`,
          },
        ];

        // Walk the new part of the chain from the row before the run.
        let prev = start;
        let verified = 0;
        let broken: string | null = null;
        for (;;) {
          const page = await findChainPage(db, prev.seq, 5000);
          if (page.length === 0) break;
          const result = verifyChainPage(config.secrets.appSecret, prev, page.map((r) => ({ ...r, seq: Number(r.seq) })));
          if (result.broken) {
            broken = `seq ${result.broken.seq}: ${result.broken.problem}`;
            break;
          }
          verified += page.length;
          prev = result.last;
        }
        checks.push({
          name: 'audit hash chain intact',
          ok: broken === null && verified >= reads,
          detail: broken ? `broken at ${broken}` : `${verified} new rows verified`,
        });
        for (const line of trace) checks.push({ name: 'trace', ok: true, detail: line });
        return checks;
      },
      async close() {
        await app.close();
        await database.close();
      },
    };
  },
};
