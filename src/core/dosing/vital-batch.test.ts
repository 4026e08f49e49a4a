import { describe, expect, it } from 'vitest';
import { DEFAULT_BATCH_LIMITS, inTimeOrder, parseInstant, validateVitalBatch } from './vital-batch';

const NOW = Date.UTC(2026, 10, 26, 18, 0);
const at = (offsetMs: number) => new Date(NOW + offsetMs).toISOString();

describe('validateVitalBatch', () => {
  it('accepts valid readings and rejects only the invalid ones, naming index and field', () => {
    const r = validateVitalBatch(
      [
        { at: at(-1000), hr: 72, sbp: 120, dbp: 80, spo2: 98, rr: 14 },
        { at: at(-2000), hr: 0 },
        { at: 'not a time', hr: 70 },
        { at: at(-3000), sbp: 120, dbp: 125 },
        { at: at(-4000) },
        { at: at(-5000), spo2: 101, rr: 81 },
      ],
      NOW,
    );
    expect(r.accepted.map((a) => a.index)).toEqual([0]);
    expect(r.accepted[0]).toEqual({ index: 0, at: NOW - 1000, reading: { hr: 72, sbp: 120, dbp: 80, spo2: 98, rr: 14 } });
    expect(r.rejected.map((x) => [x.index, x.field])).toEqual([
      [1, 'hr'],
      [2, 'at'],
      [3, 'dbp'],
      [4, 'reading'],
      [5, 'spo2'],
      [5, 'rr'],
    ]);
  });

  it('absent fields become null; alarming but real values are accepted (they alert, not reject)', () => {
    const r = validateVitalBatch([{ at: at(0), spo2: 60, rr: 0 }], NOW);
    expect(r.rejected).toEqual([]);
    expect(r.accepted[0]!.reading).toEqual({ hr: null, sbp: null, dbp: null, spo2: 60, rr: 0 });
  });

  it('device clock: up to the skew limit ahead is fine, beyond is refused; older than 24 h is refused', () => {
    const skew = DEFAULT_BATCH_LIMITS.maxFutureSkewMs;
    expect(validateVitalBatch([{ at: at(skew), hr: 70 }], NOW).rejected).toEqual([]);
    expect(validateVitalBatch([{ at: at(skew + 1), hr: 70 }], NOW).rejected[0]!.field).toBe('at');
    expect(validateVitalBatch([{ at: at(-DEFAULT_BATCH_LIMITS.maxAgeMs), hr: 70 }], NOW).rejected).toEqual([]);
    expect(validateVitalBatch([{ at: at(-DEFAULT_BATCH_LIMITS.maxAgeMs - 1), hr: 70 }], NOW).rejected[0]!.field).toBe('at');
  });
});

describe('parseInstant', () => {
  it('requires an explicit zone or offset', () => {
    expect(parseInstant('2026-11-26T18:00:00.000Z')).toBe(NOW);
    expect(parseInstant('2026-11-26T10:00:00-08:00')).toBe(NOW);
    expect(parseInstant('2026-11-26T18:00')).toBeNull();
    expect(parseInstant('2026-11-26')).toBeNull();
    expect(parseInstant('2026-13-40T18:00:00Z')).toBeNull();
  });
});

describe('inTimeOrder', () => {
  it('sorts by device time, ties by sequence', () => {
    expect(inTimeOrder([{ at: 3, seq: 1 }, { at: 1, seq: 3 }, { at: 1, seq: 2 }])).toEqual([{ at: 1, seq: 2 }, { at: 1, seq: 3 }, { at: 3, seq: 1 }]);
  });
});
