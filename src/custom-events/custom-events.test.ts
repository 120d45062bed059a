import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startBeckon, type TestBeckon } from '../../test/helpers.ts';

async function record(beckon: TestBeckon, body: unknown, options: { key?: string; headers?: Record<string, string> } = {}) {
  return beckon.call('POST', '/v1/events', { body, ...options });
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}$/;

test('POST /v1/events creates the contact from a phone, stores the event and answers 202 with it; GET /v1/events lists it with the same payload', async (t) => {
  const beckon = await startBeckon();
  t.after(() => beckon.stop());
  const response = await record(beckon, {
    name: 'order_placed', contact: { phone: '+39 333 123 4567', name: 'Ada', tags: ['buyer'] },
    data: { order_id: 'A-1', total: 42.5, items: [{ sku: 'tea', qty: 2 }] }, correlation_key: 'A-1', occurred_at: '2026-12-01T10:00:00+01:00',
  });
  assert.equal(response.statusCode, 202, response.body);
  const event = response.json().event;
  assert.match(event.uuid, UUID);
  assert.match(event.contact.uuid, UUID);
  assert.deepEqual({ ...event, uuid: 'x', created_at: 'x', contact: { ...event.contact, uuid: 'x' } }, {
    uuid: 'x', type: 'custom.order_placed', name: 'order_placed', contact: { uuid: 'x', name: 'Ada', phone: '+393331234567', email: null },
    data: { order_id: 'A-1', total: 42.5, items: [{ sku: 'tea', qty: 2 }] }, correlation_key: 'A-1', occurred_at: '2026-12-01T09:00:00.000Z', created_at: 'x',
  });
  const contact = (await beckon.call('GET', `/v1/contacts/${event.contact.uuid}`)).json().contact;
  assert.deepEqual([contact.name, contact.phone, contact.tags], ['Ada', '+393331234567', ['buyer']]);

  const listed = (await beckon.call('GET', '/v1/events')).json().events;
  assert.deepEqual(listed.map((e: any) => e.event), ['custom.order_placed', 'contact_tag_added', 'contact_updated', 'contact_created']);
  assert.deepEqual(listed[0], { event: 'custom.order_placed', payload: event, id: event.uuid, created_at: event.created_at });

  // the same phone in another format finds the same contact; no contact event when nothing changes
  const again = await record(beckon, { name: 'order_placed', contact: { phone: '00393331234567' }, data: { order_id: 'A-2' } });
  assert.equal(again.statusCode, 202, again.body);
  assert.equal(again.json().event.contact.uuid, event.contact.uuid);
  assert.deepEqual(again.json().event.data, { order_id: 'A-2' });
  assert.equal(again.json().event.correlation_key, null);
  assert.equal((await beckon.call('GET', '/v1/events')).json().events.length, 5, 'the second event added one event of its own, and no contact event');
});

test('POST /v1/events by uuid and by email: values are written to the contact, tags added; an unknown uuid is a 404 naming body.contact.uuid', async (t) => {
  const beckon = await startBeckon();
  t.after(() => beckon.stop());
  const created = await beckon.call('POST', '/v1/contacts', { body: { email: 'bo@example.com', tags: ['a'] } });
  const uuid = created.json().contact.uuid;

  const byUuid = await record(beckon, { name: 'cart_abandoned', contact: { uuid, name: 'Bo', tags: ['cart', 'a'], custom_fields: { city: 'Lyon' } } });
  assert.equal(byUuid.statusCode, 202, byUuid.body);
  assert.deepEqual(byUuid.json().event.contact, { uuid, name: 'Bo', phone: null, email: 'bo@example.com' });
  assert.deepEqual(byUuid.json().event.data, {});
  const contact = (await beckon.call('GET', `/v1/contacts/${uuid}`)).json().contact;
  assert.deepEqual([contact.name, contact.tags, contact.custom_fields], ['Bo', ['a', 'cart'], { city: 'Lyon' }]);

  const byEmail = await record(beckon, { name: 'cart_abandoned', contact: { email: 'BO@example.com', tags: ['vip'] } });
  assert.equal(byEmail.statusCode, 202, byEmail.body);
  assert.equal(byEmail.json().event.contact.uuid, uuid);
  assert.deepEqual((await beckon.call('GET', `/v1/contacts/${uuid}`)).json().contact.tags, ['a', 'cart', 'vip']);

  const newByEmail = await record(beckon, { name: 'signed_up', contact: { email: 'new@example.com' } });
  assert.equal(newByEmail.statusCode, 202);
  assert.notEqual(newByEmail.json().event.contact.uuid, uuid);

  const before = (await beckon.call('GET', '/v1/events')).json().events.length;
  const missing = await record(beckon, { name: 'signed_up', contact: { uuid: '0190a000-0000-7000-8000-000000000000', tags: ['x'] } });
  assert.equal(missing.statusCode, 404);
  assert.equal(missing.json().code, 'not_found');
  assert.deepEqual(missing.json().errors, [{ path: 'body.contact.uuid', message: 'is not a contact of this workspace' }]);
  assert.equal((await beckon.call('GET', '/v1/events')).json().events.length, before);
});

test('POST /v1/events refuses bad names, contacts, data and dates with 400 naming each path, and writes nothing', async (t) => {
  const beckon = await startBeckon();
  t.after(() => beckon.stop());
  const cases: [unknown, string[]][] = [
    [{ name: 'Order Placed', contact: { phone: '+393331234567' } }, ['body.name']],
    [{ name: 'x'.repeat(65), contact: { phone: '+393331234567' } }, ['body.name']],
    [{ name: 'contact_created', contact: { phone: '+393331234567' } }, ['body.name']],
    [{ name: 'order_placed', contact: {} }, ['body.contact']],
    [{ name: 'order_placed', contact: { phone: 'not a phone' } }, ['body.contact.phone']],
    [{ name: 'order_placed', contact: { email: 'nope' } }, ['body.contact.email']],
    [{ name: 'order_placed', contact: { email: 'a@example.com', tags: ['  '] } }, ['body.contact.tags.0']],
    [{ name: 'order_placed', contact: { email: 'a@example.com' }, data: { big: 'x'.repeat(17_000) } }, ['body.data']],
    [{ name: 'order_placed', contact: { email: 'a@example.com' }, data: { a: { b: { c: { d: { e: { f: { g: { h: { i: 1 } } } } } } } } } }, ['body.data.a.b.c.d.e.f.g.h']],
    [{ name: 'order_placed', contact: { email: 'a@example.com' }, occurred_at: 'yesterday' }, ['body.occurred_at']],
    [{ name: 'order_placed', contact: { email: 'a@example.com' }, data: [1, 2] }, ['body.data']],
    [{ name: 'order_placed', contact: { email: 'a@example.com' }, correlation_key: '' }, ['body.correlation_key']],
  ];
  for (const [body, paths] of cases) {
    const response = await record(beckon, body);
    assert.equal(response.statusCode, 400, `${JSON.stringify(body).slice(0, 80)}: ${response.body}`);
    assert.deepEqual(response.json().errors.map((e: { path: string }) => e.path), paths, JSON.stringify(body).slice(0, 80));
  }
  assert.deepEqual((await beckon.call('GET', '/v1/events')).json().events, []);
  assert.equal((await beckon.call('GET', '/v1/contacts')).json().contacts.length, 0);
});

test('POST /v1/events replays with the same Idempotency-Key: one event stored', async (t) => {
  const beckon = await startBeckon();
  t.after(() => beckon.stop());
  const body = { name: 'order_placed', contact: { email: 'a@example.com' }, data: { order_id: 'A-1' } };
  const first = await record(beckon, body, { headers: { 'idempotency-key': 'order-A-1' } });
  const second = await record(beckon, body, { headers: { 'idempotency-key': 'order-A-1' } });
  assert.equal(first.statusCode, 202);
  assert.equal(second.statusCode, 202);
  assert.deepEqual(second.json(), first.json());
  const listed = (await beckon.call('GET', '/v1/events?type=custom.order_placed')).json().events;
  assert.deepEqual(listed.map((e: any) => e.id), [first.json().event.uuid]);
});

test('POST /v1/events/batch records the good events in one call and reports the bad ones by index', async (t) => {
  const beckon = await startBeckon();
  t.after(() => beckon.stop());
  const events = [
    { name: 'order_placed', contact: { phone: '+393331234567' }, data: { n: 0 } },
    { name: 'bad name', contact: { phone: '+393331234567' } },
    { name: 'order_placed', contact: { phone: '+39 333 123 4567', name: 'Ada' }, data: { n: 2 } },
    { name: 'order_placed', contact: { uuid: '0190a000-0000-7000-8000-000000000000' } },
    { name: 'order_placed', contact: { phone: 'zzz' } },
    'not an object',
    { name: 'order_shipped', contact: { email: 'b@example.com' }, correlation_key: 'B-1' },
  ];
  const response = await beckon.call('POST', '/v1/events/batch', { body: { events } });
  assert.equal(response.statusCode, 202, response.body);
  const { meta, results } = response.json();
  assert.deepEqual(meta, { received: 7, accepted: 3, failed: 4 });
  assert.deepEqual(results.map((r: any) => r.status), ['accepted', 'failed', 'accepted', 'failed', 'failed', 'failed', 'accepted']);
  assert.deepEqual(results.map((r: any) => r.index), [0, 1, 2, 3, 4, 5, 6]);
  assert.equal(results[0].contact_uuid, results[2].contact_uuid);
  assert.deepEqual(results[1].error.errors.map((e: any) => e.path), ['body.events.1.name']);
  assert.deepEqual([results[3].error.status, results[3].error.code, results[3].error.errors[0].path], [404, 'not_found', 'body.events.3.contact.uuid']);
  assert.deepEqual([results[4].error.status, results[4].error.errors[0].path], [400, 'body.events.4.contact.phone']);
  assert.deepEqual(results[5].error.errors, [{ path: 'body.events.5', message: 'must be an object' }]);
  for (const r of [results[1], results[3], results[4], results[5]]) assert.deepEqual([r.uuid, r.contact_uuid], [null, null]);

  const listed = (await beckon.call('GET', '/v1/events?type=custom.*')).json().events;
  assert.deepEqual(listed.map((e: any) => e.id), [results[6].uuid, results[2].uuid, results[0].uuid]);
  assert.deepEqual(listed.map((e: any) => e.payload.data), [{}, { n: 2 }, { n: 0 }]);
  assert.equal(listed[1].payload.contact.name, 'Ada');
  assert.equal(listed[0].payload.correlation_key, 'B-1');

  const tooMany = await beckon.call('POST', '/v1/events/batch', { body: { events: Array.from({ length: 1001 }, () => events[0]) } });
  assert.equal(tooMany.statusCode, 400);
  assert.equal(tooMany.json().errors[0].path, 'body.events');
});

test('custom events are the workspace\'s own: another workspace neither lists them nor reaches their contacts', async (t) => {
  const beckon = await startBeckon();
  t.after(() => beckon.stop());
  const otherKey = await beckon.newWorkspace('other');
  const mine = await record(beckon, { name: 'order_placed', contact: { email: 'a@example.com' } });
  assert.equal(mine.statusCode, 202);
  const cross = await record(beckon, { name: 'order_placed', contact: { uuid: mine.json().event.contact.uuid } }, { key: otherKey });
  assert.equal(cross.statusCode, 404);
  assert.deepEqual((await beckon.call('GET', '/v1/events', { key: otherKey })).json().events, []);
  const theirs = await record(beckon, { name: 'order_placed', contact: { email: 'a@example.com' } }, { key: otherKey });
  assert.equal(theirs.statusCode, 202);
  assert.notEqual(theirs.json().event.contact.uuid, mine.json().event.contact.uuid);
  assert.deepEqual((await beckon.call('GET', '/v1/events?type=custom.*')).json().events.map((e: any) => e.id), [mine.json().event.uuid]);
});
