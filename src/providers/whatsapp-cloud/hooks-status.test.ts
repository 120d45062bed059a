import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inboundValue, signedWebhook, statusValue, webhookEnvelope } from '../../../test/fakes/whatsapp-cloud.ts';
import { waitFor } from '../../../test/helpers.ts';
import { startWhatsApp, type WhatsAppHarness } from './test-support.ts';

const CUSTOMER = '+12025550143';
const RECIPIENT = '12025550143';

async function statusEvents(wa: WhatsAppHarness, uuid: string): Promise<string[]> {
  const rows = await wa.beckon.runtime.deps.db.selectFrom('events').select('payload').where('type', '=', 'message_status_updated').orderBy('created_at').orderBy('id').execute();
  return rows.map((r) => JSON.parse(r.payload)).filter((p) => p.uuid === uuid).map((p) => p.status);
}

async function message(wa: WhatsAppHarness, uuid: string): Promise<Record<string, any>> {
  return (await wa.beckon.call('GET', `/v1/messages/${uuid}`)).json().message;
}

test('delivered and read statuses move the message forward once each; repeats and late deliveries are absorbed', async (t) => {
  const wa = await startWhatsApp();
  t.after(() => wa.stop());
  await wa.customerWrites(CUSTOMER);
  const sent = await wa.sendAndSettle({ to: CUSTOMER, type: 'text', content: { text: 'hello' } });
  const wamid = sent.provider_message_id;
  const status = (name: string) => wa.hook(webhookEnvelope(statusValue(wamid, name, RECIPIENT, { timestamp: '1767225600' }), wa.phoneNumberId));

  assert.deepEqual((await status('sent')).json(), { messages: 0, duplicates: 0, statuses: 0, ignored: 0 });
  assert.deepEqual((await status('delivered')).json(), { messages: 0, duplicates: 0, statuses: 1, ignored: 0 });
  assert.deepEqual((await status('read')).json(), { messages: 0, duplicates: 0, statuses: 1, ignored: 0 });
  assert.deepEqual((await status('delivered')).json(), { messages: 0, duplicates: 0, statuses: 0, ignored: 0 });
  assert.deepEqual((await status('read')).json(), { messages: 0, duplicates: 0, statuses: 0, ignored: 0 });
  assert.deepEqual((await status('failed')).json(), { messages: 0, duplicates: 0, statuses: 0, ignored: 0 });

  const read = await message(wa, sent.uuid);
  assert.equal(read.status, 'read');
  assert.deepEqual(read.status_history.map((h: { status: string; at: string }) => h.status), ['enqueued', 'sent', 'delivered', 'read']);
  assert.deepEqual(read.status_history.slice(2).map((h: { at: string }) => h.at), ['2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z']);
  assert.deepEqual(await statusEvents(wa, sent.uuid), ['sent', 'delivered', 'read']);
});

test('a failed status carries WhatsApp\'s error code, title and details', async (t) => {
  const wa = await startWhatsApp();
  t.after(() => wa.stop());
  await wa.customerWrites(CUSTOMER);
  const sent = await wa.sendAndSettle({ to: CUSTOMER, type: 'text', content: { text: 'hello' } });
  const errors = [{
    code: 131047, title: 'Re-engagement message', message: 'Re-engagement message',
    error_data: { details: 'Message failed to send because more than 24 hours have passed since the customer last replied to this number.' },
    href: 'https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes/',
  }];
  const res = await wa.hook(webhookEnvelope(statusValue(sent.provider_message_id, 'failed', RECIPIENT, { errors }), wa.phoneNumberId));
  assert.deepEqual(res.json(), { messages: 0, duplicates: 0, statuses: 1, ignored: 0 });
  const failed = await message(wa, sent.uuid);
  assert.equal(failed.status, 'failed');
  assert.deepEqual(failed.error, {
    code: '131047',
    reason: 'Re-engagement message (131047): Message failed to send because more than 24 hours have passed since the customer last replied to this number: '
      + 'more than 24 hours have passed since the customer last wrote: send an approved template instead (template_uuid)',
  });

  const other = await wa.sendAndSettle({ to: CUSTOMER, type: 'text', content: { text: 'again' } });
  await wa.hook(webhookEnvelope(statusValue(other.provider_message_id, 'failed', RECIPIENT, { errors: [{ code: 131026, title: 'Message undeliverable', message: 'Message undeliverable', error_data: { details: 'Message Undeliverable.' } }] }), wa.phoneNumberId));
  assert.deepEqual((await message(wa, other.uuid)).error, {
    code: '131026', reason: 'Message undeliverable (131026): the recipient cannot receive it: the number has no WhatsApp account, runs an old version, or has not accepted the latest terms',
  });
  const third = await wa.sendAndSettle({ to: CUSTOMER, type: 'text', content: { text: 'and again' } });
  await wa.hook(webhookEnvelope(statusValue(third.provider_message_id, 'failed', RECIPIENT), wa.phoneNumberId));
  assert.deepEqual((await message(wa, third.uuid)).error, { code: 'provider_failed', reason: 'WhatsApp reported the message as failed without a reason' });
});

test('a status is looked up on its channel only: another workspace\'s wamid through this hook changes nothing', async (t) => {
  const wa = await startWhatsApp();
  t.after(() => wa.stop());
  const otherKey = await wa.beckon.newWorkspace('other');
  const otherChannel = (await wa.beckon.call('POST', '/v1/channels', {
    key: otherKey,
    body: { type: 'whatsapp', provider: 'whatsapp_cloud', title: 'Other', config: {
      phone_number_id: wa.phoneNumberId, access_token: wa.fake.accessToken, app_secret: 'other-app-secret', verify_token: 'other-verify', api_base_url: wa.fake.url,
    } },
  })).json().channel.uuid;
  const write = signedWebhook(webhookEnvelope(inboundValue(RECIPIENT, { type: 'text', text: { body: 'hi other' } }), wa.phoneNumberId), 'other-app-secret');
  assert.equal((await wa.beckon.call('POST', `/hooks/whatsapp/${otherChannel}`, { key: null, body: write.payload, headers: write.headers })).statusCode, 200);
  const sendRes = await wa.beckon.call('POST', '/v1/messages/send', { key: otherKey, body: { from: 'whatsapp', channel_uuid: otherChannel, to: CUSTOMER, type: 'text', content: { text: 'theirs' } } });
  assert.equal(sendRes.statusCode, 200, sendRes.body);
  const theirs = await waitFor('their message to be sent', async () => {
    const m = (await wa.beckon.call('GET', `/v1/messages/${sendRes.json().message.uuid}`, { key: otherKey })).json().message;
    return m.status === 'sent' ? m : undefined;
  });

  const res = await wa.hook(webhookEnvelope(statusValue(theirs.provider_message_id, 'read', RECIPIENT, { biz_opaque_callback_data: theirs.uuid }), wa.phoneNumberId));
  assert.deepEqual(res.json(), { messages: 0, duplicates: 0, statuses: 0, ignored: 1 });
  assert.equal((await wa.beckon.call('GET', `/v1/messages/${theirs.uuid}`, { key: otherKey })).json().message.status, 'sent');
});

test('a status that arrives before the send is recorded finds its message by biz_opaque_callback_data', async (t) => {
  const wa = await startWhatsApp({}, { worker: false });
  t.after(() => wa.stop());
  await wa.customerWrites(CUSTOMER);
  const res = await wa.beckon.call('POST', '/v1/messages/send', { body: { from: 'whatsapp', channel_uuid: wa.channelId, to: CUSTOMER, type: 'text', content: { text: 'racing' } } });
  const uuid = res.json().message.uuid;
  const wamid = 'wamid.HBgLMTIwMjU1NTAxNDMVAgARGBI1RjQ0QjVEOTk1MjAwRTE1MzIA';
  const early = await wa.hook(webhookEnvelope(statusValue(wamid, 'delivered', RECIPIENT, { biz_opaque_callback_data: uuid }), wa.phoneNumberId));
  assert.deepEqual(early.json(), { messages: 0, duplicates: 0, statuses: 1, ignored: 0 });
  const delivered = await message(wa, uuid);
  assert.equal(delivered.status, 'delivered');
  assert.equal(delivered.provider_message_id, wamid);
  // later statuses find it by the wamid alone
  const read = await wa.hook(webhookEnvelope(statusValue(wamid, 'read', RECIPIENT), wa.phoneNumberId));
  assert.deepEqual(read.json(), { messages: 0, duplicates: 0, statuses: 1, ignored: 0 });
  assert.equal((await message(wa, uuid)).status, 'read');

  const unknown = await wa.hook(webhookEnvelope(statusValue('wamid.unknown', 'delivered', RECIPIENT), wa.phoneNumberId));
  assert.deepEqual(unknown.json(), { messages: 0, duplicates: 0, statuses: 0, ignored: 1 });
});
