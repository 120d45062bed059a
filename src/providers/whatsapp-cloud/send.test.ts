import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startWhatsApp } from './test-support.ts';

const CUSTOMER = '+12025550143';

test('a text send is POST /{version}/{phone_number_id}/messages with the Bearer token; the wamid becomes the provider id', async (t) => {
  const wa = await startWhatsApp();
  t.after(() => wa.stop());
  await wa.customerWrites(CUSTOMER);
  const message = await wa.sendAndSettle({ to: '+1 202-555-0143', type: 'text', content: { text: 'Your order shipped: https://example.com/track/1' } });
  assert.equal(message.status, 'sent');
  const [send] = wa.fake.sends;
  assert.equal(send.path, `/v23.0/${wa.phoneNumberId}/messages`);
  assert.equal(send.headers.authorization, `Bearer ${wa.fake.accessToken}`);
  assert.equal(send.headers['content-type'], 'application/json');
  assert.deepEqual(send.body, {
    messaging_product: 'whatsapp', recipient_type: 'individual', to: CUSTOMER, biz_opaque_callback_data: message.uuid,
    type: 'text', text: { preview_url: true, body: 'Your order shipped: https://example.com/track/1' },
  });
  assert.match(message.provider_message_id, /^wamid\./);
  assert.deepEqual(message.status_history.map((h: { status: string }) => h.status), ['enqueued', 'sent']);
  assert.equal(message.error, null);
});

test('image, document, audio and video sends carry the public link, the caption (not on audio) and a document\'s file name', async (t) => {
  const wa = await startWhatsApp();
  t.after(() => wa.stop());
  await wa.customerWrites(CUSTOMER);
  const cases = [
    { type: 'image', content: { url: 'https://cdn.example.com/p/red-shoe.jpg', text: 'The red one' }, expected: { link: 'https://cdn.example.com/p/red-shoe.jpg', caption: 'The red one' } },
    { type: 'document', content: { url: 'https://cdn.example.com/docs/Invoice%20042.pdf', text: 'Your invoice' }, expected: { link: 'https://cdn.example.com/docs/Invoice%20042.pdf', caption: 'Your invoice', filename: 'Invoice 042.pdf' } },
    { type: 'document', content: { url: 'https://cdn.example.com/download?id=42' }, expected: { link: 'https://cdn.example.com/download?id=42' } },
    { type: 'audio', content: { url: 'https://cdn.example.com/a/hello.ogg', text: 'not sent' }, expected: { link: 'https://cdn.example.com/a/hello.ogg' } },
    { type: 'video', content: { url: 'https://cdn.example.com/v/demo.mp4' }, expected: { link: 'https://cdn.example.com/v/demo.mp4' } },
  ];
  for (const c of cases) {
    const message = await wa.sendAndSettle({ to: CUSTOMER, type: c.type, content: c.content });
    assert.equal(message.status, 'sent', `${c.type}: ${JSON.stringify(message.error)}`);
    const body = wa.fake.sends.at(-1)!.body;
    assert.deepEqual(body, { messaging_product: 'whatsapp', recipient_type: 'individual', to: CUSTOMER, biz_opaque_callback_data: message.uuid, type: c.type, [c.type]: c.expected });
  }
  assert.equal(new Set(wa.fake.sends.map((s) => s.body.biz_opaque_callback_data)).size, cases.length);
});

test('another workspace cannot send on the channel', async (t) => {
  const wa = await startWhatsApp();
  t.after(() => wa.stop());
  const otherKey = await wa.beckon.newWorkspace('other');
  const res = await wa.beckon.call('POST', '/v1/messages/send', { key: otherKey, body: { from: 'whatsapp', channel_uuid: wa.channelId, to: CUSTOMER, type: 'text', content: { text: 'hi' } } });
  assert.equal(res.statusCode, 404);
  assert.deepEqual(res.json().errors, [{ path: 'body.channel_uuid', message: 'no such channel in this workspace' }]);
  assert.equal(wa.fake.sends.length, 0);
});
