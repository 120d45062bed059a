import { Kysely } from 'kysely';
import { join } from 'node:path';
import type { Database } from './types.ts';
import { openSqlite } from './sqlite.ts';
import { ReadWriteSqliteDialect } from './sqlite-dialect.ts';

/** The typed database handle every queries.ts receives. */
export type Db = Kysely<Database>;

/** Opens the embedded SQLite store in dataDir (beckon.db): a write connection and a read connection to the same WAL file. */
export function connectSqlite(dataDir: string): Db {
  const file = join(dataDir, 'beckon.db');
  const writer = openSqlite(file).database;
  const reader = openSqlite(file, { readOnly: true }).database;
  return new Kysely<Database>({ dialect: new ReadWriteSqliteDialect({ writer, reader }) });
}
