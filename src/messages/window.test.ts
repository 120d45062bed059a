import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { LightMyRequestResponse } from 'fastify';
import { startBeckon, type TestBeckon } from '../../test/helpers.ts';
import { touchChannelWindow } from '../contacts/queries.ts';

const PHONE = '+393331234567';
const TEXT = { to: PHONE, from: 'whatsapp', type: 'text', content: { text: 'Your order shipped' } };
const HOUR = 3600_000;

function assertProblem(res: LightMyRequestResponse, status: number, code: string): Record<string, unknown> {
  assert.equal(res.statusCode, status, res.body);
  assert.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8');
  assert.equal(res.json().code, code);
  return res.json();
}

async function strictChannel(beckon: TestBeckon, key?: string): Promise<string> {
  const res = await beckon.call('POST', '/v1/channels', { key, body: { type: 'whatsapp', provider: 'sandbox', title: 'Strict sandbox', config: { strict: true } } });
  assert.equal(res.statusCode, 201, res.body);
  return res.json().channel.uuid;
}

async function writeIn(beckon: TestBeckon, channelUuid: string, from = PHONE, key?: string): Promise<{ at: string; contact: string }> {
  const res = await beckon.call('POST', '/v1/sandbox/inbound', { key, body: { channel_uuid: channelUuid, from, text: 'hello?' } });
  assert.equal(res.statusCode, 200, res.body);
  return { at: res.json().message.created_at, contact: res.json().message.contact.uuid };
}

async function setLastInbound(beckon: TestBeckon, contact: string, channel: string, hoursAgo: number): Promise<string> {
  const at = new Date(Date.now() - hoursAgo * HOUR).toISOString();
  await beckon.runtime.deps.db.updateTable('contact_channel_windows').set({ last_inbound_at: at }).where('contact_id', '=', contact).where('channel_id', '=', channel).execute();
  return at;
}

const plus24h = (iso: string) => new Date(Date.parse(iso) + 24 * HOUR).toISOString();

test('24-hour window: the default sandbox channel is permissive; a strict one refuses a contact who never wrote, and stores nothing', async (t) => {
  const beckon = await startBeckon({}, { worker: false });
  t.after(() => beckon.stop());
  const permissive = await beckon.call('POST', '/v1/messages/send', { body: TEXT });
  assert.equal(permissive.statusCode, 200, permissive.body);

  const strict = await strictChannel(beckon);
  const refused = assertProblem(await beckon.call('POST', '/v1/messages/send', { body: { ...TEXT, to: '+14155552671', channel_uuid: strict } }), 422, 'outside_customer_service_window');
  assert.equal(refused.detail, 'the contact has never written on this channel, so no 24-hour customer service window is open; '
    + 'send an approved template instead (template_uuid, template_values), or wait until +14155552671 writes again');
  assert.equal(refused.window_expires_at, null);
  const contacts = await beckon.runtime.deps.db.selectFrom('contacts').select('phone').execute();
  assert.deepEqual(contacts.map((c) => c.phone), [PHONE], 'the refused send created no contact');
  assert.equal((await beckon.runtime.deps.db.selectFrom('messages').select('id').execute()).length, 1);

  // a message on the permissive channel opens no window on the strict one
  await writeIn(beckon, (await beckon.call('GET', '/v1/channels?type=whatsapp')).json().channels.find((c: { main: boolean }) => c.main).uuid);
  assertProblem(await beckon.call('POST', '/v1/messages/send', { body: { ...TEXT, channel_uuid: strict } }), 422, 'outside_customer_service_window');
});

test('24-hour window: a message in opens it on that channel for 24 hours; older than 24 h is refused with the closing time', async (t) => {
  const beckon = await startBeckon({}, { worker: false });
  t.after(() => beckon.stop());
  const strict = await strictChannel(beckon);
  const { contact } = await writeIn(beckon, strict);
  const ok = await beckon.call('POST', '/v1/messages/send', { body: { ...TEXT, channel_uuid: strict } });
  assert.equal(ok.statusCode, 200, ok.body);

  await setLastInbound(beckon, contact, strict, 23.9);
  assert.equal((await beckon.call('POST', '/v1/messages/send', { body: { ...TEXT, channel_uuid: strict } })).statusCode, 200);

  const old = await setLastInbound(beckon, contact, strict, 24.1);
  const refused = assertProblem(await beckon.call('POST', '/v1/messages/send', { body: { ...TEXT, channel_uuid: strict } }), 422, 'outside_customer_service_window');
  assert.equal(refused.detail, `the contact's last message on this channel was at ${old}, so the 24-hour customer service window closed at ${plus24h(old)}; `
    + `send an approved template instead (template_uuid, template_values), or wait until ${PHONE} writes again`);
  assert.equal(refused.window_expires_at, plus24h(old));
  assert.equal(refused.contact_uuid, contact);

  // writing again reopens it; an inbound message older than the stored one does not move it back
  const again = await writeIn(beckon, strict);
  assert.equal((await beckon.call('POST', '/v1/messages/send', { body: { ...TEXT, channel_uuid: strict } })).statusCode, 200);
  const { db } = beckon.runtime.deps;
  const workspaceId = (await beckon.call('GET', '/v1/auth/me')).json().workspace.uuid;
  await touchChannelWindow(db, workspaceId, contact, strict, '2020-01-01T00:00:00.000Z');
  const stored = await db.selectFrom('contact_channel_windows').selectAll().execute();
  assert.equal(stored.length, 1);
  assert.equal(stored[0].last_inbound_at, again.at);
});

test('24-hour window: contacts show each WhatsApp channel\'s window and the default channel\'s as whatsapp_window_expires_at', async (t) => {
  const beckon = await startBeckon({}, { worker: false });
  t.after(() => beckon.stop());
  const main = (await beckon.call('GET', '/v1/channels?type=whatsapp')).json().channels[0].uuid;
  const strict = await strictChannel(beckon);
  const first = await writeIn(beckon, strict);
  let contact = (await beckon.call('GET', `/v1/contacts/${first.contact}`)).json().contact;
  assert.equal(contact.whatsapp_window_expires_at, null, 'the contact never wrote on the default channel');
  assert.deepEqual(contact.whatsapp_windows, [{ channel_uuid: strict, expires_at: plus24h(first.at) }]);

  const second = await writeIn(beckon, main);
  const expected = [{ channel_uuid: main, expires_at: plus24h(second.at) }, { channel_uuid: strict, expires_at: plus24h(first.at) }]
    .sort((a, b) => a.channel_uuid.localeCompare(b.channel_uuid));
  for (const res of [
    await beckon.call('GET', `/v1/contacts/${first.contact}`),
    await beckon.call('GET', `/v1/contacts/phone/${encodeURIComponent(PHONE)}`),
  ]) {
    contact = res.json().contact;
    assert.equal(contact.whatsapp_window_expires_at, plus24h(second.at));
    assert.deepEqual(contact.whatsapp_windows, expected);
  }
  const listed = (await beckon.call('GET', '/v1/contacts')).json().contacts;
  assert.deepEqual(listed.map((c: { whatsapp_windows: unknown }) => c.whatsapp_windows), [expected]);

  // an SMS conversation is no WhatsApp window
  const sms = (await beckon.call('POST', '/v1/channels', { body: { type: 'sms', provider: 'sandbox', title: 'SMS' } })).json().channel.uuid;
  const bob = await writeIn(beckon, sms, '+14155552671');
  const bobView = (await beckon.call('GET', `/v1/contacts/${bob.contact}`)).json().contact;
  assert.deepEqual([bobView.whatsapp_window_expires_at, bobView.whatsapp_windows], [null, []]);
});

test('24-hour window: another workspace\'s windows never show nor open a window', async (t) => {
  const beckon = await startBeckon({}, { worker: false });
  t.after(() => beckon.stop());
  const otherKey = await beckon.newWorkspace('other');
  const strict = await strictChannel(beckon);
  const otherStrict = await strictChannel(beckon, otherKey);
  await writeIn(beckon, strict);

  assertProblem(await beckon.call('POST', '/v1/messages/send', { key: otherKey, body: { ...TEXT, channel_uuid: otherStrict } }), 422, 'outside_customer_service_window');
  const created = await beckon.call('POST', '/v1/contacts', { key: otherKey, body: { phone: PHONE } });
  assert.equal(created.statusCode, 201, created.body);
  const view = (await beckon.call('GET', `/v1/contacts/${created.json().contact.uuid}`, { key: otherKey })).json().contact;
  assert.deepEqual([view.whatsapp_window_expires_at, view.whatsapp_windows], [null, []]);
  const res = await beckon.call('POST', '/v1/messages/send', { key: otherKey, body: { ...TEXT, channel_uuid: strict } });
  assert.equal(res.statusCode, 404, 'another workspace\'s channel is not found');
});
