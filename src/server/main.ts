import { buildApp } from './app';
import { ConfigError, loadConfig, type Config } from './config';
import { openDatabase } from './db/database';
import { migrateToLatest } from './db/migrate';
import { DEMO_PASSWORD, hasAnyOrganization, seedDemoClinic } from './db/seed/demo-clinic';
import { hashPassword } from './modules/auth/passwords';
import { prepareSearchIndex } from './modules/directory/directory.service';

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`Threshold cannot start: ${error.message}`);
      process.exit(1);
    }
    throw error;
  }

  const database = openDatabase(config.database);
  await migrateToLatest(database.db);
  if (config.seedDemo && !(await hasAnyOrganization(database.db))) {
    await seedDemoClinic(database.db, await hashPassword(DEMO_PASSWORD), new Date(), config.secrets.dataEncryptionKey);
    console.log(`Seeded the demo clinic: sign in as admin@demo.clinic with password "${DEMO_PASSWORD}"`);
  }

  await prepareSearchIndex(database.db, database.dialect);

  const { app } = await buildApp(config, { database, startWorkers: true });
  const shutdown = async (signal: string) => {
    app.log.info({ signal }, 'shutting down');
    await app.close();
    await database.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));

  await app.listen({ port: config.port, host: config.host });
  app.log.info(
    { database: config.database.kind, mail: config.smtpUrl ? 'smtp' : 'local mailbox' },
    `Threshold is running at ${config.publicUrl}`,
  );
}

main().catch((error: unknown) => {
  console.error('Threshold failed to start:', error instanceof Error ? error.message : error);
  process.exit(1);
});
