import { defineConfig } from 'vitest/config';

// Unit tests (*.test.ts) and HTTP integration tests (*.int.test.ts) run here;
// Playwright journeys live in test/e2e and run through `npm run test:e2e`.
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'scripts/**/*.test.ts'],
    exclude: ['test/e2e/**', 'node_modules/**'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
