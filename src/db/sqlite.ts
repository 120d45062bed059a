import { DatabaseSync, type StatementSync, type SQLInputValue } from 'node:sqlite';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { SqliteDatabase, SqliteStatement } from 'kysely';

/** Most statements the cache keeps. */
export const STATEMENT_CACHE_SIZE = 500;
/**
 * Most SQL text (characters) the cache keeps prepared. A prepared statement's native memory grows with its text (~40
 * bytes a character: a 500-row multi-row INSERT is 15 k characters and ~0.6 MB), so the batch writers' statements of
 * every row count would hold hundreds of MB under a count-only bound; 512 k characters bounds the cache to ~20 MB.
 */
export const STATEMENT_CACHE_CHARS = 512 * 1024;

function bindable(parameters: ReadonlyArray<unknown>): SQLInputValue[] {
  return parameters.map((value) => {
    if (value === undefined) return null;
    if (typeof value === 'boolean') return value ? 1 : 0;
    if (value instanceof Date) return value.toISOString();
    return value as SQLInputValue;
  });
}

function wrap(statement: StatementSync): SqliteStatement {
  return {
    reader: statement.columns().length > 0,
    all: (parameters) => statement.all(...bindable(parameters)),
    run: (parameters) => statement.run(...bindable(parameters)),
    iterate: (parameters) => statement.iterate(...bindable(parameters)),
  };
}

/**
 * Opens a SQLite file with node:sqlite in WAL mode, durable commits (synchronous=FULL), sorts in memory, and a
 * prepared-statement cache. `readOnly` opens a second connection for reads (query_only), after the writer.
 */
export function openSqlite(file: string, options: { readOnly?: boolean } = {}): { database: SqliteDatabase; raw: DatabaseSync; cacheStats(): { statements: number; chars: number } } {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const raw = new DatabaseSync(file, { timeout: 5000 });
  if (!options.readOnly) raw.exec('PRAGMA journal_mode = WAL');
  raw.exec('PRAGMA synchronous = FULL');
  raw.exec('PRAGMA foreign_keys = ON');
  raw.exec('PRAGMA busy_timeout = 5000');
  raw.exec('PRAGMA temp_store = MEMORY');
  if (options.readOnly) raw.exec('PRAGMA query_only = ON');
  // least recently used first; a statement longer than the whole budget is prepared each time, never kept
  const cache = new Map<string, SqliteStatement>();
  let chars = 0;
  const database: SqliteDatabase = {
    prepare(sql) {
      let statement = cache.get(sql);
      if (statement) {
        cache.delete(sql);
      } else {
        statement = wrap(raw.prepare(sql));
        if (sql.length > STATEMENT_CACHE_CHARS) return statement;
        chars += sql.length;
        while (cache.size >= STATEMENT_CACHE_SIZE || chars > STATEMENT_CACHE_CHARS) {
          const oldest = cache.keys().next().value as string;
          cache.delete(oldest);
          chars -= oldest.length;
        }
      }
      cache.set(sql, statement);
      return statement;
    },
    close() {
      cache.clear();
      chars = 0;
      if (raw.isOpen) raw.close();
    },
  };
  return { database, raw, cacheStats: () => ({ statements: cache.size, chars }) };
}
