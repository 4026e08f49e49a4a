/**
 * Half-open instant intervals `[start, end)` and the set operations the availability
 * engine needs. Half-open means an interval ending at T and one starting at T do not
 * overlap: a slot that ends exactly when a booking starts is free.
 */
import type { EpochMs } from './zoned-time';

export interface Interval {
  start: EpochMs;
  end: EpochMs;
}

/** True when two half-open intervals share at least one instant. */
export function intervalsOverlap(a: Interval, b: Interval): boolean {
  return a.start < b.end && b.start < a.end;
}

/** Sorted, non-overlapping, non-adjacent union of `intervals`; empty ones are dropped. Does not mutate the input. */
export function mergeIntervals(intervals: readonly Interval[]): Interval[] {
  const sorted = intervals.filter((i) => i.end > i.start).sort((a, b) => a.start - b.start || a.end - b.end);
  const out: Interval[] = [];
  for (const i of sorted) {
    const last = out[out.length - 1];
    if (last !== undefined && i.start <= last.end) {
      if (i.end > last.end) last.end = i.end;
    } else {
      out.push({ start: i.start, end: i.end });
    }
  }
  return out;
}

/**
 * `base − removed` for two merged lists (sorted, non-overlapping, as from `mergeIntervals`).
 * Linear in the total length.
 */
export function subtractMergedIntervals(base: readonly Interval[], removed: readonly Interval[]): Interval[] {
  const out: Interval[] = [];
  let j = 0;
  for (const b of base) {
    let cursor = b.start;
    while (j < removed.length && removed[j]!.end <= cursor) j++;
    let k = j;
    while (k < removed.length && removed[k]!.start < b.end) {
      const r = removed[k]!;
      if (r.start > cursor) out.push({ start: cursor, end: r.start });
      if (r.end > cursor) cursor = r.end;
      if (cursor >= b.end) break;
      k++;
    }
    if (cursor < b.end) out.push({ start: cursor, end: b.end });
  }
  return out;
}

/**
 * Index of the interval in a merged list that fully contains `[start, end)`, or -1.
 * Binary search: O(log n).
 */
export function indexOfContainingInterval(merged: readonly Interval[], start: EpochMs, end: EpochMs): number {
  let lo = 0;
  let hi = merged.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const m = merged[mid]!;
    if (m.end <= start) lo = mid + 1;
    else if (m.start > start) hi = mid - 1;
    else return end <= m.end ? mid : -1;
  }
  return -1;
}
