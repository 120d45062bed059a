import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { createTestDatabase, TEST_STORE } from '../../test/helpers.ts';
import { loadConfig } from '../config.ts';
import { startRuntime, type Runtime } from '../runtime.ts';
import { connectStore } from './connect.ts';
import { storeKind } from './dialect.ts';
import { pendingMigrations } from './migrate.ts';

const postgresOnly = TEST_STORE === 'postgres' ? false : 'PostgreSQL-only: several processes share one store only on PostgreSQL (runs in the PostgreSQL suite)';

test('connectStore: SQLite without DATABASE_URL, PostgreSQL with it; the store kind is read from the handle', async (t) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'beckon-connect-'));
  t.after(() => rmSync(dataDir, { recursive: true, force: true }));
  const sqlite = await connectStore({ dataDir });
  t.after(() => sqlite.close());
  assert.equal(sqlite.kind, 'sqlite');
  assert.equal(storeKind(sqlite.db), 'sqlite');
  assert.equal(sqlite.pool, null);
  if (TEST_STORE !== 'postgres') return;
  const database = await createTestDatabase();
  const postgres = await connectStore({ dataDir, databaseUrl: database.url, databasePoolSize: 3 });
  t.after(async () => {
    await postgres.close();
    await database.drop();
  });
  assert.equal(postgres.kind, 'postgres');
  await postgres.db.transaction().execute(async (trx) => assert.equal(storeKind(trx), 'postgres'));
  assert.equal(postgres.pool?.options.max, 3);
});

test('processes starting together on one PostgreSQL database migrate once and create one default workspace', { skip: postgresOnly }, async (t) => {
  const database = await createTestDatabase();
  const dirs = [0, 1, 2].map(() => mkdtempSync(join(tmpdir(), 'beckon-start-')));
  const runtimes: Runtime[] = [];
  t.after(async () => {
    for (const runtime of runtimes) await runtime.stop();
    await database.drop();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });
  const results = await Promise.allSettled(dirs.map((dir) => startRuntime(
    loadConfig({ BECKON_DATA_DIR: dir, DATABASE_URL: database.url, BECKON_DATABASE_POOL_SIZE: '3', BECKON_LOG_LEVEL: 'silent' }),
    { logger: pino({ level: 'silent' }), worker: false },
  )));
  for (const r of results) if (r.status === 'fulfilled') runtimes.push(r.value);
  assert.deepEqual(results.map((r) => r.status), ['fulfilled', 'fulfilled', 'fulfilled'], String(results.find((r) => r.status === 'rejected')?.reason));
  const db = runtimes[0].deps.db;
  assert.deepEqual((await db.selectFrom('workspaces').select('name').execute()).map((r) => r.name), ['default']);
  assert.equal(runtimes.filter((r) => r.createdKey !== null).length, 1, 'exactly one process created (and prints) the admin key');
  assert.deepEqual(await pendingMigrations(db), []);
});
