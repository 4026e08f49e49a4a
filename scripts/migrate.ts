/** `npm run migrate`: brings the configured database to the latest schema. */
import { loadConfig } from '../src/server/config';
import { openDatabase } from '../src/server/db/database';
import { migrateToLatest } from '../src/server/db/migrate';

const config = loadConfig();
const database = openDatabase(config.database);
migrateToLatest(database.db)
  .then(async (applied) => {
    console.log(applied.length ? `applied: ${applied.join(', ')}` : 'already up to date');
    await database.close();
  })
  .catch(async (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    await database.close();
    process.exit(1);
  });
