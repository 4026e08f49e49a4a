import Fastify from 'fastify';
import { benchConfig, openSeededDatabase, sqliteDurabilityNote } from '../lib/app-fixture';
import type { BenchModule, RunningTarget, StartOptions } from '../lib/types';

/**
 * The yardstick: a bare Fastify 5 app (default options, so no logger, no auth, no
 * audit) with one route that reads one patient row by primary key through a
 * better-sqlite3 prepared statement. The database is opened by the app's own
 * openDatabase (WAL, synchronous=FULL, same file layout), migrated and seeded the same
 * way as the scenarios' databases.
 */
export const baseline: BenchModule = {
  name: 'baseline',
  title: 'bare Fastify + 1 SQLite PK read',
  databases: ['sqlite'],
  async start(options: StartOptions): Promise<RunningTarget> {
    const config = benchConfig({ ...options, database: 'sqlite' });
    const database = await openSeededDatabase(config);
    const sqlite = database.sqlite;
    if (!sqlite) throw new Error('baseline needs the SQLite handle');
    const patient = sqlite.prepare('select id from patients order by id limit 1').get() as { id: string } | undefined;
    if (!patient) throw new Error('seed created no patients');

    const byId = sqlite.prepare('select * from patients where id = ?');
    const app = Fastify();
    app.get<{ Params: { id: string } }>('/patients/:id', async (request, reply) => {
      const row = byId.get(request.params.id);
      if (!row) return reply.status(404).send({ error: { code: 'not_found', message: 'Patient not found' } });
      return row;
    });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const address = app.server.address();
    if (!address || typeof address === 'string') throw new Error('no TCP address');

    return {
      port: address.port,
      request: { method: 'GET', path: `/patients/${patient.id}` },
      notes: [sqliteDurabilityNote(database) ?? '', 'no logger, no auth, no audit'].filter(Boolean),
      async close() {
        await app.close();
        await database.close();
      },
    };
  },
};
