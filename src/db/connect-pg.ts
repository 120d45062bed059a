// The PostgreSQL half of connect.ts, in a file of its own so that `pg` and the pipelining are loaded only when the
// store is PostgreSQL (connectStore imports it then; tests import connectPostgres directly).
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Database } from './types.ts';
import type { Db, Store } from './connect.ts';
import { connectionStatements, pipelinedQuery, type ConnectionStatements } from './pg-pipeline.ts';
import { TransactionWriter } from './group-commit.ts';

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
function kyselyPool(pool: pg.Pool, prepare: boolean): pg.Pool {
  // each connection's prepared statements outlive its checkouts (pg-pipeline.ts)
  const prepared = new WeakMap<pg.PoolClient, ConnectionStatements>();
  const statementsOf = (client: pg.PoolClient): ConnectionStatements => {
    let known = prepared.get(client);
    if (!known) {
      const state = client as unknown as { readyForQuery: boolean; getTransactionStatus(): string | null; connection: { parsedStatements: Record<string, string> } };
      known = connectionStatements(() => (state.readyForQuery ? state.getTransactionStatus() ?? undefined : undefined), () => {
        state.connection.parsedStatements = {};
      });
      prepared.set(client, known);
    }
    return known;
  };
  const wrapClient = (client: pg.PoolClient): pg.PoolClient => {
    const pipelined = pipelinedQuery((text, values, name) => (name !== undefined ? client.query({ name, text, values })
      : values === undefined ? client.query(text) : client.query(text, values)), prepare ? statementsOf(client) : undefined);
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

/**
 * Opens a PostgreSQL pool of at most `poolSize` connections and a Kysely handle over it; with `prepare`, its hot
 * statements are prepared on each connection (pg-pipeline.ts; off behind PgBouncer in transaction mode).
 */
export function connectPostgres(databaseUrl: string, poolSize = 10, prepare = true): { db: Db; pool: pg.Pool } {
  // Prepared statements skip their parsing but are planned for each execution's values: a generic plan, built once
  // while a table is small, kept scanning a whole workspace's contacts for one lookup as the table grew.
  const pool = new pg.Pool({ connectionString: databaseUrl, max: poolSize, types: PG_TYPES, ...(prepare ? { options: '-c plan_cache_mode=force_custom_plan' } : {}) });
  // A client losing its connection (server restart) must not crash the process: its query fails, the pool replaces it.
  pool.on('error', () => {});
  pool.on('connect', (client) => client.on('error', () => {}));
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: kyselyPool(pool, prepare) }) });
  return { db, pool };
}

// pg_advisory_lock key of the start-up lock (migrations + bootstrap): "beckon" in ASCII.
const STARTUP_LOCK = 0x6265636b6f6e;

/** The PostgreSQL store at `databaseUrl`: a pool of at most `poolSize` connections (preparing hot statements with `prepare`), and its start-up lock. */
export function postgresStore(databaseUrl: string, poolSize: number, prepare = true): Store {
  const { db, pool } = connectPostgres(databaseUrl, poolSize, prepare);
  return {
    db, kind: 'postgres', writer: new TransactionWriter(db), pool, databaseUrl,
    async withStartupLock(fn) {
      // A client of its own (not one of the pool's): fn may use every pool connection while the lock is held.
      const client = new pg.Client({ connectionString: databaseUrl });
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
