import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startBeckon, type TestBeckon } from '../../test/helpers.ts';

async function create(beckon: TestBeckon, body: Record<string, unknown>, createdAt?: string, key?: string): Promise<string> {
  const response = await beckon.call('POST', '/v1/contacts', { body, key });
  assert.equal(response.statusCode, 201, response.body);
  const uuid = response.json().contact.uuid as string;
  if (createdAt) await beckon.runtime.deps.db.updateTable('contacts').set({ created_at: createdAt }).where('id', '=', uuid).execute();
  return uuid;
}

async function names(beckon: TestBeckon, query: string): Promise<string[]> {
  const response = await beckon.call('GET', `/v1/contacts?${query}`);
  assert.equal(response.statusCode, 200, `${query}: ${response.body}`);
  return response.json().contacts.map((c: { name: string }) => c.name);
}

async function insertMessage(beckon: TestBeckon, workspaceId: string, contactId: string, id: string, createdAt: string, deleted = false): Promise<void> {
  await beckon.runtime.deps.db.insertInto('messages').values({
    id, workspace_id: workspaceId, channel_id: '01900000-0000-7000-8000-0000000000cc', contact_id: contactId, direction: 'outbound', type: 'text',
    content: JSON.stringify({ text: `message ${id.slice(-2)}` }), status: 'sent', status_history: '[]', provider_message_id: null, error: null,
    metadata: '{"order":"42"}', created_at: createdAt, updated_at: createdAt, deleted_at: deleted ? createdAt : null,
    channel_type: 'whatsapp', address: '+393331234567', template_uuid: null, template_values: null, optin_contact: null,
  }).execute();
}

test('GET /v1/contacts: every filter, alone and combined', async (t) => {
  const beckon = await startBeckon();
  t.after(() => beckon.stop());
  await create(beckon, { name: 'Ann', phone: '+39 333 123 4567', email: 'ann@shop.it', tags: ['vip', 'it'], source: 'web_form', custom_fields: { plan: 'pro', seats: 3, trial: false } }, '2025-01-10T09:00:00.000Z');
  await create(beckon, { name: 'Bob', phone: '+1 415 555 2671', tags: ['vip'], source: 'api', custom_fields: { plan: 'free', seats: '3' } }, '2025-02-10T09:00:00.000Z');
  await create(beckon, { name: 'Cleo 100%', email: 'CLEO@example.com', tags: ['it'], source: 'import', custom_fields: { trial: true } }, '2025-03-10T09:00:00.000Z');
  await create(beckon, { name: 'dave', phone: '+44 20 7946 0958', tags: [], custom_fields: { plan: 'pro' } }, '2025-03-10T09:00:00.000Z');

  assert.deepEqual(await names(beckon, ''), ['dave', 'Cleo 100%', 'Bob', 'Ann']);
  assert.deepEqual(await names(beckon, 'tags=vip'), ['Bob', 'Ann']);
  assert.deepEqual(await names(beckon, 'tags=vip,it'), ['Ann']);
  assert.deepEqual(await names(beckon, 'tags=vip&tags=it'), ['Ann']);
  assert.deepEqual(await names(beckon, 'tags=nope'), []);
  assert.deepEqual(await names(beckon, 'source=api'), ['dave', 'Bob']);
  assert.deepEqual(await names(beckon, 'source=web_form'), ['Ann']);
  assert.deepEqual(await names(beckon, 'q=AN'), ['Ann']);
  assert.deepEqual(await names(beckon, 'q=DAV'), ['dave']);
  assert.deepEqual(await names(beckon, 'q=example.COM'), ['Cleo 100%']);
  assert.deepEqual(await names(beckon, 'q=100%25'), ['Cleo 100%'], '% is matched literally');
  assert.deepEqual(await names(beckon, 'q=_'), [], '_ is matched literally');
  assert.deepEqual(await names(beckon, 'q=555%202671'), ['Bob'], 'digits typed with spaces match the phone');
  assert.deepEqual(await names(beckon, 'q=%2B44'), ['dave']);
  assert.deepEqual(await names(beckon, 'q=0039%20333'), ['Ann'], 'a leading + or 00 anchors at the country code');
  assert.deepEqual(await names(beckon, 'q=%2B55'), [], '+55 is not a substring match of +1 415 555…');
  assert.deepEqual(await names(beckon, 'q=55'), ['Bob']);
  assert.deepEqual(await names(beckon, 'phone=0039%20333%20123%204567'), ['Ann']);
  assert.deepEqual(await names(beckon, 'phone=14155552671'), ['Bob']);
  assert.deepEqual(await names(beckon, 'email=Cleo@Example.com'), ['Cleo 100%']);
  assert.deepEqual(await names(beckon, 'created_after=2025-02-10'), ['dave', 'Cleo 100%', 'Bob']);
  assert.deepEqual(await names(beckon, 'created_after=2025-02-10T09:00:00Z'), ['dave', 'Cleo 100%'], 'exclusive');
  assert.deepEqual(await names(beckon, 'created_before=2025-02-10T10:00:00%2B01:00'), ['Ann'], 'an offset is read as such');
  assert.deepEqual(await names(beckon, 'created_after=2025-01-01&created_before=2025-03-01'), ['Bob', 'Ann']);
  assert.deepEqual(await names(beckon, 'custom_fields.plan=pro'), ['dave', 'Ann']);
  assert.deepEqual(await names(beckon, 'custom_fields[plan]=free'), ['Bob']);
  assert.deepEqual(await names(beckon, 'custom_fields.seats=3'), ['Bob', 'Ann'], 'an undefined key matches the number 3 and the text "3"');
  assert.deepEqual(await names(beckon, 'custom_fields.trial=true'), ['Cleo 100%']);
  assert.deepEqual(await names(beckon, 'custom_fields.trial=false'), ['Ann']);
  assert.deepEqual(await names(beckon, 'custom_fields.plan=pro&custom_fields.seats=3'), ['Ann']);
  assert.deepEqual(await names(beckon, 'tags=vip&source=api&q=bo&custom_fields.plan=free&created_before=2025-12-31'), ['Bob']);
});

test('GET /v1/contacts: invalid filters are a 400 naming the query field', async (t) => {
  const beckon = await startBeckon();
  t.after(() => beckon.stop());
  await beckon.call('POST', '/v1/custom_fields', { body: { key: 'seats', label: 'Seats', type: 'number' } });
  const cases: [string, string][] = [
    ['limit=0', 'query.limit'], ['limit=101', 'query.limit'], ['limit=ten', 'query.limit'], ['cursor=bogus', 'query.cursor'],
    ['phone=12', 'query.phone'], ['email=nobody', 'query.email'], ['created_after=yesterday', 'query.created_after'],
    ['created_before=2025-13-01', 'query.created_before'], ['custom_fields.seats=many', 'query.custom_fields.seats'], ['q=', 'query.q'],
  ];
  for (const [query, path] of cases) {
    const response = await beckon.call('GET', `/v1/contacts?${query}`);
    assert.equal(response.statusCode, 400, query);
    assert.equal(response.json().code, 'validation_failed');
    assert.deepEqual(response.json().errors.map((e: { path: string }) => e.path), [path], query);
  }
  const unknown = await beckon.call('GET', '/v1/contacts?colour=red');
  assert.equal(unknown.statusCode, 400);
  assert.match(unknown.json().detail, /colour/);
});

test('GET /v1/contacts: cursor pagination, newest first, over several pages and with a filter', async (t) => {
  const beckon = await startBeckon();
  t.after(() => beckon.stop());
  const created: string[] = [];
  for (let i = 0; i < 25; i++) created.push(await create(beckon, { name: `c${i}`, email: `c${i}@example.com`, tags: i % 2 === 0 ? ['even'] : [] }));
  const newestFirst = [...created].reverse();

  const seen: string[] = [];
  let cursor: string | null = null;
  const sizes: number[] = [];
  do {
    const response = await beckon.call('GET', `/v1/contacts?limit=10${cursor ? `&cursor=${cursor}` : ''}`);
    assert.equal(response.statusCode, 200);
    const page = response.json();
    sizes.push(page.contacts.length);
    seen.push(...page.contacts.map((c: { uuid: string }) => c.uuid));
    cursor = page.meta.next_cursor;
  } while (cursor);
  assert.deepEqual(sizes, [10, 10, 5]);
  assert.deepEqual(seen, newestFirst);

  const first = (await beckon.call('GET', '/v1/contacts')).json();
  assert.equal(first.contacts.length, 20, 'the default limit is 20');
  assert.equal(typeof first.meta.next_cursor, 'string');
  const exact = (await beckon.call('GET', '/v1/contacts?limit=25')).json();
  assert.equal(exact.contacts.length, 25);
  assert.equal(exact.meta.next_cursor, null, 'no cursor when nothing follows');

  const even1 = (await beckon.call('GET', '/v1/contacts?tags=even&limit=8')).json();
  const even2 = (await beckon.call('GET', `/v1/contacts?tags=even&limit=8&cursor=${even1.meta.next_cursor}`)).json();
  assert.deepEqual([...even1.contacts, ...even2.contacts].map((c: { name: string }) => c.name), [24, 22, 20, 18, 16, 14, 12, 10, 8, 6, 4, 2, 0].map((i) => `c${i}`));
  assert.equal(even2.meta.next_cursor, null);
});

test('GET /v1/contacts/:uuid/messages: the contact\'s messages, newest first, paginated; 404 for an unknown contact', async (t) => {
  const beckon = await startBeckon();
  t.after(() => beckon.stop());
  const ann = await create(beckon, { phone: '+393331234567' });
  const bob = await create(beckon, { phone: '+14155552671' });
  const workspaceId = (await beckon.runtime.deps.db.selectFrom('contacts').select('workspace_id').where('id', '=', ann).executeTakeFirstOrThrow()).workspace_id;
  for (let i = 10; i < 22; i++) await insertMessage(beckon, workspaceId, ann, `01900000-0000-7000-8000-0000000000${i}`, `2025-05-01T10:00:${i}.000Z`);
  await insertMessage(beckon, workspaceId, ann, '01900000-0000-7000-8000-000000000099', '2025-05-01T11:00:00.000Z', true);
  await insertMessage(beckon, workspaceId, bob, '01900000-0000-7000-8000-000000000098', '2025-05-01T12:00:00.000Z');

  const page1 = await beckon.call('GET', `/v1/contacts/${ann}/messages?limit=5`);
  assert.equal(page1.statusCode, 200);
  assert.deepEqual(page1.json().messages[0], {
    uuid: '01900000-0000-7000-8000-000000000021', direction: 'outbound', channel: 'whatsapp', channel_uuid: '01900000-0000-7000-8000-0000000000cc',
    contact: { uuid: ann, phone: '+393331234567' }, to: '+393331234567', from: 'whatsapp', type: 'text', content: { text: 'message 21' }, status: 'sent',
    status_history: [], error: null, metadata: { order: '42' }, provider_message_id: null, template_uuid: null, template_values: null,
    created_at: '2025-05-01T10:00:21.000Z', updated_at: '2025-05-01T10:00:21.000Z',
  });
  const ids: string[] = page1.json().messages.map((m: { uuid: string }) => m.uuid.slice(-2));
  let cursor = page1.json().meta.next_cursor;
  while (cursor) {
    const next = (await beckon.call('GET', `/v1/contacts/${ann}/messages?limit=5&cursor=${cursor}`)).json();
    ids.push(...next.messages.map((m: { uuid: string }) => m.uuid.slice(-2)));
    cursor = next.meta.next_cursor;
  }
  assert.deepEqual(ids, ['21', '20', '19', '18', '17', '16', '15', '14', '13', '12', '11', '10'], 'newest first, deleted and other contacts\' messages left out');
  const empty = await beckon.call('GET', `/v1/contacts/${await create(beckon, { email: 'new@example.com' })}/messages`);
  assert.deepEqual(empty.json(), { messages: [], meta: { next_cursor: null } });
  assert.equal((await beckon.call('GET', '/v1/contacts/01900000-0000-7000-8000-000000000000/messages')).statusCode, 404);
  const badLimit = await beckon.call('GET', `/v1/contacts/${ann}/messages?limit=500`);
  assert.equal(badLimit.statusCode, 400);
  assert.equal(badLimit.json().errors[0].path, 'query.limit');
});

test('contacts: two workspaces never see or change each other\'s contacts, on every endpoint', async (t) => {
  const beckon = await startBeckon();
  t.after(() => beckon.stop());
  const otherKey = await beckon.newWorkspace('other');
  const mine = await create(beckon, { name: 'Mine', phone: '+393331234567', email: 'same@example.com', tags: ['t'], custom_fields: { plan: 'pro' } });
  const theirs = await create(beckon, { name: 'Theirs', phone: '+39 333 123 4567', email: 'same@example.com', tags: ['t'], custom_fields: { plan: 'pro' } }, undefined, otherKey);
  assert.notEqual(mine, theirs, 'the same phone and email are free in another workspace');

  for (const [key, own, foreign, name] of [[beckon.key, mine, theirs, 'Mine'], [otherKey, theirs, mine, 'Theirs']] as const) {
    const list = await beckon.call('GET', '/v1/contacts?tags=t&custom_fields.plan=pro&q=%2B39&phone=393331234567&email=same@example.com', { key });
    assert.deepEqual(list.json().contacts.map((c: { uuid: string }) => c.uuid), [own]);
    assert.equal((await beckon.call('GET', '/v1/contacts/phone/393331234567', { key })).json().contact.uuid, own);
    assert.equal((await beckon.call('GET', `/v1/contacts/${own}`, { key })).json().contact.name, name);
    for (const [method, url, body] of [
      ['GET', `/v1/contacts/${foreign}`, undefined], ['GET', `/v1/contacts/${foreign}/messages`, undefined],
      ['PATCH', `/v1/contacts/${foreign}`, { name: 'hijacked' }], ['DELETE', `/v1/contacts/${foreign}`, undefined],
    ] as const) {
      const response = await beckon.call(method, url, { key, body });
      assert.equal(response.statusCode, 404, `${method} ${url}`);
    }
  }
  assert.equal((await beckon.call('GET', `/v1/contacts/${mine}`)).json().contact.name, 'Mine');
  assert.equal((await beckon.call('GET', `/v1/contacts/${theirs}`, { key: otherKey })).json().contact.name, 'Theirs');
  const rows = await beckon.runtime.deps.db.selectFrom('events').select(['workspace_id', 'type', 'payload']).execute();
  assert.equal(rows.length, 4, 'contact_created and contact_tag_added (tag t) in each workspace');
  const byContact = (uuid: string) => rows.filter((r) => JSON.parse(r.payload).uuid === uuid);
  assert.deepEqual(byContact(mine).map((r) => r.type).sort(), ['contact_created', 'contact_tag_added']);
  assert.deepEqual(byContact(theirs).map((r) => r.type).sort(), ['contact_created', 'contact_tag_added']);
  assert.equal(new Set(byContact(mine).map((r) => r.workspace_id)).size, 1);
  assert.notEqual(byContact(mine)[0].workspace_id, byContact(theirs)[0].workspace_id);
  assert.equal(new Set(byContact(theirs).map((r) => r.workspace_id)).size, 1);
});
