import pino from 'pino';
import { describe, expect, it, vi } from 'vitest';
import { LazyChildLogger } from './lazy-child-logger';

function capture() {
  const lines: Record<string, unknown>[] = [];
  const root = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) });
  return { root, lines };
}

describe('LazyChildLogger', () => {
  it('creates no child until something logs', () => {
    const { root } = capture();
    const child = vi.spyOn(root, 'child');
    const lazy = new LazyChildLogger(root, { reqId: 'r-1' }, {});
    expect(lazy.level).toBe('info');
    expect(child).not.toHaveBeenCalled();
  });

  it('logs at every level with the bindings, exactly as the child would', () => {
    const { root, lines } = capture();
    root.level = 'trace';
    const lazy = new LazyChildLogger(root, { reqId: 'r-2' }, {});
    lazy.trace('t');
    lazy.debug({ a: 1 }, 'd');
    lazy.info('i %s', 'x');
    lazy.warn('w');
    lazy.error({ err: new Error('boom') }, 'e');
    lazy.fatal('f');
    expect(lines.map((l) => [l.level, l.msg, l.reqId])).toEqual([
      [10, 't', 'r-2'],
      [20, 'd', 'r-2'],
      [30, 'i x', 'r-2'],
      [40, 'w', 'r-2'],
      [50, 'e', 'r-2'],
      [60, 'f', 'r-2'],
    ]);
    expect(lines[1]).toMatchObject({ a: 1 });
    expect((lines[4]?.err as { message: string }).message).toBe('boom');
  });

  it('creates the child once, and its own level and children follow it', () => {
    const { root, lines } = capture();
    const child = vi.spyOn(root, 'child');
    const lazy = new LazyChildLogger(root, { reqId: 'r-3' }, {});
    lazy.info('one');
    lazy.info('two');
    expect(child).toHaveBeenCalledTimes(1);
    lazy.level = 'error';
    lazy.warn('dropped');
    lazy.child({ step: 's' }).error('nested');
    expect(lines.map((l) => l.msg)).toEqual(['one', 'two', 'nested']);
    expect(lines[2]).toMatchObject({ reqId: 'r-3', step: 's' });
    expect(root.level).toBe('info');
  });
});
