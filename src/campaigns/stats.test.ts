import type { EngagementType } from '../db/enums.ts';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeJobsDue, startBeckon, waitFor } from '../../test/helpers.ts';
import { campaignMessages, contact, createCampaign, optedIn, recipients, staticSegment, step, waitForStatus, whatsappChannel } from '../../test/campaign-fixtures.ts';
import { newId } from '../lib/ids.ts';
import type { EngagementsTable } from '../db/types.ts';

test('stats: exact counts of statuses, skips, human and machine opens, clicks per link, unsubscribes, rates and timeline; campaign.* segment conditions', async (t) => {
  const beckon = await startBeckon();
  t.after(() => beckon.stop());
  const consent = optedIn('whatsapp');
  const ann = await contact(beckon, { name: 'Ann', phone: '+39 333 000 0001', consent });
  const bob = await contact(beckon, { name: 'Bob', phone: '+1 202 555 0103', consent }); // delivered, never read
  const cleo = await contact(beckon, { name: 'Cleo', phone: '+1 202 555 0101', consent }); // sent, then failed
  const dan = await contact(beckon, { name: 'Dan', phone: '+39 333 000 0004', consent: { whatsapp: { status: 'opted_out' } } });
  const eve = await contact(beckon, { name: 'Eve', phone: '+39 333 000 0005', consent });
  const zed = await contact(beckon, { name: 'Zed', phone: '+39 333 000 0009', consent });
  const list = await staticSegment(beckon, 'List', [ann, bob, cleo, dan, eve]);
  const campaign = await createCampaign(beckon, { name: 'Promo', channel_uuid: await whatsappChannel(beckon), segment_uuids: [list], content: { text: 'Hi {{ contact.name }}' } });
  const uuid = campaign.uuid as string;
  const test = await beckon.call('POST', `/v1/campaigns/${uuid}/test`, { body: { contact_uuids: [zed] } });
  assert.equal(test.json().results[0].skip_reason, null);
  assert.equal('campaign_uuid' in (await beckon.call('GET', `/v1/messages/${test.json().results[0].message_uuid}`)).json().message, false, 'a test send is not a campaign message');
  await step(beckon, uuid, 'send');
  await waitForStatus(beckon, uuid, 'completed');
  const statusOf = async () => Object.fromEntries((await campaignMessages(beckon, uuid)).map((m) => [m.contact_id, m.status]));
  const expected: Record<string, string> = { [ann]: 'read', [bob]: 'delivered', [cleo]: 'failed', [eve]: 'read' };
  await waitFor('final statuses', async () => {
    const now = await statusOf();
    return Object.keys(now).length === 4 && Object.entries(expected).every(([id, status]) => now[id] === status);
  });

  const messageOf = new Map((await recipients(beckon, uuid)).map((r) => [r.contact_id, r.message_id as string]));
  const at = '2030-01-01T10:15:00.000Z';
  const engagement = (contactId: string, type: EngagementType, extra: Partial<EngagementsTable> = {}): EngagementsTable => ({
    id: newId(), workspace_id: '', type, message_id: messageOf.get(contactId)!, contact_id: contactId, campaign_id: uuid,
    link_id: null, url: null, machine: 0, user_agent: null, created_at: at, ...extra,
  });
  const workspaceId = (await beckon.runtime.deps.db.selectFrom('campaigns').select('workspace_id').where('id', '=', uuid).executeTakeFirstOrThrow()).workspace_id;
  const A = 'https://shop.example.com/sale';
  const B = 'https://shop.example.com/faq';
  const rows = [
    engagement(ann, 'open'), engagement(ann, 'open'), engagement(eve, 'open'), engagement(bob, 'open', { machine: 1 }),
    engagement(ann, 'click', { url: A, link_id: 1 }), engagement(ann, 'click', { url: A, link_id: 1 }), engagement(eve, 'click', { url: A, link_id: 1 }),
    engagement(eve, 'click', { url: B, link_id: 2 }), engagement(bob, 'click', { url: B, link_id: 2, machine: 1 }),
    engagement(eve, 'unsubscribe'),
  ].map((row) => ({ ...row, workspace_id: workspaceId }));
  await beckon.runtime.deps.db.insertInto('engagements').values(rows).execute();

  const stats = (await beckon.call('GET', `/v1/campaigns/${uuid}/stats`)).json();
  const { timeline, ...counts } = stats;
  assert.deepEqual(counts, {
    recipients: 5, pending: 0, sent: 3, delivered: 3, read: 2, failed: 1,
    skipped: { total: 1, by_reason: { contact_opted_out: 1 } },
    opens: { unique: 2, total: 3, machine: 1 },
    clicks: { unique: 2, total: 4, by_link: [{ url: A, unique: 2, total: 3 }, { url: B, unique: 1, total: 1 }] },
    unsubscribes: 1,
    rates: { delivery: 1, open: 0.6667, click: 0.6667, unsubscribe: 0.3333 },
  });
  assert.deepEqual(timeline[timeline.length - 1], { at: '2030-01-01T10:00:00.000Z', sent: 0, delivered: 0, read: 0, opened: 3, clicked: 4 });
  const sums = timeline.slice(0, -1).reduce((s: number[], b: { sent: number; delivered: number; read: number }) => [s[0] + b.sent, s[1] + b.delivered, s[2] + b.read], [0, 0, 0]);
  assert.deepEqual(sums, [4, 3, 2], 'the timeline counts each status as it happened: Cleo was sent before she failed');

  const members = async (field: string, op = 'eq') => {
    const res = await beckon.call('POST', '/v1/segments/preview', { body: { rules: { field, op, value: uuid }, sample_size: 100 } });
    assert.equal(res.statusCode, 200, res.body);
    return res.json().sample.map((c: { name: string }) => c.name).sort();
  };
  assert.deepEqual(await members('campaign.received'), ['Ann', 'Bob', 'Cleo', 'Eve']);
  assert.deepEqual(await members('campaign.received', 'neq'), ['Dan', 'Zed']);
  assert.deepEqual(await members('campaign.delivered'), ['Ann', 'Bob', 'Eve']);
  assert.deepEqual(await members('campaign.read'), ['Ann', 'Eve']);
  assert.deepEqual(await members('campaign.opened'), ['Ann', 'Eve']);
  assert.deepEqual(await members('campaign.clicked'), ['Ann', 'Eve']);
  const saved = await beckon.call('POST', '/v1/segments', { body: { name: 'Openers', type: 'dynamic', rules: { all: [{ field: 'campaign.opened', op: 'eq', value: uuid }, { field: 'name', op: 'neq', value: 'Eve' }] } } });
  assert.equal(saved.statusCode, 201, saved.body);
  assert.deepEqual((await beckon.call('GET', `/v1/segments/${saved.json().segment.uuid}/count`)).json(), { count: 1 });

  const unknown = await beckon.call('POST', '/v1/segments/preview', { body: { rules: { all: [{ field: 'name', op: 'exists' }, { field: 'campaign.opened', op: 'eq', value: '01890a5d-ac96-774b-bcce-b302099a8057' }] } } });
  assert.deepEqual([unknown.statusCode, unknown.json().errors], [400, [{ path: 'body.rules.all.1.value', message: 'is not a campaign of this workspace' }]]);
  const badEvent = await beckon.call('POST', '/v1/segments/preview', { body: { rules: { field: 'campaign.bounced', op: 'eq', value: uuid } } });
  assert.deepEqual(badEvent.json().errors.map((e: { path: string }) => e.path), ['body.rules.field']);
  const badOp = await beckon.call('POST', '/v1/segments/preview', { body: { rules: { field: 'campaign.read', op: 'contains', value: uuid } } });
  assert.deepEqual(badOp.json().errors.map((e: { path: string }) => e.path), ['body.rules.op']);
  const other = await beckon.newWorkspace('other');
  const foreign = await beckon.call('POST', '/v1/segments/preview', { key: other, body: { rules: { field: 'campaign.received', op: 'eq', value: uuid } } });
  assert.deepEqual([foreign.statusCode, foreign.json().errors[0].path], [400, 'body.rules.value']);
  assert.equal((await beckon.call('GET', `/v1/campaigns/${uuid}/stats`, { key: other })).statusCode, 404);
});

test('a scheduled campaign starts from its job at send_at; an unscheduled one does not', async (t) => {
  const beckon = await startBeckon();
  t.after(() => beckon.stop());
  const ann = await contact(beckon, { name: 'Ann', phone: '+39 333 000 0001', consent: optedIn('whatsapp') });
  const list = await staticSegment(beckon, 'List', [ann]);
  const channel = await whatsappChannel(beckon);
  const later = await createCampaign(beckon, { name: 'Later', channel_uuid: channel, segment_uuids: [list], content: { text: 'Hi' } });
  const never = await createCampaign(beckon, { name: 'Never', channel_uuid: channel, segment_uuids: [list], content: { text: 'Hi' } });
  await step(beckon, later.uuid, 'schedule', { send_at: '2030-01-15T09:00', time_zone: 'America/Montreal' });
  await step(beckon, never.uuid, 'schedule', { send_at: '2030-01-15T09:00', time_zone: 'America/Montreal' });
  await step(beckon, never.uuid, 'unschedule');
  // time passes: the start jobs become due
  await makeJobsDue(beckon, 'campaign_start');
  const done = await waitForStatus(beckon, later.uuid, 'completed');
  assert.equal(done.send_at, '2030-01-15T14:00:00.000Z');
  await waitFor('the start jobs to be done', async () => (await beckon.runtime.deps.queue.jobs('campaign_start')).length === 0);
  assert.equal((await beckon.call('GET', `/v1/campaigns/${never.uuid}`)).json().campaign.status, 'draft');
  assert.equal((await campaignMessages(beckon, later.uuid)).length, 1);
});
