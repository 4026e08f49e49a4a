/**
 * Entry point of a bench server process (forked by the runner with tsx). Starts one
 * benchmark module and answers the runner over IPC:
 *   runner → {type:'before'} | {type:'verify', ok2xx} | {type:'close'}
 *   server → {type:'ready', port, request, notes} | {type:'done', ...} | {type:'error', message}
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { findModule } from '../modules';
import type { BenchDatabase, RunningTarget } from './types';

type FromRunner = { type: 'before' } | { type: 'verify'; ok2xx: number } | { type: 'close' };

function send(message: unknown): void {
  process.send?.(message);
}

/**
 * CPU time (user + system, ms) of this process's main thread, or null where there is no
 * Linux /proc. The rest of the process's CPU is its other threads — the SQLite writer, GC
 * helpers, libuv's pool — which on a small machine compete with the main thread and the
 * load generator for the same cores.
 */
function mainThreadCpuMs(): number | null {
  try {
    const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
    // After "pid (comm) ", utime and stime are the 12th and 13th fields, in clock ticks of
    // USER_HZ, which Linux fixes at 100 for user space on the architectures Node runs on.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    return Number.isFinite(ticks) ? ticks * 10 : null;
  } catch {
    return null;
  }
}

async function main(): Promise<void> {
  const [name, database, workDir, postgresUrl] = process.argv.slice(2);
  const module = name ? findModule(name) : undefined;
  if (!module || !workDir || (database !== 'sqlite' && database !== 'postgres')) {
    throw new Error(`usage: serve.ts <module> <sqlite|postgres> <workDir> [postgresUrl] (got ${process.argv.slice(2).join(' ')})`);
  }
  const target: RunningTarget = await module.start({
    database: database as BenchDatabase,
    workDir,
    postgresUrl: postgresUrl || null,
  });
  // Server-side cost of the measured run, robust to a busy machine: CPU time (user +
  // system; excludes fsync waits and time descheduled) and event-loop busy time
  // (includes synchronous fsync waits inside better-sqlite3, and preemption).
  let cpuStart = process.cpuUsage();
  let mainCpuStart = mainThreadCpuMs();
  let eluStart = performance.eventLoopUtilization();
  process.on('message', (message: FromRunner) => {
    void (async () => {
      try {
        switch (message.type) {
          case 'before':
            await target.beforeMeasure?.();
            cpuStart = process.cpuUsage();
            mainCpuStart = mainThreadCpuMs();
            eluStart = performance.eventLoopUtilization();
            send({ type: 'done', of: 'before' });
            break;
          case 'verify': {
            const cpu = process.cpuUsage(cpuStart);
            const mainCpuEnd = mainThreadCpuMs();
            const elu = performance.eventLoopUtilization(eluStart);
            const cost = {
              cpuMs: (cpu.user + cpu.system) / 1000,
              mainThreadCpuMs: mainCpuStart !== null && mainCpuEnd !== null ? mainCpuEnd - mainCpuStart : null,
              loopBusyMs: elu.active,
              loopUtilization: elu.utilization,
            };
            send({ type: 'done', of: 'verify', cost, checks: (await target.verify?.({ ok2xx: message.ok2xx })) ?? [] });
            break;
          }
          case 'close':
            await target.close();
            send({ type: 'done', of: 'close' });
            // process.exit (not a natural exit) so --cpu-prof writes its profile promptly.
            process.disconnect?.();
            process.exit(0);
        }
      } catch (error) {
        send({ type: 'error', message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
      }
    })();
  });
  send({ type: 'ready', port: target.port, request: target.request, notes: target.notes ?? [] });
}

main().catch((error: unknown) => {
  send({ type: 'error', message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  process.exitCode = 1;
  setTimeout(() => process.exit(1), 100);
});
