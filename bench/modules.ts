import type { BenchModule } from './lib/types';
import { auditedRead } from './targets/audited-read';
import { availability } from './targets/availability';
import { baseline } from './targets/baseline';
import { directorySearch } from './targets/directory-search';

/**
 * Every benchmark, listed statically (like the migrations). The baseline always runs
 * first: every scenario is reported as a share of it. To add a scenario (directory
 * search, availability, vitals ingest…), write `targets/<name>.ts` exporting a
 * BenchModule and add it to SCENARIOS.
 */
export const BASELINE: BenchModule = baseline;

export const SCENARIOS: readonly BenchModule[] = [auditedRead, directorySearch, availability];

export function findModule(name: string): BenchModule | undefined {
  return name === BASELINE.name ? BASELINE : SCENARIOS.find((m) => m.name === name);
}
