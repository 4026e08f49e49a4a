import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { TEST_DIALECT } from './helpers/test-database';

// Log lines are collected and written in chunks (http/log-batcher.ts); what is collected
// when the process dies — of an uncaught exception here — must still reach stdout.
describe.runIf(TEST_DIALECT === 'sqlite')('log lines when the process crashes', () => {
  it('writes the lines collected before an uncaught exception', () => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'test/helpers/crash-after-logging.ts'], {
      env: { ...process.env, DATABASE_URL: '' },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(run.stderr).toContain('deliberate crash');
    expect(run.status).not.toBe(0);
    const lines = run.stdout.split('\n').filter((l) => l.startsWith('{'));
    expect(lines.map((l) => (JSON.parse(l) as { msg?: string }).msg)).toContain('the last line before the crash');
  }, 60_000);
});
