import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tempStore } from '../../test/helpers.ts';
import { insertRows, prepared } from './prepared.ts';

test('prepared: compiled once, run with each call\'s arguments in their places; insertRows stores every column', async (t) => {
  const db = await tempStore(t);
  await insertRows(db, 'workspaces', [
    { id: 'w1', name: 'one', created_at: '2026-01-01T00:00:00.000Z' },
    { id: 'w2', name: 'two', created_at: '2026-01-02T00:00:00.000Z' },
  ]);
  await insertRows(db, 'workspaces', [{ id: 'w3', name: 'three', created_at: '2026-01-03T00:00:00.000Z' }]);
  const query = prepared((d, name: string, after: string) =>
    d.selectFrom('workspaces').select(['id', 'name']).where('name', '!=', name).where('created_at', '>', after).where('id', '!=', 'w9').orderBy('id').limit(10));
  // node:sqlite rows have a null prototype; compare plain copies
  const byNameAfter = async (d: typeof db, name: string, after: string) => (await query(d, name, after)).map((row) => ({ ...row }));
  assert.deepEqual(await byNameAfter(db, 'two', '2026-01-01T12:00:00.000Z'), [{ id: 'w3', name: 'three' }]);
  assert.deepEqual(await byNameAfter(db, 'three', '2025-12-31T00:00:00.000Z'), [{ id: 'w1', name: 'one' }, { id: 'w2', name: 'two' }]);
  await db.transaction().execute(async (trx) => {
    assert.deepEqual(await byNameAfter(trx, 'one', '2026-01-02T12:00:00.000Z'), [{ id: 'w3', name: 'three' }]);
  });
});
