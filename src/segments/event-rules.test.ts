import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startBeckon, type TestBeckon } from '../../test/helpers.ts';
import { daysAgo, matching } from './test-support.ts';

async function events(beckon: TestBeckon, list: { who: string; name: string; days: number; data?: Record<string, unknown> }[], key?: string): Promise<void> {
  const body = { events: list.map((e) => ({ name: e.name, contact: { email: `${e.who.toLowerCase()}@example.com`, name: e.who }, data: e.data ?? {}, occurred_at: daysAgo(e.days) })) };
  const response = await beckon.call('POST', '/v1/events/batch', { body, key });
  assert.equal(response.statusCode, 202, response.body);
  assert.equal(response.json().meta.failed, 0, response.body);
}

test('segment rules: event.<name> counts a contact\'s custom events, within a number of days, with a data property equal to a value', async (t) => {
  const beckon = await startBeckon();
  t.after(() => beckon.stop());
  await events(beckon, [
    { who: 'Ann', name: 'order_placed', days: 1, data: { status: 'paid', total: 40, gift: true, shop: { city: 'Lyon' } } },
    { who: 'Ann', name: 'order_placed', days: 5, data: { status: 'paid', total: 12 } },
    { who: 'Ann', name: 'order_placed', days: 50, data: { status: 'refunded', total: 40 } },
    { who: 'Bob', name: 'order_placed', days: 2, data: { status: 'pending', total: '40' } },
    { who: 'Bob', name: 'cart_abandoned', days: 3 },
    { who: 'Cleo', name: 'cart_abandoned', days: 100 },
  ]);
  assert.equal((await beckon.call('POST', '/v1/contacts', { body: { name: 'Dan', email: 'dan@example.com' } })).statusCode, 201);

  const ev = (name: string, value?: unknown, op = 'performed') => ({ field: `event.${name}`, op, ...(value !== undefined && { value }) });
  assert.deepEqual(await matching(beckon, ev('order_placed')), ['Ann', 'Bob']);
  assert.deepEqual(await matching(beckon, ev('order_placed', {})), ['Ann', 'Bob']);
  assert.deepEqual(await matching(beckon, ev('order_placed', undefined, 'not_performed')), ['Cleo', 'Dan']);
  assert.deepEqual(await matching(beckon, ev('order_placed', { at_least: 2 })), ['Ann']);
  assert.deepEqual(await matching(beckon, ev('order_placed', { at_least: 3 })), ['Ann']);
  assert.deepEqual(await matching(beckon, ev('order_placed', { at_least: 4 })), []);
  assert.deepEqual(await matching(beckon, ev('order_placed', { at_least: 3, within_days: 30 })), []);
  assert.deepEqual(await matching(beckon, ev('order_placed', { at_least: 2, within_days: 30 })), ['Ann']);
  assert.deepEqual(await matching(beckon, ev('order_placed', { within_days: 3 })), ['Ann', 'Bob']);
  assert.deepEqual(await matching(beckon, ev('cart_abandoned', { within_days: 30 })), ['Bob']);
  assert.deepEqual(await matching(beckon, ev('cart_abandoned')), ['Bob', 'Cleo']);
  assert.deepEqual(await matching(beckon, ev('order_placed', { property: 'status', equals: 'paid' })), ['Ann']);
  assert.deepEqual(await matching(beckon, ev('order_placed', { property: 'status', equals: 'paid', at_least: 2 })), ['Ann']);
  assert.deepEqual(await matching(beckon, ev('order_placed', { property: 'status', equals: 'refunded', within_days: 30 })), []);
  // a value matches only stored values of its JSON type: 40 (number) is not "40" (text)
  assert.deepEqual(await matching(beckon, ev('order_placed', { property: 'total', equals: 40 })), ['Ann']);
  assert.deepEqual(await matching(beckon, ev('order_placed', { property: 'total', equals: '40' })), ['Bob']);
  assert.deepEqual(await matching(beckon, ev('order_placed', { property: 'gift', equals: true })), ['Ann']);
  assert.deepEqual(await matching(beckon, ev('order_placed', { property: 'gift', equals: false })), []);
  assert.deepEqual(await matching(beckon, ev('order_placed', { property: 'shop.city', equals: 'Lyon' })), ['Ann']);
  assert.deepEqual(await matching(beckon, ev('never_seen')), []);
  assert.deepEqual(await matching(beckon, { all: [ev('cart_abandoned'), { not: ev('order_placed') }] }), ['Cleo']);
});

test('segment rules: bad event conditions are answered 400 naming the path', async (t) => {
  const beckon = await startBeckon();
  t.after(() => beckon.stop());
  const cases: [unknown, string][] = [
    [{ field: 'event.Order', op: 'performed' }, 'body.rules.field'],
    [{ field: 'event.order_placed', op: 'eq', value: 1 }, 'body.rules.op'],
    [{ field: 'event.order_placed', op: 'performed', value: 3 }, 'body.rules.value'],
    [{ field: 'event.order_placed', op: 'performed', value: { at_least: 0 } }, 'body.rules.value.at_least'],
    [{ field: 'event.order_placed', op: 'performed', value: { within_days: 0 } }, 'body.rules.value.within_days'],
    [{ field: 'event.order_placed', op: 'performed', value: { property: 'status' } }, 'body.rules.value.equals'],
    [{ field: 'event.order_placed', op: 'performed', value: { equals: 'x' } }, 'body.rules.value.property'],
    [{ field: 'event.order_placed', op: 'performed', value: { property: 'a', equals: [1] } }, 'body.rules.value.equals'],
    [{ field: 'event.order_placed', op: 'performed', value: { property: 'a"b', equals: 1 } }, 'body.rules.value.property'],
    [{ field: 'event.order_placed', op: 'performed', value: { count: 1 } }, 'body.rules.value.count'],
    [{ field: 'name', op: 'performed', value: 'x' }, 'body.rules.op'],
  ];
  for (const [rules, path] of cases) {
    const response = await beckon.call('POST', '/v1/segments/preview', { body: { rules } });
    assert.equal(response.statusCode, 400, `${JSON.stringify(rules)}: ${response.body}`);
    assert.deepEqual(response.json().errors.map((e: { path: string }) => e.path), [path], JSON.stringify(rules));
  }
});

test('segment rules: event conditions count only the workspace\'s own events; a saved dynamic segment lists its members', async (t) => {
  const beckon = await startBeckon();
  t.after(() => beckon.stop());
  const other = await beckon.newWorkspace('other');
  await events(beckon, [{ who: 'Ann', name: 'order_placed', days: 1 }]);
  await events(beckon, [{ who: 'Ann', name: 'order_placed', days: 1 }, { who: 'Ann', name: 'order_placed', days: 2 }], other);
  const rules = { field: 'event.order_placed', op: 'performed', value: { at_least: 2 } };
  assert.deepEqual(await matching(beckon, rules), []);
  const created = await beckon.call('POST', '/v1/segments', { body: { name: 'Repeat buyers', type: 'dynamic', rules }, key: other });
  assert.equal(created.statusCode, 201, created.body);
  const members = await beckon.call('GET', `/v1/segments/${created.json().segment.uuid}/contacts`, { key: other });
  assert.equal(members.statusCode, 200, members.body);
  assert.deepEqual(members.json().contacts.map((c: { name: string }) => c.name), ['Ann']);
});
