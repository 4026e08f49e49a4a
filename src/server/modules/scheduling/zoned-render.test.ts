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
  it('falls back for instants with milliseconds', () => {
    const t = Date.UTC(2026, 0, 1, 0, 0, 0, 123);
    expect(renderZonedIso(t, 'America/Los_Angeles')).toBe(toZonedIso(t, 'America/Los_Angeles'));
  });
});
