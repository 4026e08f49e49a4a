/** `npm run seed`: seeds the demo clinic into an empty database (never in production). */
import { loadConfig } from '../src/server/config';
import { openDatabase } from '../src/server/db/database';
import { migrateToLatest } from '../src/server/db/migrate';
import { DEMO_PASSWORD, hasAnyOrganization, seedDemoClinic } from '../src/server/db/seed/demo-clinic';
import { hashPassword } from '../src/server/modules/auth/passwords';

async function main(): Promise<number> {
  const config = loadConfig();
  if (config.production) {
    console.error('seed: refusing to seed demo data with NODE_ENV=production');
    return 1;
  }
  const database = openDatabase(config.database);
  try {
    await migrateToLatest(database.db);
    if (await hasAnyOrganization(database.db)) {
      console.log('seed: the database already has data; nothing seeded');
      return 0;
    }
    await seedDemoClinic(database.db, await hashPassword(DEMO_PASSWORD), new Date(), config.secrets.dataEncryptionKey);
    console.log('seed: demo clinic created');
    return 0;
  } finally {
    await database.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
