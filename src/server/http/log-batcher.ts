/**
 * Collects log lines and hands them on in large chunks: one `write` per `maxChars` of
 * lines or per `flush()` (app.ts flushes twice a second and on close).
 *
 * Why: pino's asynchronous destination (sonic-boom) does work per line — it measures the
 * UTF-8 length of its growing buffer on every write and starts a file write every few
 * kilobytes — and with one access-log line per request that was about a tenth of a chart
 * read's main-thread time. Here a line costs an array push; sonic-boom still does the
 * writing (partial writes, EAGAIN on pipes, flushSync on close).
 *
 * What is lost in a crash is what the last half second logged, as with any buffered log.
 */
export class LogBatcher {
  private lines: string[] = [];
  private chars = 0;

  constructor(
    private readonly target: { write(chunk: string): unknown },
    private readonly maxChars = 64 * 1024,
  ) {}

  write(line: string): void {
    this.lines.push(line);
    this.chars += line.length;
    if (this.chars >= this.maxChars) this.flush();
  }

  /** Hands every collected line to the target, in order, as one chunk. */
  flush(): void {
    if (this.lines.length === 0) return;
    const chunk = this.lines.length === 1 ? this.lines[0]! : this.lines.join('');
    this.lines = [];
    this.chars = 0;
    this.target.write(chunk);
  }
}

const flushersOnExit = new Set<() => void>();
let exitHookInstalled = false;

/**
 * Runs `flush` (synchronously) when the process exits — process.exit(), the end of the
 * event loop, or an uncaught exception — until the returned function is called, so that
 * collected log lines, the crash's own among them, are not lost with the process. One
 * process listener however many apps a process builds (tests build many).
 */
export function flushOnExit(flush: () => void): () => void {
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.on('exit', () => {
      for (const f of flushersOnExit) {
        try {
          f();
        } catch {
          // The process is ending and its output may already be gone; nothing else to do.
        }
      }
    });
  }
  flushersOnExit.add(flush);
  return () => {
    flushersOnExit.delete(flush);
  };
}
