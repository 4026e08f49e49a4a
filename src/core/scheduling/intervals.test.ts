import { describe, expect, it } from 'vitest';
import { indexOfContainingInterval, intervalsOverlap, mergeIntervals, subtractMergedIntervals } from './intervals';

const iv = (start: number, end: number) => ({ start, end });

describe('intervals', () => {
  it('treats intervals as half-open', () => {
    expect(intervalsOverlap(iv(0, 10), iv(10, 20))).toBe(false);
    expect(intervalsOverlap(iv(0, 10), iv(9, 20))).toBe(true);
    expect(intervalsOverlap(iv(5, 6), iv(0, 20))).toBe(true);
  });
  it('merges overlapping and touching intervals, drops empty ones, leaves input alone', () => {
    const input = [iv(10, 20), iv(0, 5), iv(5, 7), iv(15, 25), iv(30, 30), iv(40, 35)];
    expect(mergeIntervals(input)).toEqual([iv(0, 7), iv(10, 25)]);
    expect(input[0]).toEqual(iv(10, 20));
  });
  it('subtracts', () => {
    expect(subtractMergedIntervals([iv(0, 100)], [iv(10, 20), iv(30, 40)])).toEqual([iv(0, 10), iv(20, 30), iv(40, 100)]);
    expect(subtractMergedIntervals([iv(0, 10), iv(20, 30)], [iv(5, 25)])).toEqual([iv(0, 5), iv(25, 30)]);
    expect(subtractMergedIntervals([iv(0, 10)], [iv(-5, 15)])).toEqual([]);
    expect(subtractMergedIntervals([iv(0, 10)], [])).toEqual([iv(0, 10)]);
    expect(subtractMergedIntervals([iv(0, 10)], [iv(10, 20), iv(-10, 0)])).toEqual([iv(0, 10)]);
    expect(subtractMergedIntervals([iv(0, 10), iv(12, 14), iv(20, 30)], [iv(9, 13), iv(25, 26)])).toEqual([
      iv(0, 9),
      iv(13, 14),
      iv(20, 25),
      iv(26, 30),
    ]);
  });
  it('matches a brute-force subtraction on random inputs', () => {
    let seed = 42;
    const rnd = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    for (let round = 0; round < 300; round++) {
      const mk = () =>
        Array.from({ length: rnd(6) }, () => {
          const s = rnd(50);
          return iv(s, s + rnd(15));
        });
      const base = mergeIntervals(mk());
      const removed = mergeIntervals(mk());
      const result = subtractMergedIntervals(base, removed);
      for (let t = 0; t < 70; t++) {
        const inBase = base.some((b) => b.start <= t && t < b.end);
        const inRemoved = removed.some((r) => r.start <= t && t < r.end);
        const inResult = result.some((r) => r.start <= t && t < r.end);
        expect(inResult).toBe(inBase && !inRemoved);
      }
      expect(mergeIntervals(result)).toEqual(result);
    }
  });
  it('finds the containing interval', () => {
    const merged = [iv(0, 10), iv(20, 30), iv(40, 50)];
    expect(indexOfContainingInterval(merged, 20, 30)).toBe(1);
    expect(indexOfContainingInterval(merged, 0, 1)).toBe(0);
    expect(indexOfContainingInterval(merged, 25, 31)).toBe(-1);
    expect(indexOfContainingInterval(merged, 10, 11)).toBe(-1);
    expect(indexOfContainingInterval(merged, 45, 50)).toBe(2);
    expect(indexOfContainingInterval([], 1, 2)).toBe(-1);
  });
});
