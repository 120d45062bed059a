import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startBeckon, type TestBeckon } from '../../test/helpers.ts';
import { parseJson } from '../lib/json.ts';
import { applyProviderStatus, applyStatus, canTransition, OUTBOUND_STATUSES } from './status.ts';

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
