/**
 * The contract between the bench runner and a benchmark module.
 *
 * A module is started in its own server process (so the load generator and the
 * server never share an event loop, and server logs go nowhere near the report);
 * the runner then drives HTTP load at it with autocannon over 127.0.0.1.
 */

export type BenchDatabase = 'sqlite' | 'postgres';

export interface BenchRequest {
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Path and query, e.g. `/api/patients/<id>`. */
  readonly path: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
}

/** One verification printed under the table (e.g. "audit rows ≥ 2xx responses"). */
export interface BenchCheck {
  readonly name: string;
  readonly ok: boolean;
  readonly detail: string;
}

/** What a module hands back once its server is listening. */
export interface RunningTarget {
  /** The port it listens on (always 127.0.0.1). */
  readonly port: number;
  readonly request: BenchRequest;
  /** Facts worth printing about the set-up (pragmas, row counts, log level). */
  readonly notes?: readonly string[];
  /** Called right before the measured run, after the warm-up. */
  beforeMeasure?(): Promise<void>;
  /** Called after the measured run with its count of 2xx responses. */
  verify?(measured: { readonly ok2xx: number }): Promise<BenchCheck[]>;
  close(): Promise<void>;
}

export interface StartOptions {
  readonly database: BenchDatabase;
  /** A fresh, empty directory this run owns (DATA_DIR for SQLite). */
  readonly workDir: string;
  /** A fresh, empty PostgreSQL database when `database` is postgres. */
  readonly postgresUrl: string | null;
}

export interface BenchModule {
  /** The name used on the command line: `npm run bench -- <name>`. */
  readonly name: string;
  readonly title: string;
  /** Databases the module can run on; the runner skips the others. */
  readonly databases: readonly BenchDatabase[];
  /**
   * The share of the baseline's requests/s this scenario must reach (0.5 = 50 %).
   * Omitted: the ratio is reported without PASS/FAIL.
   */
  readonly targetRatio?: number;
  /** Which databases the target applies to (the issue sets it on SQLite). */
  readonly targetOn?: readonly BenchDatabase[];
  start(options: StartOptions): Promise<RunningTarget>;
}
