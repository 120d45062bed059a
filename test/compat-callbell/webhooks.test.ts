import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Webhook } from 'standardwebhooks';
import { startBeckon, waitFor } from '../helpers.ts';
import { Receiver } from '../receiver.ts';
import { conversationOf } from '../inbox-fixtures.ts';
import { assertShape } from './shape.ts';
import * as F from './fixtures.ts';

const BASE = '/compat/callbell';
const JSON_HEADER = { 'content-type': 'application/json' };
type Delivery = { event: string; payload: Record<string, any> };

test('callbell webhooks: subscribe, Callbell-shaped signed payloads for message and contact events, the events log, unsubscribe', async (t) => {
  const beckon = await startBeckon();
  const receiver = await Receiver.start();
  t.after(async () => {
    await receiver.stop();
    await beckon.stop();
  });
  const call = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', path: string, body?: unknown) =>
    beckon.call(method, BASE + path, { body: body === undefined ? undefined : JSON.stringify(body), headers: JSON_HEADER });

  // S/webhooks_api/_post_webhooks_subscribe.mdx, with every Callbell event name (the inbox part's five included) → R/webhooks_api/subscribe.md
  const events = ['message_created', 'message_status_updated', 'contact_created', 'contact_updated', 'contact_deleted', 'conversation_opened', 'agent_session_updated'];
  const subscribed = await call('POST', '/v1/webhooks/subscribe', { url: receiver.url(), subscriptions: events });
  assert.equal(subscribed.statusCode, 200, subscribed.body);
  assertShape(subscribed.json(), F.SUBSCRIBE_EXAMPLE);
  assert.match(subscribed.json().webhook.createdAt, /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} \+0000$/);
  const secret = subscribed.json().webhook.secret as string;
  const endpoint = (await beckon.call('GET', `/v1/webhooks/${subscribed.json().webhook.uuid}`)).json().webhook;
  assert.equal(endpoint.format, 'callbell');
  assert.equal((await call('POST', '/v1/webhooks/subscribe', { url: receiver.url(), subscriptions: ['no_such_event'] })).statusCode, 400);

  const contact = (await call('POST', '/v1/contacts', { identifier: '+39 333 123 4567', name: 'John Doe', tags: ['Lead'], source: 'whatsapp' })).json().contact;
  assert.equal((await call('PATCH', `/v1/contacts/${contact.uuid}`, { tags: ['Lead', 'Hot'] })).statusCode, 200);
  const sent = await call('POST', '/v1/messages/send', { to: '+39 333 123 4567', from: 'whatsapp', type: 'text', content: { text: 'Hello' }, metadata: { order: 'A-1' } });
  assert.equal(sent.statusCode, 200);
  const inbound = await beckon.call('POST', '/v1/sandbox/inbound', { body: { from: '+39 333 123 4567', text: 'Hello back' } });
  assert.ok(inbound.statusCode < 300, inbound.body);

  // contact_created, contact_updated, message_created ×2, message_status_updated ×3 (sent, delivered, read); conversation_opened is the inbox part's
  const mine = new Set(Object.keys(F.WEBHOOK_PAYLOADS));
  const verified = () => receiver.requests.map((r) => new Webhook(secret).verify(r.body, r.headers) as Delivery).filter((b) => mine.has(b.event));
  const bodies = await waitFor('seven deliveries', async () => (verified().length >= 7 ? verified() : undefined), 20_000);
  const of = (event: string) => bodies.filter((b) => b.event === event);
  for (const body of bodies) assert.deepEqual(Object.keys(body).sort(), ['event', 'payload'], `Callbell's envelope only: ${JSON.stringify(body)}`);

  // a contact with no conversation yet has no conversationHref (null)
  const noThread = { nullable: ['payload.conversationHref', 'payload.contact.conversationHref'] };
  const [created] = of('contact_created');
  assertShape(created, F.WEBHOOK_PAYLOADS.contact_created, noThread);
  assert.equal(created.payload.conversationHref, null);
  assert.equal(created.payload.uuid, contact.uuid);
  assert.equal(created.payload.phoneNumber, '+393331234567');
  const [updated] = of('contact_updated');
  assertShape(updated, F.WEBHOOK_PAYLOADS.contact_updated, noThread);
  assert.deepEqual(updated.payload.tags, ['Lead', 'Hot']);

  const messages = of('message_created');
  const outbound = messages.find((m) => m.payload.status === 'sent');
  const received = messages.find((m) => m.payload.status === 'received');
  assert.ok(outbound && received, JSON.stringify(messages));
  assertShape(outbound, F.WEBHOOK_PAYLOADS.message_created, { records: ['payload.metadata'], ...noThread });
  assert.equal(outbound.payload.text, 'Hello');
  assert.deepEqual(outbound.payload.metadata, { order: 'A-1' });
  assert.equal(outbound.payload.contact.uuid, contact.uuid);
  assert.equal(received.payload.text, 'Hello back');
  assert.equal(received.payload.contact.uuid, contact.uuid);
  assert.equal(received.payload.metadata, undefined);

  const statuses = of('message_status_updated');
  assert.deepEqual(statuses.map((s) => s.payload.status).sort(), ['delivered', 'read', 'sent']);
  for (const status of statuses) {
    assertShape(status, F.WEBHOOK_PAYLOADS.message_status_updated, { records: ['payload.metadata', 'payload.messageStatusPayload'], ...noThread });
    assert.equal(status.payload.uuid, sent.json().message.uuid);
  }

  // the inbox part's conversation_opened (R/webhooks/conversation_events/conversation_opened.md) through the same endpoint
  const opened = await waitFor('conversation_opened', async () => receiver.requests.map((r) => new Webhook(secret).verify(r.body, r.headers) as Delivery).find((b) => b.event === 'conversation_opened'));
  assert.deepEqual(Object.keys(opened.payload).sort(), ['contact', 'createdAt', 'href', 'source']);
  assert.deepEqual([opened.payload.source, opened.payload.contact.uuid, opened.payload.contact.phoneNumber], ['whatsapp', contact.uuid, '+393331234567']);
  // the inbound message's conversation: its href, and the contact's conversationHref in the received message_created
  const thread = await conversationOf(beckon, '+393331234567');
  assert.match(opened.payload.href, new RegExp(`/inbox/${thread.uuid}$`));
  assert.equal(received.payload.contact.conversationHref, opened.payload.href);

  // S/contacts_api/_delete_contact.mdx → contact_deleted (R/webhooks/contact_events/contact_deleted.md)
  assert.equal((await call('DELETE', `/v1/contacts/${contact.uuid}`)).statusCode, 200);
  const deleted = await waitFor('contact_deleted', async () => verified().find((b) => b.event === 'contact_deleted'), 20_000);
  assertShape(deleted, F.WEBHOOK_PAYLOADS.contact_deleted);
  assert.equal(deleted.payload.uuid, contact.uuid);

  // S/webhooks_api/_get_webhooks_events.mdx → R/object_types/webhook_event.md
  // the receiver has them all; each attempt is recorded once its answer is read
  const log = await waitFor('every delivery recorded', async () => {
    const answer = await call('GET', '/v1/webhooks/events');
    return answer.json().webhook_events.every((e: { success: boolean }) => e.success) ? answer : undefined;
  }, 20_000);
  assert.equal(log.statusCode, 200);
  assertShape(log.json(), F.WEBHOOK_EVENTS_EXAMPLE, { records: ['webhook_events[].payload'] });
  const logged = log.json().webhook_events as { event: string }[];
  assert.equal(logged.filter((e) => mine.has(e.event)).length, 8);
  assert.ok(log.json().webhook_events.every((e: { success: boolean; response: { code: number } }) => e.success && e.response.code === 200));
  assert.deepEqual((await call('GET', '/v1/webhooks/events?status=failed')).json().webhook_events, []);
  assert.deepEqual((await call('GET', '/v1/webhooks/events?items=5&page=1')).json().meta, { page: 1, pages: 2 });
  assert.equal((await call('GET', '/v1/webhooks/events?items=5&page=2')).json().webhook_events.length, logged.length - 5);

  // S/webhooks_api/_delete_webhooks_unsubscribe.mdx (Content-Type: application/json, no body) → R/webhooks_api/unsubscribe.md
  const gone = await call('DELETE', '/v1/webhooks/unsubscribe');
  assert.equal(gone.statusCode, 200, gone.body);
  assert.deepEqual(gone.json(), F.UNSUBSCRIBE_EXAMPLE);
  assert.equal((await call('GET', '/v1/webhooks/events')).statusCode, 404);
});

test('webhook format: native endpoints choose beckon (default) or callbell; the native subscribe keeps Beckon\'s body', async (t) => {
  const beckon = await startBeckon();
  const receiver = await Receiver.start();
  t.after(async () => {
    await receiver.stop();
    await beckon.stop();
  });
  const native = await beckon.call('POST', '/v1/webhooks', { body: { url: receiver.url('/native'), events: ['contact_created'] } });
  assert.equal(native.json().webhook.format, 'beckon');
  const shaped = await beckon.call('POST', '/v1/webhooks', { body: { url: receiver.url('/callbell'), events: ['contact_created'], format: 'callbell' } });
  assert.equal(shaped.statusCode, 201, shaped.body);
  assert.equal(shaped.json().webhook.format, 'callbell');
  assert.equal((await beckon.call('POST', '/v1/webhooks', { body: { url: receiver.url(), events: ['contact_created'], format: 'xml' } })).json().errors[0].path, 'body.format');
  const switched = await beckon.call('PATCH', `/v1/webhooks/${native.json().webhook.uuid}`, { body: { format: 'callbell' } });
  assert.equal(switched.json().webhook.format, 'callbell');
  assert.equal((await beckon.call('PATCH', `/v1/webhooks/${native.json().webhook.uuid}`, { body: { format: 'beckon' } })).json().webhook.format, 'beckon');
  const subscribed = await beckon.call('POST', '/v1/webhooks/subscribe', { body: { url: receiver.url('/subscribe'), subscriptions: ['contact_created'] } });
  assert.equal((await beckon.call('GET', `/v1/webhooks/${subscribed.json().webhook.uuid}`)).json().webhook.format, 'beckon');

  await beckon.call('POST', '/v1/contacts', { body: { phone: '+39 333 123 4567', name: 'Ada' } });
  await receiver.waitForRequests(3);
  const byPath = Object.fromEntries(receiver.requests.map((r) => [r.path, JSON.parse(r.body)]));
  assert.equal(byPath['/native'].payload.phone, '+393331234567');
  assert.equal(byPath['/subscribe'].payload.phone, '+393331234567');
  assert.equal(byPath['/callbell'].payload.phoneNumber, '+393331234567');
  assert.equal(byPath['/callbell'].payload.phone, undefined);
});

test('an empty body with Content-Type: application/json is no body, on native routes and under /compat/callbell', async (t) => {
  const beckon = await startBeckon({}, { worker: false });
  t.after(() => beckon.stop());
  const empty = { headers: { 'content-type': 'application/json' }, body: '' };
  const hook = (await beckon.call('POST', '/v1/webhooks', { body: { url: 'http://127.0.0.1:9/h', events: ['contact_created'] } })).json().webhook;
  assert.equal((await beckon.call('DELETE', `/v1/webhooks/${hook.uuid}`, empty)).statusCode, 204);
  const contact = (await beckon.call('POST', '/v1/contacts', { body: { phone: '+39 333 123 4567' } })).json().contact;
  assert.equal((await beckon.call('DELETE', `/v1/contacts/${contact.uuid}`, empty)).statusCode, 200);
  assert.equal((await beckon.call('GET', '/v1/contacts', empty)).statusCode, 200);
  assert.equal((await beckon.call('GET', `${BASE}/v1/auth/me`, empty)).statusCode, 200);
  const again = (await beckon.call('POST', `${BASE}/v1/contacts`, { body: { identifier: '+39 333 123 4567' } })).json().contact;
  assert.equal((await beckon.call('DELETE', `${BASE}/v1/contacts/${again.uuid}`, empty)).statusCode, 200);
  // a body that is not JSON is still a 400
  const broken = await beckon.call('DELETE', '/v1/messages/0190a3a0-0000-7000-8000-000000000000', { headers: { 'content-type': 'application/json' }, body: '{' });
  assert.equal(broken.statusCode, 400);
});
