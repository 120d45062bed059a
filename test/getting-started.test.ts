import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { startBeckon, waitFor, type TestBeckon } from './helpers.ts';

const CURL_BODY = '{"to":"+39 333 123 4567","from":"whatsapp","type":"text","content":{"text":"Hello!"}}';

async function listen(beckon: TestBeckon): Promise<string> {
  await beckon.runtime.app.listen({ port: 0, host: '127.0.0.1' });
  return `http://127.0.0.1:${(beckon.runtime.app.server.address() as AddressInfo).port}`;
}

/** Runs Callbell's getting-started request over real HTTP and follows the status to `read`. */
async function gettingStarted(beckon: TestBeckon): Promise<void> {
  const base = await listen(beckon);
  const headers = { Authorization: `Bearer ${beckon.key}`, 'Content-Type': 'application/json' };
  const sent = await fetch(`${base}/v1/messages/send`, { method: 'POST', headers, body: CURL_BODY });
  assert.equal(sent.status, 200);
  const body = await sent.json() as { message: Record<string, unknown> };
  assert.match(String(body.message.uuid), /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  assert.equal(body.message.status, 'enqueued');

  const seen = new Set<string>();
  const final = await waitFor('the message to be read', async () => {
    const res = await fetch(`${base}/v1/messages/status/${body.message.uuid}`, { headers });
    assert.equal(res.status, 200);
    const status = (await res.json() as { message: { uuid: string; status: string; status_history: { status: string; at: string }[] } }).message;
    seen.add(status.status);
    return status.status === 'read' ? status : null;
  }, 20_000);
  assert.equal(final.uuid, body.message.uuid);
  assert.deepEqual(final.status_history.map((h) => h.status), ['enqueued', 'sent', 'delivered', 'read']);
  const times = final.status_history.map((h) => Date.parse(h.at));
  assert.deepEqual([...times].sort((a, b) => a - b), times, 'history timestamps are in order');

  const full = await (await fetch(`${base}/v1/messages/${body.message.uuid}`, { headers })).json() as { message: Record<string, any> };
  assert.equal(full.message.direction, 'outbound');
  assert.equal(full.message.to, '+393331234567');
  assert.equal(full.message.from, 'whatsapp');
  assert.equal(full.message.contact.phone, '+393331234567');
  assert.deepEqual(full.message.content, { text: 'Hello!' });
  assert.match(full.message.provider_message_id, /^sbx_/);
  assert.equal(full.message.error, null);

  const contact = await beckon.call('GET', '/v1/contacts/phone/+393331234567');
  assert.equal(contact.statusCode, 200);
  assert.equal(contact.json().contact.source, 'api');
  assert.equal(contact.json().contact.uuid, full.message.contact.uuid);
}

test('getting started: Callbell\'s curl request is enqueued, then sent, delivered and read (delays 0,0,0)', async (t) => {
  const beckon = await startBeckon({ BECKON_SANDBOX_DELAYS: '0,0,0' });
  t.after(() => beckon.stop());
  await gettingStarted(beckon);
});

test('getting started: the same flow with non-zero sandbox delays', async (t) => {
  const beckon = await startBeckon({ BECKON_SANDBOX_DELAYS: '50,150,150' });
  t.after(() => beckon.stop());
  await gettingStarted(beckon);
  const metrics = await beckon.call('GET', '/metrics', { key: null });
  assert.equal(metrics.statusCode, 200);
  for (const status of ['enqueued', 'sent', 'delivered', 'read']) {
    assert.match(metrics.body, new RegExp(`beckon_messages_total\\{status="${status}",direction="outbound"\\} 1\\n`));
  }
});

test('getting started: a send retried with the same Idempotency-Key replays the answer and stores one message', async (t) => {
  const beckon = await startBeckon({}, { worker: false });
  t.after(() => beckon.stop());
  const headers = { 'content-type': 'application/json', 'idempotency-key': 'order-1042-confirmation' };
  const first = await beckon.call('POST', '/v1/messages/send', { body: CURL_BODY, headers });
  const again = await beckon.call('POST', '/v1/messages/send', { body: CURL_BODY, headers });
  assert.equal(first.statusCode, 200);
  assert.equal(again.statusCode, 200);
  assert.equal(again.json().message.uuid, first.json().message.uuid);
  const list = (await beckon.call('GET', '/v1/messages')).json().messages;
  assert.deepEqual(list.map((m: { uuid: string }) => m.uuid), [first.json().message.uuid]);
});
