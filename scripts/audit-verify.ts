/**
 * `npm run audit:verify`: exits 0 when the audit log's hash chain is intact, 1 naming
 * the first broken row otherwise, 2 when it cannot check (configuration, database).
 * Reads the same environment as the server (DATA_DIR, DATABASE_URL, APP_SECRET).
 */
import { ConfigError, loadConfig } from '../src/server/config';
import { openDatabase } from '../src/server/db/database';
import { describeBreak, verifyAuditChain } from '../src/server/modules/audit/verify-audit-chain';

async function main(): Promise<number> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    console.error(`audit:verify: ${error instanceof ConfigError ? error.message : String(error)}`);
    return 2;
  }
  const database = openDatabase(config.database);
  try {
    const report = await verifyAuditChain(database.db, config.secrets.appSecret);
    if (report.broken) {
      console.error(`audit log BROKEN at ${describeBreak(report.broken)} (${report.rowsChecked} rows before it are intact)`);
      return 1;
    }
    console.log(`audit log intact: ${report.rowsChecked} rows verified`);
    return 0;
  } catch (error) {
    console.error(`audit:verify: could not read the audit log: ${error instanceof Error ? error.message : String(error)}`);
    return 2;
  } finally {
    await database.close();
  }
}

void main().then((code) => process.exit(code));
