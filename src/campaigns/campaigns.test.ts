import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { LightMyRequestResponse } from 'fastify';
import { startBeckon } from '../../test/helpers.ts';
import { contact, createCampaign, sandboxChannel, staticSegment, step, whatsappChannel } from '../../test/campaign-fixtures.ts';

function assertField(res: LightMyRequestResponse, path: string, status = 400): string {
  assert.equal(res.statusCode, status, res.body);
  assert.deepEqual(res.json().errors.map((e: { path: string }) => e.path), [path]);
  return res.json().errors[0].message;
}

test('campaigns: create a draft, read it, list it with a cursor, change it, delete it', async (t) => {
  const beckon = await startBeckon({}, { worker: false });
  t.after(() => beckon.stop());
  const whatsapp = await whatsappChannel(beckon);
  const ann = await contact(beckon, { name: 'Ann', phone: '+39 333 123 4567' });
  const vip = await staticSegment(beckon, 'VIP', [ann]);
  const body = { name: 'Spring sale', channel_uuid: whatsapp, segment_uuids: [vip], content: { text: 'Hi {{ contact.name | default: "there" }}!' } };
  const created = await createCampaign(beckon, body);
  assert.deepEqual({ ...created, uuid: undefined, created_at: undefined, updated_at: undefined }, {
    uuid: undefined, name: 'Spring sale', status: 'draft', channel_uuid: whatsapp, segment_uuids: [vip], exclude_segment_uuids: [], type: 'text', subject: null,
    content: { text: 'Hi {{ contact.name | default: "there" }}!' }, template_uuid: null, template_values: null, settings: { track_links: true, track_opens: false },
    send_at: null, time_zone: null, audience_frozen_at: null, started_at: null, paused_at: null, completed_at: null, cancelled_at: null,
    created_at: undefined, updated_at: undefined,
  });
  assert.deepEqual((await beckon.call('GET', `/v1/campaigns/${created.uuid}`)).json().campaign, created);

  const second = await createCampaign(beckon, { ...body, name: 'Second', settings: { track_links: false } });
  assert.deepEqual(second.settings, { track_links: false, track_opens: false });
  const page1 = (await beckon.call('GET', '/v1/campaigns?limit=1')).json();
  assert.deepEqual(page1.campaigns.map((c: { name: string }) => c.name), ['Second']);
  const page2 = (await beckon.call('GET', `/v1/campaigns?limit=1&cursor=${page1.meta.next_cursor}`)).json();
  assert.deepEqual([page2.campaigns.map((c: { name: string }) => c.name), page2.meta.next_cursor], [['Spring sale'], null]);
  assert.deepEqual((await beckon.call('GET', '/v1/campaigns?status=sending')).json().campaigns, []);

  const patched = await beckon.call('PATCH', `/v1/campaigns/${created.uuid}`, { body: { name: 'Summer sale', content: { text: 'Hello {{ contact.first_name }}' } } });
  assert.equal(patched.statusCode, 200, patched.body);
  assert.deepEqual([patched.json().campaign.name, patched.json().campaign.content, patched.json().campaign.segment_uuids], ['Summer sale', { text: 'Hello {{ contact.first_name }}' }, [vip]]);
  assertField(await beckon.call('PATCH', `/v1/campaigns/${created.uuid}`, { body: { content: { text: 'Hello {{ contact.name | shout }}' } } }), 'body.content.text');
  assert.equal((await beckon.call('GET', `/v1/campaigns/${created.uuid}`)).json().campaign.content.text, 'Hello {{ contact.first_name }}', 'a refused PATCH changes nothing');

  assert.deepEqual((await beckon.call('DELETE', `/v1/campaigns/${created.uuid}`)).json(), { status: 'campaign was destroyed' });
  assert.equal((await beckon.call('GET', `/v1/campaigns/${created.uuid}`)).statusCode, 404);
  assert.equal((await beckon.call('DELETE', `/v1/campaigns/${created.uuid}`)).statusCode, 404);
});

test('campaigns: validation errors name the field (Liquid syntax, unknown filter, include, email subject, segments, channel, template)', async (t) => {
  const beckon = await startBeckon({}, { worker: false });
  t.after(() => beckon.stop());
  const whatsapp = await whatsappChannel(beckon);
  const email = await sandboxChannel(beckon, 'email');
  const list = await staticSegment(beckon, 'List', []);
  const base = { name: 'C', channel_uuid: whatsapp, segment_uuids: [list], content: { text: 'Hi' } };
  const post = (body: Record<string, unknown>) => beckon.call('POST', '/v1/campaigns', { body });

  const syntax = assertField(await post({ ...base, content: { text: 'Hi {{ contact.name ' } }), 'body.content.text');
  assert.match(syntax, /^is not a valid Liquid template: /);
  assert.match(assertField(await post({ ...base, content: { text: 'Hi {{ contact.name | shout }}' } }), 'body.content.text'), /undefined filter: shout/);
  assert.match(assertField(await post({ ...base, content: { text: '{% include "secrets.txt" %}' } }), 'body.content.text'), /"include" tag is not available/);
  assert.match(assertField(await post({ ...base, content: { text: '{% for i in (1..100000000) %}xx{% endfor %}' } }), 'body.content.text'), /^does not render: /);
  assertField(await post({ ...base, content: {} }), 'body.content.text');
  assertField(await post({ ...base, content: undefined }), 'body.content');
  assertField(await post({ ...base, subject: 'Hello' }), 'body.subject');
  assertField(await post({ ...base, content: { text: 'Hi', html: '<p>Hi</p>' } }), 'body.content.html');
  assertField(await post({ ...base, type: 'image', content: { text: 'Hi' } }), 'body.content.url');
  assertField(await post({ ...base, type: 'image', content: { url: 'ftp://example.com/a.png' } }), 'body.content.url');
  assertField(await post({ ...base, template_values: ['x'] }), 'body.template_values');

  const emailBase = { ...base, channel_uuid: email, subject: 'Hello {{ contact.name }}', content: { text: 'Hi', html: '<p>Hi {{ contact.email }}</p>' } };
  assert.deepEqual((await createCampaign(beckon, emailBase)).settings, { track_links: true, track_opens: true });
  assertField(await post({ ...emailBase, subject: undefined }), 'body.subject');
  assertField(await post({ ...emailBase, subject: 'Hi {% if %}' }), 'body.subject');
  assertField(await post({ ...emailBase, subject: 'Two\nlines' }), 'body.subject');
  assertField(await post({ ...emailBase, content: { text: 'Hi', html: '<p>{{ contact.name | nope }}</p>' } }), 'body.content.html');
  assertField(await post({ ...emailBase, type: 'image' }), 'body.type');

  const unknown = '01890a5d-ac96-774b-bcce-b302099a8057';
  assertField(await post({ ...base, channel_uuid: unknown }), 'body.channel_uuid');
  assertField(await post({ ...base, segment_uuids: [list, unknown] }), 'body.segment_uuids.1');
  assertField(await post({ ...base, exclude_segment_uuids: [unknown] }), 'body.exclude_segment_uuids.0');
  assertField(await post({ ...base, template_uuid: unknown, content: undefined }), 'body.template_uuid', 404);
  assert.equal((await post({ ...base, segment_uuids: [] })).statusCode, 400);
  assert.equal((await post({ ...base, surprise: 1 })).statusCode, 400);
  assert.deepEqual((await beckon.call('GET', '/v1/campaigns')).json().campaigns.length, 1, 'only the valid email campaign was stored');
});

test('campaigns: lifecycle steps and illegal transitions are 409s naming the status', async (t) => {
  const beckon = await startBeckon({}, { worker: false });
  t.after(() => beckon.stop());
  const whatsapp = await whatsappChannel(beckon);
  const list = await staticSegment(beckon, 'List', []);
  const campaign = await createCampaign(beckon, { name: 'C', channel_uuid: whatsapp, segment_uuids: [list], content: { text: 'Hi' } });
  const uuid = campaign.uuid as string;
  const conflict = async (action: string, status: string, method = 'POST', body: unknown = {}) => {
    const res = await beckon.call(method as 'POST', action === '' ? `/v1/campaigns/${uuid}` : `/v1/campaigns/${uuid}/${action}`, { body });
    assert.equal(res.statusCode, 409, `${action}: ${res.body}`);
    assert.equal(res.json().code, 'conflict');
    assert.equal(res.json().status, 409);
    assert.equal(res.json().campaign_status, status);
    assert.match(res.json().detail, new RegExp(`that is ${status} `));
  };
  await conflict('pause', 'draft');
  await conflict('resume', 'draft');
  await conflict('unschedule', 'draft');
  await conflict('cancel', 'draft');

  const scheduled = await step(beckon, uuid, 'schedule', { send_at: '2030-01-15T09:00', time_zone: 'America/Montreal' });
  assert.deepEqual([scheduled.status, scheduled.send_at, scheduled.time_zone], ['scheduled', '2030-01-15T14:00:00.000Z', 'America/Montreal']);
  const summer = await step(beckon, uuid, 'schedule', { send_at: '2030-07-15T09:00', time_zone: 'America/Montreal' });
  assert.equal(summer.send_at, '2030-07-15T13:00:00.000Z', 'daylight saving time: UTC-4 in July');
  assert.equal((await step(beckon, uuid, 'schedule', { send_at: '2030-01-15T09:00:00+01:00' })).send_at, '2030-01-15T08:00:00.000Z');
  const jobs = await beckon.runtime.deps.queue.jobs('campaign_start');
  assert.deepEqual(jobs.map((j) => j.runAt).sort(), ['2030-01-15T08:00:00.000Z', '2030-01-15T14:00:00.000Z', '2030-07-15T13:00:00.000Z']);

  assertField(await beckon.call('POST', `/v1/campaigns/${uuid}/schedule`, { body: { send_at: '2030-01-15T09:00', time_zone: 'Mars/Olympus' } }), 'body.time_zone');
  assertField(await beckon.call('POST', `/v1/campaigns/${uuid}/schedule`, { body: { send_at: '2030-01-15T09:00' } }), 'body.time_zone');
  assertField(await beckon.call('POST', `/v1/campaigns/${uuid}/schedule`, { body: { send_at: '2020-01-15T09:00:00Z' } }), 'body.send_at');
  assertField(await beckon.call('POST', `/v1/campaigns/${uuid}/schedule`, { body: { send_at: '2030-02-30T09:00', time_zone: 'UTC' } }), 'body.send_at');
  assertField(await beckon.call('POST', `/v1/campaigns/${uuid}/schedule`, { body: { send_at: 'next tuesday at 9' } }), 'body.send_at');

  assert.equal((await beckon.call('PATCH', `/v1/campaigns/${uuid}`, { body: { name: 'Renamed while scheduled' } })).statusCode, 200);
  const back = await step(beckon, uuid, 'unschedule');
  assert.deepEqual([back.status, back.send_at, back.time_zone], ['draft', null, null]);
  await step(beckon, uuid, 'schedule', { send_at: '2030-01-15T09:00:00Z' });
  const sending = await step(beckon, uuid, 'send');
  assert.equal(sending.status, 'sending');
  assert.equal(typeof sending.started_at, 'string');
  await conflict('send', 'sending');
  await conflict('schedule', 'sending', 'POST', { send_at: '2030-01-15T09:00:00Z' });
  await conflict('', 'sending', 'PATCH', { name: 'x' });
  await conflict('', 'sending', 'DELETE');
  await conflict('resume', 'sending');
  const paused = await step(beckon, uuid, 'pause');
  assert.deepEqual([paused.status, typeof paused.paused_at], ['paused', 'string']);
  await conflict('pause', 'paused');
  await conflict('', 'paused', 'DELETE');
  assert.equal((await step(beckon, uuid, 'resume')).status, 'sending');
  const cancelled = await step(beckon, uuid, 'cancel');
  assert.deepEqual([cancelled.status, typeof cancelled.cancelled_at], ['cancelled', 'string']);
  await conflict('resume', 'cancelled');
  await conflict('cancel', 'cancelled');
  await conflict('send', 'cancelled');
  assert.equal((await beckon.call('DELETE', `/v1/campaigns/${uuid}`)).statusCode, 200);
});

test('campaigns: another workspace sees none of them', async (t) => {
  const beckon = await startBeckon({}, { worker: false });
  t.after(() => beckon.stop());
  const other = await beckon.newWorkspace('other');
  const list = await staticSegment(beckon, 'List', []);
  const campaign = await createCampaign(beckon, { name: 'C', channel_uuid: await whatsappChannel(beckon), segment_uuids: [list], content: { text: 'Hi' } });
  const uuid = campaign.uuid as string;
  assert.deepEqual((await beckon.call('GET', '/v1/campaigns', { key: other })).json().campaigns, []);
  for (const [method, path, body] of [
    ['GET', `/v1/campaigns/${uuid}`], ['GET', `/v1/campaigns/${uuid}/stats`], ['PATCH', `/v1/campaigns/${uuid}`, { name: 'x' }], ['DELETE', `/v1/campaigns/${uuid}`],
    ['POST', `/v1/campaigns/${uuid}/send`, {}], ['POST', `/v1/campaigns/${uuid}/cancel`, {}], ['POST', `/v1/campaigns/${uuid}/schedule`, { send_at: '2030-01-15T09:00:00Z' }],
  ] as const) {
    assert.equal((await beckon.call(method, path, { key: other, body })).statusCode, 404, `${method} ${path}`);
  }
  const otherWhatsapp = await whatsappChannel(beckon, other);
  assertField(await beckon.call('POST', '/v1/campaigns', { key: other, body: { name: 'C', channel_uuid: otherWhatsapp, segment_uuids: [list], content: { text: 'Hi' } } }), 'body.segment_uuids.0');
  assertField(await beckon.call('POST', '/v1/campaigns', { key: other, body: { name: 'C', channel_uuid: campaign.channel_uuid, segment_uuids: [list], content: { text: 'Hi' } } }), 'body.channel_uuid');
  assert.equal((await beckon.call('GET', `/v1/campaigns/${uuid}`)).json().campaign.status, 'draft');
});
