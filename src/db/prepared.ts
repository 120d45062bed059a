import { CompiledQuery, type Compilable, type Insertable } from 'kysely';
import type { Db } from './connect.ts';
import type { Database } from './types.ts';

const SENTINEL = '\u0000beckon-arg-';

function dialectOf(db: Db): string {
  return db.getExecutor().adapter.constructor.name;
}

/**
 * Compiles a query once per dialect and reuses its SQL text: hot paths skip Kysely's builder and compiler
 * (about two thirds of a statement's cost on SQLite). `build` must pass each argument straight into the
 * builder as a value (no transformation), because it is first called with placeholders.
 */
export function prepared<Args extends unknown[], R>(build: (db: Db, ...args: Args) => Compilable<R>): (db: Db, ...args: Args) => Promise<R[]> {
  const compiled = new Map<string, { sql: string; slots: (number | { value: unknown })[] }>();
  return async (db, ...args) => {
    const dialect = dialectOf(db);
    let query = compiled.get(dialect);
    if (!query) {
      const placeholders = args.map((_, i) => `${SENTINEL}${i}`) as Args;
      const { sql, parameters } = build(db, ...placeholders).compile();
      const slots = parameters.map((p) => (typeof p === 'string' && p.startsWith(SENTINEL) ? Number(p.slice(SENTINEL.length)) : { value: p }));
      query = { sql, slots };
      compiled.set(dialect, query);
    }
    const parameters = query.slots.map((slot) => (typeof slot === 'number' ? args[slot] : slot.value));
    return (await db.executeQuery<R>(CompiledQuery.raw(query.sql, parameters))).rows;
  };
}

const inserts = new Map<string, string>();

/**
 * Inserts rows into a table with SQL compiled once per dialect, table, column list and row count. Every row
 * must have the same keys in the same order; undefined values are stored as NULL.
 */
export async function insertRows<T extends keyof Database & string>(db: Db, table: T, rows: Insertable<Database[T]>[]): Promise<void> {
  if (rows.length === 0) return;
  const columns = Object.keys(rows[0]);
  const key = `${dialectOf(db)}|${table}|${rows.length}|${columns.join(',')}`;
  let sql = inserts.get(key);
  if (!sql) {
    const dummy = Object.fromEntries(columns.map((c) => [c, null]));
    sql = db.insertInto(table).values(rows.map(() => dummy) as never).compile().sql;
    inserts.set(key, sql);
  }
  const parameters: unknown[] = [];
  for (const row of rows) for (const column of columns) parameters.push((row as Record<string, unknown>)[column] ?? null);
  await db.executeQuery(CompiledQuery.raw(sql, parameters));
}
