import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startBeckon, waitFor } from '../../test/helpers.ts';
import { Receiver } from '../../test/receiver.ts';
import { createHook, deliveriesOf, emit, waitForDelivery, workspaceOf } from './test-support.ts';

test('a receiver that fails three times then answers 2xx gets the same signed event until it succeeds', async (t) => {
  const beckon = await startBeckon({ BECKON_WEBHOOK_RETRY_SCHEDULE: '0,0,0' });
  const receiver = await Receiver.start();
  t.after(async () => {
    await receiver.stop();
    await beckon.stop();
  });
  receiver.next({ status: 500, body: 'boom' }, { status: 502 }, { hangUp: true });
  const hook = await createHook(beckon, { url: receiver.url(), events: ['message_created'] });
  const eventId = await emit(beckon, await workspaceOf(beckon), 'message_created', { uuid: 'm-1' });

  const delivery = await waitForDelivery(beckon, hook.uuid, 'a succeeded delivery', (d) => d.status === 'succeeded');
  assert.equal(delivery.attempt_count, 4);
  assert.deepEqual(delivery.attempts.map((a) => a.attempt), [1, 2, 3, 4]);
  assert.deepEqual(delivery.attempts.map((a) => a.status_code), [500, 502, null, 200]);
  assert.deepEqual(delivery.attempts.slice(0, 2).map((a) => a.error), ['HTTP 500', 'HTTP 502']);
  assert.equal(delivery.attempts[0].response_excerpt, 'boom');
  assert.ok(delivery.attempts[2].error && delivery.attempts[2].error.length > 0);
  assert.equal(delivery.attempts[3].error, null);
  assert.equal(delivery.last_status_code, 200);
  assert.equal(delivery.last_error, null);
  assert.equal(delivery.next_attempt_at, null);
  assert.equal(receiver.requests.length, 4);
  assert.deepEqual(new Set(receiver.requests.map((r) => r.headers['webhook-id'])), new Set([eventId]));
  assert.deepEqual(new Set(receiver.requests.map((r) => r.body)).size, 1);
  const endpoint = (await beckon.call('GET', `/v1/webhooks/${hook.uuid}`)).json().webhook;
  assert.equal(endpoint.failing_since, null);
  assert.equal(endpoint.enabled, true);
  const metrics = await beckon.runtime.deps.metrics.registry.getSingleMetricAsString('beckon_webhook_attempts_total');
  assert.match(metrics, /outcome="success"} 1/);
  assert.match(metrics, /outcome="failure"} 3/);
});

test('3xx is a failure and is never followed; exhausted retries fail the delivery; failing long enough disables the endpoint', async (t) => {
  const beckon = await startBeckon({ BECKON_WEBHOOK_RETRY_SCHEDULE: '0' });
  const receiver = await Receiver.start();
  t.after(async () => {
    await receiver.stop();
    await beckon.stop();
  });
  receiver.answer((request) => (request.path === '/moved' ? { status: 200 } : { status: 302, headers: { location: receiver.url('/moved') } }));
  const ws = await workspaceOf(beckon);
  const hook = await createHook(beckon, { url: receiver.url(), events: ['contact_updated'] });
  await emit(beckon, ws, 'contact_updated', { uuid: 'c-1' });

  const failed = await waitForDelivery(beckon, hook.uuid, 'a failed delivery', (d) => d.status === 'failed');
  assert.equal(failed.attempt_count, 2);
  assert.deepEqual(failed.attempts.map((a) => a.status_code), [302, 302]);
  assert.equal(failed.last_error, 'HTTP 302: redirects are not followed');
  assert.equal(receiver.requests.filter((r) => r.path === '/moved').length, 0);

  // the endpoint has failed for less than BECKON_WEBHOOK_DISABLE_AFTER_HOURS (24): still enabled, failing_since set
  let endpoint = (await beckon.call('GET', `/v1/webhooks/${hook.uuid}`)).json().webhook;
  assert.equal(endpoint.enabled, true);
  assert.ok(endpoint.failing_since);

  // pretend it has been failing for 25 hours: the next exhausted delivery disables it and says why
  const since = new Date(Date.now() - 25 * 3600 * 1000).toISOString();
  await beckon.runtime.deps.db.updateTable('webhook_endpoints').set({ failing_since: since }).where('id', '=', hook.uuid).execute();
  await emit(beckon, ws, 'contact_updated', { uuid: 'c-2' });
  endpoint = await waitFor('the endpoint disabled', async () => {
    const e = (await beckon.call('GET', `/v1/webhooks/${hook.uuid}`)).json().webhook;
    return e.enabled ? undefined : e;
  });
  assert.equal(endpoint.disabled_reason, `disabled after failing since ${since}: HTTP 302: redirects are not followed`);
  assert.ok(endpoint.disabled_at);

  // a disabled endpoint receives nothing more
  await emit(beckon, ws, 'contact_updated', { uuid: 'c-3' });
  await emit(beckon, ws, 'contact_deleted', { uuid: 'c-3' });
  const other = await createHook(beckon, { url: receiver.url('/moved'), events: ['contact_deleted'] });
  await emit(beckon, ws, 'contact_deleted', { uuid: 'c-4' });
  await waitForDelivery(beckon, other.uuid, 'the other endpoint served', (d) => d.status === 'succeeded');
  assert.equal((await deliveriesOf(beckon, hook.uuid)).length, 2);

  // re-enabling clears the reason and the failure streak
  const enabled = await beckon.call('PATCH', `/v1/webhooks/${hook.uuid}`, { body: { enabled: true } });
  assert.equal(enabled.statusCode, 200);
  assert.equal(enabled.json().webhook.enabled, true);
  assert.equal(enabled.json().webhook.disabled_reason, null);
  assert.equal(enabled.json().webhook.disabled_at, null);
  assert.equal(enabled.json().webhook.failing_since, null);
});

test('410 Gone disables the endpoint at once and stops its other pending deliveries', async (t) => {
  const beckon = await startBeckon({ BECKON_WEBHOOK_RETRY_SCHEDULE: '3600' });
  const receiver = await Receiver.start();
  t.after(async () => {
    await receiver.stop();
    await beckon.stop();
  });
  receiver.next({ status: 500 }).answer({ status: 410, body: 'gone' });
  const ws = await workspaceOf(beckon);
  const hook = await createHook(beckon, { url: receiver.url(), events: ['message_status_updated'] });
  await emit(beckon, ws, 'message_status_updated', { uuid: 'm-1', status: 'sent' });
  const waiting = await waitForDelivery(beckon, hook.uuid, 'a first failed attempt', (d) => d.attempt_count === 1);
  assert.equal(waiting.status, 'pending');
  assert.ok(Date.parse(waiting.next_attempt_at as string) > Date.now() + 2000 * 1000);

  await emit(beckon, ws, 'message_status_updated', { uuid: 'm-1', status: 'delivered' });
  const endpoint = await waitFor('the endpoint disabled', async () => {
    const e = (await beckon.call('GET', `/v1/webhooks/${hook.uuid}`)).json().webhook;
    return e.enabled ? undefined : e;
  });
  assert.match(endpoint.disabled_reason, /^the endpoint answered 410 Gone at \d{4}-/);
  const deliveries = await deliveriesOf(beckon, hook.uuid);
  assert.deepEqual(deliveries.map((d) => d.status), ['failed', 'failed']);
  assert.equal(deliveries[0].attempts[0].status_code, 410);
  assert.equal(deliveries[0].attempts[0].response_excerpt, 'gone');
  assert.equal(deliveries[1].attempt_count, 1);
  assert.equal(deliveries[1].next_attempt_at, null);
  assert.match(deliveries[1].last_error as string, /^endpoint disabled: the endpoint answered 410 Gone/);
  const metrics = await beckon.runtime.deps.metrics.registry.getSingleMetricAsString('beckon_webhook_attempts_total');
  assert.match(metrics, /outcome="disabled"} 1/);
});
