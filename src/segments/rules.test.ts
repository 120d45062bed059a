import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startBeckon, type TestBeckon } from '../../test/helpers.ts';
import { daysAgo, matching } from './test-support.ts';

async function contact(beckon: TestBeckon, body: Record<string, unknown>, at?: { created_at?: string; last_inbound_at?: string }): Promise<string> {
  const response = await beckon.call('POST', '/v1/contacts', { body });
  assert.equal(response.statusCode, 201, response.body);
  const uuid = response.json().contact.uuid as string;
  if (at) await beckon.runtime.deps.db.updateTable('contacts').set(at).where('id', '=', uuid).execute();
  return uuid;
}

test('dynamic rules: every field kind and op, groups, not, and nulls handled as absent values', async (t) => {
  const beckon = await startBeckon();
  t.after(() => beckon.stop());
  const fields = [{ key: 'plan', label: 'Plan', type: 'dropdown', options: ['free', 'pro'] }, { key: 'seats', label: 'Seats', type: 'number' },
    { key: 'trial', label: 'Trial', type: 'checkbox' }, { key: 'renewal', label: 'Renewal', type: 'date' }];
  for (const body of fields) assert.equal((await beckon.call('POST', '/v1/custom_fields', { body })).statusCode, 201);
  await contact(beckon, { name: 'Ann', phone: '+39 333 123 4567', email: 'ann@shop.it', tags: ['vip', 'it'], source: 'web_form',
    custom_fields: { plan: 'pro', seats: 12, trial: false, renewal: '2030-01-15', color: 'red' }, consent: { whatsapp: { status: 'opted_in' } } },
  { created_at: daysAgo(40), last_inbound_at: daysAgo(1) });
  await contact(beckon, { name: 'Bob', phone: '+1 415 555 2671', tags: ['vip'], source: 'api', custom_fields: { plan: 'free', seats: 2, trial: true, color: 7 },
    consent: { whatsapp: { status: 'opted_out' }, email: { status: 'opted_in' } } }, { created_at: daysAgo(10) });
  await contact(beckon, { name: 'Cleo', email: 'cleo@example.com', tags: [], source: 'import' }, { created_at: daysAgo(2) });

  assert.deepEqual(await matching(beckon, { field: 'name', op: 'eq', value: 'Ann' }), ['Ann']);
  assert.deepEqual(await matching(beckon, { field: 'email', op: 'neq', value: 'ANN@shop.it' }), ['Bob', 'Cleo']);
  assert.deepEqual(await matching(beckon, { field: 'email', op: 'exists' }), ['Ann', 'Cleo']);
  assert.deepEqual(await matching(beckon, { field: 'email', op: 'not_exists' }), ['Bob']);
  assert.deepEqual(await matching(beckon, { field: 'email', op: 'contains', value: 'EXAMPLE' }), ['Cleo']);
  assert.deepEqual(await matching(beckon, { field: 'email', op: 'not_contains', value: 'example' }), ['Ann', 'Bob']);
  assert.deepEqual(await matching(beckon, { field: 'phone', op: 'eq', value: '+39 333 1234567' }), ['Ann']);
  assert.deepEqual(await matching(beckon, { field: 'phone', op: 'starts_with', value: '+1' }), ['Bob']);
  assert.deepEqual(await matching(beckon, { field: 'name', op: 'contains', value: '%' }), []);
  assert.deepEqual(await matching(beckon, { field: 'source', op: 'in', value: ['api', 'import'] }), ['Bob', 'Cleo']);
  assert.deepEqual(await matching(beckon, { field: 'source', op: 'not_in', value: ['api'] }), ['Ann', 'Cleo']);
  assert.deepEqual(await matching(beckon, { field: 'tags', op: 'contains', value: 'it' }), ['Ann']);
  assert.deepEqual(await matching(beckon, { field: 'tags', op: 'not_contains', value: 'vip' }), ['Cleo']);
  assert.deepEqual(await matching(beckon, { field: 'tags', op: 'in', value: ['it', 'nope'] }), ['Ann']);
  assert.deepEqual(await matching(beckon, { field: 'tags', op: 'not_exists' }), ['Cleo']);
  assert.deepEqual(await matching(beckon, { field: 'created_at', op: 'within_days', value: 15 }), ['Bob', 'Cleo']);
  assert.deepEqual(await matching(beckon, { field: 'created_at', op: 'before', value: daysAgo(20) }), ['Ann']);
  assert.deepEqual(await matching(beckon, { field: 'created_at', op: 'after', value: daysAgo(5).slice(0, 10) }), ['Cleo']);
  assert.deepEqual(await matching(beckon, { field: 'last_inbound_at', op: 'exists' }), ['Ann']);
  assert.deepEqual(await matching(beckon, { field: 'last_inbound_at', op: 'within_days', value: 7 }), ['Ann']);
  assert.deepEqual(await matching(beckon, { field: 'custom_fields.plan', op: 'eq', value: 'pro' }), ['Ann']);
  assert.deepEqual(await matching(beckon, { field: 'custom_fields.plan', op: 'neq', value: 'pro' }), ['Bob', 'Cleo']);
  assert.deepEqual(await matching(beckon, { field: 'custom_fields.seats', op: 'gte', value: 12 }), ['Ann']);
  assert.deepEqual(await matching(beckon, { field: 'custom_fields.seats', op: 'lt', value: 12 }), ['Bob']);
  assert.deepEqual(await matching(beckon, { field: 'custom_fields.seats', op: 'in', value: [2, 3] }), ['Bob']);
  assert.deepEqual(await matching(beckon, { field: 'custom_fields.trial', op: 'eq', value: true }), ['Bob']);
  assert.deepEqual(await matching(beckon, { field: 'custom_fields.trial', op: 'neq', value: true }), ['Ann', 'Cleo']);
  assert.deepEqual(await matching(beckon, { field: 'custom_fields.trial', op: 'exists' }), ['Ann', 'Bob']);
  assert.deepEqual(await matching(beckon, { field: 'custom_fields.renewal', op: 'after', value: '2029-12-31' }), ['Ann']);
  assert.deepEqual(await matching(beckon, { field: 'custom_fields.color', op: 'eq', value: 'red' }), ['Ann']);
  assert.deepEqual(await matching(beckon, { field: 'custom_fields.color', op: 'eq', value: 7 }), ['Bob']);
  assert.deepEqual(await matching(beckon, { field: 'custom_fields.color', op: 'gt', value: 5 }), ['Bob']);
  assert.deepEqual(await matching(beckon, { field: 'custom_fields.missing', op: 'not_exists' }), ['Ann', 'Bob', 'Cleo']);
  assert.deepEqual(await matching(beckon, { field: 'consent.whatsapp', op: 'eq', value: 'opted_in' }), ['Ann']);
  assert.deepEqual(await matching(beckon, { field: 'consent.whatsapp', op: 'eq', value: 'unknown' }), ['Cleo']);
  assert.deepEqual(await matching(beckon, { field: 'consent.email', op: 'not_in', value: ['opted_in'] }), ['Ann', 'Cleo']);

  assert.deepEqual(await matching(beckon, { all: [{ field: 'tags', op: 'contains', value: 'vip' }, { field: 'custom_fields.seats', op: 'lt', value: 10 }] }), ['Bob']);
  assert.deepEqual(await matching(beckon, { any: [{ field: 'name', op: 'eq', value: 'Cleo' }, { field: 'custom_fields.plan', op: 'eq', value: 'pro' }] }), ['Ann', 'Cleo']);
  assert.deepEqual(await matching(beckon, { not: { field: 'email', op: 'eq', value: 'ann@shop.it' } }), ['Bob', 'Cleo']);
  assert.deepEqual(await matching(beckon, { not: { any: [{ field: 'tags', op: 'contains', value: 'it' }, { not: { field: 'source', op: 'eq', value: 'api' } }] } }), ['Bob']);
});

test('dynamic segments: segment conditions, live membership, cycles refused, deletion of a referenced segment refused', async (t) => {
  const beckon = await startBeckon();
  t.after(() => beckon.stop());
  const ann = await contact(beckon, { name: 'Ann', tags: ['vip'], phone: '+39 333 123 4567' });
  await contact(beckon, { name: 'Bob', tags: [], phone: '+1 415 555 2671' });
  const list = (await beckon.call('POST', '/v1/segments', { body: { name: 'List', type: 'static' } })).json().segment.uuid as string;
  await beckon.call('POST', `/v1/segments/${list}/contacts`, { body: { contact_uuids: [ann] } });
  const vip = (await beckon.call('POST', '/v1/segments', { body: { name: 'VIP', type: 'dynamic', rules: { field: 'tags', op: 'contains', value: 'vip' } } })).json().segment.uuid as string;
  const outer = await beckon.call('POST', '/v1/segments', { body: { name: 'Not VIP', type: 'dynamic', rules: { all: [{ field: 'segment', op: 'neq', value: vip }] } } });
  assert.equal(outer.statusCode, 201, outer.body);
  const notVip = outer.json().segment.uuid as string;

  assert.deepEqual(await matching(beckon, { field: 'segment', op: 'eq', value: list }), ['Ann']);
  assert.deepEqual(await matching(beckon, { field: 'segment', op: 'eq', value: notVip }), ['Bob']);
  assert.deepEqual((await beckon.call('GET', `/v1/segments/${notVip}/count`)).json(), { count: 1 });
  await beckon.call('PATCH', `/v1/contacts/${ann}`, { body: { tags: [] } });
  assert.deepEqual((await beckon.call('GET', `/v1/segments/${notVip}/count`)).json(), { count: 2 });
  assert.deepEqual((await beckon.call('GET', `/v1/segments/${vip}/contacts`)).json(), { contacts: [], meta: { next_cursor: null } });

  const cycle = await beckon.call('PATCH', `/v1/segments/${vip}`, { body: { rules: { any: [{ field: 'name', op: 'exists' }, { field: 'segment', op: 'eq', value: notVip }] } } });
  assert.equal(cycle.statusCode, 400);
  assert.deepEqual(cycle.json().errors.map((e: { path: string }) => e.path), ['body.rules.any.1.value']);
  const self = await beckon.call('PATCH', `/v1/segments/${vip}`, { body: { rules: { field: 'segment', op: 'eq', value: vip } } });
  assert.equal(self.statusCode, 400);
  assert.deepEqual((await beckon.call('GET', `/v1/segments/${vip}`)).json().segment.rules, { field: 'tags', op: 'contains', value: 'vip' });
  const patched = await beckon.call('PATCH', `/v1/segments/${vip}`, { body: { rules: { field: 'name', op: 'eq', value: 'Bob' } } });
  assert.equal(patched.statusCode, 200, patched.body);
  assert.deepEqual(patched.json().segment.rules, { field: 'name', op: 'eq', value: 'Bob' });
  assert.deepEqual((await beckon.call('GET', `/v1/segments/${vip}/contacts`)).json().contacts.map((c: { name: string }) => c.name), ['Bob']);
  assert.deepEqual((await beckon.call('GET', `/v1/segments/${notVip}/contacts`)).json().contacts.map((c: { name: string }) => c.name), ['Ann']);

  const referenced = await beckon.call('DELETE', `/v1/segments/${vip}`);
  assert.equal(referenced.statusCode, 409);
  assert.deepEqual(referenced.json().referenced_by, [notVip]);
  assert.equal((await beckon.call('DELETE', `/v1/segments/${notVip}`)).statusCode, 200);
  assert.equal((await beckon.call('DELETE', `/v1/segments/${vip}`)).statusCode, 200);
});

test('rules are validated: a 400 names the bad node; a campaign condition needs a campaign of the workspace', async (t) => {
  const beckon = await startBeckon();
  t.after(() => beckon.stop());
  assert.equal((await beckon.call('POST', '/v1/custom_fields', { body: { key: 'seats', label: 'Seats', type: 'number' } })).statusCode, 201);
  const cases: [unknown, string][] = [
    [{ all: [{ field: 'name', op: 'eq', value: 'a' }, { field: 'name', op: 'eq', value: 'b' }, { field: 'name', op: 'bigger', value: 1 }] }, 'body.rules.all.2.op'],
    [{ all: [] }, 'body.rules.all'],
    [{ any: [{ not: { field: 'nope', op: 'eq', value: 1 } }] }, 'body.rules.any.0.not.field'],
    [{ field: 'tags', op: 'gt', value: 'x' }, 'body.rules.op'],
    [{ field: 'created_at', op: 'before', value: 'yesterday' }, 'body.rules.value'],
    [{ field: 'created_at', op: 'within_days', value: 0 }, 'body.rules.value'],
    [{ field: 'custom_fields.seats', op: 'eq', value: 'ten' }, 'body.rules.value'],
    [{ field: 'custom_fields.seats', op: 'contains', value: '1' }, 'body.rules.op'],
    [{ field: 'consent.sms', op: 'eq', value: 'yes' }, 'body.rules.value'],
    [{ field: 'consent.fax', op: 'eq', value: 'opted_in' }, 'body.rules.field'],
    [{ field: 'name', op: 'in', value: [] }, 'body.rules.value'],
    [{ field: 'name', op: 'exists', value: 'x' }, 'body.rules.value'],
    [{ field: 'name', op: 'eq' }, 'body.rules.value'],
    [{ field: 'name', op: 'eq', value: 'a', extra: 1 }, 'body.rules.extra'],
    [{ all: [{ field: 'name', op: 'exists' }], any: [] }, 'body.rules'],
    [{ field: 'segment', op: 'eq', value: '01900000-0000-7000-8000-000000000001' }, 'body.rules.value'],
    [{ field: 'phone', op: 'eq', value: 'not a phone' }, 'body.rules.value'],
    ['name = 1', 'body.rules'],
  ];
  for (const [rules, path] of cases) {
    const response = await beckon.call('POST', '/v1/segments/preview', { body: { rules } });
    assert.equal(response.statusCode, 400, JSON.stringify(rules));
    assert.deepEqual(response.json().errors.map((e: { path: string }) => e.path), [path], JSON.stringify(rules));
  }
  const campaign = await beckon.call('POST', '/v1/segments', { body: { name: 'x', type: 'dynamic', rules: { field: 'campaign.opened', op: 'eq', value: '01900000-0000-7000-8000-000000000001' } } });
  assert.equal(campaign.statusCode, 400);
  assert.deepEqual(campaign.json().errors, [{ path: 'body.rules.value', message: 'is not a campaign of this workspace' }]);
  let deep: unknown = { field: 'name', op: 'exists' };
  for (let i = 0; i < 10; i++) deep = { not: deep };
  assert.equal((await beckon.call('POST', '/v1/segments/preview', { body: { rules: deep } })).statusCode, 400);
  assert.deepEqual((await beckon.call('GET', '/v1/segments')).json().segments, []);
});

test('rules too large once referenced segments are inlined are a 400, not a database error', async (t) => {
  const beckon = await startBeckon();
  t.after(() => beckon.stop());
  const names = Array.from({ length: 1000 }, (_, i) => `name ${i}`);
  const rules = { any: Array.from({ length: 10 }, () => ({ field: 'name', op: 'in', value: names })) };
  const big = await beckon.call('POST', '/v1/segments', { body: { name: 'Big', type: 'dynamic', rules } });
  assert.equal(big.statusCode, 201, big.body);
  const uuid = big.json().segment.uuid as string;
  assert.deepEqual(await matching(beckon, { field: 'segment', op: 'eq', value: uuid }), []);
  const twice = await beckon.call('POST', '/v1/segments/preview', { body: { rules: { any: [{ field: 'segment', op: 'eq', value: uuid }, { not: { field: 'segment', op: 'eq', value: uuid } }] } } });
  assert.equal(twice.statusCode, 400);
  assert.deepEqual(twice.json().errors.map((e: { path: string }) => e.path), ['body.rules']);
});
