import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Webhook } from 'standardwebhooks';
import { startBeckon } from '../../test/helpers.ts';
import { Receiver } from '../../test/receiver.ts';
import { createHook, emit, workspaceOf } from './test-support.ts';

test('Callbell subscribe/unsubscribe: one managed endpoint per workspace, created then updated, signed, removed alone', async (t) => {
  const beckon = await startBeckon();
  const receiver = await Receiver.start();
  t.after(async () => {
    await receiver.stop();
    await beckon.stop();
  });
  const mine = await createHook(beckon, { url: receiver.url('/mine'), events: ['contact_created'] });

  const created = await beckon.call('POST', '/v1/webhooks/subscribe', { body: { url: receiver.url('/callbell'), subscriptions: ['message_created'] } });
  assert.equal(created.statusCode, 201);
  const webhook = created.json().webhook;
  assert.deepEqual(Object.keys(webhook).sort(), ['createdAt', 'enabled', 'secret', 'subscriptions', 'url', 'uuid']);
  assert.equal(webhook.url, receiver.url('/callbell'));
  assert.deepEqual(webhook.subscriptions, ['message_created']);
  assert.equal(webhook.enabled, true);
  assert.match(webhook.secret, /^whsec_/);

  const updated = await beckon.call('POST', '/v1/webhooks/subscribe', { body: { url: receiver.url('/callbell2'), subscriptions: ['message_created', 'message_status_updated'] } });
  assert.equal(updated.statusCode, 200);
  assert.equal(updated.json().webhook.uuid, webhook.uuid);
  assert.equal(updated.json().webhook.secret, webhook.secret);
  assert.equal(updated.json().webhook.createdAt, webhook.createdAt);
  assert.deepEqual(updated.json().webhook.subscriptions, ['message_created', 'message_status_updated']);
  const list = (await beckon.call('GET', '/v1/webhooks')).json().webhooks;
  assert.deepEqual(list.map((w: { uuid: string; origin: string }) => [w.uuid, w.origin]).sort(), [[mine.uuid, 'api'], [webhook.uuid, 'callbell_subscribe']].sort());

  const eventId = await emit(beckon, await workspaceOf(beckon), 'message_status_updated', { uuid: 'm-1', status: 'read' });
  const [request] = await receiver.waitForRequests(1);
  assert.equal(request.path, '/callbell2');
  const body = new Webhook(webhook.secret).verify(request.body, request.headers) as Record<string, unknown>;
  assert.deepEqual(body, { event: 'message_status_updated', payload: { uuid: 'm-1', status: 'read' }, id: eventId, created_at: body.created_at });

  const bad = await beckon.call('POST', '/v1/webhooks/subscribe', { body: { url: receiver.url(), subscriptions: ['message_created', 'conversation_exploded'] } });
  assert.equal(bad.statusCode, 400);
  assert.equal(bad.json().errors[0].path, 'body.subscriptions.1');

  const other = await beckon.newWorkspace('other');
  const theirs = await beckon.call('POST', '/v1/webhooks/subscribe', { key: other, body: { url: receiver.url('/theirs'), subscriptions: ['contact_deleted'] } });
  assert.equal(theirs.statusCode, 201);
  assert.notEqual(theirs.json().webhook.uuid, webhook.uuid);

  const gone = await beckon.call('DELETE', '/v1/webhooks/unsubscribe');
  assert.equal(gone.statusCode, 200);
  assert.deepEqual(gone.json(), { status: 'webhook was destroyed' });
  assert.deepEqual((await beckon.call('GET', '/v1/webhooks')).json().webhooks.map((w: { uuid: string }) => w.uuid), [mine.uuid]);
  assert.equal((await beckon.call('DELETE', '/v1/webhooks/unsubscribe')).statusCode, 404);
  assert.equal((await beckon.call('GET', `/v1/webhooks/${theirs.json().webhook.uuid}`, { key: other })).statusCode, 200);
});
