import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import pino from 'pino';
import { loadConfig } from '../src/config.ts';
import { startRuntime, type Runtime } from '../src/runtime.ts';
import { createWorkspaceWithDefaults } from '../src/bootstrap.ts';
import pg from 'pg';
import { connectSqlite, type Db } from '../src/db/connect.ts';
import { connectPostgres } from '../src/db/connect-pg.ts';
import { sql } from 'kysely';
import { PgQueue } from '../src/jobs/pg-queue.ts';
import { copyMigratedSqlite, postgresTemplate } from './store-templates.ts';

/**
 * The PostgreSQL server the suite runs against (BECKON_TEST_DATABASE_URL, e.g. postgres://postgres@127.0.0.1:5432/test),
 * or undefined for the SQLite suite. Each runtime and temp store gets a fresh database on it, dropped afterwards.
 */
export const TEST_DATABASE_URL = process.env.BECKON_TEST_DATABASE_URL || undefined;

/** Which store this run of the suite uses. */
export const TEST_STORE: 'sqlite' | 'postgres' = TEST_DATABASE_URL ? 'postgres' : 'sqlite';

/** A test option skipping a test that only makes sense on SQLite (pass as `test(name, sqliteOnly, fn)`). */
export const sqliteOnly = { skip: TEST_STORE === 'postgres' ? 'SQLite-only: exercises the embedded SQLite store itself' : false } as const;

let databases = 0;

async function admin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/**
 * A fresh PostgreSQL database on the test server: its URL and a function dropping it (connections included). Empty,
 * or with `migrated`, a copy of the migrated template (store-templates.ts).
 */
export async function createTestDatabase(options: { migrated?: boolean } = {}): Promise<{ url: string; drop(): Promise<void> }> {
  if (!TEST_DATABASE_URL) throw new Error('createTestDatabase needs BECKON_TEST_DATABASE_URL');
  const name = `beckon_t_${process.pid}_${++databases}_${Math.random().toString(36).slice(2, 8)}`;
  const template = options.migrated ? ` template "${await postgresTemplate(TEST_DATABASE_URL)}"` : '';
  await admin((client) => client.query(`create database "${name}"${template}`));
  const url = new URL(TEST_DATABASE_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => admin(async (client) => {
      await client.query(`drop database if exists "${name}" with (force)`);
    }),
  };
}

/** A Beckon runtime on a fresh SQLite file in a temp dir, with the default workspace's admin key. */
export interface TestBeckon {
  runtime: Runtime;
  /** Admin key of the default workspace. */
  key: string;
  dataDir: string;
  /** The test's PostgreSQL database (null on the SQLite suite). */
  databaseUrl: string | null;
  /** The variables naming this test's store (data directory, and DATABASE_URL on PostgreSQL): spread them into loadConfig to open it again. */
  storeEnv: Record<string, string>;
  /** Sends a request through app.inject with the given key (default: the admin key). */
  call(method: InjectOptions['method'], url: string, options?: { body?: unknown; key?: string | null; headers?: Record<string, string> }): Promise<LightMyRequestResponse>;
  /** Creates another workspace and returns its admin key. */
  newWorkspace(name: string): Promise<string>;
  stop(): Promise<void>;
}

/** Starts Beckon for a test; env overrides the defaults (sandbox delays 0, private webhooks allowed on loopback). */
export async function startBeckon(env: Record<string, string> = {}, options: { worker?: boolean } = {}): Promise<TestBeckon> {
  const dataDir = mkdtempSync(join(tmpdir(), 'beckon-test-'));
  const key = 'bk_test_admin_key_' + Math.random().toString(36).slice(2);
  // a copy of the migrated store: startRuntime finds nothing to migrate (tests of migrating from nothing open their own)
  const database = TEST_DATABASE_URL ? await createTestDatabase({ migrated: true }) : null;
  if (!database) await copyMigratedSqlite(dataDir);
  const storeEnv: Record<string, string> = { BECKON_DATA_DIR: dataDir, ...(database ? { DATABASE_URL: database.url } : {}) };
  const config = loadConfig({
    BECKON_SANDBOX_DELAYS: '0,0,0',
    BECKON_WEBHOOK_ALLOW_PRIVATE: '127.0.0.0/8,::1/128',
    // the provider fakes (test/fakes) listen on loopback
    BECKON_PROVIDER_ALLOW_PRIVATE: '127.0.0.0/8,::1/128',
    BECKON_LOG_LEVEL: 'silent',
    // small pools: two tests run at once, and the PostgreSQL server's connections are shared with other runs
    BECKON_DATABASE_POOL_SIZE: '4',
    ...env,
    ...storeEnv,
    BECKON_BOOTSTRAP_KEY: key,
  });
  let runtime: Runtime;
  try {
    runtime = await startRuntime(config, { logger: pino({ level: config.logLevel }), worker: options.worker });
  } catch (err) {
    await database?.drop();
    rmSync(dataDir, { recursive: true, force: true });
    throw err;
  }
  return {
    runtime,
    key,
    dataDir,
    databaseUrl: database?.url ?? null,
    storeEnv,
    call(method, url, { body, key: callKey = key, headers = {} } = {}) {
      const allHeaders: Record<string, string> = { ...headers };
      if (callKey) allHeaders.authorization = `Bearer ${callKey}`;
      return runtime.app.inject({ method, url, headers: allHeaders, ...(body === undefined ? {} : { payload: body as InjectOptions['payload'] }) });
    },
    async newWorkspace(name) {
      return (await createWorkspaceWithDefaults(runtime.deps.db, name)).secret;
    },
    async stop() {
      try {
        await runtime.stop();
      } finally {
        await database?.drop();
        rmSync(dataDir, { recursive: true, force: true });
      }
    },
  };
}

/** Makes the queued jobs of `task` due now ("time passes"), on either store's queue; the workers pick them up on their next poll. */
export async function makeJobsDue(beckon: TestBeckon, task: string): Promise<void> {
  const { db, queue } = beckon.runtime.deps;
  if (queue instanceof PgQueue) {
    await sql`update ${sql.id(queue.schema, '_private_jobs')} set run_at = now()
      where task_id in (select id from ${sql.id(queue.schema, '_private_tasks')} where identifier = ${task})`.execute(db);
  } else {
    await db.updateTable('jobs').set({ run_at: new Date().toISOString() }).where('task', '=', task).execute();
  }
  queue.notify();
}

/**
 * Polls `check` until it returns a truthy value or `timeoutMs` passes (then throws with `what`). The default is generous
 * (30 s): a passing check returns as soon as it holds, and a busy 2-core CI machine running both stores' passes at once
 * can take several seconds for what takes milliseconds alone.
 */
export async function waitFor<T>(what: string, check: () => Promise<T | undefined | null | false>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/**
 * A migrated store for tests below the HTTP layer (SQLite in a temp dir, or a fresh PostgreSQL database on the
 * PostgreSQL suite); destroyed and removed after the test.
 */
export async function tempStore(t: { after(fn: () => Promise<void>): void }): Promise<Db> {
  if (TEST_DATABASE_URL) {
    const database = await createTestDatabase({ migrated: true });
    const { db } = connectPostgres(database.url, 4);
    t.after(async () => {
      await db.destroy();
      await database.drop();
    });
    return db;
  }
  const dir = mkdtempSync(join(tmpdir(), 'beckon-store-'));
  await copyMigratedSqlite(dir);
  const db = connectSqlite(dir);
  t.after(async () => {
    await db.destroy();
    rmSync(dir, { recursive: true, force: true });
  });
  return db;
}
