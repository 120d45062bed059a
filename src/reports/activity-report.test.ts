import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startBeckon, type TestBeckon } from '../../test/helpers.ts';
import { newId } from '../lib/ids.ts';
import { insertMessage } from '../messages/queries.ts';
import { createHook, workspaceOf } from '../webhooks/test-support.ts';

/** A contact created through the API, then dated `createdAt` with the stored consent `consent`. */
async function datedContact(beckon: TestBeckon, phone: string, createdAt: string, consent: Record<string, { status: string; at: string; source: string }> = {}, key?: string): Promise<string> {
  const res = await beckon.call('POST', '/v1/contacts', { key, body: { phone } });
  assert.equal(res.statusCode, 201, res.body);
  const id = res.json().contact.uuid as string;
  await beckon.runtime.deps.db.updateTable('contacts').set({ created_at: createdAt, consent: JSON.stringify(consent) }).where('id', '=', id).execute();
  return id;
}

async function delivery(beckon: TestBeckon, workspaceId: string, endpointId: string, createdAt: string, status: 'pending' | 'succeeded' | 'failed') {
  await beckon.runtime.deps.db.insertInto('webhook_deliveries').values({
    id: newId(), workspace_id: workspaceId, endpoint_id: endpointId, event_id: newId(), part: 0, event_type: 'contact_created', status,
    attempt_count: status === 'pending' ? 0 : 1, next_attempt_at: status === 'pending' ? createdAt : null, last_status_code: null, last_error: null,
    created_at: createdAt, updated_at: createdAt,
  }).execute();
}

async function get(beckon: TestBeckon, url: string, key?: string) {
  const res = await beckon.call('GET', url, { key });
  assert.equal(res.statusCode, 200, res.body);
  return res.json();
}

const out = (at: string) => ({ status: 'opted_out', at, source: 'STOP' });

test('GET /v1/reports/contacts: contacts created and opt-outs per UTC day over [from, to), the count before; workspaces apart', async (t) => {
  const beckon = await startBeckon({}, { worker: false });
  t.after(() => beckon.stop());
  await datedContact(beckon, '+393330000001', '2026-02-27T10:00:00.000Z'); // before from: total_before
  await datedContact(beckon, '+393330000002', '2026-02-28T23:59:59.999Z', { email: out('2026-03-02T08:00:00.000Z'), sms: out('2026-02-28T23:59:59.999Z') });
  await datedContact(beckon, '+393330000003', '2026-03-01T00:00:00.000Z', { whatsapp: out('2026-03-02T09:00:00.000Z'), sms: out('2026-03-02T10:00:00.000Z') });
  await datedContact(beckon, '+393330000004', '2026-03-01T12:00:00.000Z', { whatsapp: { status: 'opted_in', at: '2026-03-02T11:00:00.000Z', source: 'api' } });
  await datedContact(beckon, '+393330000005', '2026-03-03T23:00:00.000Z', { email: out('2026-03-04T00:00:00.000Z') }); // opt-out at `to`: excluded
  await datedContact(beckon, '+393330000006', '2026-03-04T00:00:00.000Z'); // at `to`: excluded
  const key2 = await beckon.newWorkspace('Other');
  await datedContact(beckon, '+393330000007', '2026-03-01T10:00:00.000Z', { email: out('2026-03-01T10:00:00.000Z') }, key2);

  assert.deepEqual(await get(beckon, '/v1/reports/contacts?from=2026-03-01&to=2026-03-04'), {
    from: '2026-03-01T00:00:00.000Z', to: '2026-03-04T00:00:00.000Z', total_before: 2,
    groups: [
      { key: '2026-03-01', created: 2, opted_out: 0 },
      { key: '2026-03-02', created: 0, opted_out: 3 },
      { key: '2026-03-03', created: 1, opted_out: 0 },
    ],
    totals: { created: 3, opted_out: 3 },
  });
  assert.deepEqual(await get(beckon, '/v1/reports/contacts?from=2026-03-01&to=2026-03-04', key2), {
    from: '2026-03-01T00:00:00.000Z', to: '2026-03-04T00:00:00.000Z', total_before: 0,
    groups: [{ key: '2026-03-01', created: 1, opted_out: 1 }], totals: { created: 1, opted_out: 1 },
  });
  const bad = await beckon.call('GET', '/v1/reports/contacts?from=2026-03-04&to=2026-03-01');
  assert.equal(bad.statusCode, 400);
  assert.deepEqual(bad.json().errors.map((e: { path: string }) => e.path), ['query.from']);
  assert.deepEqual((await beckon.call('GET', '/v1/reports/contacts?from=nope')).json().errors.map((e: { path: string }) => e.path), ['query.from']);
  assert.equal((await beckon.call('GET', '/v1/reports/contacts?days=3')).statusCode, 400);
  assert.equal((await beckon.call('GET', '/v1/reports/contacts', { key: null })).statusCode, 401);
});

test('GET /v1/reports/webhooks and /v1/reports/queue: deliveries per day by status; what waits now; workspaces apart', async (t) => {
  const beckon = await startBeckon({ BECKON_WEBHOOK_ALLOW_PRIVATE: '127.0.0.0/8' }, { worker: false });
  t.after(() => beckon.stop());
  const workspaceId = await workspaceOf(beckon);
  const empty = { messages: { waiting: 0, oldest_created_at: null }, webhook_deliveries: { pending: 0, oldest_created_at: null } };
  assert.deepEqual(await get(beckon, '/v1/reports/queue'), empty);

  const hook = await createHook(beckon, { url: 'http://127.0.0.1:9/hook', events: ['message_status_updated'] });
  await delivery(beckon, workspaceId, hook.uuid, '2026-02-28T23:00:00.000Z', 'failed'); // before from
  await delivery(beckon, workspaceId, hook.uuid, '2026-03-01T01:00:00.000Z', 'succeeded');
  await delivery(beckon, workspaceId, hook.uuid, '2026-03-01T02:00:00.000Z', 'succeeded');
  await delivery(beckon, workspaceId, hook.uuid, '2026-03-01T03:00:00.000Z', 'failed');
  await delivery(beckon, workspaceId, hook.uuid, '2026-03-02T04:00:00.000Z', 'pending');
  await delivery(beckon, workspaceId, hook.uuid, '2026-03-03T00:00:00.000Z', 'succeeded'); // at `to`
  const key2 = await beckon.newWorkspace('Other');
  const other = await workspaceOf(beckon, key2);
  const hook2 = await createHook(beckon, { url: 'http://127.0.0.1:9/other', events: ['message_status_updated'] }, key2);
  await delivery(beckon, other, hook2.uuid, '2026-03-01T05:00:00.000Z', 'pending');

  const Z = { pending: 0, succeeded: 0, failed: 0 };
  assert.deepEqual(await get(beckon, '/v1/reports/webhooks?from=2026-03-01&to=2026-03-03'), {
    from: '2026-03-01T00:00:00.000Z', to: '2026-03-03T00:00:00.000Z',
    groups: [
      { key: '2026-03-01', total: 3, by_status: { ...Z, succeeded: 2, failed: 1 } },
      { key: '2026-03-02', total: 1, by_status: { ...Z, pending: 1 } },
    ],
    totals: { total: 4, by_status: { pending: 1, succeeded: 2, failed: 1 } },
  });
  assert.deepEqual(await get(beckon, '/v1/reports/webhooks?from=2026-03-01&to=2026-03-03', key2), {
    from: '2026-03-01T00:00:00.000Z', to: '2026-03-03T00:00:00.000Z',
    groups: [{ key: '2026-03-01', total: 1, by_status: { ...Z, pending: 1 } }], totals: { total: 1, by_status: { ...Z, pending: 1 } },
  });
  assert.deepEqual((await beckon.call('GET', '/v1/reports/webhooks?from=2025-01-01&to=2026-03-01')).json().errors.map((e: { path: string }) => e.path), ['query.from']);

  // the queue: enqueued messages not deleted, pending deliveries
  const channel = (await get(beckon, '/v1/channels')).channels[0].uuid as string;
  const contact = (await beckon.call('POST', '/v1/contacts', { body: { phone: '+393331112222' } })).json().contact.uuid as string;
  const message = async (createdAt: string, status: 'enqueued' | 'sent', deleted = false) => insertMessage(beckon.runtime.deps.db, {
    id: newId(), workspace_id: workspaceId, channel_id: channel, contact_id: contact, direction: 'outbound', type: 'text', content: '{"text":"x"}',
    status, status_history: '[]', provider_message_id: null, error: null, metadata: null, created_at: createdAt, updated_at: createdAt,
    deleted_at: deleted ? createdAt : null, channel_type: 'whatsapp', address: '+393331112222', template_uuid: null, template_values: null,
    optin_contact: null, template: null, subject: null, html: null, campaign_id: null,
  });
  await message('2026-03-05T10:00:00.000Z', 'enqueued');
  await message('2026-03-04T10:00:00.000Z', 'enqueued', true); // deleted: not waiting
  await message('2026-03-06T10:00:00.000Z', 'enqueued');
  await message('2026-03-03T10:00:00.000Z', 'sent');
  assert.deepEqual(await get(beckon, '/v1/reports/queue'), {
    messages: { waiting: 2, oldest_created_at: '2026-03-05T10:00:00.000Z' },
    webhook_deliveries: { pending: 1, oldest_created_at: '2026-03-02T04:00:00.000Z' },
  });
  assert.deepEqual(await get(beckon, '/v1/reports/queue', key2), { ...empty, webhook_deliveries: { pending: 1, oldest_created_at: '2026-03-01T05:00:00.000Z' } });
});
