import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Webhook } from 'standardwebhooks';
import { startBeckon } from '../../test/helpers.ts';
import { Receiver } from '../../test/receiver.ts';
import { randomBytes } from 'node:crypto';
import { newWebhookSecret, signatureHeader } from './sign.ts';
import { createHook, emit, waitForDelivery, workspaceOf } from './test-support.ts';

test('deliveries are signed per Standard Webhooks and verify with the standardwebhooks library', async (t) => {
  const beckon = await startBeckon();
  const receiver = await Receiver.start();
  t.after(async () => {
    await receiver.stop();
    await beckon.stop();
  });
  const hook = await createHook(beckon, { url: receiver.url(), events: ['contact_created'] });
  assert.match(hook.secret, /^whsec_[A-Za-z0-9+/]+={0,2}$/);
  assert.equal(Buffer.from(hook.secret.slice(6), 'base64').length, 32);

  const ws = await workspaceOf(beckon);
  const eventId = await emit(beckon, ws, 'contact_created', { uuid: 'c-1', name: 'Ada', phone: '+393331234567' });
  const [request] = await receiver.waitForRequests(1);

  assert.equal(request.method, 'POST');
  assert.equal(request.path, '/hook');
  assert.equal(request.headers['content-type'], 'application/json');
  assert.equal(request.headers['user-agent'], 'Beckon-Webhooks/1');
  assert.equal(request.headers['webhook-id'], eventId);
  assert.match(request.headers['webhook-timestamp'], /^\d{10}$/);
  assert.match(request.headers['webhook-signature'], /^v1,[A-Za-z0-9+/]+={0,2}$/);

  const verified = new Webhook(hook.secret).verify(request.body, request.headers) as Record<string, unknown>;
  assert.deepEqual(Object.keys(verified), ['event', 'payload', 'id', 'created_at']);
  assert.equal(verified.event, 'contact_created');
  assert.deepEqual(verified.payload, { uuid: 'c-1', name: 'Ada', phone: '+393331234567' });
  assert.equal(verified.id, eventId);
  assert.match(String(verified.created_at), /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);

  // a tampered body or another secret does not verify
  assert.throws(() => new Webhook(hook.secret).verify(request.body.replace('Ada', 'Eve'), request.headers), /No matching signature/);
  const other = await createHook(beckon, { url: receiver.url('/other'), events: ['message_created'] });
  assert.throws(() => new Webhook(other.secret).verify(request.body, request.headers), /No matching signature/);

  const delivery = await waitForDelivery(beckon, hook.uuid, 'a succeeded delivery', (d) => d.status === 'succeeded');
  assert.equal(delivery.event_uuid, eventId);
  assert.equal(delivery.attempts.length, 1);
  assert.equal(delivery.attempts[0].status_code, 200);
  assert.equal(delivery.attempts[0].response_excerpt, 'ok');
  // the endpoint subscribed to message_created only got nothing
  assert.equal(receiver.requests.filter((r) => r.path === '/other').length, 0);
});

test('rotate_secret: the new secret is shown once, both secrets sign during the overlap, only the new one after it', async (t) => {
  const beckon = await startBeckon();
  const receiver = await Receiver.start();
  t.after(async () => {
    await receiver.stop();
    await beckon.stop();
  });
  const hook = await createHook(beckon, { url: receiver.url(), events: ['*'] });
  const ws = await workspaceOf(beckon);

  const rotated = await beckon.call('POST', `/v1/webhooks/${hook.uuid}/rotate_secret`);
  assert.equal(rotated.statusCode, 200);
  const fresh = rotated.json().webhook;
  assert.match(fresh.secret, /^whsec_/);
  assert.notEqual(fresh.secret, hook.secret);
  const overlapEnds = Date.parse(fresh.previous_secret_expires_at);
  assert.ok(Math.abs(overlapEnds - (Date.now() + 24 * 3600 * 1000)) < 60_000, fresh.previous_secret_expires_at);
  const shown = await beckon.call('GET', `/v1/webhooks/${hook.uuid}`);
  assert.equal('secret' in shown.json().webhook, false);
  assert.equal(shown.json().webhook.previous_secret_expires_at, fresh.previous_secret_expires_at);

  await emit(beckon, ws, 'message_created', { uuid: 'm-1' });
  const [during] = await receiver.waitForRequests(1);
  const signatures = during.headers['webhook-signature'].split(' ');
  assert.equal(signatures.length, 2);
  for (const secret of [fresh.secret, hook.secret]) new Webhook(secret).verify(during.body, during.headers);
  // each signature belongs to one secret: the new one first
  const only = (sig: string) => ({ ...during.headers, 'webhook-signature': sig });
  new Webhook(fresh.secret).verify(during.body, only(signatures[0]));
  new Webhook(hook.secret).verify(during.body, only(signatures[1]));

  // end the overlap
  await beckon.runtime.deps.db.updateTable('webhook_endpoints').set({ previous_secret_expires_at: new Date(Date.now() - 1000).toISOString() }).where('id', '=', hook.uuid).execute();
  await emit(beckon, ws, 'message_created', { uuid: 'm-2' });
  const after = (await receiver.waitForRequests(2))[1];
  assert.equal(after.headers['webhook-signature'].split(' ').length, 1);
  new Webhook(fresh.secret).verify(after.body, after.headers);
  assert.throws(() => new Webhook(hook.secret).verify(after.body, after.headers), /No matching signature/);
  assert.equal((await beckon.call('GET', `/v1/webhooks/${hook.uuid}`)).json().webhook.previous_secret_expires_at, null);

  const missing = await beckon.call('POST', '/v1/webhooks/01890000-0000-7000-8000-000000000000/rotate_secret');
  assert.equal(missing.statusCode, 404);
});

test('signatureHeader signs exactly as the standardwebhooks library does, for any secret it accepts, and refuses what it refuses', () => {
  const at = new Date('2026-12-07T05:00:00.999Z');
  const secrets = [newWebhookSecret(), newWebhookSecret(), `whsec_${randomBytes(24).toString('base64')}`, randomBytes(40).toString('base64')];
  for (const secret of secrets) {
    for (const body of ['{"event":"x","payload":{"text":"héllo ✓ 👋"}}', '', 'x'.repeat(5000)]) {
      assert.equal(signatureHeader([secret], 'msg_1.2', at, body), new Webhook(secret).sign('msg_1.2', at, body));
    }
  }
  const [current, previous] = secrets;
  assert.equal(signatureHeader([current, previous], 'id', at, '{}'), `${new Webhook(current).sign('id', at, '{}')} ${new Webhook(previous).sign('id', at, '{}')}`);
  assert.throws(() => signatureHeader(['whsec_'], 'id', at, '{}'), /empty/);
});
