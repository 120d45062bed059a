import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startBeckon, waitFor } from '../../test/helpers.ts';
import { parseJson } from '../lib/json.ts';

const VALID = { to: '+39 333 123 4567', from: 'whatsapp', type: 'text', content: { text: 'Hello!' } };

function pairs(n: number, keyLength = 5, valueLength = 5): Record<string, string> {
  return Object.fromEntries(Array.from({ length: n }, (_, i) => [`${i}`.padStart(keyLength, 'k'), 'v'.repeat(valueLength)]));
}

test('metadata: at most 10 pairs, keys up to 50 and string values up to 500 characters (numbers and booleans kept as strings), each error naming its path', async (t) => {
  const beckon = await startBeckon({}, { worker: false });
  t.after(() => beckon.stop());
  const send = (metadata: unknown) => beckon.call('POST', '/v1/messages/send', { body: { ...VALID, metadata } });
  const problem = async (metadata: unknown, path: string) => {
    const res = await send(metadata);
    assert.equal(res.statusCode, 400, res.body);
    assert.equal(res.json().code, 'validation_failed');
    assert.ok(res.json().errors.some((e: { path: string }) => e.path === path), `${path} in ${res.body}`);
  };
  await problem(pairs(11), 'body.metadata');
  const longKey = 'k'.repeat(51);
  await problem({ [longKey]: 'v' }, `body.metadata.${longKey}`);
  await problem({ order: 'v'.repeat(501) }, 'body.metadata.order');
  await problem({ order: { id: 1 } }, 'body.metadata.order');
  await problem(['a'], 'body.metadata');

  const max = pairs(10, 50, 500);
  const ok = await send(max);
  assert.equal(ok.statusCode, 200, ok.body);
  assert.deepEqual(ok.json().message.metadata, max);
  const coerced = await send({ order: 42, paid: true });
  assert.deepEqual(coerced.json().message.metadata, { order: '42', paid: 'true' }, 'numbers and booleans are kept as their string form');
  const none = await beckon.call('POST', '/v1/messages/send', { body: VALID });
  assert.equal(none.json().message.metadata, null);
});

test('metadata: echoed in every read and in the message_created and message_status_updated webhook payloads', async (t) => {
  const beckon = await startBeckon();
  t.after(() => beckon.stop());
  const metadata = { order_id: 'A-1042', campaign: 'spring' };
  const sent = await beckon.call('POST', '/v1/messages/send', { body: { ...VALID, metadata } });
  assert.equal(sent.statusCode, 200);
  const uuid = sent.json().message.uuid;
  assert.deepEqual(sent.json().message.metadata, metadata);
  await waitFor('read', async () => (await beckon.call('GET', `/v1/messages/status/${uuid}`)).json().message.status === 'read');

  assert.deepEqual((await beckon.call('GET', `/v1/messages/${uuid}`)).json().message.metadata, metadata);
  assert.deepEqual((await beckon.call('GET', `/v1/messages/status/${uuid}`)).json().message.metadata, metadata);
  assert.deepEqual((await beckon.call('GET', '/v1/messages')).json().messages[0].metadata, metadata);

  const events = await beckon.runtime.deps.db.selectFrom('events').select(['type', 'payload']).where('type', 'like', 'message_%').orderBy('id').execute();
  assert.deepEqual(events.map((e) => [e.type, parseJson<{ status: string }>(e.payload, { status: '' }).status]), [
    ['message_created', 'enqueued'],
    ['message_status_updated', 'sent'],
    ['message_status_updated', 'delivered'],
    ['message_status_updated', 'read'],
  ]);
  for (const event of events) {
    const payload = parseJson<{ uuid: string; metadata: unknown }>(event.payload, { uuid: '', metadata: null });
    assert.equal(payload.uuid, uuid);
    assert.deepEqual(payload.metadata, metadata);
  }
});
