import { Kysely, sql } from 'kysely';
import { join } from 'node:path';
import type pg from 'pg';
import type { Database } from './types.ts';
import { openSqlite } from './sqlite.ts';
import { ReadWriteSqliteDialect } from './sqlite-dialect.ts';
import type { SharedWriteLock } from './shared-write-lock.ts';
import { GroupCommitter, type Writer } from './group-commit.ts';
import type { StoreKind } from './dialect.ts';

/** The typed database handle every queries.ts receives. */
export type Db = Kysely<Database>;

/** An open store: its handle, which kind it is, the writer hot paths commit through, and how to close it. */
export interface Store {
  db: Db;
  kind: StoreKind;
  /** Group commit on SQLite (one durable commit for many units), one transaction per unit on PostgreSQL. */
  writer: Writer;
  /** The PostgreSQL pool under `db` (null on SQLite): graphile-worker and LISTEN/NOTIFY share it. */
  pool: pg.Pool | null;
  /** The PostgreSQL connection URL (null on SQLite). */
  databaseUrl: string | null;
  /**
   * Runs `fn` while holding the store's start-up lock: on PostgreSQL a session advisory lock, so processes starting
   * together migrate and bootstrap one after the other (never two default workspaces); on SQLite it just runs `fn`.
   */
  withStartupLock<T>(fn: () => Promise<T>): Promise<T>;
  /** Closes every connection. */
  close(): Promise<void>;
}

/**
 * Opens the embedded SQLite store in dataDir (beckon.db): a write connection and a read connection to the same WAL
 * file; `writeLock` when another thread of the process writes the file too (the job thread).
 */
export function connectSqlite(dataDir: string, writeLock?: SharedWriteLock): Db {
  const file = join(dataDir, 'beckon.db');
  const writer = openSqlite(file).database;
  const reader = openSqlite(file, { readOnly: true }).database;
  return new Kysely<Database>({ dialect: new ReadWriteSqliteDialect({ writer, reader }, writeLock) });
}

/**
 * Opens the store the configuration names: PostgreSQL when databaseUrl is set (its driver, pg, is loaded only then),
 * else the SQLite file in dataDir.
 */
export async function connectStore(config: { dataDir: string; databaseUrl?: string; databasePoolSize?: number; databasePrepare?: boolean }, options: { writeLock?: SharedWriteLock } = {}): Promise<Store> {
  if (!config.databaseUrl) {
    const db = connectSqlite(config.dataDir, options.writeLock);
    return {
      db, kind: 'sqlite', writer: new GroupCommitter(db), pool: null, databaseUrl: null,
      withStartupLock: (fn) => fn(),
      close: () => db.destroy(),
    };
  }
  const { postgresStore } = await import('./connect-pg.ts');
  return postgresStore(config.databaseUrl, config.databasePoolSize ?? 10, config.databasePrepare ?? true);
}

/** Checks the store answers a trivial query (used by readiness checks and tests). */
export async function ping(db: Db): Promise<void> {
  await sql`select 1`.execute(db);
}
