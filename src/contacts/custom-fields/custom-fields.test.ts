import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startBeckon, type TestBeckon } from '../../../test/helpers.ts';

async function define(beckon: TestBeckon, body: Record<string, unknown>, key?: string) {
  const response = await beckon.call('POST', '/v1/custom_fields', { body, key });
  assert.equal(response.statusCode, 201, response.body);
  return response.json().custom_field;
}

function paths(response: { json(): { errors?: { path: string }[] } }): string[] {
  return [...new Set((response.json().errors ?? []).map((e) => e.path))].sort();
}

test('custom fields: create, list, get, update, delete', async (t) => {
  const beckon = await startBeckon();
  t.after(() => beckon.stop());
  const plan = await define(beckon, { key: 'plan', label: 'Plan', type: 'dropdown', options: ['free', 'pro'] });
  assert.deepEqual({ ...plan, uuid: 0, created_at: 0, updated_at: 0 }, { uuid: 0, key: 'plan', label: 'Plan', type: 'dropdown', options: ['free', 'pro'], created_at: 0, updated_at: 0 });
  const seats = await define(beckon, { key: 'seats', label: 'Seats', type: 'number' });
  assert.deepEqual(seats.options, []);

  const list = await beckon.call('GET', '/v1/custom_fields');
  assert.equal(list.statusCode, 200);
  assert.deepEqual(list.json(), { custom_fields: [plan, seats] });
  assert.deepEqual((await beckon.call('GET', `/v1/custom_fields/${plan.uuid}`)).json(), { custom_field: plan });

  const patched = await beckon.call('PATCH', `/v1/custom_fields/${plan.uuid}`, { body: { label: 'Pricing plan', options: ['free', 'pro', 'enterprise'] } });
  assert.equal(patched.statusCode, 200);
  assert.equal(patched.json().custom_field.label, 'Pricing plan');
  assert.deepEqual(patched.json().custom_field.options, ['free', 'pro', 'enterprise']);
  assert.equal(patched.json().custom_field.key, 'plan');
  assert.equal((await beckon.call('POST', '/v1/contacts', { body: { phone: '+393331234567', custom_fields: { plan: 'enterprise' } } })).statusCode, 201);

  const deleted = await beckon.call('DELETE', `/v1/custom_fields/${plan.uuid}`);
  assert.equal(deleted.statusCode, 204);
  assert.equal(deleted.body, '');
  assert.equal((await beckon.call('GET', `/v1/custom_fields/${plan.uuid}`)).statusCode, 404);
  assert.equal((await beckon.call('DELETE', `/v1/custom_fields/${plan.uuid}`)).statusCode, 404);
  assert.deepEqual((await beckon.call('GET', '/v1/custom_fields')).json().custom_fields.map((f: { key: string }) => f.key), ['seats']);
  const contact = (await beckon.call('GET', '/v1/contacts/phone/393331234567')).json().contact;
  assert.deepEqual(contact.custom_fields, { plan: 'enterprise' }, 'values outlive their definition');
  const free = await beckon.call('PATCH', `/v1/contacts/${contact.uuid}`, { body: { custom_fields: { plan: 'anything now' } } });
  assert.equal(free.statusCode, 200, 'without a definition the key takes free text');
});

test('custom fields: 400 naming the field, 409 on a taken key, 404, 403 for a read key', async (t) => {
  const beckon = await startBeckon();
  t.after(() => beckon.stop());
  const plan = await define(beckon, { key: 'plan', label: 'Plan', type: 'dropdown', options: ['free'] });
  const seats = await define(beckon, { key: 'seats', label: 'Seats', type: 'number' });
  const cases: [unknown, string[]][] = [
    [{ key: 'Plan Name', label: 'x', type: 'text' }, ['body.key']],
    [{ key: '1st', label: 'x', type: 'text' }, ['body.key']],
    [{ key: 'ok', label: '', type: 'text' }, ['body.label']],
    [{ key: 'ok', label: 'x', type: 'colour' }, ['body.type']],
    [{ key: 'ok', label: 'x', type: 'dropdown' }, ['body.options']],
    [{ key: 'ok', label: 'x', type: 'dropdown', options: [] }, ['body.options']],
    [{ key: 'ok', label: 'x', type: 'dropdown', options: ['a', 'a'] }, ['body.options']],
    [{ key: 'ok', label: 'x', type: 'number', options: ['a'] }, ['body.options']],
    [{ label: 'x', type: 'text' }, ['body.key']],
  ];
  for (const [body, expected] of cases) {
    const response = await beckon.call('POST', '/v1/custom_fields', { body });
    assert.equal(response.statusCode, 400, JSON.stringify(body));
    assert.deepEqual(paths(response), expected, JSON.stringify(body));
  }
  const taken = await beckon.call('POST', '/v1/custom_fields', { body: { key: 'plan', label: 'Again', type: 'text' } });
  assert.equal(taken.statusCode, 409);
  assert.equal(taken.json().code, 'conflict');
  assert.equal(taken.json().existing_uuid, plan.uuid);

  for (const [body, expected] of [[{ options: [] }, ['body.options']], [{ key: 'other' }, ['body.key']], [{ type: 'text' }, ['body.type']]] as const) {
    const response = await beckon.call('PATCH', `/v1/custom_fields/${plan.uuid}`, { body });
    assert.equal(response.statusCode, 400, JSON.stringify(body));
    assert.deepEqual(paths(response), expected);
  }
  const seatsOptions = await beckon.call('PATCH', `/v1/custom_fields/${seats.uuid}`, { body: { options: ['1'] } });
  assert.equal(seatsOptions.statusCode, 400);
  assert.deepEqual(paths(seatsOptions), ['body.options']);
  const missing = '01900000-0000-7000-8000-000000000000';
  assert.equal((await beckon.call('PATCH', `/v1/custom_fields/${missing}`, { body: { label: 'x' } })).statusCode, 404);
  assert.equal((await beckon.call('GET', '/v1/custom_fields/nope')).statusCode, 400);

  const readKey = (await beckon.call('POST', '/v1/api_keys', { body: { name: 'reader', scopes: ['read'] } })).json().api_key.key;
  assert.equal((await beckon.call('GET', '/v1/custom_fields', { key: readKey })).statusCode, 200);
  assert.equal((await beckon.call('GET', `/v1/custom_fields/${plan.uuid}`, { key: readKey })).statusCode, 200);
  for (const [method, url, body] of [
    ['POST', '/v1/custom_fields', { key: 'x', label: 'x', type: 'text' }], ['PATCH', `/v1/custom_fields/${plan.uuid}`, { label: 'y' }], ['DELETE', `/v1/custom_fields/${plan.uuid}`, undefined],
  ] as const) {
    const response = await beckon.call(method, url, { key: readKey, body });
    assert.equal(response.statusCode, 403, `${method} ${url}`);
  }
  assert.equal((await beckon.call('GET', `/v1/custom_fields/${plan.uuid}`)).json().custom_field.label, 'Plan');
});

test('custom fields: contact values are checked against each type, on create and on update', async (t) => {
  const beckon = await startBeckon();
  t.after(() => beckon.stop());
  await define(beckon, { key: 'nickname', label: 'Nickname', type: 'text' });
  await define(beckon, { key: 'billing_email', label: 'Billing email', type: 'email' });
  await define(beckon, { key: 'seats', label: 'Seats', type: 'number' });
  await define(beckon, { key: 'renewal', label: 'Renewal', type: 'date' });
  await define(beckon, { key: 'plan', label: 'Plan', type: 'dropdown', options: ['free', 'pro'] });
  await define(beckon, { key: 'newsletter', label: 'Newsletter', type: 'checkbox' });

  const good = await beckon.call('POST', '/v1/contacts', {
    body: { phone: '+393331234567', custom_fields: { nickname: 'Annie', billing_email: ' Billing@Shop.IT', seats: '12.5', renewal: '2024-02-29', plan: 'pro', newsletter: 'true', free_key: 7 } },
  });
  assert.equal(good.statusCode, 201, good.body);
  assert.deepEqual(good.json().contact.custom_fields, { nickname: 'Annie', billing_email: 'billing@shop.it', seats: 12.5, renewal: '2024-02-29', plan: 'pro', newsletter: true, free_key: 7 });
  const uuid = good.json().contact.uuid;

  const bad: [string, unknown][] = [
    ['nickname', 42], ['nickname', 'x'.repeat(1001)], ['billing_email', 'not-mail'], ['seats', 'twelve'], ['seats', true], ['seats', '1e400'],
    ['renewal', '2023-02-29'], ['renewal', '2024-02-29T10:00:00Z'], ['renewal', '29/02/2024'], ['plan', 'enterprise'], ['plan', 'Pro'],
    ['newsletter', 'yes'], ['newsletter', 1],
  ];
  for (const [key, value] of bad) {
    const created = await beckon.call('POST', '/v1/contacts', { body: { email: `${key}@example.com`, custom_fields: { [key]: value } } });
    assert.equal(created.statusCode, 400, `${key}=${JSON.stringify(value)}`);
    assert.deepEqual(paths(created), [`body.custom_fields.${key}`]);
    const updated = await beckon.call('PATCH', `/v1/contacts/${uuid}`, { body: { custom_fields: { [key]: value } } });
    assert.equal(updated.statusCode, 400, `PATCH ${key}=${JSON.stringify(value)}`);
    assert.deepEqual(paths(updated), [`body.custom_fields.${key}`]);
  }
  const several = await beckon.call('PATCH', `/v1/contacts/${uuid}`, { body: { custom_fields: { seats: 'x', plan: 'y', nickname: 'fine' } } });
  assert.deepEqual(paths(several), ['body.custom_fields.plan', 'body.custom_fields.seats'], 'every bad value is named at once');
  assert.equal((await beckon.call('POST', '/v1/contacts', { body: { email: 'n@example.com', custom_fields: { nickname: null } } })).statusCode, 400);

  const cleared = await beckon.call('PATCH', `/v1/contacts/${uuid}`, { body: { custom_fields: { seats: 3, plan: null, newsletter: false } } });
  assert.equal(cleared.statusCode, 200);
  assert.deepEqual(cleared.json().contact.custom_fields, { nickname: 'Annie', billing_email: 'billing@shop.it', seats: 3, renewal: '2024-02-29', newsletter: false, free_key: 7 });
  const rows = await beckon.runtime.deps.db.selectFrom('contacts').select('id').execute();
  assert.equal(rows.length, 1, 'no contact was created by a refused request');

  const list = async (query: string) => (await beckon.call('GET', `/v1/contacts?${query}`)).json().contacts.length;
  assert.equal(await list('custom_fields.seats=3'), 1);
  assert.equal(await list('custom_fields.seats=3.0'), 1, 'a number field compares numbers');
  assert.equal(await list('custom_fields.newsletter=false'), 1);
  assert.equal(await list('custom_fields.renewal=2024-02-29'), 1);
  assert.equal(await list('custom_fields.billing_email=BILLING@shop.it'), 1);
  assert.equal(await list('custom_fields.nickname=annie'), 0, 'text equality is exact');
  const wrong = await beckon.call('GET', '/v1/contacts?custom_fields.plan=gold');
  assert.equal(wrong.statusCode, 400);
  assert.deepEqual(paths(wrong), ['query.custom_fields.plan']);
});

test('custom fields: two workspaces never see, change or apply each other\'s definitions', async (t) => {
  const beckon = await startBeckon();
  t.after(() => beckon.stop());
  const otherKey = await beckon.newWorkspace('other');
  const mine = await define(beckon, { key: 'plan', label: 'Mine', type: 'dropdown', options: ['free'] });
  const theirs = await define(beckon, { key: 'plan', label: 'Theirs', type: 'number' }, otherKey);

  assert.deepEqual((await beckon.call('GET', '/v1/custom_fields')).json().custom_fields.map((f: { uuid: string }) => f.uuid), [mine.uuid]);
  assert.deepEqual((await beckon.call('GET', '/v1/custom_fields', { key: otherKey })).json().custom_fields.map((f: { uuid: string }) => f.uuid), [theirs.uuid]);
  for (const [method, body] of [['GET', undefined], ['PATCH', { label: 'hijacked' }], ['DELETE', undefined]] as const) {
    assert.equal((await beckon.call(method, `/v1/custom_fields/${theirs.uuid}`, { body })).statusCode, 404, method);
    assert.equal((await beckon.call(method, `/v1/custom_fields/${mine.uuid}`, { body, key: otherKey })).statusCode, 404, method);
  }
  assert.equal((await beckon.call('GET', `/v1/custom_fields/${mine.uuid}`)).json().custom_field.label, 'Mine');
  assert.equal((await beckon.call('GET', `/v1/custom_fields/${theirs.uuid}`, { key: otherKey })).json().custom_field.label, 'Theirs');

  assert.equal((await beckon.call('POST', '/v1/contacts', { body: { phone: '+393331234567', custom_fields: { plan: 'free' } } })).statusCode, 201);
  const refused = await beckon.call('POST', '/v1/contacts', { body: { phone: '+393331234567', custom_fields: { plan: 'free' } }, key: otherKey });
  assert.equal(refused.statusCode, 400, 'the other workspace checks its own (number) definition');
  assert.equal((await beckon.call('POST', '/v1/contacts', { body: { phone: '+393331234567', custom_fields: { plan: 4 } }, key: otherKey })).statusCode, 201);
});
