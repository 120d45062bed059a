import pg from 'pg';
import { Kysely, PostgresDialect } from 'kysely';
import { randomBytes } from 'node:crypto';

/** The server PostgreSQL-only tests create their databases on: BECKON_TEST_DATABASE_URL (npm test sets it on its PostgreSQL pass). */
export const PG_ADMIN_URL = process.env.BECKON_TEST_DATABASE_URL ?? '';

/**
 * Null when a PostgreSQL server answers at PG_ADMIN_URL, else the reason to skip (for `test(name, { skip })`). Without
 * BECKON_TEST_DATABASE_URL these tests skip, so they run once in `npm test` (its PostgreSQL pass), not in both passes.
 */
export async function pgUnavailable(): Promise<string | null> {
  if (!PG_ADMIN_URL || PG_ADMIN_URL === 'off') {
    return 'PostgreSQL-only: runs when BECKON_TEST_DATABASE_URL names a server (npm test sets it on its PostgreSQL pass when one answers on 127.0.0.1:5432)';
  }
  const client = new pg.Client({ connectionString: PG_ADMIN_URL, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query('select 1');
    return null;
  } catch (err) {
    return `no PostgreSQL at ${PG_ADMIN_URL.replace(/:[^:@/]*@/, ':***@')} (${err instanceof Error ? err.message : String(err)}); set BECKON_TEST_DATABASE_URL`;
  } finally {
    await client.end().catch(() => {});
  }
}

/** Creates an empty database `<prefix>_<random>` on the test server; returns its URL and a function dropping it (after its connections end). */
export async function createPgDatabase(prefix: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  try {
    await admin.query(`create database ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  const drop = async () => {
    const dropper = new pg.Client({ connectionString: PG_ADMIN_URL });
    await dropper.connect();
    try {
      // a closed pool's backends may still be exiting: forcing them then would send an error to a client that is
      // ending (an 'error' event nobody listens to), so wait until they are gone (5 s at most) before the drop
      for (let i = 0; i < 100; i++) {
        const { rows } = await dropper.query<{ n: string }>('select count(*) as n from pg_stat_activity where datname = $1', [name]);
        if (Number(rows[0].n) === 0) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      await dropper.query(`drop database if exists ${name} with (force)`);
    } finally {
      await dropper.end();
    }
  };
  return { url: url.toString(), drop };
}

/** Creates an empty database `<prefix>_<random>` on the test server, returns its URL, and drops it after the test. */
export async function freshPgDatabase(t: { after(fn: () => Promise<void>): void }, prefix: string): Promise<string> {
  const { url, drop } = await createPgDatabase(prefix);
  t.after(async () => {
    for (const close of closers.get(url) ?? []) await close();
    closers.delete(url);
    await drop();
  });
  return url;
}

const closers = new Map<string, (() => Promise<void>)[]>();

/** Registers `close` (a pool, a runtime) to run before the freshPgDatabase `url` is dropped, in registration order. */
export function closeBeforeDrop(url: string, close: () => Promise<void>): void {
  closers.set(url, [...(closers.get(url) ?? []), close]);
}

/** A Kysely handle with its own pool on a freshPgDatabase `url` (one "process"), destroyed before the database is dropped. */
export function pgHandle(url: string, max = 4): Kysely<any> {
  const pool = new pg.Pool({ connectionString: url, max });
  pool.on('error', () => {}); // an idle connection closed by the server: the pool replaces it
  const db = new Kysely<any>({ dialect: new PostgresDialect({ pool }) });
  closeBeforeDrop(url, () => db.destroy());
  return db;
}
