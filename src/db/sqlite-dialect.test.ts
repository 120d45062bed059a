import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CompiledQuery } from 'kysely';
import { sqliteOnly, tempStore } from '../../test/helpers.ts';
import { executeCompiled } from './prepared.ts';
import { directSession } from './sqlite-dialect.ts';

const at = '2026-01-01T00:00:00.000Z';

test('read/write dialect: reads never wait for an open write transaction and see only commits; writes queue behind it', sqliteOnly, async (t) => {
  const db = await tempStore(t);
  const names = async () => (await db.selectFrom('workspaces').select('name').orderBy('name').execute()).map((r) => r.name);

  let inside!: () => void;
  const insideReached = new Promise<void>((resolve) => (inside = resolve));
  let finish!: () => void;
  const finishAllowed = new Promise<void>((resolve) => (finish = resolve));
  const transaction = db.transaction().execute(async (trx) => {
    await trx.insertInto('workspaces').values({ id: 'w1', name: 'one', created_at: at }).execute();
    assert.deepEqual((await trx.selectFrom('workspaces').select('name').execute()).map((r) => r.name), ['one']);
    inside();
    await finishAllowed;
  });
  await insideReached;

  // the transaction is open and holds the write lock: a read answers at once, without its uncommitted row
  assert.deepEqual(await names(), []);
  const order: string[] = [];
  const write = db.insertInto('workspaces').values({ id: 'w2', name: 'two', created_at: at }).execute().then(() => order.push('write'));
  await new Promise((resolve) => setTimeout(resolve, 20));
  order.push('commit');
  finish();
  await transaction;
  await write;
  assert.deepEqual(order, ['commit', 'write']);
  assert.deepEqual(await names(), ['one', 'two']);

  // a failed transaction rolls back and releases the lock
  await assert.rejects(db.transaction().execute(async (trx) => {
    await trx.insertInto('workspaces').values({ id: 'w3', name: 'three', created_at: at }).execute();
    throw new Error('abort');
  }), /abort/);
  await db.insertInto('workspaces').values({ id: 'w4', name: 'four', created_at: at }).execute();
  assert.deepEqual(await names(), ['four', 'one', 'two']);
});

test('directSession: a compiled statement of a transaction runs in it (seen by it, rolled back with it); outside, reads answer from the last commit and writes wait for the lock', sqliteOnly, async (t) => {
  const db = await tempStore(t);
  const names = async (on: typeof db) => (await executeCompiled<{ name: string }>(on, CompiledQuery.raw('select name from workspaces order by name'))).rows.map((r) => r.name);
  const insert = (on: typeof db, id: string) => executeCompiled(on, CompiledQuery.raw('insert into workspaces (id, name, created_at) values (?, ?, ?)', [id, id, at]));
  assert.notEqual(directSession(db), null);

  let inside!: () => void;
  const insideReached = new Promise<void>((resolve) => (inside = resolve));
  let finish!: () => void;
  const finishAllowed = new Promise<void>((resolve) => (finish = resolve));
  const order: string[] = [];
  const transaction = db.transaction().execute(async (trx) => {
    assert.notEqual(directSession(trx), directSession(db));
    await insert(trx, 'a');
    assert.deepEqual(await names(trx), ['a']);
    inside();
    await finishAllowed;
    throw new Error('abort');
  });
  await insideReached;
  assert.deepEqual(await names(db), []);
  const write = insert(db, 'b').then(() => order.push('write'));
  await new Promise((resolve) => setTimeout(resolve, 20));
  order.push('rollback');
  finish();
  await assert.rejects(transaction, /abort/);
  await write;
  assert.deepEqual(order, ['rollback', 'write']);
  assert.deepEqual(await names(db), ['b']);
});
