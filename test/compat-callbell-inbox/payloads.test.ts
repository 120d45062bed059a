import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startBeckon, type TestBeckon } from '../helpers.ts';
import { conversationOf, createUser, expectCall, whatsappChannel, writeIn } from '../inbox-fixtures.ts';
import { INBOX_PAYLOAD_FORMATTERS, teamMembershipPayloads } from '../../src/compat/callbell/inbox-payloads.ts';
import { DOCUMENTED_PAYLOADS } from './fixtures.ts';
import { assertShape, shapeDiff } from './shape.ts';

/** The native payload of the latest event of a type. */
async function latest(beckon: TestBeckon, type: string): Promise<Record<string, any>> {
  const events = (await expectCall(beckon, 'GET', `/v1/events?type=${type}&limit=1`, 200)).events;
  assert.equal(events.length, 1, `one ${type} event`);
  return events[0].payload;
}

/** Callbell's delivery of a native payload: {event, payload}. */
function deliver(type: keyof typeof INBOX_PAYLOAD_FORMATTERS & string, native: Record<string, unknown>) {
  return { event: type, payload: INBOX_PAYLOAD_FORMATTERS[type](native, { publicUrl: 'https://beckon.example' }) };
}

test('the shape comparison fails on a missing key, an extra key and a type change', () => {
  assert.deepEqual(shapeDiff({ a: 1, b: { c: 'x' } }, { a: 2, b: { c: 'y' } }), []);
  assert.deepEqual(shapeDiff({ a: '1', b: {}, d: true }, { a: 2, b: { c: 'y' } }), ['a: string where the example has number', 'b.c: missing', 'd: not in the example']);
  assert.deepEqual(shapeDiff({ l: [{ x: null }] }, { l: [{ x: 'y' }] }), ['l[].x: null where the example has string']);
  assert.deepEqual(shapeDiff({ l: [{ x: null }] }, { l: [{ x: 'y' }] }, { nullable: ['l[].x'] }), []);
});

test('Callbell payloads of the inbox events, from the native payloads Beckon records, have the documented shapes', async (t) => {
  const beckon = await startBeckon({}, { worker: false });
  t.after(() => beckon.stop());
  const ann = await createUser(beckon, 'Ann');
  const channel = await whatsappChannel(beckon);
  const contact = (await expectCall(beckon, 'POST', '/v1/contacts', 201, { phone: '+393331235001', name: 'John Doe', tags: ['Lead'] })).contact;
  await writeIn(beckon, channel, '+393331235001');
  const conversation = await conversationOf(beckon, '+393331235001');

  // conversation_opened (the inbound message opened the conversation)
  const opened = deliver('conversation_opened', await latest(beckon, 'conversation_opened'));
  assertShape(opened, DOCUMENTED_PAYLOADS.conversation_opened, { extra: ['payload.href'] }, 'conversation_opened');
  assert.deepEqual([opened.payload.source, (opened.payload.contact as any).uuid, (opened.payload.contact as any).phoneNumber, opened.payload.createdAt],
    ['whatsapp', conversation.contact.uuid, '+393331235001', conversation.created_at]);
  assert.equal((opened.payload.contact as any).href, `https://beckon.example/contacts/${conversation.contact.uuid}`);
  assert.deepEqual([(opened.payload.contact as any).tags, (opened.payload.contact as any).name, (opened.payload.contact as any).createdAt], [['Lead'], 'John Doe', contact.created_at]);

  // conversation_closed (resolved through the native API)
  const resolved = (await expectCall(beckon, 'POST', `/v1/conversations/${conversation.uuid}/status`, 200, { status: 'resolved' })).conversation;
  const closed = deliver('conversation_closed', await latest(beckon, 'conversation_closed'));
  assertShape(closed, DOCUMENTED_PAYLOADS.conversation_closed, {}, 'conversation_closed');
  assert.deepEqual([closed.payload.closedAt, closed.payload.closingReason], [resolved.resolved_at, 'resolved']);

  // agent_status_updated (with a custom status, then without)
  await expectCall(beckon, 'PATCH', `/v1/users/${ann.uuid}`, 200, { availability: 'away', custom_status: 'Vacationing' });
  const status = deliver('agent_status_updated', await latest(beckon, 'agent_status_updated'));
  assertShape(status, DOCUMENTED_PAYLOADS.agent_status_updated, { nullable: ['payload.userCustomStatus.id'] }, 'agent_status_updated');
  assert.deepEqual([status.payload.available, (status.payload.userCustomStatus as any).name], [false, 'Vacationing']);
  await expectCall(beckon, 'PATCH', `/v1/users/${ann.uuid}`, 200, { availability: 'available', custom_status: null });
  const plain = deliver('agent_status_updated', await latest(beckon, 'agent_status_updated'));
  assertShape(plain, DOCUMENTED_PAYLOADS.agent_status_updated, { optional: ['payload.userCustomStatus'] }, 'agent_status_updated without a custom status');
  assert.equal('userCustomStatus' in plain.payload, false);

  // team_membership_updated (Ann added, then removed)
  const team = (await expectCall(beckon, 'POST', '/v1/teams', 201, { name: 'Support', user_uuids: [ann.uuid] })).team;
  const added = deliver('team_membership_updated', await latest(beckon, 'team_membership_updated'));
  assertShape(added, DOCUMENTED_PAYLOADS.team_membership_updated, {}, 'team_membership_updated');
  assert.deepEqual([(added.payload.user as any).email, added.payload.reason, (added.payload.team as any).uuid, (added.payload.team as any).members], [`ann.${ann.uuid}@example.com`, 'agent_added', team.uuid, 1]);
  await expectCall(beckon, 'DELETE', `/v1/teams/${team.uuid}/members/${ann.uuid}`, 200);
  const removed = deliver('team_membership_updated', await latest(beckon, 'team_membership_updated'));
  assert.deepEqual([(removed.payload.user as any).email, removed.payload.reason, (removed.payload.team as any).members], [`ann.${ann.uuid}@example.com`, 'agent_removed', 0]);
});

test('agent_session_updated and a change of several members: the formatters alone (one payload per user, by part)', () => {
  const user = { uuid: 'u1', email: 'john.doe@gmail.com', name: 'John Doe', role: 'agent', availability: 'away', custom_status: 'Lunch', has_password: true, created_at: '2024-02-21T12:02:47.000Z', updated_at: '2024-02-21T12:02:47.000Z' };
  const session = deliver('agent_session_updated', { action: 'user_logged_in', user });
  assertShape(session, DOCUMENTED_PAYLOADS.agent_session_updated, {}, 'agent_session_updated');
  assert.deepEqual(session.payload, { action: 'user_logged_in', user: { email: 'john.doe@gmail.com', name: 'John Doe', available: false, lastUpdatedAt: '2024-02-21T12:02:47.000Z' } });

  const team = { uuid: 't1', name: 'Support', auto_assign: false, member_uuids: ['u1'], created_at: '2024-02-16T10:12:55.000Z', updated_at: '2024-02-16T10:12:55.000Z' };
  const other = { ...user, uuid: 'u2', email: 'jane@example.com', availability: 'available' };
  const payloads = teamMembershipPayloads({ team, added: ['u1'], removed: ['u2'], users: [user, other] });
  assert.deepEqual(payloads.map((p: any) => [p.user.email, p.user.available, p.reason]), [['john.doe@gmail.com', false, 'agent_added'], ['jane@example.com', true, 'agent_removed']]);
  for (const payload of payloads) assertShape({ event: 'team_membership_updated', payload }, DOCUMENTED_PAYLOADS.team_membership_updated);
  assert.deepEqual([0, 1].map((part) => INBOX_PAYLOAD_FORMATTERS.team_membership_updated({ team, added: ['u1'], removed: ['u2'], users: [user, other] }, { part })), payloads);
});
