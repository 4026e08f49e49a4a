import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { TEST_DIALECT } from './helpers/test-database';

// Log lines are collected and written in chunks (http/log-batcher.ts); what is collected
// when the process dies — of an uncaught exception here — must still reach stdout.
describe.runIf(TEST_DIALECT === 'sqlite')('log lines when the process crashes', () => {
  it('writes the lines collected before an uncaught exception', () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'threshold-crash-'));
    let run;
    try {
      run = spawnSync(process.execPath, ['--import', 'tsx', 'test/helpers/crash-after-logging.ts'], {
        env: { ...process.env, DATABASE_URL: '', CRASH_DATA_DIR: dataDir },
        encoding: 'utf8',
        timeout: 60_000,
      });
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
    expect(run.stderr).toContain('deliberate crash');
    expect(run.status).not.toBe(0);
    const lines = run.stdout.split('\n').filter((l) => l.startsWith('{'));
    expect(lines.map((l) => (JSON.parse(l) as { msg?: string }).msg)).toContain('the last line before the crash');
  }, 60_000);
});
