import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toZonedIso } from '../../../core/scheduling/zoned-time';
import { renderZonedIso } from './zoned-render';

describe('renderZonedIso', () => {
  it('matches toZonedIso for whole-second instants in several zones, DST days included', () => {
    const zones = ['America/Los_Angeles', 'Europe/London', 'Asia/Kolkata', 'Australia/Lord_Howe', 'UTC', 'America/Santiago'];
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(1990, 0, 1) / 1000, max: Date.UTC(2060, 0, 1) / 1000 }), fc.constantFrom(...zones), (s, zone) => {
        expect(renderZonedIso(s * 1000, zone)).toBe(toZonedIso(s * 1000, zone));
      }),
      { numRuns: 3000 },
    );
    for (const iso of ['2026-03-08T09:59:59Z', '2026-03-08T10:00:00Z', '2026-11-01T08:30:00Z', '2026-11-01T09:30:00Z']) {
      const t = Date.parse(iso);
      expect(renderZonedIso(t, 'America/Los_Angeles')).toBe(toZonedIso(t, 'America/Los_Angeles'));
    }
  });
  it('matches every second around DST transitions (memoised offsets never leak across a change)', () => {
    for (const [zone, iso] of [
      ['America/Los_Angeles', '2026-03-08T10:00:00Z'],
      ['America/Los_Angeles', '2026-11-01T09:00:00Z'],
      ['Australia/Lord_Howe', '2026-04-04T15:00:00Z'],
      ['Australia/Lord_Howe', '2026-10-03T15:30:00Z'],
      ['America/Santiago', '2026-04-05T03:00:00Z'],
    ] as const) {
      const at = Date.parse(iso);
      for (let t = at - 3_600_000; t <= at + 3_600_000; t += 1000) {
        if (renderZonedIso(t, zone) !== toZonedIso(t, zone)) expect(renderZonedIso(t, zone)).toBe(toZonedIso(t, zone));
      }
    }
  });
  it('falls back for instants with milliseconds', () => {
    const t = Date.UTC(2026, 0, 1, 0, 0, 0, 123);
    expect(renderZonedIso(t, 'America/Los_Angeles')).toBe(toZonedIso(t, 'America/Los_Angeles'));
  });
});
