import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { LightMyRequestResponse } from 'fastify';
import { startBeckon } from '../../test/helpers.ts';
import { insertChannel } from '../channels/queries.ts';
import { newId } from '../lib/ids.ts';

const VALID = { to: '+39 333 123 4567', from: 'whatsapp', type: 'text', content: { text: 'Hello!' } };

function paths(res: LightMyRequestResponse): string[] {
  return (res.json().errors ?? []).map((e: { path: string }) => e.path);
}

function assertProblem(res: LightMyRequestResponse, status: number, code: string, path?: string): void {
  assert.equal(res.statusCode, status, res.body);
  assert.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8');
  assert.equal(res.json().code, code);
  if (path) assert.ok(paths(res).includes(path), `expected ${path} in ${JSON.stringify(paths(res))}`);
}

test('send: every invalid field is a 400 naming its path, and nothing is stored', async (t) => {
  const beckon = await startBeckon({}, { worker: false });
  t.after(() => beckon.stop());
  const send = (body: unknown) => beckon.call('POST', '/v1/messages/send', { body });
  const { to: _to, ...withoutTo } = VALID;
  const cases: [unknown, string][] = [
    [withoutTo, 'body.to'],
    [{ ...VALID, to: '12' }, 'body.to'],
    [{ ...VALID, to: 'not a phone' }, 'body.to'],
    [{ ...VALID, from: 'telegram' }, 'body.from'],
    [{ ...VALID, type: 'sticker' }, 'body.type'],
    [{ ...VALID, content: {} }, 'body.content.text'],
    [{ ...VALID, content: { text: '' } }, 'body.content.text'],
    [{ ...VALID, content: { text: '   ' } }, 'body.content.text'],
    [{ ...VALID, content: { text: 'x'.repeat(4097) } }, 'body.content.text'],
    [{ ...VALID, content: { text: 'hi', url: 'https://example.com/a.png' } }, 'body.content.url'],
    [{ ...VALID, type: 'image', content: { text: 'caption only' } }, 'body.content.url'],
    [{ ...VALID, type: 'document', content: { url: 'ftp://example.com/a.pdf' } }, 'body.content.url'],
    [{ ...VALID, type: 'video', content: { url: 'not a url' } }, 'body.content.url'],
    [{ ...VALID, content: { text: 'hi', emoji: 'x' } }, 'body.content.emoji'],
    [{ ...VALID, content: 'Hello!' }, 'body.content'],
    [{ ...VALID, channel_uuid: 'nope' }, 'body.channel_uuid'],
    [{ ...VALID, optin_contact: 'yes' }, 'body.optin_contact'],
    [{ ...VALID, colour: 'blue' }, 'body.colour'],
  ];
  for (const [body, path] of cases) assertProblem(await send(body), 400, 'validation_failed', path);

  const text4096 = await send({ ...VALID, content: { text: 'x'.repeat(4096) } });
  assert.equal(text4096.statusCode, 200);
  for (const type of ['image', 'document', 'audio', 'video']) {
    const media = await send({ ...VALID, type, content: { url: `https://cdn.example.com/file.${type}`, text: 'caption' } });
    assert.equal(media.statusCode, 200, media.body);
    assert.deepEqual(media.json().message.content, { url: `https://cdn.example.com/file.${type}`, text: 'caption' });
  }
  const stored = await beckon.runtime.deps.db.selectFrom('messages').select('id').execute();
  assert.equal(stored.length, 5);
});

test('send: channel_uuid must exist in the workspace and match from; no channel of the type is a 422', async (t) => {
  const beckon = await startBeckon({}, { worker: false });
  t.after(() => beckon.stop());
  const db = beckon.runtime.deps.db;
  const workspaceId = (await beckon.call('GET', '/v1/auth/me')).json().workspace.uuid;
  const smsId = newId();
  const now = new Date().toISOString();
  await insertChannel(db, { id: smsId, workspace_id: workspaceId, type: 'sms', provider: 'sandbox', title: 'Sandbox SMS', config: '{}', is_default: 1, created_at: now, updated_at: now });

  assertProblem(await beckon.call('POST', '/v1/messages/send', { body: { ...VALID, channel_uuid: newId() } }), 404, 'not_found', 'body.channel_uuid');
  const otherKey = await beckon.newWorkspace('other');
  const otherChannel = (await beckon.call('GET', '/v1/channels', { key: otherKey })).json().channels[0].uuid;
  assertProblem(await beckon.call('POST', '/v1/messages/send', { body: { ...VALID, channel_uuid: otherChannel } }), 404, 'not_found', 'body.channel_uuid');
  assertProblem(await beckon.call('POST', '/v1/messages/send', { body: { ...VALID, channel_uuid: smsId } }), 400, 'validation_failed', 'body.channel_uuid');
  assertProblem(await beckon.call('POST', '/v1/messages/send', { body: { ...VALID, from: 'email', to: 'ann@example.com', subject: 'Hi' } }), 422, 'channel_unavailable', 'body.from');

  const sms = await beckon.call('POST', '/v1/messages/send', { body: { ...VALID, from: 'sms' } });
  assert.equal(sms.statusCode, 200);
  assert.equal(sms.json().message.channel_uuid, smsId);
  assert.equal(sms.json().message.channel, 'sms');
  const explicit = await beckon.call('POST', '/v1/messages/send', { body: { ...VALID, from: 'sms', channel_uuid: smsId } });
  assert.equal(explicit.json().message.channel_uuid, smsId);
  const contacts = (await beckon.call('GET', '/v1/contacts')).json().contacts;
  assert.equal(contacts.length, 1, 'refused sends create no contact');
});

test('send: an unknown template_uuid is a 404 naming it; template fields and optin_contact are accepted', async (t) => {
  const beckon = await startBeckon({}, { worker: false });
  t.after(() => beckon.stop());
  const res = await beckon.call('POST', '/v1/messages/send', { body: { ...VALID, template_uuid: newId(), template_values: ['Ada'], optin_contact: true } });
  assertProblem(res, 404, 'not_found', 'body.template_uuid');
  const ok = await beckon.call('POST', '/v1/messages/send', { body: { ...VALID, optin_contact: true, assigned_user: 'a@b.c', fields: 'contact' } });
  assert.equal(ok.statusCode, 200, ok.body);
  const row = await beckon.runtime.deps.db.selectFrom('messages').select(['optin_contact']).executeTakeFirstOrThrow();
  assert.equal(row.optin_contact, 1);
});

test('send: a blocked contact is a 422 contact_blocked; a read key is a 403', async (t) => {
  const beckon = await startBeckon({}, { worker: false });
  t.after(() => beckon.stop());
  const created = await beckon.call('POST', '/v1/contacts', { body: { phone: '+393331234567' } });
  assert.equal(created.statusCode, 201, created.body);
  const blocked = await beckon.call('PATCH', `/v1/contacts/${created.json().contact.uuid}`, { body: { blocked: true } });
  assert.equal(blocked.statusCode, 200, blocked.body);
  assertProblem(await beckon.call('POST', '/v1/messages/send', { body: VALID }), 422, 'contact_blocked');
  const messages = await beckon.runtime.deps.db.selectFrom('messages').select('id').execute();
  assert.equal(messages.length, 0);

  const readKey = (await beckon.call('POST', '/v1/api_keys', { body: { name: 'ro', scopes: ['read'] } })).json().api_key.key;
  assertProblem(await beckon.call('POST', '/v1/messages/send', { body: VALID, key: readKey }), 403, 'forbidden');
  assertProblem(await beckon.call('POST', '/v1/messages/send', { body: VALID, key: null }), 401, 'unauthorized');
});
