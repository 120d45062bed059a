import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startBeckon, type TestBeckon } from '../../test/helpers.ts';
import { segmentMemberQuery } from './service.ts';

async function post(beckon: TestBeckon, url: string, body: unknown, key?: string): Promise<string> {
  const response = await beckon.call('POST', url, { body, key });
  assert.equal(response.statusCode, 201, response.body);
  return (response.json().contact ?? response.json().segment).uuid;
}

test('segmentMemberQuery: contacts in any included segment and in no excluded one, each once, in one workspace', async (t) => {
  const beckon = await startBeckon();
  t.after(() => beckon.stop());
  const db = beckon.runtime.deps.db;
  const workspaceId = (await db.selectFrom('workspaces').select('id').where('name', '=', 'default').executeTakeFirstOrThrow()).id;
  const ann = await post(beckon, '/v1/contacts', { name: 'Ann', tags: ['vip'], phone: '+39 333 123 4567' });
  const bob = await post(beckon, '/v1/contacts', { name: 'Bob', tags: ['vip', 'churned'], phone: '+1 415 555 2671' });
  const cleo = await post(beckon, '/v1/contacts', { name: 'Cleo', email: 'cleo@example.com' });
  await post(beckon, '/v1/contacts', { name: 'Dan', email: 'dan@example.com' });
  const other = await beckon.newWorkspace('other');
  await post(beckon, '/v1/contacts', { name: 'Zed', tags: ['vip'], phone: '+39 333 123 4567' }, other);

  const vip = await post(beckon, '/v1/segments', { name: 'VIP', type: 'dynamic', rules: { field: 'tags', op: 'contains', value: 'vip' } });
  const churned = await post(beckon, '/v1/segments', { name: 'Churned', type: 'dynamic', rules: { field: 'tags', op: 'contains', value: 'churned' } });
  const list = await post(beckon, '/v1/segments', { name: 'List', type: 'static' });
  assert.equal((await beckon.call('POST', `/v1/segments/${list}/contacts`, { body: { contact_uuids: [ann, cleo] } })).statusCode, 200);

  const ids = async (include: string[], exclude: string[]) => (await (await segmentMemberQuery(db, workspaceId, include, exclude)).execute()).map((r) => r.id).sort();
  assert.deepEqual(await ids([vip, list], []), [ann, bob, cleo].sort());
  assert.deepEqual(await ids([vip, list], [churned]), [ann, cleo].sort());
  assert.deepEqual(await ids([vip], [list, churned]), []);
  assert.deepEqual(await ids([], []), []);
  await assert.rejects(segmentMemberQuery(db, 'another-workspace', [vip], []), { status: 404 });
});
