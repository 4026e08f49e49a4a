import type { Kysely } from 'kysely';
import { committedDataVersion } from './prepared-query';

/**
 * A read-through cache that is never stale: on SQLite an entry is served only while the
 * database file is unchanged since it was loaded (`committedDataVersion`); any commit to
 * the main file empties the cache — at once when this process made it, from the next turn
 * of the event loop when another process did. So it helps where reads repeat
 * between writes (the same chart opened again and again) and costs one pragma otherwise.
 * On PostgreSQL (several server processes, no cheap change counter) and inside a
 * transaction it does nothing: every call loads.
 *
 * Values are shared by every caller that gets them: cache only frozen values.
 */
export class CommittedDataCache<V> {
  private readonly byDatabase = new WeakMap<object, { version: number; entries: Map<string, V> }>();

  constructor(private readonly maxEntries = 10_000) {}

  async get<DBT>(db: Kysely<DBT>, key: string, load: () => Promise<V>): Promise<V> {
    // Read the version before loading: a commit that lands while the value is loaded
    // changes the version, so the entry stored under the older one is dropped next time.
    const version = committedDataVersion(db);
    if (version === null) return load();
    let cache = this.byDatabase.get(db);
    if (!cache || cache.version !== version) {
      cache = { version, entries: new Map() };
      this.byDatabase.set(db, cache);
    }
    if (cache.entries.has(key)) return cache.entries.get(key) as V;
    const value = await load();
    if (this.byDatabase.get(db) === cache) {
      if (cache.entries.size >= this.maxEntries) cache.entries.clear();
      cache.entries.set(key, value);
    }
    return value;
  }
}
