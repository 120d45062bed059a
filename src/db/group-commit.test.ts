import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sqliteOnly, tempStore } from '../../test/helpers.ts';
import { GroupCommitter, TransactionWriter } from './group-commit.ts';

test('group commit: concurrent units share transactions; a failing unit rolls back alone', async (t) => {
  const db = await tempStore(t);
  const committer = new GroupCommitter(db, 50);
  const now = new Date().toISOString();
  const results = await Promise.allSettled(Array.from({ length: 120 }, (_, i) => committer.run(async (trx) => {
    await trx.insertInto('workspaces').values({ id: `w${i}`, name: `ws-${i}`, created_at: now }).execute();
    if (i % 10 === 3) throw new Error(`unit ${i} refused`);
    return i;
  })));
  const fulfilled = results.filter((r) => r.status === 'fulfilled').map((r) => (r as PromiseFulfilledResult<number>).value);
  const rejected = results.filter((r) => r.status === 'rejected').map((r) => ((r as PromiseRejectedResult).reason as Error).message);
  assert.equal(fulfilled.length, 108);
  assert.deepEqual(rejected.slice(0, 2), ['unit 3 refused', 'unit 13 refused']);
  const rows = await db.selectFrom('workspaces').select('id').execute();
  assert.equal(rows.length, 108);
  assert.ok(!rows.some((r) => r.id === 'w3' || r.id === 'w113'));
});

test('group commit: units submitted from the continuations of committed ones leave the event loop its turns', sqliteOnly, async (t) => {
  const db = await tempStore(t);
  const committer = new GroupCommitter(db);
  const now = new Date().toISOString();
  // each unit, once committed, submits the next: a chain of 50 commits, as a job's completion claims the next jobs
  const chain = async (i: number): Promise<number> => {
    await committer.run((trx) => trx.insertInto('workspaces').values({ id: `c${i}`, name: `chain-${i}`, created_at: now }).execute());
    return i === 49 ? i : chain(i + 1);
  };
  const done = chain(0);
  let committedWhenTheLoopTurned = -1;
  setImmediate(async () => {
    committedWhenTheLoopTurned = Number((await db.selectFrom('workspaces').select((eb) => eb.fn.countAll().as('n')).where('id', 'like', 'c%').executeTakeFirstOrThrow()).n);
  });
  assert.equal(await done, 49);
  assert.equal((await db.selectFrom('workspaces').select('id').where('id', 'like', 'c%').execute()).length, 50);
  // the event loop turned after the first commit, not after the 50th
  assert.equal(committedWhenTheLoopTurned, 1);
});

test('transaction writer: each unit commits or rolls back alone; a deadlocked unit runs again', async (t) => {
  const db = await tempStore(t);
  const writer = new TransactionWriter(db);
  const now = new Date().toISOString();
  const results = await Promise.allSettled(Array.from({ length: 30 }, (_, i) => writer.run(async (trx) => {
    await trx.insertInto('workspaces').values({ id: `w${i}`, name: `ws-${i}`, created_at: now }).execute();
    if (i % 10 === 3) throw new Error(`unit ${i} refused`);
    return i;
  })));
  assert.deepEqual(results.filter((r) => r.status === 'rejected').map((r) => ((r as PromiseRejectedResult).reason as Error).message), ['unit 3 refused', 'unit 13 refused', 'unit 23 refused']);
  assert.equal((await db.selectFrom('workspaces').select('id').execute()).length, 27);

  let tries = 0;
  const value = await writer.run(async (trx) => {
    tries += 1;
    await trx.updateTable('workspaces').set({ name: `renamed-${tries}` }).where('id', '=', 'w0').execute();
    if (tries < 3) throw Object.assign(new Error('deadlock detected'), { code: '40P01' });
    return 'done';
  });
  assert.equal(value, 'done');
  assert.equal(tries, 3);
  assert.equal((await db.selectFrom('workspaces').select('name').where('id', '=', 'w0').executeTakeFirstOrThrow()).name, 'renamed-3');
});
