import type { Kysely } from 'kysely';
import type { Config } from './config';
import type { Database } from './db/database';
import type { DB } from './db/schema';
import type { AuditLog } from './modules/audit/audit-log';
import type { SessionCache } from './modules/auth/session-cache';
import type { Outbox } from './modules/mail/outbox';

/** What services need from the outside world, built once in app.ts. */
export interface Deps {
  readonly config: Config;
  readonly database: Database;
  readonly db: Kysely<DB>;
  readonly audit: AuditLog;
  readonly outbox: Outbox;
  readonly sessions: SessionCache;
  readonly now: () => Date;
}
