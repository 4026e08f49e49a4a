import type { FastifyBaseLogger } from 'fastify';
import type { Bindings, ChildLoggerOptions } from 'pino';

type AnyLog = (...args: unknown[]) => void;

/**
 * Fastify gives every request its own child logger (to bind the request id). Creating a
 * pino child serialises its bindings, a measurable cost on every request, and most
 * requests never log through it: the one access-log line per request is written by the
 * root logger (app.ts). This stands in for the child and creates it on first use, so
 * what is logged through `request.log` is unchanged.
 */
export class LazyChildLogger implements FastifyBaseLogger {
  private child_: FastifyBaseLogger | undefined;

  constructor(
    private readonly parent: FastifyBaseLogger,
    private readonly bindings: Bindings,
    private readonly options: ChildLoggerOptions,
  ) {}

  private real(): FastifyBaseLogger {
    return (this.child_ ??= this.parent.child(this.bindings, this.options));
  }

  get level(): string {
    return this.child_ ? this.child_.level : this.parent.level;
  }

  set level(level: string) {
    this.real().level = level;
  }

  child(bindings: Bindings, options?: ChildLoggerOptions): FastifyBaseLogger {
    return this.real().child(bindings, options);
  }

  // Each level forwards its arguments untouched (pino's overloads take objects, strings
  // and format arguments).
  fatal(...args: unknown[]): void {
    (this.real().fatal as AnyLog)(...args);
  }
  error(...args: unknown[]): void {
    (this.real().error as AnyLog)(...args);
  }
  warn(...args: unknown[]): void {
    (this.real().warn as AnyLog)(...args);
  }
  info(...args: unknown[]): void {
    (this.real().info as AnyLog)(...args);
  }
  debug(...args: unknown[]): void {
    (this.real().debug as AnyLog)(...args);
  }
  trace(...args: unknown[]): void {
    (this.real().trace as AnyLog)(...args);
  }
  silent(...args: unknown[]): void {
    (this.real().silent as AnyLog)(...args);
  }
}
