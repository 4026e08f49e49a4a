/**
 * A batch of vital-sign readings from a monitor or a hand entry. Pure: each reading is
 * checked on its own, so one bad reading (a typo, a monitor artefact, a bad timestamp)
 * rejects only itself and says which reading (index) and which field.
 */
import { validateVitalReading, type EpochMs, type VitalReading } from './vital-alerts';

export interface IncomingReading extends VitalReading {
  /** Device timestamp, ISO-8601 with offset or Z. */
  at: string;
}

export interface AcceptedReading {
  index: number;
  at: EpochMs;
  reading: Required<{ [K in keyof VitalReading]: number | null }>;
}

export interface RejectedReading {
  index: number;
  /** `at`, a vital field, or `reading` when the reading as a whole is unusable. */
  field: string;
  message: string;
}

export interface BatchLimits {
  /** A device clock ahead of the server by more than this is refused (ms). */
  maxFutureSkewMs: number;
  /** Readings older than this before `now` are refused as not belonging to a live session (ms). */
  maxAgeMs: number;
}

export const DEFAULT_BATCH_LIMITS: BatchLimits = { maxFutureSkewMs: 2 * 60_000, maxAgeMs: 24 * 60 * 60_000 };

const ISO_WITH_ZONE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

/** Parse an ISO-8601 instant that names its offset; null for anything else. */
export function parseInstant(text: string): EpochMs | null {
  if (!ISO_WITH_ZONE.test(text)) return null;
  const ms = Date.parse(text);
  return Number.isFinite(ms) ? ms : null;
}

export function validateVitalBatch(
  readings: readonly IncomingReading[],
  now: EpochMs,
  limits: BatchLimits = DEFAULT_BATCH_LIMITS,
): { accepted: AcceptedReading[]; rejected: RejectedReading[] } {
  const accepted: AcceptedReading[] = [];
  const rejected: RejectedReading[] = [];
  readings.forEach((r, index) => {
    const errors: RejectedReading[] = [];
    const at = typeof r.at === 'string' ? parseInstant(r.at) : null;
    if (at === null) {
      errors.push({ index, field: 'at', message: 'at must be an ISO-8601 time with a zone, e.g. 2026-11-26T17:00:00.000Z.' });
    } else if (at > now + limits.maxFutureSkewMs) {
      errors.push({ index, field: 'at', message: 'at is in the future; check the device clock.' });
    } else if (at < now - limits.maxAgeMs) {
      errors.push({ index, field: 'at', message: 'at is more than 24 hours old.' });
    }
    for (const e of validateVitalReading(r)) errors.push({ index, field: e.field, message: e.message });
    if (errors.length > 0) {
      rejected.push(...errors);
      return;
    }
    accepted.push({
      index,
      at: at as EpochMs,
      reading: { hr: r.hr ?? null, sbp: r.sbp ?? null, dbp: r.dbp ?? null, spo2: r.spo2 ?? null, rr: r.rr ?? null },
    });
  });
  return { accepted, rejected };
}

/** Readings in time order (device time), ties by arrival order: out-of-order batches land in order. */
export function inTimeOrder<T extends { at: EpochMs; seq?: number }>(readings: readonly T[]): T[] {
  return [...readings].sort((a, b) => a.at - b.at || (a.seq ?? 0) - (b.seq ?? 0));
}
