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

/** The embedded store's file in dataDir. */
export function sqliteFile(dataDir: string): string {
  return join(dataDir, 'beckon.db');
}

/**
 * Opens the embedded SQLite store in dataDir (beckon.db): a write connection and a read connection to the same WAL
 * file; `writeLock` when another thread of the process writes the file too (the job thread); `autocheckpoint` the
 * writer's automatic checkpoint in pages (a backstop when a WalCheckpointer checkpoints the file; SQLite's 1000 else).
 */
export function connectSqlite(dataDir: string, writeLock?: SharedWriteLock, autocheckpoint?: number): Db {
  const file = sqliteFile(dataDir);
  const writer = openSqlite(file, { autocheckpoint }).database;
  const reader = openSqlite(file, { readOnly: true }).database;
  return new Kysely<Database>({ dialect: new ReadWriteSqliteDialect({ writer, reader }, writeLock) });
}

/**
 * Opens the store the configuration names: PostgreSQL when databaseUrl is set (its driver, pg, is loaded only then),
 * else the SQLite file in dataDir (`autocheckpoint`: its writer's automatic checkpoint, see connectSqlite).
 */
export async function connectStore(config: { dataDir: string; databaseUrl?: string; databasePoolSize?: number; databasePrepare?: boolean }, options: { writeLock?: SharedWriteLock; autocheckpoint?: number } = {}): Promise<Store> {
  if (!config.databaseUrl) {
    const db = connectSqlite(config.dataDir, options.writeLock, options.autocheckpoint);
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
