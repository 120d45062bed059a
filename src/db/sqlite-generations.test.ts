import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { sql } from 'kysely';
import { connectSqlite, type Db } from './connect.ts';
import { ALL_TABLES, rowCache, watchedTablesOf } from './sqlite-generations.ts';

test('watchedTablesOf: writes naming a watched table (or workspaces, which cascade) and nothing else', () => {
  assert.equal(watchedTablesOf('select * from "channels" where "id" = ?'), 0);
  assert.equal(watchedTablesOf('update "channels" set "title" = ? where "id" = ?'), 1);
  assert.equal(watchedTablesOf('/* pipelined */ update "webhook_endpoints" set "failing_since" = ? where "id" = ?'), 2);
  assert.equal(watchedTablesOf('delete from "workspaces" where "id" = ?'), ALL_TABLES);
  assert.equal(watchedTablesOf('insert into "contact_channel_windows" ("contact_id") values (?)'), 0);
  assert.equal(watchedTablesOf('update "messages" set "updated_at" = ?, "created_at" = ? where "channel_id" = ?'), 0);
  assert.equal(watchedTablesOf('alter table "channels" add column "x" text') & ALL_TABLES, 1);
});

function store(): { db: Db; close: () => Promise<void> } {
  const dir = mkdtempSync(join(tmpdir(), 'beckon-generations-'));
  const db = connectSqlite(dir);
  return { db, close: async () => { await db.destroy(); rmSync(dir, { recursive: true, force: true }); } };
}

async function setup(db: Db): Promise<void> {
  await sql`create table channels (id text primary key, title text not null)`.execute(db);
  await sql`insert into channels (id, title) values ('c1', 'first')`.execute(db);
}

test('rowCache: a row stays in memory until a write changes the table; a transaction\'s write is not kept past its end', async () => {
  const { db, close } = store();
  try {
    await setup(db);
    let reads = 0;
    const cached = rowCache<{ title: string }>('channels');
    const title = async (on: Db = db) => (await cached(on, 'c1', async () => {
      reads++;
      return (await sql<{ title: string }>`select title from channels where id = 'c1'`.execute(on)).rows[0];
    }))?.title;
    assert.equal(await title(), 'first');
    assert.equal(await title(), 'first');
    assert.equal(reads, 1, 'the second lookup is answered from memory');

    // a write that changes no row keeps the cache; one that changes a row (outside a transaction) invalidates it
    await sql`update channels set title = 'none' where id = 'absent'`.execute(db);
    assert.equal(await title(), 'first');
    assert.equal(reads, 1);
    await sql`update channels set title = 'second' where id = 'c1'`.execute(db);
    assert.equal(await title(), 'second');
    assert.equal(reads, 2);

    // inside a transaction with no write of the table, the kept row answers (no other connection can commit meanwhile),
    // and what such a transaction reads is kept
    await db.transaction().execute(async (trx) => assert.equal(await title(trx), 'second'));
    assert.equal(reads, 2);
    await sql`update channels set title = 'second' where id = 'c1'`.execute(db);
    await db.transaction().execute(async (trx) => assert.equal(await title(trx), 'second'));
    assert.equal(reads, 3);
    assert.equal(await title(), 'second');
    assert.equal(reads, 3, 'kept from the transaction that changed no channel');

    // a transaction's write: its own reads see it, other callers read the last commit, and neither is kept past its end
    await db.transaction().execute(async (trx) => {
      await sql`update channels set title = 'third' where id = 'c1'`.execute(trx);
      assert.equal(await title(trx), 'third', 'the transaction sees its own write');
      assert.equal(await title(), 'second', 'the read connection sees the last commit');
      assert.equal(await title(trx), 'third', 'the transaction is not answered with what others read of the last commit');
    });
    assert.equal(await title(), 'third');
    assert.equal(await title(), 'third');

    // a rolled back write: what the transaction read of its own write is not kept
    await db.transaction().execute(async (trx) => {
      await sql`update channels set title = 'rolled back' where id = 'c1'`.execute(trx);
      assert.equal(await title(trx), 'rolled back');
      throw new Error('roll back');
    }).catch(() => {});
    const reading = reads;
    assert.equal(await title(), 'third');
    assert.equal(reads, reading + 1, 'read again after the rollback');
    assert.equal(await title(), 'third');
    assert.equal(reads, reading + 1);
  } finally {
    await close();
  }
});

test('rowCache: a write committed by another thread of the process (the job thread) invalidates this thread\'s rows', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'beckon-generations-'));
  const db = connectSqlite(dir);
  try {
    await setup(db);
    const cached = rowCache<{ title: string }>('channels');
    let reads = 0;
    const title = async () => (await cached(db, 'c1', async () => {
      reads++;
      return (await sql<{ title: string }>`select title from channels where id = 'c1'`.execute(db)).rows[0];
    }))?.title;
    assert.equal(await title(), 'first');
    assert.equal(await title(), 'first');
    assert.equal(reads, 1);
    const connect = new URL('./connect.ts', import.meta.url).href;
    const kysely = import.meta.resolve('kysely');
    const code = `
      const { workerData, parentPort } = require('node:worker_threads');
      (async () => {
        const { connectSqlite } = await import(${JSON.stringify(connect)});
        const { sql } = await import(${JSON.stringify(kysely)});
        const db = connectSqlite(workerData.dir);
        await db.transaction().execute((trx) => sql\`update channels set title = 'from the thread' where id = 'c1'\`.execute(trx));
        await db.destroy();
        parentPort.postMessage('done');
      })().catch((err) => parentPort.postMessage(String(err)));`;
    const worker = new Worker(code, { eval: true, workerData: { dir } });
    const answer = await new Promise((resolve, reject) => { worker.once('message', resolve); worker.once('error', reject); });
    await worker.terminate();
    assert.equal(answer, 'done');
    assert.equal(await title(), 'from the thread');
    assert.equal(reads, 2);
  } finally {
    await db.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
});
