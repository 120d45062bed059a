import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startBeckon, type TestBeckon } from '../../test/helpers.ts';

async function contact(beckon: TestBeckon, body: Record<string, unknown>, key?: string): Promise<string> {
  const response = await beckon.call('POST', '/v1/contacts', { body, key });
  assert.equal(response.statusCode, 201, response.body);
  return response.json().contact.uuid;
}

async function segment(beckon: TestBeckon, body: Record<string, unknown>, key?: string): Promise<string> {
  const response = await beckon.call('POST', '/v1/segments', { body, key });
  assert.equal(response.statusCode, 201, response.body);
  return response.json().segment.uuid;
}

async function memberNames(beckon: TestBeckon, uuid: string, query = ''): Promise<string[]> {
  const response = await beckon.call('GET', `/v1/segments/${uuid}/contacts${query}`);
  assert.equal(response.statusCode, 200, response.body);
  return response.json().contacts.map((c: { name: string }) => c.name);
}

test('static segments: create, add and remove members, list them, count them, rename, delete', async (t) => {
  const beckon = await startBeckon();
  t.after(() => beckon.stop());
  const ann = await contact(beckon, { name: 'Ann', phone: '+39 333 123 4567' });
  const bob = await contact(beckon, { name: 'Bob', email: 'bob@example.com' });
  const cleo = await contact(beckon, { name: 'Cleo', email: 'cleo@example.com' });

  const created = await beckon.call('POST', '/v1/segments', { body: { name: 'VIP', type: 'static' } });
  assert.equal(created.statusCode, 201);
  const view = created.json().segment;
  assert.deepEqual(Object.keys(view).sort(), ['created_at', 'name', 'rules', 'type', 'updated_at', 'uuid']);
  assert.equal(view.name, 'VIP');
  assert.equal(view.type, 'static');
  assert.equal(view.rules, null);
  const uuid = view.uuid as string;

  const add = await beckon.call('POST', `/v1/segments/${uuid}/contacts`, { body: { contact_uuids: [ann, bob, ann] } });
  assert.equal(add.statusCode, 200, add.body);
  assert.deepEqual(add.json(), { count: 2 });
  const again = await beckon.call('POST', `/v1/segments/${uuid}/contacts`, { body: { contact_uuids: [bob, cleo] } });
  assert.deepEqual(again.json(), { count: 1 });
  assert.deepEqual(await memberNames(beckon, uuid), ['Cleo', 'Bob', 'Ann']);
  assert.deepEqual((await beckon.call('GET', `/v1/segments/${uuid}/count`)).json(), { count: 3 });

  const page1 = await beckon.call('GET', `/v1/segments/${uuid}/contacts?limit=2`);
  assert.deepEqual(page1.json().contacts.map((c: { name: string }) => c.name), ['Cleo', 'Bob']);
  const cursor = page1.json().meta.next_cursor as string;
  assert.equal(typeof cursor, 'string');
  const page2 = await beckon.call('GET', `/v1/segments/${uuid}/contacts?limit=2&cursor=${cursor}`);
  assert.deepEqual(page2.json(), { contacts: [page2.json().contacts[0]], meta: { next_cursor: null } });
  assert.equal(page2.json().contacts[0].uuid, ann);

  const removed = await beckon.call('DELETE', `/v1/segments/${uuid}/contacts`, { body: { contact_uuids: [bob, bob] } });
  assert.equal(removed.statusCode, 200, removed.body);
  assert.deepEqual(removed.json(), { count: 1 });
  assert.deepEqual(await memberNames(beckon, uuid), ['Cleo', 'Ann']);

  assert.equal((await beckon.call('DELETE', `/v1/contacts/${cleo}`)).statusCode, 200);
  assert.deepEqual(await memberNames(beckon, uuid), ['Ann']);

  const renamed = await beckon.call('PATCH', `/v1/segments/${uuid}`, { body: { name: 'Very important' } });
  assert.equal(renamed.statusCode, 200);
  assert.equal(renamed.json().segment.name, 'Very important');
  assert.equal((await beckon.call('GET', `/v1/segments/${uuid}`)).json().segment.name, 'Very important');
  const noRules = await beckon.call('PATCH', `/v1/segments/${uuid}`, { body: { rules: { field: 'name', op: 'exists' } } });
  assert.equal(noRules.statusCode, 400);
  assert.deepEqual(noRules.json().errors.map((e: { path: string }) => e.path), ['body.rules']);

  assert.deepEqual((await beckon.call('DELETE', `/v1/segments/${uuid}`)).json(), { status: 'segment was destroyed' });
  assert.equal((await beckon.call('GET', `/v1/segments/${uuid}`)).statusCode, 404);
  assert.equal((await beckon.call('GET', `/v1/segments/${uuid}/count`)).statusCode, 404);
});

test('static segments: bad bodies are 400s; unknown contacts add nothing; dynamic segments take no members', async (t) => {
  const beckon = await startBeckon();
  t.after(() => beckon.stop());
  const ann = await contact(beckon, { name: 'Ann', phone: '+39 333 123 4567' });
  const list = await segment(beckon, { name: 'List', type: 'static' });
  const missing = '01900000-0000-7000-8000-000000000001';

  const unknown = await beckon.call('POST', `/v1/segments/${list}/contacts`, { body: { contact_uuids: [ann, missing] } });
  assert.equal(unknown.statusCode, 400);
  assert.deepEqual(unknown.json().errors, [{ path: 'body.contact_uuids.1', message: 'is not a contact of this workspace' }]);
  assert.deepEqual((await beckon.call('GET', `/v1/segments/${list}/count`)).json(), { count: 0 });

  assert.equal((await beckon.call('POST', `/v1/segments/${list}/contacts`, { body: { contact_uuids: [] } })).statusCode, 400);
  assert.equal((await beckon.call('POST', `/v1/segments/${list}/contacts`, { body: { contact_uuids: ['nope'] } })).statusCode, 400);
  assert.equal((await beckon.call('POST', '/v1/segments', { body: { name: 'x', type: 'other' } })).statusCode, 400);
  assert.equal((await beckon.call('POST', '/v1/segments', { body: { name: '', type: 'static' } })).statusCode, 400);
  const staticRules = await beckon.call('POST', '/v1/segments', { body: { name: 'x', type: 'static', rules: { field: 'name', op: 'exists' } } });
  assert.equal(staticRules.statusCode, 400);
  const noRules = await beckon.call('POST', '/v1/segments', { body: { name: 'x', type: 'dynamic' } });
  assert.equal(noRules.statusCode, 400);
  assert.deepEqual(noRules.json().errors, [{ path: 'body.rules', message: 'is required for a dynamic segment' }]);

  const dynamic = await segment(beckon, { name: 'Named', type: 'dynamic', rules: { field: 'name', op: 'exists' } });
  const add = await beckon.call('POST', `/v1/segments/${dynamic}/contacts`, { body: { contact_uuids: [ann] } });
  assert.equal(add.statusCode, 409);
  assert.equal(add.json().code, 'conflict');
  assert.equal((await beckon.call('GET', `/v1/segments/${missing}/contacts`)).statusCode, 404);
  assert.equal((await beckon.call('GET', '/v1/segments/not-a-uuid')).statusCode, 400);
});

test('segments: list pages newest first; another workspace sees and changes none of them', async (t) => {
  const beckon = await startBeckon();
  t.after(() => beckon.stop());
  const other = await beckon.newWorkspace('other');
  const a = await segment(beckon, { name: 'A', type: 'static' });
  const b = await segment(beckon, { name: 'B', type: 'dynamic', rules: { all: [{ field: 'tags', op: 'contains', value: 'vip' }] } });
  const c = await segment(beckon, { name: 'C', type: 'static' });
  const ann = await contact(beckon, { name: 'Ann', tags: ['vip'], phone: '+39 333 123 4567' });
  const otherContact = await contact(beckon, { name: 'Zed', tags: ['vip'], phone: '+39 333 123 4567' }, other);

  const page1 = await beckon.call('GET', '/v1/segments?limit=2');
  assert.deepEqual(page1.json().segments.map((s: { uuid: string }) => s.uuid), [c, b]);
  assert.deepEqual(page1.json().segments[1].rules, { all: [{ field: 'tags', op: 'contains', value: 'vip' }] });
  const page2 = await beckon.call('GET', `/v1/segments?limit=2&cursor=${page1.json().meta.next_cursor}`);
  assert.deepEqual(page2.json().segments.map((s: { uuid: string }) => s.uuid), [a]);
  assert.equal(page2.json().meta.next_cursor, null);
  assert.equal((await beckon.call('GET', '/v1/segments?cursor=garbage')).statusCode, 400);

  assert.deepEqual((await beckon.call('GET', '/v1/segments', { key: other })).json(), { segments: [], meta: { next_cursor: null } });
  for (const [method, url, body] of [
    ['GET', `/v1/segments/${a}`, undefined], ['GET', `/v1/segments/${b}/contacts`, undefined], ['GET', `/v1/segments/${b}/count`, undefined],
    ['PATCH', `/v1/segments/${a}`, { name: 'stolen' }], ['DELETE', `/v1/segments/${c}`, undefined],
    ['POST', `/v1/segments/${a}/contacts`, { contact_uuids: [otherContact] }], ['DELETE', `/v1/segments/${a}/contacts`, { contact_uuids: [otherContact] }],
  ] as const) {
    assert.equal((await beckon.call(method, url, { body, key: other })).statusCode, 404, `${method} ${url}`);
  }
  const foreign = await beckon.call('POST', `/v1/segments/${a}/contacts`, { body: { contact_uuids: [otherContact] } });
  assert.equal(foreign.statusCode, 400);
  const ref = await beckon.call('POST', '/v1/segments/preview', { body: { rules: { field: 'segment', op: 'eq', value: b } }, key: other });
  assert.equal(ref.statusCode, 400);
  assert.deepEqual(ref.json().errors, [{ path: 'body.rules.value', message: 'is not a segment of this workspace' }]);
  assert.deepEqual((await beckon.call('GET', `/v1/segments/${b}/contacts`)).json().contacts.map((x: { uuid: string }) => x.uuid), [ann]);
  assert.equal((await beckon.call('GET', `/v1/segments/${a}`)).json().segment.name, 'A');
});
