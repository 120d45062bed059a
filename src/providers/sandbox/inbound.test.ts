import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startBeckon } from '../../../test/helpers.ts';
import { insertChannel } from '../../channels/queries.ts';
import { newId } from '../../lib/ids.ts';
import { parseJson } from '../../lib/json.ts';

test('sandbox inbound: a customer writes in; contact created (source inbound), message received, events, last_inbound_at', async (t) => {
  const beckon = await startBeckon({}, { worker: false });
  t.after(() => beckon.stop());
  const res = await beckon.call('POST', '/v1/sandbox/inbound', { body: { from: '+39 333 765 4321', text: 'Hi, is my order shipped?' } });
  assert.equal(res.statusCode, 200, res.body);
  const message = res.json().message;
  assert.equal(message.direction, 'inbound');
  assert.equal(message.status, 'received');
  assert.deepEqual(message.status_history.map((h: { status: string }) => h.status), ['received']);
  assert.equal(message.from, '+393337654321');
  assert.equal(message.to, 'whatsapp');
  assert.equal(message.type, 'text');
  assert.deepEqual(message.content, { text: 'Hi, is my order shipped?' });
  const channels = (await beckon.call('GET', '/v1/channels')).json().channels;
  assert.equal(message.channel_uuid, channels[0].uuid);

  const contact = (await beckon.call('GET', `/v1/contacts/${message.contact.uuid}`)).json().contact;
  assert.equal(contact.phone, '+393337654321');
  assert.equal(contact.source, 'inbound');
  assert.equal(contact.last_inbound_at, message.created_at);
  assert.deepEqual((await beckon.call('GET', `/v1/messages/${message.uuid}`)).json().message, message);

  const events = await beckon.runtime.deps.db.selectFrom('events').select(['type', 'payload']).orderBy('id').execute();
  assert.deepEqual(events.map((e) => e.type), ['contact_created', 'message_created', 'conversation_opened'], 'the message opens the contact\'s conversation in its transaction');
  assert.equal(parseJson<{ uuid: string }>(events[1].payload, { uuid: '' }).uuid, message.uuid);

  const again = await beckon.call('POST', '/v1/sandbox/inbound', { body: { from: '393337654321', type: 'image', url: 'https://cdn.example.com/p.jpg', text: 'this one' } });
  assert.equal(again.statusCode, 200, again.body);
  assert.equal(again.json().message.contact.uuid, message.contact.uuid, 'the known contact is reused');
  assert.deepEqual(again.json().message.content, { url: 'https://cdn.example.com/p.jpg', text: 'this one' });
  const after = (await beckon.call('GET', `/v1/contacts/${message.contact.uuid}`)).json().contact;
  assert.equal(after.last_inbound_at, again.json().message.created_at);
  assert.equal((await beckon.runtime.deps.db.selectFrom('events').select('id').where('type', '=', 'contact_created').execute()).length, 1);
});

test('sandbox inbound: validation paths; a channel that is not a sandbox channel of the workspace is a 404', async (t) => {
  const beckon = await startBeckon({}, { worker: false });
  t.after(() => beckon.stop());
  const inbound = (body: unknown, key?: string) => beckon.call('POST', '/v1/sandbox/inbound', { body, ...(key ? { key } : {}) });
  const cases: [unknown, string][] = [
    [{ text: 'hi' }, 'body.from'],
    [{ from: 'abc', text: 'hi' }, 'body.from'],
    [{ from: '+393337654321' }, 'body.text'],
    [{ from: '+393337654321', type: 'image', text: 'no url' }, 'body.url'],
    [{ from: '+393337654321', type: 'audio', url: 'file:///etc/passwd' }, 'body.url'],
    [{ from: '+393337654321', type: 'gif', url: 'https://x.test/a.gif' }, 'body.type'],
    [{ from: '+393337654321', text: 'x'.repeat(4097) }, 'body.text'],
    [{ from: '+393337654321', text: 'hi', channel_uuid: 'x' }, 'body.channel_uuid'],
  ];
  for (const [body, path] of cases) {
    const res = await inbound(body);
    assert.equal(res.statusCode, 400, `${JSON.stringify(body)}: ${res.body}`);
    assert.ok(res.json().errors.some((e: { path: string }) => e.path === path), `${path}: ${res.body}`);
  }

  const workspaceId = (await beckon.call('GET', '/v1/auth/me')).json().workspace.uuid;
  const realId = newId();
  const now = new Date().toISOString();
  await insertChannel(beckon.runtime.deps.db, { id: realId, workspace_id: workspaceId, type: 'whatsapp', provider: 'whatsapp_cloud', title: 'Real', config: '{}', is_default: 0, created_at: now, updated_at: now });
  const otherKey = await beckon.newWorkspace('other');
  const otherSandbox = (await beckon.call('GET', '/v1/channels', { key: otherKey })).json().channels[0].uuid;
  for (const channel_uuid of [realId, otherSandbox, newId()]) {
    const res = await inbound({ from: '+393337654321', text: 'hi', channel_uuid });
    assert.equal(res.statusCode, 404, res.body);
    assert.equal(res.json().errors[0].path, 'body.channel_uuid');
  }
  const own = await inbound({ from: '+393337654321', text: 'hi', channel_uuid: otherSandbox }, otherKey);
  assert.equal(own.statusCode, 200);
  assert.equal((await beckon.runtime.deps.db.selectFrom('messages').select('id').execute()).length, 1);
  const readKey = (await beckon.call('POST', '/v1/api_keys', { body: { name: 'ro', scopes: ['read'] } })).json().api_key.key;
  assert.equal((await inbound({ from: '+393337654321', text: 'hi' }, readKey)).statusCode, 403);
});
