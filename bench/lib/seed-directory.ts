/**
 * Child-process entry of the directory bench: migrates and seeds the demo clinic and
 * BENCH_DIRECTORY_PROVIDERS synthetic providers into the bench's throwaway database,
 * then exits. The server under test opens the seeded database afterwards, as a clinic's
 * server starts over data already on disk. (Seeding 100,000 rows inside the measured
 * process left hundreds of MB of garbage whose collection added ~9 ms pauses to one
 * search in ten: a cost of the seeding, not of the server.)
 *
 * argv: <sqlite|postgres> <workDir> [postgresUrl] <providers>; env: BENCH_APP_SECRET,
 * BENCH_DATA_ENCRYPTION_KEY. Prints one JSON line: { sampleUserId, seedSeconds }.
 */
import { performance } from 'node:perf_hooks';
import { seedSyntheticDirectory } from '../targets/directory-search';
import { benchConfig, openSeededDatabase } from './app-fixture';
import type { BenchDatabase } from './types';

async function main(): Promise<void> {
  const [database, workDir, postgresUrl, providers] = process.argv.slice(2);
  const config = benchConfig(
    { database: database as BenchDatabase, workDir: workDir!, postgresUrl: postgresUrl || null },
    { APP_SECRET: process.env.BENCH_APP_SECRET!, DATA_ENCRYPTION_KEY: process.env.BENCH_DATA_ENCRYPTION_KEY! },
  );
  const db = await openSeededDatabase(config);
  const t0 = performance.now();
  const { sampleUserId } = await seedSyntheticDirectory(db, Number(providers), new Date());
  const seedSeconds = (performance.now() - t0) / 1000;
  await db.close();
  process.stdout.write(`${JSON.stringify({ sampleUserId, seedSeconds })}\n`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exitCode = 1;
});
