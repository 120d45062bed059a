import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startBeckon } from '../helpers.ts';
import { conversationOf, createUser, expectCall, whatsappChannel, writeIn } from '../inbox-fixtures.ts';

const PREFIX = '/compat/callbell';

test('callbell contacts: one Contact shape filled from the latest conversation; assigned_user, team_uuid, bot_status, unassign_user reach it', async (t) => {
  const beckon = await startBeckon({}, { worker: false });
  t.after(() => beckon.stop());
  const ann = await createUser(beckon, 'Ann');
  const annEmail = `ann.${ann.uuid}@example.com`;
  const team = (await expectCall(beckon, 'POST', '/v1/teams', 201, { name: 'Support', user_uuids: [ann.uuid] })).team;
  const channel = await whatsappChannel(beckon);
  await writeIn(beckon, channel, '+393331234001');
  const conversation = await conversationOf(beckon, '+393331234001');
  const contact = conversation.contact.uuid as string;
  const call = (method: 'GET' | 'POST' | 'PATCH', path: string, body?: unknown) => beckon.call(method, PREFIX + path, { body });

  const patched = await call('PATCH', `/v1/contacts/${contact}`, { assigned_user: annEmail.toUpperCase(), team_uuid: team.uuid.replace(/-/g, ''), bot_status: 'bot_start' });
  assert.equal(patched.statusCode, 200, patched.body);
  assert.equal(patched.headers['beckon-ignored-fields'], undefined);
  const native = (await expectCall(beckon, 'GET', `/v1/conversations/${conversation.uuid}`, 200)).conversation;
  assert.deepEqual([native.assignee_uuid, native.team_uuid, native.bot_status], [ann.uuid, team.uuid, 'bot_start']);
  const shown = patched.json().contact;
  // conversationHref: the web app's link to that conversation
  assert.match(shown.conversationHref, new RegExp(`^https?://[^/]+/inbox/${conversation.uuid}$`));
  assert.deepEqual([shown.assignedUser, shown.closedAt, shown.funnelId, shown.team], [annEmail, null, null, { uuid: team.uuid, name: 'Support', createdAt: team.created_at, default: false, members: 1 }]);
  // a send with fields=conversation links the same conversation
  const sent = await call('POST', '/v1/messages/send', { to: '+393331234001', from: 'whatsapp', channel_uuid: channel, type: 'text', content: { text: 'Hi' }, fields: 'conversation' });
  assert.equal(sent.statusCode, 200, sent.body);
  assert.equal(sent.json().message.conversation.href, shown.conversationHref);
  // the same shape from get, list, and a conversation endpoint
  const got = (await call('GET', `/v1/contacts/${contact}`)).json().contact;
  assert.deepEqual(got, shown);
  const listed = (await call('GET', '/v1/contacts')).json().contacts;
  assert.deepEqual(listed.find((c: { uuid: string }) => c.uuid === contact), shown);
  const closed = (await call('POST', `/v1/contacts/${contact}/conversation/close`)).json().contact;
  assert.deepEqual({ ...closed, closedAt: null }, shown);
  assert.match(closed.closedAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);

  const unassigned = await call('PATCH', `/v1/contacts/${contact}`, { unassign_user: true, bot_status: 'bot_end' });
  assert.equal(unassigned.statusCode, 200, unassigned.body);
  assert.equal(unassigned.json().contact.assignedUser, null);
  assert.equal((await expectCall(beckon, 'GET', `/v1/conversations/${conversation.uuid}`, 200)).conversation.bot_status, 'bot_end');

  // unknown email / team: 400 naming the field, nothing written
  const unknown = await call('PATCH', `/v1/contacts/${contact}`, { name: 'Changed', assigned_user: 'nobody@example.com' });
  assert.equal(unknown.statusCode, 400);
  assert.deepEqual(unknown.json().errors.map((e: { path: string }) => e.path), ['body.assigned_user']);
  const badTeam = await call('PATCH', `/v1/contacts/${contact}`, { team_uuid: 'f3670b13446b412796238b1cd78899f9' });
  assert.equal(badTeam.statusCode, 400);
  assert.deepEqual(badTeam.json().errors.map((e: { path: string }) => e.path), ['body.team_uuid']);
  assert.notEqual((await call('GET', `/v1/contacts/${contact}`)).json().contact.name, 'Changed');

  // a new contact: 409 without channel_uuid (nothing created); with it a conversation opens there, assigned
  const refused = await call('POST', '/v1/contacts', { identifier: '+393331234002', assigned_user: annEmail });
  assert.equal(refused.statusCode, 409);
  assert.deepEqual(refused.json().errors.map((e: { path: string }) => e.path), ['body.assigned_user']);
  assert.equal((await call('GET', '/v1/contacts/phone/393331234002')).statusCode, 404);
  // an unknown channel_uuid: 400 naming it, before anything is written
  const noChannel = await call('POST', '/v1/contacts', { identifier: '+393331234002', assigned_user: annEmail, channel_uuid: 'f3670b13446b412796238b1cd78899f9' });
  assert.equal(noChannel.statusCode, 400);
  assert.deepEqual(noChannel.json().errors, [{ path: 'body.channel_uuid', message: 'no such channel in this workspace' }]);
  assert.equal((await call('GET', '/v1/contacts/phone/393331234002')).statusCode, 404);
  const made = await call('POST', '/v1/contacts', { identifier: '+393331234002', assigned_user: annEmail, channel_uuid: channel });
  assert.equal(made.statusCode, 200, made.body);
  assert.equal(made.json().contact.assignedUser, annEmail);
  const opened = await conversationOf(beckon, '+393331234002');
  assert.match(made.json().contact.conversationHref, new RegExp(`/inbox/${opened.uuid}$`));
  assert.notEqual(opened.uuid, conversation.uuid);
  assert.equal(made.headers['beckon-ignored-fields'], undefined);
});
