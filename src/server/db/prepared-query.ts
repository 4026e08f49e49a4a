import type { Compilable, CompiledQuery, Kysely } from 'kysely';

/**
 * A query on the hot path, built and compiled once per SQL dialect instead of on every
 * call: Kysely's building and compiling costs several times more than running a small
 * prepared SQLite statement. The query's shape must not depend on its arguments (no
 * `in` lists, no optional clauses): arguments become bound parameters only.
 *
 * It works by compiling with sentinel arguments and remembering which bound parameter
 * each argument became.
 */
export function preparedQuery<DBT, Args extends readonly (string | number | null)[], Row>(
  build: (db: Kysely<DBT>, ...args: Args) => Compilable<Row>,
) {
  const compiledByDialect = new Map<unknown, { query: CompiledQuery<Row>; slots: (number | { value: unknown })[] }>();
  return async function run(db: Kysely<DBT>, ...args: Args): Promise<Row[]> {
    const dialectKey = db.getExecutor().adapter.constructor;
    let entry = compiledByDialect.get(dialectKey);
    if (!entry) {
      const sentinels = args.map((_, i) => `\u0000prepared-arg-${i}\u0000`) as unknown as Args;
      const query = build(db, ...sentinels).compile();
      const slots = query.parameters.map((p) => {
        const index = typeof p === 'string' ? sentinels.indexOf(p as never) : -1;
        return index >= 0 ? index : { value: p };
      });
      const used = new Set(slots.filter((s): s is number => typeof s === 'number'));
      if (used.size !== args.length) throw new Error('preparedQuery: every argument must become exactly one kind of bound parameter');
      entry = { query, slots };
      compiledByDialect.set(dialectKey, entry);
    }
    const parameters = entry.slots.map((s) => (typeof s === 'number' ? args[s] : s.value));
    const result = await db.executeQuery<Row>({ ...entry.query, parameters });
    return result.rows;
  };
}
