import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchCheck, BenchDatabase, BenchRequest } from './types';

const SERVE = fileURLToPath(new URL('./serve.ts', import.meta.url));

type FromServer =
  | { type: 'ready'; port: number; request: BenchRequest; notes: string[] }
  | { type: 'done'; of: 'before' | 'verify' | 'close'; checks?: BenchCheck[]; cost?: ServerCost }
  | { type: 'error'; message: string };

/** What the measured run cost the server process. */
export interface ServerCost {
  readonly cpuMs: number;
  /** The main thread's share of cpuMs (null without Linux /proc). */
  readonly mainThreadCpuMs: number | null;
  readonly loopBusyMs: number;
  readonly loopUtilization: number;
}

export interface ServerOptions {
  readonly module: string;
  readonly database: BenchDatabase;
  readonly workDir: string;
  readonly postgresUrl: string | null;
  /** When set, the server runs under `--cpu-prof` and writes its profile here. */
  readonly profileDir: string | null;
  /**
   * A command the server's Node runs under, e.g. `['valgrind', '--tool=callgrind', …]`
   * (bench/instructions.ts). The process keeps its pid and its IPC channel.
   */
  readonly wrapper?: readonly string[];
  /** How long start-up may take (default 10 minutes; under valgrind, seeding alone takes several). */
  readonly readyTimeoutMs?: number;
}

/**
 * A benchmark server in its own Node process (run through tsx), so that autocannon in
 * this process never competes with it for an event loop, and its stdout (the request
 * log, at the production log level) goes to /dev/null instead of the report.
 */
export class ServerProcess {
  private waiting: { resolve: (m: FromServer) => void; reject: (e: Error) => void } | null = null;
  private exited: Promise<number | null>;

  /** The server's process id (under a wrapper such as valgrind, the wrapper's, which is the same process). */
  get pid(): number | undefined {
    return this.child.pid;
  }

  private constructor(private readonly child: ChildProcess) {
    this.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
    child.on('message', (message: FromServer) => {
      const w = this.waiting;
      this.waiting = null;
      if (!w) return;
      if (message.type === 'error') w.reject(new Error(`bench server failed: ${message.message}`));
      else w.resolve(message);
    });
    child.once('exit', (code, signal) => {
      const w = this.waiting;
      this.waiting = null;
      w?.reject(new Error(`bench server exited (code ${code}, signal ${signal}) before answering`));
    });
  }

  static async start(options: ServerOptions): Promise<{ server: ServerProcess; port: number; request: BenchRequest; notes: string[] }> {
    // One folder per server: V8 writes a profile per thread (tsx's loader hooks run in a
    // worker), named CPU.<date>.<time>.<pid>.<thread>.<seq>; the main thread's is the large one.
    const profile = options.profileDir
      ? ['--cpu-prof', '--cpu-prof-dir', path.join(options.profileDir, `${options.module}-${options.database}-${Date.now()}`)]
      : [];
    const [wrapperCommand, ...wrapperArgs] = options.wrapper ?? [];
    const child = fork(SERVE, [options.module, options.database, options.workDir, options.postgresUrl ?? ''], {
      ...(wrapperCommand ? { execPath: wrapperCommand } : {}),
      execArgv: [...(wrapperCommand ? [...wrapperArgs, process.execPath] : []), '--import', 'tsx', ...profile],
      // stdout (request logs) → /dev/null; stderr shown (crashes, warnings).
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
      env: process.env,
    });
    const server = new ServerProcess(child);
    // Generous: some modules seed large data sets first (directory-search: 100,000 providers).
    const ready = await server.next(options.readyTimeoutMs ?? 600_000);
    if (ready.type !== 'ready') throw new Error(`bench server sent ${ready.type} before ready`);
    return { server, port: ready.port, request: ready.request, notes: ready.notes };
  }

  private next(timeoutMs: number): Promise<FromServer> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting = null;
        reject(new Error(`bench server did not answer within ${timeoutMs / 1000} s`));
      }, timeoutMs);
      this.waiting = {
        resolve: (m) => {
          clearTimeout(timer);
          resolve(m);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      };
    });
  }

  private async ask(message: object, timeoutMs = 120_000): Promise<FromServer> {
    const answer = this.next(timeoutMs);
    this.child.send(message);
    return answer;
  }

  async beforeMeasure(): Promise<void> {
    await this.ask({ type: 'before' });
  }

  async verify(ok2xx: number): Promise<{ checks: BenchCheck[]; cost: ServerCost | null }> {
    const answer = await this.ask({ type: 'verify', ok2xx });
    return answer.type === 'done' ? { checks: answer.checks ?? [], cost: answer.cost ?? null } : { checks: [], cost: null };
  }

  /** Asks the server to close gracefully; kills this one child if it does not exit. */
  async close(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    try {
      await this.ask({ type: 'close' }, 30_000);
    } catch {
      // It may exit before the answer arrives; the exit wait below settles it.
    }
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 15_000);
    await this.exited;
    clearTimeout(timer);
  }
}
