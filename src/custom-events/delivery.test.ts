import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { startBeckon, type TestBeckon } from '../../test/helpers.ts';
import { Receiver } from '../../test/receiver.ts';
import { createHook } from '../webhooks/test-support.ts';
import { openSse } from '../events/sse-client.ts';
import { wants, type EventSubscriber } from '../events/subscribers.ts';

async function record(beckon: TestBeckon, name: string, email: string, data: Record<string, unknown> = {}) {
  const response = await beckon.call('POST', '/v1/events', { body: { name, contact: { email }, data } });
  assert.equal(response.statusCode, 202, response.body);
  return response.json().event;
}

test('webhook endpoints subscribe to custom events by name (custom.<name>) or all of them (custom.*), validated at create and update', async (t) => {
  const beckon = await startBeckon();
  const receiver = await Receiver.start();
  t.after(async () => {
    await receiver.stop();
    await beckon.stop();
  });
  const byName = await createHook(beckon, { url: receiver.url('/by-name'), events: ['custom.order_placed'] });
  const all = await createHook(beckon, { url: receiver.url('/all'), events: ['custom.*'] });
  await createHook(beckon, { url: receiver.url('/domain'), events: ['contact_updated'] });

  const placed = await record(beckon, 'order_placed', 'a@example.com', { order_id: 'A-1' });
  const abandoned = await record(beckon, 'cart_abandoned', 'a@example.com');
  await receiver.waitForRequests(3);
  await new Promise((resolve) => setTimeout(resolve, 300));
  const received = receiver.requests.map((r) => ({ path: r.path, body: new Webhook(r.path === '/by-name' ? byName.secret : all.secret).verify(r.body, r.headers) as any }));
  assert.equal(received.length, 3);
  assert.deepEqual(received.filter((r) => r.path === '/by-name').map((r) => r.body.id), [placed.uuid]);
  assert.deepEqual(received.filter((r) => r.path === '/all').map((r) => r.body.id).sort(), [placed.uuid, abandoned.uuid].sort());
  const body = received.find((r) => r.path === '/by-name')!.body;
  assert.deepEqual(body, { event: 'custom.order_placed', payload: placed, id: placed.uuid, created_at: placed.created_at });

  for (const events of [['order_placed'], ['custom.Order'], ['custom.'], ['custom.a.b'], ['webhook_test']]) {
    const bad = await beckon.call('POST', '/v1/webhooks', { body: { url: receiver.url(), events } });
    assert.equal(bad.statusCode, 400, `${events}: ${bad.body}`);
    assert.ok(bad.json().errors.some((e: { path: string }) => e.path === 'body.events.0'), bad.body);
  }
  const patched = await beckon.call('PATCH', `/v1/webhooks/${byName.uuid}`, { body: { events: ['custom.order_placed', 'custom.cart_abandoned', 'contact_created'] } });
  assert.equal(patched.statusCode, 200, patched.body);
  assert.deepEqual(patched.json().webhook.events, ['custom.order_placed', 'custom.cart_abandoned', 'contact_created']);
  const badPatch = await beckon.call('PATCH', `/v1/webhooks/${byName.uuid}`, { body: { events: ['custom.Nope'] } });
  assert.equal(badPatch.statusCode, 400);
});

test('event subscribers declaring custom.* are handed every custom event and no domain event', () => {
  const subscriber: EventSubscriber = { name: 'test', types: ['custom.*', 'contact_created'], handle: async () => {} };
  assert.deepEqual(['custom.order_placed', 'custom.x', 'contact_created', 'contact_updated', 'customer'].map((type) => wants(subscriber, type)), [true, true, true, false, false]);
});

test('GET /v1/events and the live stream filter custom events by custom.<name> or custom.*; bad names are a 400', async (t) => {
  const beckon = await startBeckon();
  t.after(() => beckon.stop());
  await beckon.runtime.app.listen({ port: 0, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${(beckon.runtime.app.server.address() as AddressInfo).port}`;
  const stream = await openSse(`${base}/v1/events/stream?type=custom.order_placed`, { authorization: `Bearer ${beckon.key}` });
  t.after(() => stream.close());
  const wildcard = await openSse(`${base}/v1/events/stream?type=custom.*`, { authorization: `Bearer ${beckon.key}` });
  t.after(() => wildcard.close());

  const first = await record(beckon, 'order_placed', 'a@example.com');
  const second = await record(beckon, 'cart_abandoned', 'a@example.com');
  const third = await record(beckon, 'order_placed', 'b@example.com');
  const frames = await stream.waitFrames(2);
  assert.deepEqual(frames.map((f) => [f.id, f.event]), [[first.uuid, 'custom.order_placed'], [third.uuid, 'custom.order_placed']]);
  assert.deepEqual(JSON.parse(frames[0].data).payload, first);
  const all = await wildcard.waitFrames(3);
  assert.deepEqual(all.map((f) => f.id), [first.uuid, second.uuid, third.uuid]);
  await new Promise((resolve) => setTimeout(resolve, 300));
  assert.equal(stream.frames.length, 2);
  assert.equal(wildcard.frames.length, 3);

  const types = async (query: string) => (await beckon.call('GET', `/v1/events${query}`)).json().events.map((e: any) => e.event);
  assert.deepEqual(await types('?type=custom.cart_abandoned'), ['custom.cart_abandoned']);
  assert.deepEqual(await types('?type=custom.*'), ['custom.order_placed', 'custom.cart_abandoned', 'custom.order_placed']);
  assert.deepEqual(await types('?type=custom.cart_abandoned,contact_created'), ['contact_created', 'custom.cart_abandoned', 'contact_created']);
  assert.deepEqual(await types(''), ['custom.order_placed', 'contact_created', 'custom.cart_abandoned', 'custom.order_placed', 'contact_created']);
  for (const bad of ['order_placed', 'custom.Bad', 'custom']) {
    const response = await beckon.call('GET', `/v1/events?type=${bad}`);
    assert.equal(response.statusCode, 400, bad);
    assert.equal(response.json().errors[0].path, 'query.type');
  }
});

test('the contact\'s history lists its custom events among its other entries, newest first, paginated', async (t) => {
  const beckon = await startBeckon();
  t.after(() => beckon.stop());
  const first = await record(beckon, 'order_placed', 'a@example.com', { order_id: 'A-1' });
  const uuid = first.contact.uuid;
  assert.equal((await beckon.call('PATCH', `/v1/contacts/${uuid}`, { body: { consent: { email: { status: 'opted_in', source: 'form' } } } })).statusCode, 200);
  const second = (await beckon.call('POST', '/v1/events', { body: { name: 'cart_abandoned', contact: { uuid }, correlation_key: 'C-9', occurred_at: '2026-01-01T00:00:00Z' } })).json().event;
  await record(beckon, 'order_placed', 'someone-else@example.com');

  const history = (await beckon.call('GET', `/v1/contacts/${uuid}/history`)).json().history;
  assert.deepEqual(history.map((h: any) => h.type), ['event', 'consent', 'event']);
  assert.deepEqual(history[0], { type: 'event', at: second.created_at, uuid: second.uuid, name: 'cart_abandoned', data: {}, correlation_key: 'C-9', occurred_at: '2026-01-01T00:00:00.000Z' });
  assert.deepEqual(history[2], { type: 'event', at: first.created_at, uuid: first.uuid, name: 'order_placed', data: { order_id: 'A-1' }, correlation_key: null, occurred_at: first.occurred_at });
  const page = (await beckon.call('GET', `/v1/contacts/${uuid}/history?limit=2&order=asc`)).json();
  assert.deepEqual(page.history.map((h: any) => h.uuid), [first.uuid, history[1].uuid]);
  const next = (await beckon.call('GET', `/v1/contacts/${uuid}/history?limit=2&order=asc&cursor=${page.meta.next_cursor}`)).json();
  assert.deepEqual(next.history.map((h: any) => h.uuid), [second.uuid]);

  // deleting the contact deletes its custom events with it
  assert.equal((await beckon.call('DELETE', `/v1/contacts/${uuid}`)).statusCode, 200);
  const left = await beckon.runtime.deps.db.selectFrom('custom_events').select('contact_id').execute();
  assert.equal(left.length, 1);
  assert.notEqual(left[0].contact_id, uuid);
});
