import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from './database';
import { preparedQuery } from './prepared-query';

interface T {
  items: { id: string; owner: string; rank: number };
}

let database: Database;
const dir = mkdtempSync(path.join(tmpdir(), 'pq-'));
beforeAll(async () => {
  database = openDatabase({ kind: 'sqlite', file: path.join(dir, 'x.sqlite') });
  const db = database.db as unknown as Kysely<T>;
  await db.schema.createTable('items').addColumn('id', 'text').addColumn('owner', 'text').addColumn('rank', 'integer').execute();
  await db.insertInto('items').values([
    { id: 'a', owner: 'x', rank: 1 },
    { id: 'b', owner: 'x', rank: 2 },
    { id: 'c', owner: 'y', rank: 3 },
  ]).execute();
});
afterAll(async () => {
  await database.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('preparedQuery', () => {
  const byOwnerAbove = preparedQuery((db: Kysely<T>, owner: string, minRank: number) =>
    db.selectFrom('items').select(['id']).where('owner', '=', owner).where('rank', '>=', minRank).where('id', '!=', 'zzz').orderBy('id'),
  );

  it('binds each call’s arguments into the query compiled once, keeping constant parameters', async () => {
    const db = database.db as unknown as Kysely<T>;
    expect(await byOwnerAbove(db, 'x', 1)).toEqual([{ id: 'a' }, { id: 'b' }]);
    expect(await byOwnerAbove(db, 'x', 2)).toEqual([{ id: 'b' }]);
    expect(await byOwnerAbove(db, 'y', 0)).toEqual([{ id: 'c' }]);
    expect(await byOwnerAbove(db, 'nobody', 0)).toEqual([]);
  });

  it('runs inside a transaction when given one', async () => {
    const db = database.db as unknown as Kysely<T>;
    const rows = await db.transaction().execute((trx) => byOwnerAbove(trx, 'y', 3));
    expect(rows).toEqual([{ id: 'c' }]);
  });

  it('refuses a query that drops an argument', async () => {
    const db = database.db as unknown as Kysely<T>;
    const broken = preparedQuery((k: Kysely<T>, _unused: string) => k.selectFrom('items').select('id'));
    await expect(broken(db, 'x')).rejects.toThrow(/every argument/);
  });

  it('outside a transaction reads committed data only; inside one, the transaction’s own writes', async () => {
    const db = database.db as unknown as Kysely<T>;
    const byOwner = preparedQuery((k: Kysely<T>, owner: string) => k.selectFrom('items').select(['id']).where('owner', '=', owner).orderBy('id'));
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let seenInside: { id: string }[] = [];
    const trx = db.transaction().execute(async (t) => {
      await t.insertInto('items').values({ id: 'uncommitted', owner: 'z', rank: 9 }).execute();
      seenInside = await byOwner(t, 'z');
      await held;
      throw new Error('roll back');
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    // Another request meanwhile: it must not see a row that is about to be rolled back.
    expect(await byOwner(db, 'z')).toEqual([]);
    release();
    await expect(trx).rejects.toThrow('roll back');
    expect(seenInside).toEqual([{ id: 'uncommitted' }]);
    expect(await byOwner(db, 'z')).toEqual([]);
  });

  it('runs a prepared write on the writing connection, never the read-only one', async () => {
    const db = database.db as unknown as Kysely<T>;
    const addItem = preparedQuery((k: Kysely<T>, id: string, owner: string) => k.insertInto('items').values({ id, owner, rank: 0 }).returning('id'));
    expect(await addItem(db, 'w1', 'writer')).toEqual([{ id: 'w1' }]);
    const byOwner = preparedQuery((k: Kysely<T>, owner: string) => k.selectFrom('items').select('id').where('owner', '=', owner));
    expect(await byOwner(db, 'writer')).toEqual([{ id: 'w1' }]);
  });
});
