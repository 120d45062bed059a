import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Webhook } from 'standardwebhooks';
import { startBeckon, type TestBeckon } from '../../test/helpers.ts';
import { Receiver } from '../../test/receiver.ts';
import { randomBytes } from 'node:crypto';
import { SecretBox, SecretBoxError } from '../lib/secret-box.ts';
import { openWebhookSecret, sealPlaintextWebhookSecrets, sealWebhookSecret } from './secrets.ts';
import { createHook, emit, workspaceOf } from './test-support.ts';

async function storedSecrets(beckon: TestBeckon, id: string) {
  return beckon.runtime.deps.db.selectFrom('webhook_endpoints').select(['secret', 'previous_secret']).where('id', '=', id).executeTakeFirstOrThrow();
}

test('webhook signing secrets are sealed at rest; answers and signatures are unchanged', async (t) => {
  const beckon = await startBeckon();
  const receiver = await Receiver.start();
  t.after(async () => {
    await receiver.stop();
    await beckon.stop();
  });
  const hook = await createHook(beckon, { url: receiver.url(), events: ['contact_created'] });
  assert.match(hook.secret, /^whsec_/);
  const stored = await storedSecrets(beckon, hook.uuid);
  assert.doesNotMatch(stored.secret, /whsec_/);
  assert.ok(!stored.secret.includes(hook.secret.slice(6)), 'the stored value is not the secret');
  assert.match(stored.secret, /^v1\./);

  const ws = await workspaceOf(beckon);
  await emit(beckon, ws, 'contact_created', { uuid: 'c-1' });
  const [first] = await receiver.waitForRequests(1);
  new Webhook(hook.secret).verify(first.body, first.headers);

  const rotated = (await beckon.call('POST', `/v1/webhooks/${hook.uuid}/rotate_secret`)).json().webhook;
  const after = await storedSecrets(beckon, hook.uuid);
  assert.doesNotMatch(`${after.secret} ${after.previous_secret}`, /whsec_/);
  await emit(beckon, ws, 'contact_created', { uuid: 'c-2' });
  const [, second] = await receiver.waitForRequests(2);
  new Webhook(rotated.secret).verify(second.body, second.headers);
  new Webhook(hook.secret).verify(second.body, second.headers);

  const callbell = (await beckon.call('POST', '/v1/webhooks/subscribe', { body: { url: receiver.url('/cb'), subscriptions: ['contact_created'] } })).json();
  assert.match(callbell.webhook.secret, /^whsec_/);
  assert.doesNotMatch((await storedSecrets(beckon, callbell.webhook.uuid)).secret, /whsec_/);
});

test('webhook secrets stored in plaintext (before sealing) keep signing and are sealed at start', async (t) => {
  const beckon = await startBeckon();
  const receiver = await Receiver.start();
  t.after(async () => {
    await receiver.stop();
    await beckon.stop();
  });
  const { db, secrets } = beckon.runtime.deps;
  const hook = await createHook(beckon, { url: receiver.url(), events: ['contact_created'] });
  const old = 'whsec_' + Buffer.alloc(32, 7).toString('base64');
  await db.updateTable('webhook_endpoints').set({ secret: hook.secret, previous_secret: old, previous_secret_expires_at: new Date(Date.now() + 60_000).toISOString() })
    .where('id', '=', hook.uuid).execute();

  const ws = await workspaceOf(beckon);
  await emit(beckon, ws, 'contact_created', { uuid: 'c-1' });
  const [first] = await receiver.waitForRequests(1);
  new Webhook(hook.secret).verify(first.body, first.headers);
  new Webhook(old).verify(first.body, first.headers);

  assert.equal(await sealPlaintextWebhookSecrets(db, secrets), 1);
  const sealed = await storedSecrets(beckon, hook.uuid);
  assert.doesNotMatch(`${sealed.secret} ${sealed.previous_secret}`, /whsec_/);
  assert.equal(await sealPlaintextWebhookSecrets(db, secrets), 0, 'nothing left to seal');

  await emit(beckon, ws, 'contact_created', { uuid: 'c-2' });
  const [, second] = await receiver.waitForRequests(2);
  new Webhook(hook.secret).verify(second.body, second.headers);
  new Webhook(old).verify(second.body, second.headers);
});

test('an opened secret is kept per key and sealed text: it opens only for its endpoint and only with its key', () => {
  const box = new SecretBox(randomBytes(32));
  const sealed = sealWebhookSecret(box, 'endpoint-a', 'whsec_one');
  assert.equal(openWebhookSecret(box, 'endpoint-a', sealed), 'whsec_one');
  assert.equal(openWebhookSecret(box, 'endpoint-a', sealed), 'whsec_one', 'kept');
  assert.throws(() => openWebhookSecret(box, 'endpoint-b', sealed), SecretBoxError, 'bound to its endpoint even once kept');
  assert.throws(() => openWebhookSecret(new SecretBox(randomBytes(32)), 'endpoint-a', sealed), SecretBoxError, 'another key opens nothing kept by this one');
  const altered = sealed.slice(0, -2) + (sealed.at(-2) === 'A' ? 'B' : 'A') + sealed.slice(-1);
  assert.throws(() => openWebhookSecret(box, 'endpoint-a', altered), SecretBoxError, 'an altered text is opened anew, and fails');
  assert.equal(openWebhookSecret(box, 'endpoint-a', 'whsec_plain'), 'whsec_plain');
});
