import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startBeckon } from '../../test/helpers.ts';

const URL_A = 'http://127.0.0.1:9/a';
const MISSING = '01890000-0000-7000-8000-000000000000';

test('webhooks CRUD: create shows the secret once, list, get, patch, delete', async (t) => {
  const beckon = await startBeckon();
  t.after(() => beckon.stop());

  const created = await beckon.call('POST', '/v1/webhooks', { body: { url: URL_A, events: ['message_created', 'contact_created', 'message_created'], description: 'CRM sync' } });
  assert.equal(created.statusCode, 201);
  const hook = created.json().webhook;
  assert.match(hook.uuid, /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-/);
  assert.match(hook.secret, /^whsec_/);
  assert.deepEqual({ ...hook, uuid: undefined, secret: undefined, created_at: undefined, updated_at: undefined }, {
    uuid: undefined, secret: undefined, created_at: undefined, updated_at: undefined,
    url: URL_A, description: 'CRM sync', events: ['message_created', 'contact_created'], enabled: true, disabled_reason: null,
    disabled_at: null, failing_since: null, previous_secret_expires_at: null, origin: 'api', format: 'beckon',
  });

  const got = await beckon.call('GET', `/v1/webhooks/${hook.uuid}`);
  assert.equal(got.statusCode, 200);
  assert.equal('secret' in got.json().webhook, false);
  assert.equal(got.json().webhook.url, URL_A);

  const second = await beckon.call('POST', '/v1/webhooks', { body: { url: 'http://127.0.0.1:9/b', events: ['*'], enabled: false } });
  assert.equal(second.statusCode, 201);
  assert.equal(second.json().webhook.enabled, false);
  assert.deepEqual(second.json().webhook.events, ['*']);

  const list = await beckon.call('GET', '/v1/webhooks?limit=1');
  assert.equal(list.statusCode, 200);
  assert.deepEqual(list.json().webhooks.map((w: { uuid: string }) => w.uuid), [second.json().webhook.uuid]);
  assert.equal('secret' in list.json().webhooks[0], false);
  const page2 = await beckon.call('GET', `/v1/webhooks?limit=1&cursor=${list.json().meta.next_cursor}`);
  assert.deepEqual(page2.json().webhooks.map((w: { uuid: string }) => w.uuid), [hook.uuid]);
  assert.equal(page2.json().meta.next_cursor, null);

  const patched = await beckon.call('PATCH', `/v1/webhooks/${hook.uuid}`, { body: { url: 'http://127.0.0.1:9/c', events: ['contact_deleted'], description: null } });
  assert.equal(patched.statusCode, 200);
  assert.equal(patched.json().webhook.url, 'http://127.0.0.1:9/c');
  assert.deepEqual(patched.json().webhook.events, ['contact_deleted']);
  assert.equal(patched.json().webhook.description, null);

  const disabled = await beckon.call('PATCH', `/v1/webhooks/${hook.uuid}`, { body: { enabled: false } });
  assert.equal(disabled.json().webhook.enabled, false);
  assert.equal(disabled.json().webhook.disabled_reason, 'disabled through the API');
  const enabled = await beckon.call('PATCH', `/v1/webhooks/${hook.uuid}`, { body: { enabled: true } });
  assert.equal(enabled.json().webhook.enabled, true);
  assert.equal(enabled.json().webhook.disabled_reason, null);

  const deleted = await beckon.call('DELETE', `/v1/webhooks/${hook.uuid}`);
  assert.equal(deleted.statusCode, 204);
  assert.equal(deleted.body, '');
  assert.equal((await beckon.call('GET', `/v1/webhooks/${hook.uuid}`)).statusCode, 404);
  assert.equal((await beckon.call('DELETE', `/v1/webhooks/${hook.uuid}`)).statusCode, 404);
});

test('webhooks validation: unknown events name body.events.N; missing, extra and malformed fields are 400s; scopes apply', async (t) => {
  const beckon = await startBeckon();
  t.after(() => beckon.stop());
  const unknown = await beckon.call('POST', '/v1/webhooks', { body: { url: URL_A, events: ['message_created', 'conversation_exploded'] } });
  assert.equal(unknown.statusCode, 400);
  assert.equal(unknown.json().code, 'validation_failed');
  assert.deepEqual(unknown.json().errors.map((e: { path: string }) => e.path), ['body.events.1']);

  const empty = await beckon.call('POST', '/v1/webhooks', { body: { url: URL_A, events: [] } });
  assert.equal(empty.statusCode, 400);
  assert.equal(empty.json().errors[0].path, 'body.events');

  const missing = await beckon.call('POST', '/v1/webhooks', { body: { events: ['message_created'] } });
  assert.deepEqual(missing.json().errors.map((e: { path: string }) => e.path), ['body.url']);

  const extra = await beckon.call('POST', '/v1/webhooks', { body: { url: URL_A, events: ['*'], secret: 'whsec_x' } });
  assert.equal(extra.statusCode, 400);

  const badPatch = await beckon.call('PATCH', `/v1/webhooks/${MISSING}`, { body: { events: ['nope'] } });
  assert.equal(badPatch.statusCode, 400);
  assert.equal(badPatch.json().errors[0].path, 'body.events.0');
  assert.equal((await beckon.call('PATCH', `/v1/webhooks/${MISSING}`, { body: { enabled: true } })).statusCode, 404);
  assert.equal((await beckon.call('GET', '/v1/webhooks/not-a-uuid')).json().errors[0].path, 'params.uuid');
  const badCursor = await beckon.call('GET', '/v1/webhooks?cursor=zzz');
  assert.equal(badCursor.statusCode, 400);
  assert.equal(badCursor.json().errors[0].path, 'query.cursor');
  assert.equal((await beckon.call('GET', '/v1/webhooks?limit=101')).json().errors[0].path, 'query.limit');

  const readKey = (await beckon.call('POST', '/v1/api_keys', { body: { name: 'ro', scopes: ['read'] } })).json().api_key.key;
  assert.equal((await beckon.call('GET', '/v1/webhooks', { key: readKey })).statusCode, 200);
  assert.equal((await beckon.call('POST', '/v1/webhooks', { key: readKey, body: { url: URL_A, events: ['*'] } })).statusCode, 403);
  assert.equal((await beckon.call('GET', '/v1/webhooks', { key: null })).statusCode, 401);
});

test('webhooks are workspace-scoped: another workspace cannot see, change, test, rotate, delete or read deliveries', async (t) => {
  const beckon = await startBeckon();
  t.after(() => beckon.stop());
  const hook = (await beckon.call('POST', '/v1/webhooks', { body: { url: URL_A, events: ['*'] } })).json().webhook;
  const probe = await beckon.call('POST', `/v1/webhooks/${hook.uuid}/test`);
  assert.equal(probe.statusCode, 201);
  const deliveryId = probe.json().delivery.uuid;
  await beckon.call('POST', '/v1/webhooks/subscribe', { body: { url: URL_A, subscriptions: ['message_created'] } });

  const other = await beckon.newWorkspace('other');
  const as = { key: other };
  assert.deepEqual((await beckon.call('GET', '/v1/webhooks', as)).json().webhooks, []);
  assert.equal((await beckon.call('GET', `/v1/webhooks/${hook.uuid}`, as)).statusCode, 404);
  assert.equal((await beckon.call('PATCH', `/v1/webhooks/${hook.uuid}`, { ...as, body: { enabled: false } })).statusCode, 404);
  assert.equal((await beckon.call('POST', `/v1/webhooks/${hook.uuid}/rotate_secret`, as)).statusCode, 404);
  assert.equal((await beckon.call('POST', `/v1/webhooks/${hook.uuid}/test`, as)).statusCode, 404);
  assert.equal((await beckon.call('GET', `/v1/webhooks/${hook.uuid}/deliveries`, as)).statusCode, 404);
  assert.equal((await beckon.call('GET', `/v1/webhooks/deliveries/${deliveryId}`, as)).statusCode, 404);
  assert.equal((await beckon.call('POST', `/v1/webhooks/deliveries/${deliveryId}/retry`, as)).statusCode, 404);
  assert.equal((await beckon.call('DELETE', `/v1/webhooks/${hook.uuid}`, as)).statusCode, 404);
  assert.equal((await beckon.call('DELETE', '/v1/webhooks/unsubscribe', as)).statusCode, 404);

  const mine = await beckon.call('GET', `/v1/webhooks/${hook.uuid}`);
  assert.equal(mine.json().webhook.enabled, true);
  assert.equal(mine.json().webhook.previous_secret_expires_at, null);
  assert.equal((await beckon.call('GET', '/v1/webhooks')).json().webhooks.length, 2);
  assert.equal((await beckon.call('GET', `/v1/webhooks/deliveries/${deliveryId}`)).statusCode, 200);
});
