import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startBeckon } from '../../test/helpers.ts';
import { conversationOf, createTeam, createUser, eventsOf, expectCall, listed, whatsappChannel, writeIn } from '../../test/inbox-fixtures.ts';

const plus24h = (iso: string) => new Date(Date.parse(iso) + 24 * 3600_000).toISOString();

test('an inbound message opens a conversation, the next ones count in it, and one after it was resolved reopens it', async (t) => {
  const beckon = await startBeckon({}, { worker: false });
  t.after(() => beckon.stop());
  const channel = await whatsappChannel(beckon);
  const first = await writeIn(beckon, channel, '+393330000001');
  const opened = await conversationOf(beckon, '+393330000001');
  assert.deepEqual(opened, {
    uuid: opened.uuid, contact: { uuid: first.contact.uuid, name: null, phone: '+393330000001', email: null }, channel_uuid: channel, channel_type: 'whatsapp',
    status: 'open', assignee_uuid: null, team_uuid: null, priority: 'none', funnel_stage_uuid: null, bot_status: null, unread_count: null,
    waiting_since: first.created_at, first_response_at: null, resolved_at: null, window_expires_at: plus24h(first.created_at),
    last_message_at: first.created_at, snoozed_until: null, created_at: first.created_at, updated_at: first.created_at,
  });
  const openedEvents = await eventsOf(beckon, 'conversation_opened');
  assert.deepEqual(openedEvents.map((e) => [e.payload.uuid, e.payload.reopened, e.payload.status]), [[opened.uuid, false, 'open']]);

  const second = await writeIn(beckon, channel, '+393330000001');
  const still = await conversationOf(beckon, '+393330000001');
  assert.equal(still.uuid, opened.uuid);
  assert.equal(still.waiting_since, first.created_at, 'the customer waits since their first unanswered message');
  assert.equal(still.last_message_at, second.created_at);

  const resolved = (await expectCall(beckon, 'POST', `/v1/conversations/${opened.uuid}/status`, 200, { status: 'resolved' })).conversation;
  assert.equal(resolved.status, 'resolved');
  assert.ok(resolved.resolved_at >= second.created_at);
  assert.equal(resolved.waiting_since, null);
  assert.deepEqual((await eventsOf(beckon, 'conversation_closed')).map((e) => e.payload.uuid), [opened.uuid]);

  const third = await writeIn(beckon, channel, '+393330000001');
  const reopened = (await expectCall(beckon, 'GET', `/v1/conversations/${opened.uuid}`, 200)).conversation;
  assert.deepEqual([reopened.status, reopened.resolved_at, reopened.waiting_since, reopened.last_message_at], ['open', null, third.created_at, third.created_at]);
  assert.deepEqual((await eventsOf(beckon, 'conversation_opened')).map((e) => [e.payload.uuid, e.payload.reopened]), [[opened.uuid, true], [opened.uuid, false]]);
  assert.deepEqual((await eventsOf(beckon, 'conversation_status_updated')).map((e) => [e.payload.previous_status, e.payload.status]), [['resolved', 'open'], ['open', 'resolved']]);
  assert.equal((await listed(beckon, '')).length, 1, 'one thread per contact and channel');
});

test('the list filters (status, assignee, team, channel, q) and the counts are exact, and the list pages', async (t) => {
  const beckon = await startBeckon({}, { worker: false });
  t.after(() => beckon.stop());
  const alice = await createUser(beckon, 'Alice');
  const bob = await createUser(beckon, 'Bob');
  const team = await createTeam(beckon, 'Support', [alice.uuid, bob.uuid]);
  const whatsapp = await whatsappChannel(beckon);
  const sms = (await expectCall(beckon, 'POST', '/v1/channels', 201, { type: 'sms', provider: 'sandbox', title: 'SMS' })).channel.uuid;
  const phones = ['+393330000011', '+393330000012', '+393330000013', '+393330000014', '+393330000015'];
  const c: Record<string, any>[] = [];
  for (const phone of phones) {
    await writeIn(beckon, whatsapp, phone);
    c.push(await conversationOf(beckon, phone));
  }
  await writeIn(beckon, sms, '+393330000016');
  c.push(await conversationOf(beckon, '+393330000016'));
  const [c1, c2, c3, c4, c5, c6] = c.map((x) => x.uuid);
  await expectCall(beckon, 'POST', `/v1/conversations/${c1}/assign`, 200, { user_uuid: alice.uuid });
  await expectCall(beckon, 'POST', `/v1/conversations/${c2}/assign`, 200, { user_uuid: alice.uuid, team_uuid: team });
  await expectCall(beckon, 'POST', `/v1/conversations/${c3}/assign`, 200, { user_uuid: bob.uuid });
  await expectCall(beckon, 'POST', `/v1/conversations/${c5}/status`, 200, { status: 'resolved' });
  const pending = (await expectCall(beckon, 'PATCH', `/v1/conversations/${c6}`, 200, { bot_status: 'bot_start' })).conversation;
  assert.deepEqual([pending.status, pending.bot_status], ['pending', 'bot_start'], 'a bot handling it makes it pending');
  await expectCall(beckon, 'PATCH', `/v1/contacts/${c[2].contact.uuid}`, 200, { name: 'Zed Zimmer' });

  const counts = (key: string, query = '') => expectCall(beckon, 'GET', `/v1/conversations/counts${query}`, 200, undefined, key).then((r) => r.counts);
  assert.deepEqual(await counts(alice.key), { mine: 2, unassigned: 1, all: 4, by_status: { open: 4, pending: 1, snoozed: 0, resolved: 1 } });
  assert.deepEqual(await counts(bob.key), { mine: 1, unassigned: 1, all: 4, by_status: { open: 4, pending: 1, snoozed: 0, resolved: 1 } });
  assert.deepEqual(await counts(alice.key, '?status=resolved'), { mine: 0, unassigned: 1, all: 1, by_status: { open: 4, pending: 1, snoozed: 0, resolved: 1 } });
  assert.deepEqual(await counts(beckon.key, '?status=pending'), { mine: 0, unassigned: 1, all: 1, by_status: { open: 4, pending: 1, snoozed: 0, resolved: 1 } });

  const uuids = async (query: string, key = beckon.key) => (await listed(beckon, query, key)).map((x) => x.uuid);
  assert.deepEqual(await uuids(''), [c6, c5, c4, c3, c2, c1], 'latest activity first');
  assert.deepEqual(await uuids('?assignee=me', alice.key), [c2, c1]);
  assert.deepEqual(await uuids('?assignee=unassigned'), [c6, c5, c4]);
  assert.deepEqual(await uuids(`?assignee=${bob.uuid}`), [c3]);
  assert.deepEqual(await uuids(`?team_uuid=${team}`), [c2]);
  assert.deepEqual(await uuids(`?channel_uuid=${sms}`), [c6]);
  assert.deepEqual(await uuids('?status=open'), [c4, c3, c2, c1]);
  assert.deepEqual(await uuids('?status=open&assignee=unassigned'), [c4]);
  assert.deepEqual(await uuids('?q=zIMM'), [c3], 'q matches the contact name, case-insensitively');
  assert.deepEqual(await uuids('?q=0000015'), [c5], 'q matches the phone');
  assert.deepEqual(await uuids('?q=50%25'), [], 'a LIKE wildcard in q is a plain character');

  const page1 = await expectCall(beckon, 'GET', '/v1/conversations?limit=4', 200);
  assert.deepEqual(page1.conversations.map((x: any) => x.uuid), [c6, c5, c4, c3]);
  const page2 = await expectCall(beckon, 'GET', `/v1/conversations?limit=4&cursor=${page1.meta.next_cursor}`, 200);
  assert.deepEqual([page2.conversations.map((x: any) => x.uuid), page2.meta.next_cursor], [[c2, c1], null]);

  const me = await beckon.call('GET', '/v1/conversations?assignee=me');
  assert.equal(me.statusCode, 400);
  assert.deepEqual(me.json().errors.map((e: any) => e.path), ['query.assignee']);
  const bad = await beckon.call('GET', '/v1/conversations?assignee=somebody');
  assert.deepEqual([bad.statusCode, bad.json().errors[0].path], [400, 'query.assignee']);
  const status = await beckon.call('GET', '/v1/conversations?status=closed');
  assert.equal(status.statusCode, 400);

  // the counts follow every change, a deleted contact's conversation included
  await expectCall(beckon, 'POST', `/v1/conversations/${c1}/status`, 200, { status: 'resolved' });
  await expectCall(beckon, 'POST', `/v1/conversations/${c2}/assign`, 200, { user_uuid: null });
  assert.equal((await beckon.call('DELETE', `/v1/contacts/${c[3].contact.uuid}`)).statusCode, 200);
  assert.deepEqual(await uuids(''), [c6, c5, c3, c2, c1]);
  assert.deepEqual(await counts(alice.key), { mine: 0, unassigned: 1, all: 2, by_status: { open: 2, pending: 1, snoozed: 0, resolved: 2 } });
});

test('unread counts follow each reader\'s read marker', async (t) => {
  const beckon = await startBeckon({}, { worker: false });
  t.after(() => beckon.stop());
  const alice = await createUser(beckon, 'Alice');
  const bob = await createUser(beckon, 'Bob');
  const channel = await whatsappChannel(beckon);
  await writeIn(beckon, channel, '+393330000021');
  await writeIn(beckon, channel, '+393330000021');
  const uuid = (await conversationOf(beckon, '+393330000021')).uuid;
  const unread = async (key: string) => (await expectCall(beckon, 'GET', `/v1/conversations/${uuid}`, 200, undefined, key)).conversation.unread_count;
  assert.deepEqual([await unread(alice.key), await unread(bob.key), await unread(beckon.key)], [2, 2, null]);
  const read = await expectCall(beckon, 'POST', `/v1/conversations/${uuid}/read`, 200, undefined, alice.key);
  assert.equal(read.conversation.unread_count, 0);
  await writeIn(beckon, channel, '+393330000021');
  assert.deepEqual([await unread(alice.key), await unread(bob.key)], [1, 3]);
  assert.deepEqual((await listed(beckon, '', alice.key)).map((x) => x.unread_count), [1]);
  const refused = await beckon.call('POST', `/v1/conversations/${uuid}/read`);
  assert.deepEqual([refused.statusCode, refused.json().code], [403, 'forbidden']);
});

test('two workspaces: another workspace neither sees nor changes a conversation, and cannot use its users or teams', async (t) => {
  const beckon = await startBeckon({}, { worker: false });
  t.after(() => beckon.stop());
  const other = await beckon.newWorkspace('other');
  const alice = await createUser(beckon, 'Alice');
  const team = await createTeam(beckon, 'Support', [alice.uuid]);
  const stranger = await createUser(beckon, 'Stranger', { workspaceKey: other });
  await writeIn(beckon, await whatsappChannel(beckon), '+393330000031');
  const uuid = (await conversationOf(beckon, '+393330000031')).uuid;
  assert.deepEqual(await listed(beckon, '', other), []);
  assert.deepEqual((await expectCall(beckon, 'GET', '/v1/conversations/counts', 200, undefined, stranger.key)).counts, { mine: 0, unassigned: 0, all: 0, by_status: { open: 0, pending: 0, snoozed: 0, resolved: 0 } });
  for (const [method, url, body] of [
    ['GET', `/v1/conversations/${uuid}`, undefined], ['PATCH', `/v1/conversations/${uuid}`, { priority: 'high' }], ['POST', `/v1/conversations/${uuid}/assign`, { user_uuid: null }],
    ['POST', `/v1/conversations/${uuid}/status`, { status: 'resolved' }], ['POST', `/v1/conversations/${uuid}/messages`, { text: 'hi', private: true }],
    ['GET', `/v1/conversations/${uuid}/messages`, undefined],
  ] as const) {
    const res = await beckon.call(method, url, { key: other, body });
    assert.equal(res.statusCode, 404, `${method} ${url}: ${res.body}`);
  }
  assert.equal((await beckon.call('POST', `/v1/conversations/${uuid}/read`, { key: stranger.key })).statusCode, 404);
  const foreignUser = await beckon.call('POST', `/v1/conversations/${uuid}/assign`, { body: { user_uuid: stranger.uuid } });
  assert.deepEqual([foreignUser.statusCode, foreignUser.json().errors[0].path], [404, 'body.user_uuid']);
  const otherConversation = await writeIn(beckon, await whatsappChannel(beckon, other), '+393330000032', 'hi', other);
  const theirs = (await conversationOf(beckon, '+393330000032', other)).uuid;
  assert.equal(otherConversation.contact.phone, '+393330000032');
  const foreignTeam = await beckon.call('POST', `/v1/conversations/${theirs}/assign`, { key: other, body: { team_uuid: team } });
  assert.deepEqual([foreignTeam.statusCode, foreignTeam.json().errors[0].path], [404, 'body.team_uuid']);
  const conv = (await expectCall(beckon, 'GET', `/v1/conversations/${uuid}`, 200)).conversation;
  assert.deepEqual([conv.priority, conv.status, conv.assignee_uuid], ['none', 'open', null], 'nothing changed');
});

test('the live stream carries the inbox\'s events', async (t) => {
  const beckon = await startBeckon({}, { worker: false });
  t.after(() => beckon.stop());
  const before = (await expectCall(beckon, 'POST', '/v1/contacts', 201, { phone: '+393330000041' })).contact;
  const since = (await expectCall(beckon, 'GET', '/v1/events?limit=1', 200)).events[0].id;
  assert.equal((await expectCall(beckon, 'GET', '/v1/events?limit=1', 200)).events[0].payload.uuid, before.uuid);
  await writeIn(beckon, await whatsappChannel(beckon), '+393330000041');
  const uuid = (await conversationOf(beckon, '+393330000041')).uuid;
  await expectCall(beckon, 'POST', `/v1/conversations/${uuid}/messages`, 201, { text: 'stream me', private: true });
  const res = await beckon.runtime.app.inject({
    method: 'GET', url: '/v1/events/stream?type=conversation_opened,note_created', payloadAsStream: true,
    headers: { authorization: `Bearer ${beckon.key}`, 'last-event-id': since },
  });
  const stream = res.stream();
  let body = '';
  const deadline = setTimeout(() => stream.destroy(), 10_000);
  try {
    for await (const chunk of stream) {
      body += chunk;
      if (body.includes('stream me')) break;
    }
  } catch { /* destroyed at the deadline */ }
  clearTimeout(deadline);
  stream.destroy();
  const events = body.split('\n').filter((line) => line.startsWith('event: ')).map((line) => line.slice(7));
  assert.deepEqual(events, ['conversation_opened', 'note_created']);
});
