import { Kysely, SqliteDialect } from 'kysely';
import { join } from 'node:path';
import type { Database } from './types.ts';
import { openSqlite } from './sqlite.ts';

/** The typed database handle every queries.ts receives. */
export type Db = Kysely<Database>;

/** Opens the embedded SQLite store in dataDir (beckon.db). */
export function connectSqlite(dataDir: string): Db {
  const { database } = openSqlite(join(dataDir, 'beckon.db'));
  return new Kysely<Database>({ dialect: new SqliteDialect({ database }) });
}
