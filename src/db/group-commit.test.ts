import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tempStore } from '../../test/helpers.ts';
import { GroupCommitter } from './group-commit.ts';

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
