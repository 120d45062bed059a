import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Webhook } from 'standardwebhooks';
import { startBeckon } from '../../test/helpers.ts';
import { Receiver } from '../../test/receiver.ts';
import { createHook, deliveriesOf, emit, waitForDelivery, workspaceOf } from './test-support.ts';

test('POST /v1/webhooks/:uuid/test sends a signed webhook_test event and returns the delivery with its attempt', async (t) => {
  const beckon = await startBeckon({ BECKON_WEBHOOK_RETRY_SCHEDULE: '3600' });
  const receiver = await Receiver.start();
  t.after(async () => {
    await receiver.stop();
    await beckon.stop();
  });
  const hook = await createHook(beckon, { url: receiver.url(), events: ['message_created'] });
  const res = await beckon.call('POST', `/v1/webhooks/${hook.uuid}/test`);
  assert.equal(res.statusCode, 201);
  const delivery = res.json().delivery;
  assert.equal(delivery.webhook_uuid, hook.uuid);
  assert.equal(delivery.event_type, 'webhook_test');
  assert.equal(delivery.status, 'succeeded');
  assert.equal(delivery.attempts.length, 1);
  assert.equal(delivery.attempts[0].status_code, 200);
  assert.equal(typeof delivery.attempts[0].latency_ms, 'number');

  assert.equal(receiver.requests.length, 1);
  const body = new Webhook(hook.secret).verify(receiver.requests[0].body, receiver.requests[0].headers) as Record<string, any>;
  assert.equal(body.event, 'webhook_test');
  assert.equal(body.id, delivery.event_uuid);
  assert.equal(body.payload.webhook_uuid, hook.uuid);

  // a failing endpoint: the answer says so, and the retry is scheduled
  receiver.next({ status: 500, body: 'x'.repeat(3000) });
  const failing = (await beckon.call('POST', `/v1/webhooks/${hook.uuid}/test`)).json().delivery;
  assert.equal(failing.status, 'pending');
  assert.equal(failing.attempts[0].status_code, 500);
  assert.equal(failing.attempts[0].error, 'HTTP 500');
  assert.equal(failing.attempts[0].response_excerpt, 'x'.repeat(1024));
  assert.ok(failing.next_attempt_at);

  // a disabled endpoint can still be tested (once; no retries while disabled)
  await beckon.call('PATCH', `/v1/webhooks/${hook.uuid}`, { body: { enabled: false } });
  receiver.next({ status: 503 });
  const disabled = (await beckon.call('POST', `/v1/webhooks/${hook.uuid}/test`)).json().delivery;
  assert.equal(disabled.attempts[0].status_code, 503);
  assert.equal(disabled.status, 'failed');
  assert.equal(receiver.requests.length, 3);
  assert.equal((await beckon.call('POST', '/v1/webhooks/01890000-0000-7000-8000-000000000000/test')).statusCode, 404);
});

test('deliveries log: newest first, cursor pages, status filter, attempts; events reach only their workspace', async (t) => {
  const beckon = await startBeckon({ BECKON_WEBHOOK_RETRY_SCHEDULE: '0' });
  const receiver = await Receiver.start();
  t.after(async () => {
    await receiver.stop();
    await beckon.stop();
  });
  receiver.answer((request) => ({ status: JSON.parse(request.body).payload.fail ? 500 : 204 }));
  const ws = await workspaceOf(beckon);
  const hook = await createHook(beckon, { url: receiver.url(), events: ['contact_created', 'contact_updated'] });
  const otherKey = await beckon.newWorkspace('other');
  const otherHook = await createHook(beckon, { url: receiver.url('/other'), events: ['*'] }, otherKey);

  const ids: string[] = [];
  for (const payload of [{ n: 1 }, { n: 2, fail: true }, { n: 3 }]) {
    ids.push(await emit(beckon, ws, 'contact_created', payload));
    await waitForDelivery(beckon, hook.uuid, `delivery ${payload.n} finished`, (d) => d.event_uuid === ids.at(-1) && d.status !== 'pending');
  }
  const all = await deliveriesOf(beckon, hook.uuid);
  assert.deepEqual(all.map((d) => d.event_uuid), [...ids].reverse());
  assert.deepEqual(all.map((d) => d.status), ['succeeded', 'failed', 'succeeded']);
  assert.deepEqual(all[1].attempts.map((a) => [a.attempt, a.status_code, a.error]), [[1, 500, 'HTTP 500'], [2, 500, 'HTTP 500']]);
  assert.deepEqual(all[0].attempts.map((a) => [a.attempt, a.status_code, a.error]), [[1, 204, null]]);

  const first = await beckon.call('GET', `/v1/webhooks/${hook.uuid}/deliveries?limit=2`);
  assert.deepEqual(first.json().deliveries.map((d: { event_uuid: string }) => d.event_uuid), [ids[2], ids[1]]);
  const second = await beckon.call('GET', `/v1/webhooks/${hook.uuid}/deliveries?limit=2&cursor=${first.json().meta.next_cursor}`);
  assert.deepEqual(second.json().deliveries.map((d: { event_uuid: string }) => d.event_uuid), [ids[0]]);
  assert.equal(second.json().meta.next_cursor, null);
  const failed = await deliveriesOf(beckon, hook.uuid, '&status=failed');
  assert.deepEqual(failed.map((d) => d.event_uuid), [ids[1]]);
  const bad = await beckon.call('GET', `/v1/webhooks/${hook.uuid}/deliveries?status=lost`);
  assert.equal(bad.statusCode, 400);
  assert.equal(bad.json().errors[0].path, 'query.status');
  const one = await beckon.call('GET', `/v1/webhooks/deliveries/${all[1].uuid}`);
  assert.deepEqual(one.json().delivery, all[1]);

  // the other workspace's endpoint (subscribed to everything) got nothing of this workspace
  assert.equal(receiver.requests.filter((r) => r.path === '/other').length, 0);
  assert.equal((await beckon.call('GET', `/v1/webhooks/${otherHook.uuid}/deliveries`)).statusCode, 404);
  const otherList = await beckon.call('GET', `/v1/webhooks/${otherHook.uuid}/deliveries`, { key: otherKey });
  assert.deepEqual(otherList.json().deliveries, []);
});

test('manual retry: a failed or succeeded delivery is attempted again now; a pending one is a 409; so is one whose endpoint is disabled', async (t) => {
  const beckon = await startBeckon({ BECKON_WEBHOOK_RETRY_SCHEDULE: '0' });
  const receiver = await Receiver.start();
  t.after(async () => {
    await receiver.stop();
    await beckon.stop();
  });
  receiver.answer({ status: 500 });
  const ws = await workspaceOf(beckon);
  const hook = await createHook(beckon, { url: receiver.url(), events: ['message_created'] });
  const eventId = await emit(beckon, ws, 'message_created', { uuid: 'm-1' });
  const failed = await waitForDelivery(beckon, hook.uuid, 'a failed delivery', (d) => d.status === 'failed');
  assert.equal(failed.attempt_count, 2);

  receiver.answer({ status: 200 });
  const retried = await beckon.call('POST', `/v1/webhooks/deliveries/${failed.uuid}/retry`);
  assert.equal(retried.statusCode, 202);
  assert.equal(retried.json().delivery.status, 'pending');
  const succeeded = await waitForDelivery(beckon, hook.uuid, 'the retried delivery to succeed', (d) => d.status === 'succeeded');
  assert.deepEqual(succeeded.attempts.map((a) => [a.attempt, a.status_code]), [[1, 500], [2, 500], [3, 200]]);
  assert.deepEqual(new Set(receiver.requests.map((r) => r.headers['webhook-id'])), new Set([eventId]));

  // a succeeded delivery may be sent again; while it is pending, a second retry is refused
  receiver.hold();
  assert.equal((await beckon.call('POST', `/v1/webhooks/deliveries/${failed.uuid}/retry`)).statusCode, 202);
  const conflict = await beckon.call('POST', `/v1/webhooks/deliveries/${failed.uuid}/retry`);
  assert.equal(conflict.statusCode, 409);
  assert.equal(conflict.json().code, 'delivery_not_retryable');
  await receiver.waitForRequests(4);
  receiver.release();
  const again = await waitForDelivery(beckon, hook.uuid, 'the second retry to succeed', (d) => d.attempt_count === 4 && d.status === 'succeeded');
  assert.equal(again.attempts.length, 4);

  await beckon.call('PATCH', `/v1/webhooks/${hook.uuid}`, { body: { enabled: false } });
  const refused = await beckon.call('POST', `/v1/webhooks/deliveries/${failed.uuid}/retry`);
  assert.equal(refused.statusCode, 409);
  assert.match(refused.json().detail, /disabled through the API/);
  assert.equal((await beckon.call('POST', '/v1/webhooks/deliveries/01890000-0000-7000-8000-000000000000/retry')).statusCode, 404);
});
