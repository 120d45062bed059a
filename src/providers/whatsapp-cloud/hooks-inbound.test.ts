import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inboundValue, webhookEnvelope } from '../../../test/fakes/whatsapp-cloud.ts';
import { createWhatsAppChannel, startWhatsApp } from './test-support.ts';

const CUSTOMER = '12025550143';
const SHA = '1a0ecc6a0b6b4a4e2a7d07b6d24e0e37e1a1c7ee4b3f2f61d7a5a1a2b3c4d5e6';

/** Inbound messages as Meta's messages webhook reference shows each kind, with what Beckon records for it. */
const KINDS: { name: string; message: Record<string, unknown>; type: string; content: Record<string, unknown> }[] = [
  { name: 'text', message: { type: 'text', text: { body: 'Does it come in another color?' } }, type: 'text', content: { text: 'Does it come in another color?' } },
  {
    name: 'image', message: { type: 'image', image: { caption: 'Like this one', mime_type: 'image/jpeg', sha256: SHA, id: '1003383421387256' } },
    type: 'image', content: { media_id: '1003383421387256', mime_type: 'image/jpeg', text: 'Like this one' },
  },
  {
    name: 'document', message: { type: 'document', document: { caption: 'My invoice', filename: 'invoice.pdf', mime_type: 'application/pdf', sha256: SHA, id: '2003383421387257' } },
    type: 'document', content: { media_id: '2003383421387257', mime_type: 'application/pdf', text: 'My invoice', filename: 'invoice.pdf' },
  },
  {
    name: 'audio', message: { type: 'audio', audio: { mime_type: 'audio/ogg; codecs=opus', sha256: SHA, id: '3003383421387258', voice: true } },
    type: 'audio', content: { media_id: '3003383421387258', mime_type: 'audio/ogg; codecs=opus' },
  },
  {
    name: 'video', message: { type: 'video', video: { mime_type: 'video/mp4', sha256: SHA, id: '4003383421387259' } },
    type: 'video', content: { media_id: '4003383421387259', mime_type: 'video/mp4' },
  },
  {
    name: 'sticker', message: { type: 'sticker', sticker: { mime_type: 'image/webp', sha256: SHA, id: '5003383421387250', animated: false } },
    type: 'sticker', content: { media_id: '5003383421387250', mime_type: 'image/webp' },
  },
  {
    name: 'location', message: { type: 'location', location: { address: '101 Forest Ave, Palo Alto, CA 94301', latitude: 37.44216944444, longitude: -122.16163888889, name: 'Philz Coffee', url: 'https://www.philzcoffee.com/' } },
    type: 'location', content: { location: { latitude: 37.44216944444, longitude: -122.16163888889, name: 'Philz Coffee', address: '101 Forest Ave, Palo Alto, CA 94301', url: 'https://www.philzcoffee.com/' } },
  },
  {
    name: 'button_reply', message: { type: 'interactive', interactive: { type: 'button_reply', button_reply: { id: 'change-button', title: 'Change' } }, context: { from: '15550783881', id: 'wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBJDQjZCMzlEQUE4OTJBMTE4RTUA' } },
    type: 'interactive', content: { text: 'Change', reply: { type: 'button_reply', id: 'change-button', title: 'Change' } },
  },
  {
    name: 'list_reply', message: { type: 'interactive', interactive: { type: 'list_reply', list_reply: { id: 'priority_express', title: 'Priority Mail Express', description: 'Next Day to 2 Days' } } },
    type: 'interactive', content: { text: 'Priority Mail Express', reply: { type: 'list_reply', id: 'priority_express', title: 'Priority Mail Express', description: 'Next Day to 2 Days' } },
  },
  {
    name: 'template quick reply', message: { type: 'button', button: { payload: 'STOP_PROMOS', text: 'Stop promotions' } },
    type: 'interactive', content: { text: 'Stop promotions', reply: { type: 'button', id: 'STOP_PROMOS', title: 'Stop promotions' } },
  },
  { name: 'reaction', message: { type: 'reaction', reaction: { message_id: 'wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA=', emoji: '\u{1F600}' } }, type: 'reaction', content: {} },
];

test('inbound text, media (id and mime), location and interactive replies become inbound messages with their content', async (t) => {
  const wa = await startWhatsApp();
  t.after(() => wa.stop());
  for (const kind of KINDS) {
    const res = await wa.hook(webhookEnvelope(inboundValue(CUSTOMER, kind.message), wa.phoneNumberId));
    assert.equal(res.statusCode, 200, kind.name);
    assert.deepEqual(res.json(), { messages: 1, duplicates: 0, statuses: 0, ignored: 0 }, kind.name);
  }
  const messages = (await wa.beckon.call('GET', '/v1/messages?direction=inbound&limit=100')).json().messages.reverse();
  assert.deepEqual(messages.map((m: { type: string; content: unknown }) => ({ type: m.type, content: m.content })), KINDS.map((k) => ({ type: k.type, content: k.content })));
  for (const m of messages) {
    assert.equal(m.status, 'received');
    assert.equal(m.channel_uuid, wa.channelId);
    assert.equal(m.from, `+${CUSTOMER}`);
    assert.match(m.provider_message_id, /^wamid\./);
  }
  const contacts = (await wa.beckon.call('GET', '/v1/contacts')).json().contacts;
  assert.equal(contacts.length, 1);
  assert.equal(contacts[0].phone, `+${CUSTOMER}`);
  assert.equal(contacts[0].source, 'inbound');
});

test('a system message (the customer changed number) records nothing', async (t) => {
  const wa = await startWhatsApp();
  t.after(() => wa.stop());
  const system = { type: 'system', system: { body: 'User Sheena Nelson changed from 12025550143 to 12025550144', wa_id: '12025550144', type: 'user_changed_number' } };
  const res = await wa.hook(webhookEnvelope({ messages: [{ from: CUSTOMER, id: 'wamid.system1', timestamp: '1749416383', ...system }] }, wa.phoneNumberId));
  assert.deepEqual(res.json(), { messages: 0, duplicates: 0, statuses: 0, ignored: 0 });
  assert.deepEqual((await wa.beckon.call('GET', '/v1/messages')).json().messages, []);
});

test('a webhook delivered again (in turn or at the same time) records its message once', async (t) => {
  const wa = await startWhatsApp();
  t.after(() => wa.stop());
  const body = webhookEnvelope(inboundValue(CUSTOMER, { type: 'text', text: { body: 'once' } }), wa.phoneNumberId);
  assert.deepEqual((await wa.hook(body)).json(), { messages: 1, duplicates: 0, statuses: 0, ignored: 0 });
  assert.deepEqual((await wa.hook(body)).json(), { messages: 0, duplicates: 1, statuses: 0, ignored: 0 });

  const racing = webhookEnvelope(inboundValue(CUSTOMER, { type: 'text', text: { body: 'twice at once' } }), wa.phoneNumberId);
  const answers = (await Promise.all([wa.hook(racing), wa.hook(racing), wa.hook(racing)])).map((r) => r.json());
  assert.equal(answers.reduce((n, a) => n + a.messages, 0), 1, JSON.stringify(answers));
  assert.equal(answers.reduce((n, a) => n + a.duplicates, 0), 2, JSON.stringify(answers));

  const texts = (await wa.beckon.call('GET', '/v1/messages')).json().messages.map((m: { content: { text: string } }) => m.content.text).sort();
  assert.deepEqual(texts, ['once', 'twice at once']);
  const created = await wa.beckon.runtime.deps.db.selectFrom('events').select('type').where('type', '=', 'message_created').execute();
  assert.equal(created.length, 2);
});

test('a change for another number of the same workspace goes to that number\'s channel; unknown numbers and other workspaces are ignored', async (t) => {
  const wa = await startWhatsApp();
  t.after(() => wa.stop());
  const config = { business_account_id: wa.fake.businessAccountId, access_token: wa.fake.accessToken, app_secret: 'second-app-secret', verify_token: 'second-verify', api_base_url: wa.fake.url };
  const second = await createWhatsAppChannel(wa.beckon, { ...config, phone_number_id: '106540352242999' });
  const otherKey = await wa.beckon.newWorkspace('other');
  const foreign = await createWhatsAppChannel(wa.beckon, { ...config, phone_number_id: '106540352242888' }, otherKey);

  const toSecond = await wa.hook(webhookEnvelope(inboundValue(CUSTOMER, { type: 'text', text: { body: 'to the second number' } }), '106540352242999'));
  assert.deepEqual(toSecond.json(), { messages: 1, duplicates: 0, statuses: 0, ignored: 0 });
  const toForeign = await wa.hook(webhookEnvelope(inboundValue(CUSTOMER, { type: 'text', text: { body: 'to another workspace' } }), '106540352242888'));
  assert.deepEqual(toForeign.json(), { messages: 0, duplicates: 0, statuses: 0, ignored: 1 });

  const [message] = (await wa.beckon.call('GET', '/v1/messages')).json().messages;
  assert.equal(message.channel_uuid, second);
  assert.equal(message.content.text, 'to the second number');
  assert.deepEqual((await wa.beckon.call('GET', '/v1/messages', { key: otherKey })).json().messages, []);
  assert.notEqual(foreign, second);
});

test('the WhatsApp profile name names a contact that has none, and never overwrites a name', async (t) => {
  const wa = await startWhatsApp();
  t.after(() => wa.stop());
  const text = { type: 'text', text: { body: 'hi' } };
  assert.equal((await wa.hook(webhookEnvelope(inboundValue('12025550144', text, 'Sheena Nelson'), wa.phoneNumberId))).statusCode, 200);
  const created = (await wa.beckon.call('GET', '/v1/contacts/phone/+12025550144')).json().contact;
  assert.equal(created.name, 'Sheena Nelson', 'a contact created by the message gets the profile name');

  const known = (await wa.beckon.call('POST', '/v1/contacts', { body: { phone: '+12025550145' } })).json().contact;
  assert.equal(known.name, null);
  await wa.hook(webhookEnvelope(inboundValue('12025550145', text, 'Maria'), wa.phoneNumberId));
  assert.equal((await wa.beckon.call('GET', `/v1/contacts/${known.uuid}`)).json().contact.name, 'Maria', 'a known contact without a name gets it');

  await wa.beckon.call('PATCH', `/v1/contacts/${known.uuid}`, { body: { name: 'Maria Rossi (VIP)' } });
  await wa.hook(webhookEnvelope(inboundValue('12025550145', text, 'Mari'), wa.phoneNumberId));
  assert.equal((await wa.beckon.call('GET', `/v1/contacts/${known.uuid}`)).json().contact.name, 'Maria Rossi (VIP)', 'a name someone set is kept');
});
