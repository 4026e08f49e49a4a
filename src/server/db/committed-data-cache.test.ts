import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CommittedDataCache } from './committed-data-cache';
import { openDatabase, type Database } from './database';
import { noteInProcessWrite, preparedQuery } from './prepared-query';

interface T {
  items: { id: string; label: string };
}

let database: Database;
let db: Kysely<T>;
const dir = mkdtempSync(path.join(tmpdir(), 'cdc-'));
beforeAll(async () => {
  database = openDatabase({ kind: 'sqlite', file: path.join(dir, 'x.sqlite') });
  db = database.db as unknown as Kysely<T>;
  await db.schema.createTable('items').addColumn('id', 'text', (c) => c.primaryKey()).addColumn('label', 'text').execute();
  await db.insertInto('items').values({ id: 'a', label: 'first' }).execute();
});
afterAll(async () => {
  await database.close();
  rmSync(dir, { recursive: true, force: true });
});

const labelOf = preparedQuery((k: Kysely<T>, id: string) => k.selectFrom('items').select('label').where('id', '=', id));

/** A cache over `labelOf` that counts how often it really reads. */
function countingCache() {
  const cache = new CommittedDataCache<string | undefined>();
  let loads = 0;
  const read = (on: Kysely<T>, id: string) =>
    cache.get(on, id, async () => {
      loads++;
      return (await labelOf(on, id))[0]?.label;
    });
  return { read, loads: () => loads };
}

describe('CommittedDataCache (SQLite)', () => {
  it('answers a repeated read from memory while nothing is committed', async () => {
    const c = countingCache();
    expect(await c.read(db, 'a')).toBe('first');
    expect(await c.read(db, 'a')).toBe('first');
    expect(await c.read(db, 'missing')).toBeUndefined();
    expect(await c.read(db, 'missing')).toBeUndefined();
    expect(c.loads()).toBe(2);
  });

  it('reads again after a commit on the main connection', async () => {
    const c = countingCache();
    expect(await c.read(db, 'a')).toBe('first');
    await db.updateTable('items').set({ label: 'renamed' }).where('id', '=', 'a').execute();
    expect(await c.read(db, 'a')).toBe('renamed');
    await db.insertInto('items').values({ id: 'b', label: 'new' }).execute();
    expect(await c.read(db, 'b')).toBe('new');
    expect(c.loads()).toBe(3); // a, a again after the update, b
  });

  /** Lets the event loop complete its current turn. */
  const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));
  function commitElsewhere(label: string): void {
    const other = new BetterSqlite3(database.sqliteFile!);
    try {
      other.prepare('update items set label = ? where id = ?').run(label, 'a');
    } finally {
      other.close();
    }
  }

  it('reads again after a commit by another process, from the next turn of the event loop', async () => {
    const c = countingCache();
    expect(await c.read(db, 'a')).toBeDefined();
    const before = await c.read(db, 'a');
    commitElsewhere('from elsewhere');
    // In the same turn the file is not looked at again: the commit is not known yet.
    expect(await c.read(db, 'a')).toBe(before);
    await nextTurn();
    expect(await c.read(db, 'a')).toBe('from elsewhere');
    expect(c.loads()).toBe(2);
  });

  it('reads again at once after a write this process reports (the writer thread’s acknowledged jobs)', async () => {
    const c = countingCache();
    await nextTurn();
    expect(await c.read(db, 'a')).toBeDefined();
    commitElsewhere('from the writer thread');
    noteInProcessWrite();
    expect(await c.read(db, 'a')).toBe('from the writer thread');
  });

  it('reads again at once after a write that returns rows (INSERT … RETURNING) on the main connection', async () => {
    const c = countingCache();
    await nextTurn();
    expect(await c.read(db, 'r')).toBeUndefined();
    const inserted = await db.insertInto('items').values({ id: 'r', label: 'returned' }).returning('id').execute();
    expect(inserted).toEqual([{ id: 'r' }]);
    expect(await c.read(db, 'r')).toBe('returned');
  });

  it('is not emptied by commits to the audit log’s own file', async () => {
    const c = countingCache();
    await c.read(db, 'a');
    database.sqlite!.exec(`create table if not exists audit.scratch (x)`);
    database.sqlite!.exec(`insert into audit.scratch values (1)`);
    await c.read(db, 'a');
    expect(c.loads()).toBe(1);
  });

  it('never caches inside a transaction: the transaction must see its own writes', async () => {
    const c = countingCache();
    await db.transaction().execute(async (trx) => {
      expect(await c.read(trx, 'a')).toBeDefined();
      await trx.updateTable('items').set({ label: 'inside' }).where('id', '=', 'a').execute();
      expect(await c.read(trx, 'a')).toBe('inside');
    });
    expect(c.loads()).toBe(2);
  });

  it('does not keep a value loaded across a commit under the newer version', async () => {
    const cache = new CommittedDataCache<string>();
    // The load itself commits (as a concurrent writer might while it runs): what it read
    // belongs to the older version, so the next call must load again.
    let loads = 0;
    const load = async () => {
      loads++;
      const label = (await labelOf(db, 'a'))[0]!.label;
      await db.updateTable('items').set({ label: `v${loads}` }).where('id', '=', 'a').execute();
      return label;
    };
    await cache.get(db, 'a', load);
    expect(await cache.get(db, 'a', load)).toBe('v1');
    expect(loads).toBe(2);
  });

  it('stays bounded', async () => {
    const cache = new CommittedDataCache<number>(3);
    let loads = 0;
    for (const key of ['1', '2', '3', '4', '1']) await cache.get(db, key, async () => ++loads);
    // The fourth key emptied the full cache, so '1' was loaded again.
    expect(loads).toBe(5);
  });
});
