import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import pino from 'pino';
import { loadConfig } from '../src/config.ts';
import { startRuntime, type Runtime } from '../src/runtime.ts';
import { createWorkspaceWithDefaults } from '../src/bootstrap.ts';
import { connectSqlite, type Db } from '../src/db/connect.ts';
import { migrateToLatest } from '../src/db/migrate.ts';

/** A Beckon runtime on a fresh SQLite file in a temp dir, with the default workspace's admin key. */
export interface TestBeckon {
  runtime: Runtime;
  /** Admin key of the default workspace. */
  key: string;
  dataDir: string;
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
  const config = loadConfig({
    BECKON_SANDBOX_DELAYS: '0,0,0',
    BECKON_WEBHOOK_ALLOW_PRIVATE: '127.0.0.0/8,::1/128',
    BECKON_LOG_LEVEL: 'silent',
    ...env,
    BECKON_DATA_DIR: dataDir,
    BECKON_BOOTSTRAP_KEY: key,
  });
  const runtime = await startRuntime(config, { logger: pino({ level: config.logLevel }), worker: options.worker });
  return {
    runtime,
    key,
    dataDir,
    call(method, url, { body, key: callKey = key, headers = {} } = {}) {
      const allHeaders: Record<string, string> = { ...headers };
      if (callKey) allHeaders.authorization = `Bearer ${callKey}`;
      return runtime.app.inject({ method, url, headers: allHeaders, ...(body === undefined ? {} : { payload: body as InjectOptions['payload'] }) });
    },
    async newWorkspace(name) {
      return (await createWorkspaceWithDefaults(runtime.deps.db, name)).secret;
    },
    async stop() {
      await runtime.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Polls `check` until it returns a truthy value or `timeoutMs` passes (then throws with `what`). */
export async function waitFor<T>(what: string, check: () => Promise<T | undefined | null | false>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A migrated SQLite store in a temp dir for tests below the HTTP layer; destroyed and removed after the test. */
export async function tempStore(t: { after(fn: () => Promise<void>): void }): Promise<Db> {
  const dir = mkdtempSync(join(tmpdir(), 'beckon-store-'));
  const db = connectSqlite(dir);
  t.after(async () => {
    await db.destroy();
    rmSync(dir, { recursive: true, force: true });
  });
  await migrateToLatest(db);
  return db;
}
