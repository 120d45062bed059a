import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startBeckon } from '../../test/helpers.ts';
import { userWithSession } from './test-support.ts';

test('rights: an agent reads and writes contacts and messages, and gets 403 on keys, channels, webhooks, users, teams', async (t) => {
  const beckon = await startBeckon();
  t.after(() => beckon.stop());
  const agent = await userWithSession(beckon, 'agent@example.com', 'agent');
  const admin = await userWithSession(beckon, 'admin@example.com', 'admin');
  const channel = (await beckon.call('GET', '/v1/channels')).json().channels[0].uuid;
  const as = (who: typeof agent) => (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, body?: unknown) =>
    beckon.call(method, url, { key: null, body, headers: { cookie: who.cookie, 'x-csrf-token': who.csrf } });
  const byAgent = as(agent);
  const byAdmin = as(admin);

  const contact = await byAgent('POST', '/v1/contacts', { phone: '+14155550111', name: 'Pat' });
  assert.equal(contact.statusCode, 201);
  assert.equal((await byAgent('PATCH', `/v1/contacts/${contact.json().contact.uuid}`, { name: 'Patricia' })).statusCode, 200);
  const sent = await byAgent('POST', '/v1/messages/send', { to: '+14155550111', from: 'whatsapp', type: 'text', content: { text: 'Hi' }, channel_uuid: channel });
  assert.equal(sent.statusCode, 200, sent.body);
  const matrix: [string, string, unknown?][] = [
    ['GET', '/v1/contacts'], ['GET', '/v1/templates'], ['GET', '/v1/channels'], ['GET', '/v1/users'], ['GET', '/v1/teams'],
    ['GET', '/v1/api_keys'], ['POST', '/v1/api_keys', { name: 'mine' }],
    ['POST', '/v1/channels', { type: 'email', provider: 'sandbox', title: 'Mail' }],
    ['POST', '/v1/webhooks', { url: 'http://127.0.0.1:9/hook', events: ['message_created'] }],
    ['POST', '/v1/users', { email: 'new@example.com', name: 'New', role: 'admin' }],
    ['PATCH', `/v1/users/${agent.uuid}`, { role: 'admin' }],
    ['POST', '/v1/teams', { name: 'Sales' }],
    ['POST', '/v1/automations', { name: 'A', trigger: { type: 'api' }, start: 'x', steps: { x: { type: 'exit' } } }],
  ];
  const agentCodes: number[] = [];
  for (const [method, url, body] of matrix) agentCodes.push((await byAgent(method as 'GET', url, body)).statusCode);
  assert.deepEqual(agentCodes, [200, 200, 200, 200, 200, 403, 403, 403, 403, 403, 403, 403, 403]);
  const forbidden = await byAgent('POST', '/v1/channels', { type: 'email', provider: 'sandbox', title: 'Mail' });
  assert.equal(forbidden.json().code, 'forbidden');
  assert.equal(forbidden.json().detail, 'this route is for admins; an agent may read, and write conversations, contacts and messages');
  // the inbox: an agent works a conversation (assign, note, status) but does not manage funnels
  assert.equal((await beckon.call('POST', '/v1/sandbox/inbound', { body: { channel_uuid: channel, from: '+14155550111', text: 'Hello?' } })).statusCode, 200);
  const conversation = (await byAgent('GET', '/v1/conversations')).json().conversations[0].uuid;
  const inboxCodes = [
    (await byAgent('POST', `/v1/conversations/${conversation}/assign`, { user_uuid: agent.uuid })).statusCode,
    (await byAgent('POST', `/v1/conversations/${conversation}/messages`, { text: 'checking', private: true })).statusCode,
    (await byAgent('POST', `/v1/conversations/${conversation}/status`, { status: 'resolved' })).statusCode,
    (await byAgent('POST', '/v1/funnels', { name: 'Sales', stages: [{ name: 'Lead' }] })).statusCode,
  ];
  assert.deepEqual(inboxCodes, [200, 201, 200, 403]);

  const adminCodes: number[] = [];
  for (const [method, url, body] of matrix) adminCodes.push((await byAdmin(method as 'GET', url, body)).statusCode);
  assert.deepEqual(adminCodes, [200, 200, 200, 200, 200, 200, 201, 201, 201, 201, 200, 201, 201]);

  // an agent sets their own status; a workspace key has no "me"
  const status = await byAgent('PATCH', '/v1/users/me/status', { availability: 'away', custom_status: 'Back at 3' });
  assert.equal(status.statusCode, 200);
  assert.equal(status.json().user.availability, 'away');
  assert.equal(status.json().user.uuid, agent.uuid);
  assert.equal((await beckon.call('PATCH', '/v1/users/me/status', { body: { availability: 'away' } })).statusCode, 400);
});

test('rights: a user\'s key acts with min(key scopes, role); deleting the user revokes keys and sessions; the last admin stays', async (t) => {
  const beckon = await startBeckon();
  t.after(() => beckon.stop());
  const agent = await userWithSession(beckon, 'ag@example.com', 'agent');
  const admin = await userWithSession(beckon, 'ad@example.com', 'admin');
  const made = await beckon.call('POST', '/v1/api_keys', { body: { name: 'agent key', scopes: ['admin'], user_uuid: agent.uuid } });
  assert.equal(made.statusCode, 201);
  assert.equal(made.json().api_key.user_uuid, agent.uuid);
  const agentKey = made.json().api_key.key;
  const me = (await beckon.call('GET', '/v1/auth/me', { key: agentKey })).json();
  assert.deepEqual(me.api_key.scopes, ['full']);
  assert.equal(me.user.uuid, agent.uuid);
  assert.equal((await beckon.call('GET', '/v1/api_keys', { key: agentKey })).statusCode, 403);
  assert.equal((await beckon.call('POST', '/v1/contacts', { key: agentKey, body: { phone: '+14155550121' } })).statusCode, 201);
  assert.equal((await beckon.call('POST', '/v1/channels', { key: agentKey, body: { type: 'email', provider: 'sandbox', title: 'M' } })).statusCode, 403);
  const readKey = (await beckon.call('POST', '/v1/api_keys', { body: { name: 'ro', scopes: ['read'], user_uuid: admin.uuid } })).json().api_key.key;
  assert.deepEqual((await beckon.call('GET', '/v1/auth/me', { key: readKey })).json().api_key.scopes, ['read']);
  assert.equal((await beckon.call('POST', '/v1/contacts', { key: readKey, body: { phone: '+14155550122' } })).statusCode, 403);
  const unknownUser = await beckon.call('POST', '/v1/api_keys', { body: { name: 'x', user_uuid: '0190a000-0000-7000-8000-000000000000' } });
  assert.equal(unknownUser.statusCode, 404);
  assert.deepEqual(unknownUser.json().errors, [{ path: 'body.user_uuid', message: 'names no user of this workspace' }]);

  // promoting the agent takes effect at once on their key
  assert.equal((await beckon.call('PATCH', `/v1/users/${agent.uuid}`, { body: { role: 'admin' } })).statusCode, 200);
  assert.deepEqual((await beckon.call('GET', '/v1/auth/me', { key: agentKey })).json().api_key.scopes, ['admin']);
  assert.equal((await beckon.call('PATCH', `/v1/users/${agent.uuid}`, { body: { role: 'agent' } })).statusCode, 200);

  const deleted = await beckon.call('DELETE', `/v1/users/${agent.uuid}`);
  assert.equal(deleted.statusCode, 200);
  assert.equal((await beckon.call('GET', '/v1/auth/me', { key: agentKey })).statusCode, 401);
  assert.equal((await beckon.call('GET', '/v1/auth/me', { key: null, headers: { cookie: agent.cookie } })).statusCode, 401);
  const keys = (await beckon.call('GET', '/v1/api_keys')).json().api_keys;
  assert.ok(keys.find((k: { user_uuid: string | null }) => k.user_uuid === agent.uuid).revoked_at);
  assert.equal((await beckon.call('GET', `/v1/users/${agent.uuid}`)).statusCode, 404);
  assert.equal((await beckon.call('POST', '/v1/auth/login', { key: null, body: { email: 'ag@example.com', password: 'correct horse battery' } })).statusCode, 401);
  // the email is free again
  assert.equal((await beckon.call('POST', '/v1/users', { body: { email: 'ag@example.com', name: 'Ag again', role: 'agent' } })).statusCode, 201);

  const lastAdmin = await beckon.call('DELETE', `/v1/users/${admin.uuid}`);
  assert.equal(lastAdmin.statusCode, 409);
  assert.equal((await beckon.call('PATCH', `/v1/users/${admin.uuid}`, { body: { role: 'agent' } })).statusCode, 409);
});
