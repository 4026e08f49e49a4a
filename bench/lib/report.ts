import type { LoadResult } from './load';
import type { ServerCost } from './server-process';
import type { BenchCheck, BenchDatabase, BenchModule } from './types';

export interface Row {
  readonly module: BenchModule;
  readonly database: BenchDatabase;
  readonly result: LoadResult | null;
  readonly notes: readonly string[];
  readonly checks: readonly BenchCheck[];
  /** Why there is no result (skipped or crashed). */
  readonly problem: string | null;
  /** Set when the service ran patched by BENCH_WHATIF: reported, never judged. */
  readonly whatIf: string | null;
  readonly cost: ServerCost | null;
  /** Each round's share of the baseline measured beside it; the verdict takes their median. */
  readonly roundRatios: readonly number[] | null;
}

/** The median (the lower middle for an even count: never flattering). */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)]!;
}

const int = (n: number) => Math.round(n).toLocaleString('en-US');
// autocannon records whole milliseconds; show "<1" rather than a false "0.00".
const ms = (n: number) => (n < 1 ? '<1' : Number.isInteger(n) ? String(n) : n.toFixed(2));

function table(header: string[], rows: string[][], rightAligned: Set<number>): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (rightAligned.has(i) ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd();
  return [line(header), widths.map((w) => '─'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

export type Verdict = 'PASS' | 'FAIL' | 'info' | 'what-if' | 'n/a';

export function verdictOf(row: Row, baseline: LoadResult | null): { ratio: number | null; verdict: Verdict } {
  if (!row.result || !baseline || baseline.rps === 0) return { ratio: null, verdict: 'n/a' };
  const ratio = row.roundRatios && row.roundRatios.length > 0 ? median(row.roundRatios) : row.result.rps / baseline.rps;
  const target = row.module.targetRatio;
  const applies = target !== undefined && (row.module.targetOn ?? row.module.databases).includes(row.database);
  if (!applies) return { ratio, verdict: 'info' };
  if (row.whatIf) return { ratio, verdict: 'what-if' };
  return { ratio, verdict: ratio >= target ? 'PASS' : 'FAIL' };
}

export function renderReport(rows: readonly Row[], baselineRow: Row): string {
  const base = baselineRow.result;
  const header = ['benchmark', 'db', 'req/s', 'p50 ms', 'p97.5 ms', 'p99 ms', '2xx', 'non-2xx', 'errors', 'cpu µs/req', 'main µs/req', 'loop µs/req', 'loop busy', 'vs baseline', 'target', 'result'];
  const body = [baselineRow, ...rows].map((row) => {
    const name = `${row.module.name} — ${row.module.title}${row.whatIf ? ` [what-if: ${row.whatIf}]` : ''}`;
    if (!row.result) return [name, row.database, '—', '—', '—', '—', '—', '—', '—', '—', '—', '—', '—', '—', '', row.problem ?? 'no result'];
    const r = row.result;
    const isBase = row === baselineRow;
    const { ratio, verdict } = verdictOf(row, base);
    const target = row.module.targetRatio !== undefined && verdict !== 'info' ? `≥ ${Math.round(row.module.targetRatio * 100)} %` : '';
    const shown = verdict === 'info' ? '(info)' : verdict === 'what-if' ? '(what-if)' : verdict;
    return [
      name,
      row.database,
      int(r.rps),
      ms(r.p50),
      ms(r.p975),
      ms(r.p99),
      int(r.ok2xx),
      int(r.non2xx),
      int(r.errors),
      row.cost && r.ok2xx > 0 ? ((row.cost.cpuMs * 1000) / r.ok2xx).toFixed(0) : '—',
      row.cost?.mainThreadCpuMs != null && r.ok2xx > 0 ? ((row.cost.mainThreadCpuMs * 1000) / r.ok2xx).toFixed(0) : '—',
      row.cost && r.ok2xx > 0 ? ((row.cost.loopBusyMs * 1000) / r.ok2xx).toFixed(0) : '—',
      row.cost ? `${(row.cost.loopUtilization * 100).toFixed(0)} %` : '—',
      isBase ? '(100 %)' : ratio === null ? '—' : `${(ratio * 100).toFixed(1)} %`,
      isBase ? '' : target,
      isBase ? '' : shown,
    ];
  });
  return table(header, body, new Set([2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]));
}
