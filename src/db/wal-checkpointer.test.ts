import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { sql } from 'kysely';
import pino from 'pino';
import { createTestDatabase, sqliteOnly, TEST_STORE, waitFor } from '../../test/helpers.ts';
import { killProcess, startProcess } from '../../test/multiprocess-harness.ts';
import { loadConfig } from '../config.ts';
import { startRuntime } from '../runtime.ts';
import { sqliteFile } from './connect.ts';
import { WAL_BACKSTOP_PAGES, WAL_CHECKPOINT_PAGES, WalCheckpointer, walState } from './wal-checkpointer.ts';

const silent = pino({ level: 'silent' });

/** A runtime on a fresh SQLite store in a temporary directory, started as `beckon start` starts it (its checkpointer on). */
async function server(t: { after(fn: () => unknown): void }) {
  const dataDir = mkdtempSync(join(tmpdir(), 'beckon-wal-'));
  t.after(() => rmSync(dataDir, { recursive: true, force: true }));
  const runtime = await startRuntime(loadConfig({ BECKON_DATA_DIR: dataDir, BECKON_LOG_LEVEL: 'silent' }), { logger: silent, worker: false, checkpointer: true });
  return { runtime, file: sqliteFile(dataDir) };
}

test('the server\'s writer leaves checkpoints to the checkpointer thread: its automatic checkpoint is the backstop, and the WAL is copied all the same', sqliteOnly, async (t) => {
  const { runtime, file } = await server(t);
  let stopped = false;
  t.after(async () => {
    if (!stopped) await runtime.stop();
  });
  const { db } = runtime.deps;
  // PRAGMAs run on the write connection
  const { rows } = await sql<{ wal_autocheckpoint: number }>`PRAGMA wal_autocheckpoint`.execute(db);
  assert.equal(rows[0]!.wal_autocheckpoint, WAL_BACKSTOP_PAGES);
  assert.ok(runtime.checkpointer);

  // commits of ~50 pages until the WAL starts over (a write found it wholly copied), well before the writer's backstop
  await sql`create table wal_test (body blob)`.execute(db);
  let written = 0;
  let before = 0;
  let restarted = false;
  while (!restarted && written < WAL_BACKSTOP_PAGES * 0.7) {
    await db.transaction().execute(async (trx) => {
      for (let j = 0; j < 50; j++) await sql`insert into wal_test values (randomblob(3000))`.execute(trx);
    });
    written += 50;
    const { frames } = walState(file)!;
    restarted = frames < before;
    before = frames;
  }
  assert.ok(restarted, `the WAL grew to ${before} frames`);
  // a write after the whole WAL is copied starts it over: the file stops growing
  await waitFor('the whole WAL copied once the writes stop', async () => {
    const state = walState(file);
    return state && state.frames === state.backfilled;
  });
  const size = statSync(`${file}-wal`).size;
  await sql`insert into wal_test values (randomblob(3000))`.execute(db);
  assert.ok(walState(file)!.frames < 10, 'the WAL started over');
  assert.equal(statSync(`${file}-wal`).size, size);
  stopped = true;
  await runtime.stop();
});

test('a clean stop leaves the WAL checkpointed and truncated, even while another connection has the file open', sqliteOnly, async (t) => {
  const { runtime, file } = await server(t);
  const { db } = runtime.deps;
  await sql`create table wal_test (body blob)`.execute(db);
  await sql`insert into wal_test values (randomblob(3000))`.execute(db);
  // an operator's shell, idle: the last of the server's connections to close is then not the file's last
  const other = new DatabaseSync(file);
  t.after(() => other.close());
  other.prepare('select count(*) from wal_test').get();
  await runtime.stop();
  assert.equal(statSync(`${file}-wal`).size, 0);
  // the database file alone holds the rows: opened without its WAL (immutable), it has them
  const alone = new DatabaseSync(`file:${file}?immutable=1`, { readOnly: true });
  t.after(() => alone.close());
  assert.equal((alone.prepare('select count(*) as n from wal_test').get() as { n: number }).n, 1);
});

test('beckon start, stopped by SIGTERM, truncates the WAL before it exits (another process has the file open)', { ...sqliteOnly, timeout: 60_000 }, async (t) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'beckon-wal-'));
  t.after(() => rmSync(dataDir, { recursive: true, force: true }));
  const key = 'bk_wal_checkpointer_test_key_0123456789';
  const p = await startProcess('all', { BECKON_DATA_DIR: dataDir, BECKON_BOOTSTRAP_KEY: key, BECKON_LOG_LEVEL: 'info', BECKON_SANDBOX_DELAYS: '0,0,0' });
  t.after(() => killProcess(p, 'SIGKILL'));
  const file = sqliteFile(dataDir);
  const sent = await fetch(`${p.base}/v1/messages/send`, {
    method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ to: '+39 333 7300001', from: 'whatsapp', type: 'text', content: { text: 'hello' } }),
  });
  assert.equal(sent.status, 200);
  const other = new DatabaseSync(file, { readOnly: true });
  t.after(() => other.close());
  other.prepare('select count(*) from messages').get();
  p.child.kill('SIGTERM');
  assert.deepEqual(await p.exited, { code: 0, signal: null }, p.output());
  assert.match(p.output(), /"msg":"stopped"/);
  assert.equal(statSync(`${file}-wal`).size, 0);
});

test('a checkpointer thread that dies is started again', sqliteOnly, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'beckon-wal-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'x.db');
  const writer = new DatabaseSync(file);
  t.after(() => writer.close());
  writer.exec('PRAGMA journal_mode = WAL; PRAGMA wal_autocheckpoint = 0; create table t (body blob)');
  const checkpointer = new WalCheckpointer(file, silent, { pages: 10 });
  t.after(() => checkpointer.stop());
  checkpointer.start();
  await waitFor('the thread', async () => checkpointer.thread);
  await checkpointer.thread!.terminate();
  await waitFor('a second thread', async () => checkpointer.generation === 2 && checkpointer.thread);
  for (let i = 0; i < 20; i++) writer.prepare('insert into t values (randomblob(3000))').run();
  await waitFor('the second thread to copy the WAL', async () => (walState(file)?.backfilled ?? 0) >= 10);
});

test('on PostgreSQL the server runs no checkpointer', { skip: TEST_STORE === 'postgres' ? false : 'PostgreSQL-only' }, async (t) => {
  const database = await createTestDatabase({ migrated: true });
  const dataDir = mkdtempSync(join(tmpdir(), 'beckon-wal-'));
  t.after(async () => {
    await database.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });
  const runtime = await startRuntime(loadConfig({ BECKON_DATA_DIR: dataDir, DATABASE_URL: database.url, BECKON_DATABASE_POOL_SIZE: '3', BECKON_LOG_LEVEL: 'silent' }), { logger: silent, worker: false, checkpointer: true });
  await runtime.stop();
  assert.equal(runtime.checkpointer, null);
});
