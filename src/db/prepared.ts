import { CompiledQuery, type Compilable, type Insertable, type QueryResult } from 'kysely';
import { directSession } from './sqlite-dialect.ts';
import type { Db } from './connect.ts';
import type { Database } from './types.ts';
import { PIPELINED } from './pg-pipeline.ts';

const SENTINEL = '\u0000beckon-arg-';

/** Runs a compiled statement: on SQLite straight on its session (directSession), elsewhere through Kysely. */
export function executeCompiled<R>(db: Db, query: CompiledQuery): Promise<QueryResult<R>> {
  const session = directSession(db);
  return session ? session.executeQuery<R>(query) : db.executeQuery<R>(query);
}

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
    return (await executeCompiled<R>(db, CompiledQuery.raw(query.sql, parameters))).rows;
  };
}

const inserts = new Map<string, string>();

/** Most bound parameters one multi-row statement carries (SQLite allows 32,766, PostgreSQL 65,535). */
export const MAX_PARAMETERS = 30_000;

async function writeRows(db: Db, table: string, rows: Record<string, unknown>[], conflict: { column: string } | null): Promise<void> {
  const columns = Object.keys(rows[0]);
  const per = Math.max(1, Math.floor(MAX_PARAMETERS / columns.length));
  for (let start = 0; start < rows.length; start += per) {
    const chunk = start === 0 && rows.length <= per ? rows : rows.slice(start, start + per);
    const key = `${dialectOf(db)}|${table}|${chunk.length}|${columns.join(',')}|${conflict?.column ?? ''}`;
    let sql = inserts.get(key);
    if (!sql) {
      const dummy = Object.fromEntries(columns.map((c) => [c, null]));
      let query = db.insertInto(table as keyof Database & string).values(chunk.map(() => dummy) as never);
      if (conflict) {
        const updated = columns.filter((c) => c !== conflict.column);
        query = query.onConflict((oc) => oc.column(conflict.column as never).doUpdateSet((eb) => Object.fromEntries(updated.map((c) => [c, eb.ref(`excluded.${c}` as never)])) as never));
      }
      // nobody reads an insert's answer: a PostgreSQL transaction sends it with its next statement (pg-pipeline.ts)
      sql = PIPELINED + query.compile().sql;
      inserts.set(key, sql);
    }
    const parameters: unknown[] = [];
    for (const row of chunk) for (const column of columns) parameters.push(row[column] ?? null);
    await executeCompiled(db, CompiledQuery.raw(sql, parameters));
  }
}

/**
 * Inserts rows into a table with SQL compiled once per dialect, table, column list and row count (in statements of
 * at most MAX_PARAMETERS values). Every row must have the same keys in the same order; undefined values are stored as NULL.
 */
export async function insertRows<T extends keyof Database & string>(db: Db, table: T, rows: Insertable<Database[T]>[]): Promise<void> {
  if (rows.length === 0) return;
  await writeRows(db, table, rows as Record<string, unknown>[], null);
}

/**
 * Writes whole rows that already exist (matched by `key`, usually the primary key) as insertRows does, in multi-row
 * `INSERT … ON CONFLICT (key) DO UPDATE` statements (SQLite and PostgreSQL): every other column takes the given value.
 * A row must not appear twice in one call.
 */
export async function overwriteRows<T extends keyof Database & string>(db: Db, table: T, key: string, rows: Insertable<Database[T]>[]): Promise<void> {
  if (rows.length === 0) return;
  await writeRows(db, table, rows as Record<string, unknown>[], { column: key });
}
