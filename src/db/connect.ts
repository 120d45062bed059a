import { Kysely, PostgresDialect, sql } from 'kysely';
import { join } from 'node:path';
import pg from 'pg';
import type { Database } from './types.ts';
import { openSqlite } from './sqlite.ts';
import { ReadWriteSqliteDialect } from './sqlite-dialect.ts';
import { pipelinedQuery } from './pg-pipeline.ts';
import type { SharedWriteLock } from './shared-write-lock.ts';
import { GroupCommitter, TransactionWriter, type Writer } from './group-commit.ts';
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

// 64-bit counts and sums (count(*), sum()) arrive as numbers, like on SQLite, when they fit a double exactly.
const INT8 = 20;
const NUMERIC = 1700;
const PG_TYPES: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
    if (oid === INT8) return (value: string) => (Number.isSafeInteger(Number(value)) ? Number(value) : value);
    if (oid === NUMERIC) return (value: string) => Number(value);
    return format === 'binary' ? pg.types.getTypeParser(oid, 'binary') : pg.types.getTypeParser(oid, 'text');
  }) as pg.CustomTypesConfig['getTypeParser'],
};

/** Parameters as the SQLite binding stores them: booleans as 1/0 (integer columns), dates as ISO text, undefined as NULL. */
function bindable(value: unknown): unknown {
  if (value === undefined) return null;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (value instanceof Date) return value.toISOString();
  return value;
}

/**
 * The pool as Kysely sees it: every client's parameters go through bindable(), and its transactions are pipelined
 * (pg-pipeline.ts); other users of the pool are untouched.
 */
function kyselyPool(pool: pg.Pool): pg.Pool {
  const wrapClient = (client: pg.PoolClient): pg.PoolClient => {
    const pipelined = pipelinedQuery((text, values) => (values === undefined ? client.query(text) : client.query(text, values)));
    return new Proxy(client, {
    get(target, prop) {
      if (prop === 'query') {
        return (text: unknown, values?: unknown[]) => (typeof text === 'string' && Array.isArray(values)
          ? pipelined(text, values.map(bindable))
          : target.query(text as string));
      }
      const value = Reflect.get(target, prop, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
    });
  };
  return new Proxy(pool, {
    get(target, prop) {
      if (prop === 'connect') return async () => wrapClient(await target.connect());
      const value = Reflect.get(target, prop, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

/** Opens a PostgreSQL pool of at most `poolSize` connections and a Kysely handle over it. */
export function connectPostgres(databaseUrl: string, poolSize = 10): { db: Db; pool: pg.Pool } {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: poolSize, types: PG_TYPES });
  // A client losing its connection (server restart) must not crash the process: its query fails, the pool replaces it.
  pool.on('error', () => {});
  pool.on('connect', (client) => client.on('error', () => {}));
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: kyselyPool(pool) }) });
  return { db, pool };
}

// pg_advisory_lock key of the start-up lock (migrations + bootstrap): "beckon" in ASCII.
const STARTUP_LOCK = 0x6265636b6f6e;

/** Opens the store the configuration names: PostgreSQL when databaseUrl is set, else the SQLite file in dataDir. */
export function connectStore(config: { dataDir: string; databaseUrl?: string; databasePoolSize?: number }, options: { writeLock?: SharedWriteLock } = {}): Store {
  if (!config.databaseUrl) {
    const db = connectSqlite(config.dataDir, options.writeLock);
    return {
      db, kind: 'sqlite', writer: new GroupCommitter(db), pool: null, databaseUrl: null,
      withStartupLock: (fn) => fn(),
      close: () => db.destroy(),
    };
  }
  const { db, pool } = connectPostgres(config.databaseUrl, config.databasePoolSize ?? 10);
  return {
    db, kind: 'postgres', writer: new TransactionWriter(db), pool, databaseUrl: config.databaseUrl,
    async withStartupLock(fn) {
      // A client of its own (not one of the pool's): fn may use every pool connection while the lock is held.
      const client = new pg.Client({ connectionString: config.databaseUrl });
      await client.connect();
      try {
        await client.query('select pg_advisory_lock($1)', [STARTUP_LOCK]);
        return await fn();
      } finally {
        await client.end();
      }
    },
    close: () => db.destroy(),
  };
}

/** Checks the store answers a trivial query (used by readiness checks and tests). */
export async function ping(db: Db): Promise<void> {
  await sql`select 1`.execute(db);
}
