import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startBeckon, waitFor, type TestBeckon } from '../../test/helpers.ts';
import { applyStatus } from './status.ts';

async function send(beckon: TestBeckon, to: string, text: string): Promise<{ uuid: string; contact: { uuid: string }; created_at: string }> {
  const res = await beckon.call('POST', '/v1/messages/send', { body: { to, from: 'whatsapp', type: 'text', content: { text } } });
  assert.equal(res.statusCode, 200, res.body);
  return res.json().message;
}

async function texts(beckon: TestBeckon, query: string): Promise<string[]> {
  const res = await beckon.call('GET', `/v1/messages${query}`);
  assert.equal(res.statusCode, 200, res.body);
  return res.json().messages.map((m: { content: { text: string } }) => m.content.text);
}

test('list: newest first, cursor pagination over every message exactly once', async (t) => {
  const beckon = await startBeckon({}, { worker: false });
  t.after(() => beckon.stop());
  for (let i = 0; i < 25; i++) await send(beckon, '+393331234567', `m${i}`);
  const firstPage = await beckon.call('GET', '/v1/messages');
  assert.equal(firstPage.json().messages.length, 20, 'default limit is 20');

  const seen: string[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const res = await beckon.call('GET', `/v1/messages?limit=7${cursor ? `&cursor=${cursor}` : ''}`);
    assert.equal(res.statusCode, 200);
    seen.push(...res.json().messages.map((m: { content: { text: string } }) => m.content.text));
    cursor = res.json().meta.next_cursor;
    pages++;
  } while (cursor);
  assert.equal(pages, 4);
  assert.deepEqual(seen, Array.from({ length: 25 }, (_, i) => `m${24 - i}`));

  for (const bad of ['limit=0', 'limit=101', 'limit=x', 'cursor=%25%25', 'status=lost', 'direction=sideways', 'channel_uuid=x', 'created_after=yesterday', 'colour=blue']) {
    const res = await beckon.call('GET', `/v1/messages?${bad}`);
    assert.equal(res.statusCode, 400, `${bad}: ${res.body}`);
    const field = bad.split('=')[0];
    assert.ok(res.json().errors.some((e: { path: string }) => e.path === `query.${field}` || (field === 'colour' && e.path === 'query')), `${bad}: ${res.body}`);
  }
});

test('list: filters by status, direction, channel, contact and creation time', async (t) => {
  const beckon = await startBeckon({}, { worker: false });
  t.after(() => beckon.stop());
  const a1 = await send(beckon, '+393331234567', 'a1');
  const b1 = await send(beckon, '+393337654321', 'b1');
  await new Promise((r) => setTimeout(r, 5));
  const a2 = await send(beckon, '+393331234567', 'a2');
  const inbound = await beckon.call('POST', '/v1/sandbox/inbound', { body: { from: '+393337654321', text: 'b-in' } });
  assert.equal(inbound.statusCode, 200);
  await applyStatus(beckon.runtime.deps, { id: b1.uuid }, { status: 'sent', providerMessageId: 'p-b1' });
  const channel = (await beckon.call('GET', '/v1/channels')).json().channels[0].uuid;

  assert.deepEqual(await texts(beckon, '?status=enqueued'), ['a2', 'a1']);
  assert.deepEqual(await texts(beckon, '?status=sent'), ['b1']);
  assert.deepEqual(await texts(beckon, '?status=received'), ['b-in']);
  assert.deepEqual(await texts(beckon, '?direction=inbound'), ['b-in']);
  assert.deepEqual(await texts(beckon, '?direction=outbound'), ['a2', 'b1', 'a1']);
  assert.deepEqual(await texts(beckon, `?contact_uuid=${a1.contact.uuid}`), ['a2', 'a1']);
  assert.deepEqual(await texts(beckon, `?contact_uuid=${b1.contact.uuid}&direction=outbound`), ['b1']);
  assert.deepEqual(await texts(beckon, `?channel_uuid=${channel}&status=enqueued`), ['a2', 'a1']);
  assert.deepEqual(await texts(beckon, `?channel_uuid=${a1.uuid}`), [], 'an unknown channel matches nothing');
  assert.deepEqual(await texts(beckon, `?created_after=${encodeURIComponent(b1.created_at)}&direction=outbound`), ['a2']);
  assert.deepEqual(await texts(beckon, `?created_before=${encodeURIComponent(a2.created_at)}`), ['b1', 'a1']);
  const offset = new Date(Date.parse(a2.created_at) - 1).toISOString().replace('Z', '+00:00');
  assert.deepEqual(await texts(beckon, `?created_after=${encodeURIComponent(offset)}&direction=outbound`), ['a2'], 'offsets are understood');
});

test('delete: 204, hidden from every read; an enqueued message deleted before its turn is never sent', async (t) => {
  const beckon = await startBeckon({}, { worker: false });
  t.after(() => beckon.stop());
  const keep = await send(beckon, '+393331234567', 'keep');
  const gone = await send(beckon, '+393331234567', 'gone');
  const del = await beckon.call('DELETE', `/v1/messages/${gone.uuid}`);
  assert.equal(del.statusCode, 204);
  assert.equal(del.body, '');
  assert.equal((await beckon.call('GET', `/v1/messages/${gone.uuid}`)).statusCode, 404);
  assert.equal((await beckon.call('GET', `/v1/messages/status/${gone.uuid}`)).statusCode, 404);
  assert.equal((await beckon.call('DELETE', `/v1/messages/${gone.uuid}`)).statusCode, 404);
  assert.deepEqual(await texts(beckon, ''), ['keep']);

  await beckon.runtime.worker.start();
  await waitFor('send jobs to finish', async () => (await beckon.runtime.queue.jobs('send_message')).length === 0);
  const sends = await beckon.runtime.deps.db.selectFrom('sandbox_sends').select('idempotency_key').execute();
  assert.deepEqual(sends.map((s) => s.idempotency_key), [keep.uuid], 'only the kept message reached the provider');
  const row = await beckon.runtime.deps.db.selectFrom('messages').select(['status', 'deleted_at']).where('id', '=', gone.uuid).executeTakeFirstOrThrow();
  assert.equal(row.status, 'enqueued');
  assert.ok(row.deleted_at);
});
