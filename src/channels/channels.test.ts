import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startBeckon, type TestBeckon } from '../../test/helpers.ts';

const TWILIO = { account_sid: `AC${'a'.repeat(32)}`, auth_token: 'twilio-auth-token-0123456789', from_number: '+1 415 555 2671' };
const SMTP = { host: 'smtp.example.com', port: 587, username: 'mailer', password: 'smtp-password-secret', from_email: 'hello@example.com', from_name: 'Example' };

async function create(beckon: TestBeckon, body: unknown, key?: string) {
  return beckon.call('POST', '/v1/channels', { body, key });
}

test('channels: create, read, list, change and delete; the answer never carries a secret', async (t) => {
  const beckon = await startBeckon({ BECKON_PUBLIC_URL: 'https://beckon.example.com' }, { worker: false });
  t.after(() => beckon.stop());

  const created = await create(beckon, { type: 'sms', provider: 'twilio', title: ' Support SMS ', config: TWILIO });
  assert.equal(created.statusCode, 201);
  const channel = created.json().channel;
  assert.deepEqual(Object.keys(channel).sort(), ['callback_urls', 'config', 'created_at', 'main', 'provider', 'secrets', 'secrets_error', 'title', 'type', 'updated_at', 'uuid']);
  assert.equal(channel.title, 'Support SMS');
  assert.equal(channel.main, true, 'the first sms channel is the default sms channel');
  assert.deepEqual(channel.config, { account_sid: TWILIO.account_sid, from_number: '+14155552671' });
  assert.deepEqual(channel.secrets, { auth_token: '…6789' });
  assert.equal(channel.secrets_error, null);
  assert.deepEqual(channel.callback_urls, {
    inbound: `https://beckon.example.com/hooks/twilio/${channel.uuid}`,
    status: `https://beckon.example.com/hooks/twilio/${channel.uuid}/status`,
  });
  assert.ok(!created.body.includes(TWILIO.auth_token));

  const read = await beckon.call('GET', `/v1/channels/${channel.uuid}`);
  assert.equal(read.statusCode, 200);
  assert.deepEqual(read.json(), { channel });

  const email = (await create(beckon, { type: 'email', provider: 'smtp', title: 'Newsletter', config: SMTP })).json().channel;
  assert.deepEqual(email.config, { host: 'smtp.example.com', port: 587, username: 'mailer', from_email: 'hello@example.com', from_name: 'Example' });
  assert.deepEqual(email.secrets, { password: '…cret' });
  assert.deepEqual(email.callback_urls, {});

  const list = await beckon.call('GET', '/v1/channels');
  assert.equal(list.statusCode, 200);
  assert.deepEqual(list.json().channels.map((c: { title: string }) => c.title), ['Sandbox WhatsApp', 'Support SMS', 'Newsletter']);
  assert.deepEqual(list.json().meta, { next_cursor: null });
  assert.deepEqual((await beckon.call('GET', '/v1/channels?type=email')).json().channels.map((c: { uuid: string }) => c.uuid), [email.uuid]);
  assert.deepEqual((await beckon.call('GET', '/v1/channels?provider=sandbox')).json().channels.map((c: { title: string }) => c.title), ['Sandbox WhatsApp']);

  const page1 = (await beckon.call('GET', '/v1/channels?limit=2')).json();
  assert.equal(page1.channels.length, 2);
  const page2 = (await beckon.call('GET', `/v1/channels?limit=2&cursor=${page1.meta.next_cursor}`)).json();
  assert.deepEqual(page2.channels.map((c: { uuid: string }) => c.uuid), [email.uuid]);
  assert.equal(page2.meta.next_cursor, null);

  const renamed = await beckon.call('PATCH', `/v1/channels/${channel.uuid}`, { body: { title: 'SMS (US)' } });
  assert.equal(renamed.statusCode, 200);
  assert.equal(renamed.json().channel.title, 'SMS (US)');
  assert.deepEqual(renamed.json().channel.config, channel.config);
  assert.deepEqual(renamed.json().channel.secrets, channel.secrets);

  const deleted = await beckon.call('DELETE', `/v1/channels/${email.uuid}`);
  assert.equal(deleted.statusCode, 204);
  assert.equal(deleted.body, '');
  assert.equal((await beckon.call('GET', `/v1/channels/${email.uuid}`)).statusCode, 404);
  assert.equal((await beckon.call('DELETE', `/v1/channels/${email.uuid}`)).statusCode, 404);
});

test('channels: one default (main) per type; main moves on request and to the oldest remaining on delete', async (t) => {
  const beckon = await startBeckon({}, { worker: false });
  t.after(() => beckon.stop());
  const sandbox = (await beckon.call('GET', '/v1/channels')).json().channels[0];
  assert.equal(sandbox.main, true);

  const second = (await create(beckon, { type: 'whatsapp', provider: 'sandbox', title: 'Second', config: { strict: true } })).json().channel;
  assert.equal(second.main, false, 'a later channel is not the default unless asked');
  const third = (await create(beckon, { type: 'whatsapp', provider: 'sandbox', title: 'Third', main: true })).json().channel;
  assert.equal(third.main, true);
  const mains = async () => (await beckon.call('GET', '/v1/channels?type=whatsapp')).json().channels.filter((c: { main: boolean }) => c.main).map((c: { title: string }) => c.title);
  assert.deepEqual(await mains(), ['Third']);

  const smsSandbox = (await create(beckon, { type: 'sms', provider: 'sandbox', title: 'SMS sandbox' })).json().channel;
  assert.equal(smsSandbox.main, true, 'defaults are per type');
  assert.deepEqual(await mains(), ['Third']);

  assert.equal((await beckon.call('PATCH', `/v1/channels/${second.uuid}`, { body: { main: true } })).json().channel.main, true);
  assert.deepEqual(await mains(), ['Second']);

  const unset = await beckon.call('PATCH', `/v1/channels/${second.uuid}`, { body: { main: false } });
  assert.equal(unset.statusCode, 400);
  assert.deepEqual(unset.json().errors, [{ path: 'body.main', message: 'cannot be unset on the main whatsapp channel: set main: true on another whatsapp channel instead' }]);
  assert.equal((await beckon.call('PATCH', `/v1/channels/${third.uuid}`, { body: { main: false } })).statusCode, 200, 'false on a channel that is not main changes nothing');

  assert.equal((await beckon.call('DELETE', `/v1/channels/${second.uuid}`)).statusCode, 204);
  assert.deepEqual(await mains(), ['Sandbox WhatsApp'], 'the oldest remaining channel of the type becomes the default');

  // sends without channel_uuid go out on the default of their type
  const sent = await beckon.call('POST', '/v1/messages/send', { body: { to: '+393331234567', from: 'whatsapp', type: 'text', content: { text: 'hi' } } });
  assert.equal(sent.statusCode, 200);
  assert.equal(sent.json().message.channel_uuid, sandbox.uuid);
});

test('channels: type and provider must match, and neither changes after creation', async (t) => {
  const beckon = await startBeckon({}, { worker: false });
  t.after(() => beckon.stop());
  const mismatch = await create(beckon, { type: 'whatsapp', provider: 'smtp', title: 'x', config: SMTP });
  assert.equal(mismatch.statusCode, 400);
  assert.deepEqual(mismatch.json().errors, [{ path: 'body.provider', message: 'serves email channels, not whatsapp' }]);
  const unknown = await create(beckon, { type: 'fax', provider: 'sandbox', title: 'x' });
  assert.equal(unknown.statusCode, 400);
  assert.equal(unknown.json().errors[0].path, 'body.type');

  const sandbox = (await beckon.call('GET', '/v1/channels')).json().channels[0];
  const retype = await beckon.call('PATCH', `/v1/channels/${sandbox.uuid}`, { body: { type: 'sms', provider: 'twilio' } });
  assert.equal(retype.statusCode, 400);
  assert.deepEqual(retype.json().errors, [{ path: 'body.type', message: 'is not a known field' }, { path: 'body.provider', message: 'is not a known field' }]);
  const badUuid = await beckon.call('GET', '/v1/channels/not-a-uuid');
  assert.equal(badUuid.statusCode, 400);
  assert.equal(badUuid.json().errors[0].path, 'params.uuid');
});

test('channels: scopes: read lists, full changes', async (t) => {
  const beckon = await startBeckon({}, { worker: false });
  t.after(() => beckon.stop());
  const readKey = (await beckon.call('POST', '/v1/api_keys', { body: { name: 'r', scopes: ['read'] } })).json().api_key.key;
  assert.equal((await beckon.call('GET', '/v1/channels', { key: readKey })).statusCode, 200);
  const refused = await create(beckon, { type: 'sms', provider: 'sandbox', title: 'x' }, readKey);
  assert.equal(refused.statusCode, 403);
  assert.equal(refused.json().code, 'forbidden');
  assert.equal((await beckon.call('GET', '/v1/channels', { key: null })).statusCode, 401);
});

test('channels: another workspace neither sees nor changes them', async (t) => {
  const beckon = await startBeckon({}, { worker: false });
  t.after(() => beckon.stop());
  const otherKey = await beckon.newWorkspace('other');
  const mine = (await create(beckon, { type: 'sms', provider: 'twilio', title: 'Mine', config: TWILIO })).json().channel;

  const theirs = (await beckon.call('GET', '/v1/channels', { key: otherKey })).json().channels;
  assert.deepEqual(theirs.map((c: { title: string }) => c.title), ['Sandbox WhatsApp']);
  for (const [method, body] of [['GET', undefined], ['PATCH', { title: 'stolen' }], ['DELETE', undefined]] as const) {
    const answer = await beckon.call(method, `/v1/channels/${mine.uuid}`, { key: otherKey, body });
    assert.equal(answer.statusCode, 404, method);
    assert.equal(answer.json().code, 'not_found');
  }
  // their first sms channel is their default: mine does not count
  assert.equal((await create(beckon, { type: 'sms', provider: 'sandbox', title: 'Theirs' }, otherKey)).json().channel.main, true);
  assert.deepEqual((await beckon.call('GET', `/v1/channels/${mine.uuid}`)).json().channel.title, 'Mine');
  assert.equal((await beckon.call('GET', `/v1/channels/${mine.uuid}`)).json().channel.main, true);
});
