import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Webhook } from 'standardwebhooks';
import { startBeckon } from '../../test/helpers.ts';
import { Receiver } from '../../test/receiver.ts';
import { createHook } from './test-support.ts';

test('end to end: a contact created and a message sent through the API reach a subscribed endpoint, signed', async (t) => {
  const beckon = await startBeckon();
  const receiver = await Receiver.start();
  t.after(async () => {
    await receiver.stop();
    await beckon.stop();
  });
  const hook = await createHook(beckon, { url: receiver.url(), events: ['contact_created', 'message_created', 'message_status_updated'] });
  const contact = await beckon.call('POST', '/v1/contacts', { body: { phone: '+39 333 123 4567', name: 'Ada' } });
  assert.equal(contact.statusCode, 201);
  const sent = await beckon.call('POST', '/v1/messages/send', { body: { to: '+39 333 123 4567', from: 'whatsapp', type: 'text', content: { text: 'Hello!' } } });
  assert.equal(sent.statusCode, 200);
  const messageId = sent.json().message.uuid;

  // contact_created, message_created, then sent, delivered and read (the sandbox at zero delays)
  await receiver.waitForRequests(5);
  const bodies = receiver.requests.map((r) => new Webhook(hook.secret).verify(r.body, r.headers) as { event: string; payload: Record<string, unknown> });
  const created = bodies.find((b) => b.event === 'contact_created');
  assert.equal(created?.payload.uuid, contact.json().contact.uuid);
  assert.equal(created?.payload.phone, '+393331234567');
  assert.equal(bodies.find((b) => b.event === 'message_created')?.payload.uuid, messageId);
  const statuses = bodies.filter((b) => b.event === 'message_status_updated').map((b) => b.payload.status);
  assert.deepEqual([...statuses].sort(), ['delivered', 'read', 'sent']);
  assert.equal(new Set(receiver.requests.map((r) => r.headers['webhook-id'])).size, 5);
});
