import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startBeckon, type TestBeckon } from '../../test/helpers.ts';
import { parseJson } from '../lib/json.ts';
import { applyProviderStatus, applyStatus, applyStatuses, canTransition, OUTBOUND_STATUSES } from './status.ts';
import { findMessageById } from './queries.ts';
import { messageView } from './view.ts';
import type { MessagesTable } from '../db/types.ts';

async function enqueue(beckon: TestBeckon): Promise<string> {
  const res = await beckon.call('POST', '/v1/messages/send', { body: { to: '+393331234567', from: 'whatsapp', type: 'text', content: { text: 'hi' } } });
  assert.equal(res.statusCode, 200);
  return res.json().message.uuid;
}

async function statusEvents(beckon: TestBeckon, uuid: string): Promise<string[]> {
  const rows = await beckon.runtime.deps.db.selectFrom('events').select('payload').where('type', '=', 'message_status_updated').orderBy('id').execute();
  return rows.map((r) => parseJson<{ uuid: string; status: string }>(r.payload, { uuid: '', status: '' })).filter((p) => p.uuid === uuid).map((p) => p.status);
}

async function history(beckon: TestBeckon, uuid: string): Promise<string[]> {
  return (await beckon.call('GET', `/v1/messages/${uuid}`)).json().message.status_history.map((h: { status: string }) => h.status);
}

test('status machine: forward only, failed from any non-final status, read and failed are final', () => {
  const allowed = OUTBOUND_STATUSES.flatMap((from) => OUTBOUND_STATUSES.filter((to) => canTransition(from, to)).map((to) => `${from}>${to}`));
  assert.deepEqual(allowed, [
    'enqueued>sent', 'enqueued>delivered', 'enqueued>read', 'enqueued>failed',
    'sent>delivered', 'sent>read', 'sent>failed',
    'delivered>read', 'delivered>failed',
  ]);
  assert.equal(canTransition('received', 'read'), false);
  assert.equal(canTransition('sent', 'received'), false);
});

test('status: duplicates and late updates are absorbed; each real change appends history and emits one event', async (t) => {
  const beckon = await startBeckon({}, { worker: false });
  t.after(() => beckon.stop());
  const deps = beckon.runtime.deps;
  const uuid = await enqueue(beckon);

  const sent = await applyStatus(deps, { id: uuid }, { status: 'sent', providerMessageId: 'prov-1' });
  assert.equal(sent.outcome, 'applied');
  assert.equal((await applyStatus(deps, { id: uuid }, { status: 'sent', providerMessageId: 'prov-2' })).outcome, 'ignored');
  assert.equal((await applyProviderStatus(deps, 'prov-1', { status: 'sent' })).outcome, 'ignored');
  assert.equal((await applyProviderStatus(deps, 'prov-1', { status: 'read' })).outcome, 'applied');
  assert.equal((await applyProviderStatus(deps, 'prov-1', { status: 'delivered' })).outcome, 'ignored', 'a late delivered after read is ignored');
  assert.equal((await applyProviderStatus(deps, 'prov-1', { status: 'failed', error: { code: 'x', reason: 'late' } })).outcome, 'ignored');
  assert.equal((await applyProviderStatus(deps, 'nobody-knows-this', { status: 'delivered' })).outcome, 'unknown');

  const message = (await beckon.call('GET', `/v1/messages/${uuid}`)).json().message;
  assert.equal(message.status, 'read');
  assert.equal(message.provider_message_id, 'prov-1', 'an ignored update changes nothing');
  assert.equal(message.error, null);
  assert.deepEqual(await history(beckon, uuid), ['enqueued', 'sent', 'read']);
  assert.deepEqual(await statusEvents(beckon, uuid), ['sent', 'read']);
  const metrics = (await beckon.call('GET', '/metrics', { key: null })).body;
  assert.match(metrics, /beckon_messages_total\{status="sent",direction="outbound"\} 1\n/);
  assert.match(metrics, /beckon_messages_total\{status="read",direction="outbound"\} 1\n/);
  assert.doesNotMatch(metrics, /beckon_messages_total\{status="delivered"/);
});

test('status: failed keeps its error; concurrent identical callbacks apply once', async (t) => {
  const beckon = await startBeckon({}, { worker: false });
  t.after(() => beckon.stop());
  const deps = beckon.runtime.deps;
  const uuid = await enqueue(beckon);
  await applyStatus(deps, { id: uuid }, { status: 'sent', providerMessageId: 'prov-9' });

  const outcomes = await Promise.all(Array.from({ length: 20 }, () => applyProviderStatus(deps, 'prov-9', { status: 'delivered' })));
  assert.equal(outcomes.filter((o) => o.outcome === 'applied').length, 1);
  assert.equal(outcomes.filter((o) => o.outcome === 'ignored').length, 19);

  const error = { code: 'not_on_whatsapp', reason: 'no account' };
  assert.equal((await applyProviderStatus(deps, 'prov-9', { status: 'failed', error })).outcome, 'applied');
  assert.equal((await applyProviderStatus(deps, 'prov-9', { status: 'read' })).outcome, 'ignored', 'failed is final');
  const message = (await beckon.call('GET', `/v1/messages/${uuid}`)).json().message;
  assert.equal(message.status, 'failed');
  assert.deepEqual(message.error, error);
  assert.deepEqual(await history(beckon, uuid), ['enqueued', 'sent', 'delivered', 'failed']);
  assert.deepEqual(await statusEvents(beckon, uuid), ['sent', 'delivered', 'failed']);
});

test('status: a deleted message still tracks its status but emits no event', async (t) => {
  const beckon = await startBeckon({}, { worker: false });
  t.after(() => beckon.stop());
  const deps = beckon.runtime.deps;
  const uuid = await enqueue(beckon);
  await applyStatus(deps, { id: uuid }, { status: 'sent', providerMessageId: 'prov-d' });
  assert.equal((await beckon.call('DELETE', `/v1/messages/${uuid}`)).statusCode, 204);
  assert.equal((await applyProviderStatus(deps, 'prov-d', { status: 'delivered' })).outcome, 'applied');
  const row = await deps.db.selectFrom('messages').select(['status']).where('id', '=', uuid).executeTakeFirstOrThrow();
  assert.equal(row.status, 'delivered');
  assert.deepEqual(await statusEvents(beckon, uuid), ['sent']);
});

test('status: several changes in one call give each event the full view of the message at that move', async (t) => {
  const beckon = await startBeckon({}, { worker: false });
  t.after(() => beckon.stop());
  const deps = beckon.runtime.deps;
  const uuid = await enqueue(beckon);
  const error = { code: 'invalid_recipient', reason: 'no such number' };
  const outcomes = await applyStatuses(deps, { id: uuid }, [{ status: 'sent', providerMessageId: 'prov-9' }, { status: 'delivered' }, { status: 'delivered' }, { status: 'failed', error }]);
  assert.deepEqual(outcomes.map((o) => o.outcome), ['applied', 'applied', 'ignored', 'applied']);
  const rows = await deps.db.selectFrom('events').select('payload').where('type', '=', 'message_status_updated').orderBy('id').execute();
  const payloads = rows.map((r) => JSON.parse(r.payload));
  // each payload is exactly the view of the row as that move left it
  const expected = outcomes.filter((o) => o.outcome === 'applied').map((o) => JSON.parse(JSON.stringify(messageView((o as { message: MessagesTable }).message))));
  assert.deepEqual(payloads, expected);
  assert.deepEqual(payloads.map((p) => [p.status, p.status_history.length, p.provider_message_id, p.error]), [
    ['sent', 2, 'prov-9', null], ['delivered', 3, 'prov-9', null], ['failed', 4, 'prov-9', error],
  ]);
  assert.deepEqual(payloads[2], { ...payloads[1], status: 'failed', status_history: payloads[2].status_history, error, updated_at: payloads[2].updated_at });
});

test('status: changes planned on a row read earlier are written only if its status and deletion did not move since', async (t) => {
  const beckon = await startBeckon({}, { worker: false });
  t.after(() => beckon.stop());
  const deps = beckon.runtime.deps;
  // deleted after it was read: the status is recorded, without an event (the row is read again)
  const deleted = await enqueue(beckon);
  const readBefore = await findMessageById(deps.db, deleted) as MessagesTable;
  assert.equal((await beckon.call('DELETE', `/v1/messages/${deleted}`)).statusCode, 204);
  const [outcome] = await applyStatuses(deps, { id: deleted }, [{ status: 'sent' }], undefined, readBefore);
  assert.equal(outcome.outcome, 'applied');
  assert.ok((outcome as { message: MessagesTable }).message.deleted_at, 'planned on the row as it is now');
  assert.deepEqual(await statusEvents(beckon, deleted), []);
  // sent by someone else after it was read: the stale plan is not written, the change is absorbed
  const moved = await enqueue(beckon);
  const stale = await findMessageById(deps.db, moved) as MessagesTable;
  await applyStatus(deps, { id: moved }, { status: 'sent', providerMessageId: 'first' });
  const [again] = await applyStatuses(deps, { id: moved }, [{ status: 'sent', providerMessageId: 'second' }], undefined, stale);
  assert.equal(again.outcome, 'ignored');
  assert.equal((await findMessageById(deps.db, moved))?.provider_message_id, 'first');
  assert.deepEqual(await statusEvents(beckon, moved), ['sent']);
});
