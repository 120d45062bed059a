import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startBeckon, waitFor, type TestBeckon } from '../../test/helpers.ts';
import { conversationOf, createUser, eventsOf, expectCall, whatsappChannel, writeIn } from '../../test/inbox-fixtures.ts';

async function statusOf(beckon: TestBeckon, message: string): Promise<string> {
  return (await expectCall(beckon, 'GET', `/v1/messages/${message}`, 200)).message.status;
}

test('an agent\'s reply goes out with its author, sets first_response_at once, clears waiting_since and ends the bot', async (t) => {
  const beckon = await startBeckon();
  t.after(() => beckon.stop());
  const alice = await createUser(beckon, 'Alice');
  const channel = await whatsappChannel(beckon);
  const inbound = await writeIn(beckon, channel, '+393330000401');
  const uuid = (await conversationOf(beckon, '+393330000401')).uuid;
  await expectCall(beckon, 'PATCH', `/v1/conversations/${uuid}`, 200, { bot_status: 'bot_start' });

  const first = (await expectCall(beckon, 'POST', `/v1/conversations/${uuid}/messages`, 201, { text: 'Hi, Alice here' }, alice.key)).message;
  assert.deepEqual([first.direction, first.content, first.metadata, first.contact.uuid, first.channel_uuid, first.to], ['outbound', { text: 'Hi, Alice here' }, { author_user_uuid: alice.uuid }, inbound.contact.uuid, channel, '+393330000401']);
  await waitFor('the reply to be sent', async () => ['sent', 'delivered', 'read'].includes(await statusOf(beckon, first.uuid)));
  const sends = await beckon.runtime.deps.db.selectFrom('sandbox_sends').select('recipient').execute();
  assert.deepEqual(sends.map((s) => s.recipient), ['+393330000401'], 'the reply went to the provider');
  const after = (await expectCall(beckon, 'GET', `/v1/conversations/${uuid}`, 200, undefined, alice.key)).conversation;
  assert.deepEqual(
    [after.status, after.bot_status, after.first_response_at, after.waiting_since, after.last_message_at, after.unread_count],
    ['open', 'bot_end', first.created_at, null, first.created_at, 0],
  );
  assert.deepEqual((await eventsOf(beckon, 'conversation_status_updated')).map((e) => [e.payload.previous_status, e.payload.status]), [['pending', 'open'], ['open', 'pending']]);

  await writeIn(beckon, channel, '+393330000401');
  const waiting = (await expectCall(beckon, 'GET', `/v1/conversations/${uuid}`, 200)).conversation;
  assert.ok(waiting.waiting_since > first.created_at);
  const second = (await expectCall(beckon, 'POST', `/v1/conversations/${uuid}/messages`, 201, { text: 'Still here' })).message;
  assert.equal(second.metadata, null, 'a workspace key has no author');
  const again = (await expectCall(beckon, 'GET', `/v1/conversations/${uuid}`, 200)).conversation;
  assert.deepEqual([again.first_response_at, again.waiting_since], [first.created_at, null], 'first_response_at is the first reply\'s');
  const thread = await expectCall(beckon, 'GET', `/v1/conversations/${uuid}/messages`, 200);
  assert.deepEqual(thread.items.map((i: any) => [i.type, i.message.direction, i.message.content.text]), [
    ['message', 'outbound', 'Still here'], ['message', 'inbound', 'hello?'], ['message', 'outbound', 'Hi, Alice here'], ['message', 'inbound', 'hello?'],
  ]);
  const empty = await beckon.call('POST', `/v1/conversations/${uuid}/messages`, { body: {} });
  assert.deepEqual([empty.statusCode, empty.json().errors[0].path], [400, 'body.text']);
});

test('a private note is stored, listed in the thread and announced, and never sent', async (t) => {
  const beckon = await startBeckon();
  t.after(() => beckon.stop());
  const alice = await createUser(beckon, 'Alice');
  const channel = await whatsappChannel(beckon);
  const inbound = await writeIn(beckon, channel, '+393330000501');
  const uuid = (await conversationOf(beckon, '+393330000501')).uuid;
  const note = (await expectCall(beckon, 'POST', `/v1/conversations/${uuid}/messages`, 201, { text: 'VIP, be nice', private: true }, alice.key)).note;
  assert.deepEqual(note, { uuid: note.uuid, conversation_uuid: uuid, author_uuid: alice.uuid, text: 'VIP, be nice', created_at: note.created_at });
  const messages = await expectCall(beckon, 'GET', `/v1/messages?contact_uuid=${inbound.contact.uuid}`, 200);
  assert.deepEqual(messages.messages.map((m: any) => m.uuid), [inbound.uuid], 'no message was created for the note');
  assert.deepEqual(await beckon.runtime.deps.db.selectFrom('sandbox_sends').selectAll().execute(), [], 'nothing went to the provider');
  const conv = (await expectCall(beckon, 'GET', `/v1/conversations/${uuid}`, 200)).conversation;
  assert.deepEqual([conv.first_response_at, conv.waiting_since], [null, inbound.created_at], 'a note is no answer');
  const thread = await expectCall(beckon, 'GET', `/v1/conversations/${uuid}/messages?limit=1`, 200);
  assert.deepEqual(thread.items, [{ type: 'note', at: note.created_at, note }]);
  const rest = await expectCall(beckon, 'GET', `/v1/conversations/${uuid}/messages?limit=1&cursor=${thread.meta.next_cursor}`, 200);
  assert.deepEqual([rest.items.map((i: any) => i.message.uuid), rest.meta.next_cursor], [[inbound.uuid], null]);
  const events = await eventsOf(beckon, 'note_created');
  assert.deepEqual(events.map((e) => e.payload), [{ ...note, contact_uuid: inbound.contact.uuid }]);
});

test('a reply outside the WhatsApp 24-hour window is refused with the approved templates that could be sent instead', async (t) => {
  const beckon = await startBeckon({}, { worker: false });
  t.after(() => beckon.stop());
  const { db } = beckon.runtime.deps;
  const strict = (await expectCall(beckon, 'POST', '/v1/channels', 201, { type: 'whatsapp', provider: 'sandbox', title: 'Strict', config: { strict: true } })).channel.uuid;
  const other = (await expectCall(beckon, 'POST', '/v1/channels', 201, { type: 'whatsapp', provider: 'sandbox', title: 'Other' })).channel.uuid;
  const template = async (body: Record<string, unknown>) => (await expectCall(beckon, 'POST', '/v1/templates', 201, { language: 'en', category: 'UTILITY', body: 'Your order {{1}} shipped', ...body })).template;
  const shared = await template({ name: 'order_update', channel_type: 'whatsapp' });
  const own = await template({ name: 'follow_up', channel_type: 'whatsapp', channel_uuid: strict, category: 'MARKETING' });
  await template({ name: 'draft_one', channel_type: 'whatsapp', status: 'pending' });
  await template({ name: 'elsewhere', channel_type: 'whatsapp', channel_uuid: other });
  await template({ name: 'sms_one', channel_type: 'sms' });

  const inbound = await writeIn(beckon, strict, '+393330000601');
  const uuid = (await conversationOf(beckon, '+393330000601')).uuid;
  const inside = await expectCall(beckon, 'POST', `/v1/conversations/${uuid}/messages`, 201, { text: 'Within the window' });
  assert.equal(inside.message.status, 'enqueued');
  const old = new Date(Date.now() - 25 * 3600_000).toISOString();
  await db.updateTable('contact_channel_windows').set({ last_inbound_at: old }).where('contact_id', '=', inbound.contact.uuid).execute();
  await db.updateTable('conversations').set({ last_inbound_at: old }).where('id', '=', uuid).execute();
  const closes = new Date(Date.parse(old) + 24 * 3600_000).toISOString();
  assert.equal((await expectCall(beckon, 'GET', `/v1/conversations/${uuid}`, 200)).conversation.window_expires_at, closes);

  const refused = await beckon.call('POST', `/v1/conversations/${uuid}/messages`, { body: { text: 'Are you there?' } });
  assert.equal(refused.statusCode, 422, refused.body);
  const problem = refused.json();
  assert.equal(problem.code, 'outside_customer_service_window');
  assert.equal(problem.window_expires_at, closes);
  assert.match(problem.detail, /24-hour customer service window closed/);
  assert.deepEqual(problem.templates, [
    { uuid: own.uuid, name: 'follow_up', language: 'en', category: 'MARKETING' },
    { uuid: shared.uuid, name: 'order_update', language: 'en', category: 'UTILITY' },
  ]);
  const stored = await expectCall(beckon, 'GET', `/v1/messages?contact_uuid=${inbound.contact.uuid}`, 200);
  assert.equal(stored.messages.length, 2, 'the refused reply stored nothing');

  await expectCall(beckon, 'PATCH', `/v1/contacts/${inbound.contact.uuid}`, 200, { consent: { whatsapp: { status: 'opted_in' } } });
  const sent = (await expectCall(beckon, 'POST', `/v1/conversations/${uuid}/messages`, 201, { template_uuid: shared.uuid, template_values: ['A-42'] })).message;
  assert.deepEqual([sent.template_uuid, sent.content.text], [shared.uuid, 'Your order A-42 shipped'], 'a template may be sent outside the window');
});
