import { describe, expect, it } from 'vitest';
import { LogBatcher } from './log-batcher';

function target() {
  const chunks: string[] = [];
  return { chunks, write: (chunk: string) => void chunks.push(chunk) };
}

describe('LogBatcher', () => {
  it('holds lines until flushed, then writes them in order as one chunk', () => {
    const t = target();
    const batcher = new LogBatcher(t, 1000);
    batcher.write('{"a":1}\n');
    batcher.write('{"b":2}\n');
    expect(t.chunks).toEqual([]);
    batcher.flush();
    expect(t.chunks).toEqual(['{"a":1}\n{"b":2}\n']);
  });

  it('writes as soon as the collected lines reach the size limit', () => {
    const t = target();
    const batcher = new LogBatcher(t, 10);
    batcher.write('12345\n');
    expect(t.chunks).toEqual([]);
    batcher.write('67890\n');
    expect(t.chunks).toEqual(['12345\n67890\n']);
    batcher.write('x\n');
    batcher.flush();
    expect(t.chunks).toEqual(['12345\n67890\n', 'x\n']);
  });

  it('writes nothing when there is nothing to flush', () => {
    const t = target();
    const batcher = new LogBatcher(t);
    batcher.flush();
    batcher.write('a\n');
    batcher.flush();
    batcher.flush();
    expect(t.chunks).toEqual(['a\n']);
  });
});
