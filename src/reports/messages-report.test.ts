import type { MessageStatus } from '../db/enums.ts';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startBeckon, type TestBeckon } from '../../test/helpers.ts';
import { newId } from '../lib/ids.ts';
import { insertMessage } from '../messages/queries.ts';
import { insertCampaign, sandboxChannel, workspaceOf } from '../tracking/test-support.ts';

const Z = { enqueued: 0, sent: 0, delivered: 0, read: 0, failed: 0, received: 0 };

async function fixture(beckon: TestBeckon, key?: string) {
  const workspaceId = await workspaceOf(beckon, key);
  const email = await sandboxChannel(beckon, 'email', key);
  const whatsapp = (await beckon.call('GET', '/v1/channels', { key })).json().channels.find((c: { type: string }) => c.type === 'whatsapp').uuid as string;
  const contact = (await beckon.call('POST', '/v1/contacts', { key, body: { phone: '+393331234567', email: 'ann@example.com' } })).json().contact.uuid as string;
  const add = async (channelType: 'whatsapp' | 'email', createdAt: string, status: MessageStatus, extra: { campaign?: string; deleted?: boolean } = {}) => {
    await insertMessage(beckon.runtime.deps.db, {
      id: newId(), workspace_id: workspaceId, channel_id: channelType === 'email' ? email : whatsapp, contact_id: contact,
      direction: status === 'received' ? 'inbound' : 'outbound', type: 'text', content: '{"text":"x"}', status, status_history: '[]',
      provider_message_id: null, error: null, metadata: null, created_at: createdAt, updated_at: createdAt, deleted_at: extra.deleted ? createdAt : null,
      channel_type: channelType, address: channelType === 'email' ? 'ann@example.com' : '+393331234567', template_uuid: null, template_values: null,
      optin_contact: null, template: null, subject: null, html: null, campaign_id: extra.campaign ?? null,
    });
  };
  return { workspaceId, email, whatsapp, add };
}

async function report(beckon: TestBeckon, query: string, key?: string) {
  const res = await beckon.call('GET', `/v1/reports/messages?${query}`, { key });
  assert.equal(res.statusCode, 200, res.body);
  return res.json();
}

function assertBad(res: { statusCode: number; json(): any }, path: string) {
  assert.equal(res.statusCode, 400);
  assert.deepEqual(res.json().errors.map((e: { path: string }) => e.path), [path]);
}

test('GET /v1/reports/messages: exact counts by day, channel, status and campaign over [from, to); filters; workspaces apart', async (t) => {
  const beckon = await startBeckon({}, { worker: false });
  t.after(() => beckon.stop());
  const { workspaceId, email, whatsapp, add } = await fixture(beckon);
  const campaign = await insertCampaign(beckon, workspaceId);
  await add('whatsapp', '2026-02-28T23:59:59.999Z', 'sent'); // before from
  await add('whatsapp', '2026-03-01T10:00:00.000Z', 'delivered');
  await add('whatsapp', '2026-03-01T23:59:59.999Z', 'read', { campaign });
  await add('email', '2026-03-02T00:00:00.000Z', 'failed', { campaign });
  await add('email', '2026-03-02T12:00:00.000Z', 'sent');
  await add('whatsapp', '2026-03-03T08:00:00.000Z', 'received');
  await add('whatsapp', '2026-03-02T09:00:00.000Z', 'sent', { deleted: true }); // deleted: not counted
  await add('whatsapp', '2026-03-04T00:00:00.000Z', 'enqueued'); // at `to`: excluded
  const key2 = await beckon.newWorkspace('Other');
  const other = await fixture(beckon, key2);
  await other.add('whatsapp', '2026-03-01T11:00:00.000Z', 'delivered');

  const range = 'from=2026-03-01&to=2026-03-04';
  const byDay = await report(beckon, `${range}&group_by=day`);
  assert.deepEqual(byDay, {
    from: '2026-03-01T00:00:00.000Z', to: '2026-03-04T00:00:00.000Z', group_by: 'day',
    groups: [
      { key: '2026-03-01', total: 2, by_status: { ...Z, delivered: 1, read: 1 } },
      { key: '2026-03-02', total: 2, by_status: { ...Z, failed: 1, sent: 1 } },
      { key: '2026-03-03', total: 1, by_status: { ...Z, received: 1 } },
    ],
    totals: { total: 5, by_status: { ...Z, sent: 1, delivered: 1, read: 1, failed: 1, received: 1 } },
  });
  assert.deepEqual((await report(beckon, range)).groups, byDay.groups, 'day is the default');
  assert.deepEqual((await report(beckon, `${range}&group_by=channel`)).groups, [
    { key: email, channel_type: 'email', total: 2, by_status: { ...Z, failed: 1, sent: 1 } },
    { key: whatsapp, channel_type: 'whatsapp', total: 3, by_status: { ...Z, delivered: 1, read: 1, received: 1 } },
  ].sort((a, b) => (a.key < b.key ? -1 : 1)));
  assert.deepEqual((await report(beckon, `${range}&group_by=status`)).groups.map((g: { key: string; total: number }) => [g.key, g.total]),
    [['delivered', 1], ['failed', 1], ['read', 1], ['received', 1], ['sent', 1]]);
  assert.deepEqual((await report(beckon, `${range}&group_by=campaign`)).groups, [
    { key: null, total: 3, by_status: { ...Z, delivered: 1, sent: 1, received: 1 } },
    { key: campaign, total: 2, by_status: { ...Z, read: 1, failed: 1 } },
  ]);

  // filters, and date-times with offsets
  assert.deepEqual((await report(beckon, `${range}&group_by=status&direction=outbound`)).totals, { total: 4, by_status: { ...Z, sent: 1, delivered: 1, read: 1, failed: 1 } });
  assert.deepEqual((await report(beckon, `${range}&direction=inbound`)).totals.total, 1);
  assert.deepEqual((await report(beckon, `${range}&channel_uuid=${email}`)).groups.map((g: { key: string; total: number }) => [g.key, g.total]), [['2026-03-02', 2]]);
  const since = await report(beckon, `from=${encodeURIComponent('2026-03-02T01:00:00+02:00')}&to=2026-03-02`);
  assert.deepEqual([since.from, since.to, since.totals.total], ['2026-03-01T23:00:00.000Z', '2026-03-02T00:00:00.000Z', 1]);

  // the other workspace counts only its own message
  assert.deepEqual((await report(beckon, range, key2)).totals, { total: 1, by_status: { ...Z, delivered: 1 } });
  assert.deepEqual((await report(beckon, `${range}&channel_uuid=${other.whatsapp}`)).totals.total, 0, 'another workspace\'s channel filters to nothing');

  // defaults and bad input
  const recent = await report(beckon, '');
  assert.equal(Date.parse(recent.to) - Date.parse(recent.from), 30 * 86_400_000);
  assert.equal(recent.totals.total, 0);
  assertBad(await beckon.call('GET', '/v1/reports/messages?from=2026-03-04&to=2026-03-01'), 'query.from');
  assertBad(await beckon.call('GET', '/v1/reports/messages?from=2026-03-01&to=2026-03-01'), 'query.from');
  assertBad(await beckon.call('GET', '/v1/reports/messages?from=2025-01-01&to=2026-03-01'), 'query.from');
  assertBad(await beckon.call('GET', '/v1/reports/messages?from=yesterday'), 'query.from');
  assertBad(await beckon.call('GET', '/v1/reports/messages?from=2026-03-01&to=2026-02-30T25:00:00Z'), 'query.to');
  assertBad(await beckon.call('GET', '/v1/reports/messages?from=2026-03-01T10:00:00'), 'query.from');
  assertBad(await beckon.call('GET', '/v1/reports/messages?from=2026-02-30&to=2026-03-04'), 'query.from');
  assert.equal((await beckon.call('GET', '/v1/reports/messages?group_by=week')).statusCode, 400);
  assert.equal((await beckon.call('GET', '/v1/reports/messages', { key: null })).statusCode, 401);
});
