import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startBeckon, waitFor } from '../../test/helpers.ts';
import { trackingUrl } from '../tracking/tokens.ts';
import { beforeBodyEnd, openPixel, unsubscribeHtml, unsubscribeText } from '../tracking/track-content.ts';
import {
  campaignMessages, contact, createCampaign, optedIn, recipients, sandboxChannel, staticSegment, step, waitForStatus, whatsappChannel,
} from '../../test/campaign-fixtures.ts';

test('sending: the audience is frozen once per contact (two segments, an exclusion), rules skip by reason, each message is personalized', async (t) => {
  const beckon = await startBeckon();
  t.after(() => beckon.stop());
  const whatsapp = await whatsappChannel(beckon);
  const ann = await contact(beckon, { name: 'Ann Smith', phone: '+39 333 000 0001', consent: optedIn('whatsapp'), custom_fields: { city: 'Rome' }, tags: ['vip'] });
  const bob = await contact(beckon, { phone: '+39 333 000 0002', consent: optedIn('whatsapp') });
  const cleo = await contact(beckon, { name: 'Cleo', phone: '+39 333 000 0003', consent: { whatsapp: { status: 'opted_out' } } });
  const dan = await contact(beckon, { name: 'Dan', phone: '+39 333 000 0004', consent: optedIn('whatsapp'), blocked: true });
  const eve = await contact(beckon, { name: 'Eve', phone: '+39 333 000 0005' });
  const finn = await contact(beckon, { name: 'Finn', phone: '+39 333 000 0006', consent: optedIn('whatsapp') });
  const gus = await contact(beckon, { name: 'Gus', email: 'gus@example.com', consent: optedIn('whatsapp') });
  await contact(beckon, { name: 'Outsider', phone: '+39 333 000 0009', consent: optedIn('whatsapp') });
  const a = await staticSegment(beckon, 'A', [ann, bob, cleo, finn, gus]);
  const b = await staticSegment(beckon, 'B', [ann, dan, eve]);
  const excluded = await staticSegment(beckon, 'Excluded', [finn]);

  const campaign = await createCampaign(beckon, {
    name: 'Promo', channel_uuid: whatsapp, segment_uuids: [a, b], exclude_segment_uuids: [excluded],
    content: { text: 'Hi {{ contact.name | default: "there" }} from {{ contact.custom_fields.city | default: "your town" }}{% if contact.tags contains "vip" %} (VIP){% endif %}' },
  });
  const uuid = campaign.uuid as string;
  await step(beckon, uuid, 'send');
  const done = await waitForStatus(beckon, uuid, 'completed');
  assert.equal(typeof done.audience_frozen_at, 'string');
  assert.equal(typeof done.completed_at, 'string');

  const rows = await recipients(beckon, uuid);
  assert.deepEqual(rows.map((r) => r.position), [0, 1, 2, 3, 4, 5]);
  const byContact = new Map(rows.map((r) => [r.contact_id, r]));
  assert.deepEqual([...byContact.keys()].sort(), [ann, bob, cleo, dan, eve, gus].sort(), 'each contact once; Finn excluded; the outsider not in any segment');
  assert.deepEqual(Object.fromEntries(rows.map((r) => [r.contact_id, [r.state, r.skip_reason]])), {
    [ann]: ['messaged', null], [bob]: ['messaged', null], [cleo]: ['skipped', 'contact_opted_out'], [dan]: ['skipped', 'contact_blocked'],
    [eve]: ['skipped', 'optin_required'], [gus]: ['skipped', 'no_address'],
  });

  const messages = await campaignMessages(beckon, uuid);
  assert.equal(messages.length, 2);
  const annMessage = (await beckon.call('GET', `/v1/messages/${byContact.get(ann)!.message_id}`)).json().message;
  assert.deepEqual([annMessage.content, annMessage.to, annMessage.contact.uuid, annMessage.type, annMessage.campaign_uuid], [{ text: 'Hi Ann Smith from Rome (VIP)' }, '+393330000001', ann, 'text', uuid]);
  const bobMessage = (await beckon.call('GET', `/v1/messages/${byContact.get(bob)!.message_id}`)).json().message;
  assert.deepEqual(bobMessage.content, { text: 'Hi there from your town' });
  await waitFor('both messages read', async () => (await campaignMessages(beckon, uuid)).every((m) => m.status === 'read'));

  const events = await beckon.runtime.deps.db.selectFrom('events').select(['type', 'payload']).where('type', 'in', ['campaign_started', 'campaign_completed']).orderBy('id').execute();
  assert.deepEqual(events.map((e) => e.type), ['campaign_started', 'campaign_completed']);
  assert.deepEqual([JSON.parse(events[0].payload).uuid, JSON.parse(events[0].payload).recipients], [uuid, 6]);
  assert.equal(JSON.parse(events[1].payload).status, 'completed');

  const stats = (await beckon.call('GET', `/v1/campaigns/${uuid}/stats`)).json();
  assert.deepEqual({ ...stats, timeline: undefined }, {
    recipients: 6, pending: 0, sent: 2, delivered: 2, read: 2, failed: 0,
    skipped: { total: 4, by_reason: { contact_opted_out: 1, contact_blocked: 1, optin_required: 1, no_address: 1 } },
    opens: { unique: 0, total: 0, machine: 0 }, clicks: { unique: 0, total: 0, by_link: [] }, unsubscribes: 0,
    rates: { delivery: 1, open: 0, click: 0, unsubscribe: 0 }, timeline: undefined,
  });
  const hours = new Set([done.started_at.slice(0, 13), new Date().toISOString().slice(0, 13)]);
  const totals = stats.timeline.reduce((sum: Record<string, number>, b: Record<string, number>) => ({ sent: sum.sent + b.sent, delivered: sum.delivered + b.delivered, read: sum.read + b.read }), { sent: 0, delivered: 0, read: 0 });
  assert.deepEqual(totals, { sent: 2, delivered: 2, read: 2 });
  assert.ok(stats.timeline.every((b: { at: string }) => /^\d{4}-\d{2}-\d{2}T\d{2}:00:00\.000Z$/.test(b.at)), JSON.stringify(stats.timeline));
  assert.ok(stats.timeline.every((b: { at: string }) => hours.has(b.at.slice(0, 13))), JSON.stringify(stats.timeline));
});

test('sending: an email campaign renders subject, text and html per contact; contacts without an email are skipped', async (t) => {
  const beckon = await startBeckon();
  t.after(() => beckon.stop());
  const email = await sandboxChannel(beckon, 'email');
  const ann = await contact(beckon, { name: 'Ann', email: 'ann@example.com', consent: optedIn('email') });
  const phoneOnly = await contact(beckon, { name: 'Phone only', phone: '+39 333 000 0002', consent: optedIn('email') });
  const list = await staticSegment(beckon, 'List', [ann, phoneOnly]);
  const campaign = await createCampaign(beckon, {
    name: 'News', channel_uuid: email, segment_uuids: [list], subject: 'News for {{ contact.name }}',
    content: { text: 'Hello {{ contact.name }}', html: '<p>Hello <b>{{ contact.name | upcase }}</b></p>' },
  });
  await step(beckon, campaign.uuid, 'send');
  await waitForStatus(beckon, campaign.uuid, 'completed');
  const rows = await recipients(beckon, campaign.uuid);
  assert.deepEqual(rows.map((r) => [r.contact_id, r.state, r.skip_reason]), [[ann, 'messaged', null], [phoneOnly, 'skipped', 'no_address']]);
  const message = (await beckon.call('GET', `/v1/messages/${rows[0].message_id}`)).json().message;
  const { publicUrl } = beckon.runtime.deps.config;
  const { secrets } = beckon.runtime.deps;
  const unsubscribe = trackingUrl(publicUrl, secrets, { kind: 'unsubscribe', messageId: message.uuid });
  const pixel = openPixel(trackingUrl(publicUrl, secrets, { kind: 'open', messageId: message.uuid }));
  assert.deepEqual([message.subject, message.content, message.html, message.to], [
    'News for Ann', { text: `Hello Ann${unsubscribeText(unsubscribe)}` },
    beforeBodyEnd(`<p>Hello <b>ANN</b></p>${unsubscribeHtml(unsubscribe)}`, pixel), 'ann@example.com',
  ]);
});

test('sending: a WhatsApp channel that enforces the 24-hour window skips contacts outside it', async (t) => {
  const beckon = await startBeckon();
  t.after(() => beckon.stop());
  const strict = await beckon.call('POST', '/v1/channels', { body: { type: 'whatsapp', provider: 'sandbox', title: 'Strict', config: { strict: true } } });
  assert.equal(strict.statusCode, 201, strict.body);
  const ann = await contact(beckon, { name: 'Ann', phone: '+39 333 000 0001', consent: optedIn('whatsapp') });
  const list = await staticSegment(beckon, 'List', [ann]);
  const campaign = await createCampaign(beckon, { name: 'W', channel_uuid: strict.json().channel.uuid, segment_uuids: [list], content: { text: 'Hi' } });
  await step(beckon, campaign.uuid, 'send');
  await waitForStatus(beckon, campaign.uuid, 'completed');
  assert.deepEqual((await recipients(beckon, campaign.uuid)).map((r) => r.skip_reason), ['outside_customer_service_window']);
});

test('test sends: rendered now for up to 10 contacts, not part of the campaign nor its stats', async (t) => {
  const beckon = await startBeckon({}, { worker: false });
  t.after(() => beckon.stop());
  const whatsapp = await whatsappChannel(beckon);
  const ann = await contact(beckon, { name: 'Ann', phone: '+39 333 000 0001' });
  const blocked = await contact(beckon, { name: 'Blocked', phone: '+39 333 000 0002', blocked: true });
  const list = await staticSegment(beckon, 'List', []);
  const campaign = await createCampaign(beckon, { name: 'T', channel_uuid: whatsapp, segment_uuids: [list], content: { text: 'Hi {{ contact.name }}' } });
  const res = await beckon.call('POST', `/v1/campaigns/${campaign.uuid}/test`, { body: { contact_uuids: [ann, blocked] } });
  assert.equal(res.statusCode, 200, res.body);
  const results = res.json().results;
  assert.deepEqual(results.map((r: Record<string, unknown>) => [r.contact_uuid, r.skip_reason]), [[ann, null], [blocked, 'contact_blocked']]);
  const message = (await beckon.call('GET', `/v1/messages/${results[0].message_uuid}`)).json().message;
  assert.deepEqual([message.content, message.metadata, message.status], [{ text: 'Hi Ann' }, { campaign_uuid: campaign.uuid, campaign_test: 'true' }, 'enqueued']);
  assert.equal((await beckon.call('GET', `/v1/campaigns/${campaign.uuid}`)).json().campaign.status, 'draft');
  assert.deepEqual([(await campaignMessages(beckon, campaign.uuid)).length, (await recipients(beckon, campaign.uuid)).length], [0, 0]);
  assert.equal((await beckon.call('GET', `/v1/campaigns/${campaign.uuid}/stats`)).json().sent, 0);
  const tooMany = await beckon.call('POST', `/v1/campaigns/${campaign.uuid}/test`, { body: { contact_uuids: Array(11).fill(ann) } });
  assert.equal(tooMany.statusCode, 400);
  const unknown = await beckon.call('POST', `/v1/campaigns/${campaign.uuid}/test`, { body: { contact_uuids: [ann, '01890a5d-ac96-774b-bcce-b302099a8057'] } });
  assert.deepEqual(unknown.json().errors.map((e: { path: string }) => e.path), ['body.contact_uuids.1']);
  const other = await beckon.newWorkspace('other');
  assert.equal((await beckon.call('POST', `/v1/campaigns/${campaign.uuid}/test`, { key: other, body: { contact_uuids: [ann] } })).statusCode, 404);
});

test('sending: a text that renders longer than the channel allows skips that contact only', async (t) => {
  const beckon = await startBeckon();
  t.after(() => beckon.stop());
  const long = await contact(beckon, { name: 'L'.repeat(100), phone: '+39 333 000 0001', consent: optedIn('whatsapp') });
  const short = await contact(beckon, { name: 'Al', phone: '+39 333 000 0002', consent: optedIn('whatsapp') });
  const list = await staticSegment(beckon, 'List', [long, short]);
  const campaign = await createCampaign(beckon, { name: 'Long', channel_uuid: await whatsappChannel(beckon), segment_uuids: [list], content: { text: '{% for i in (1..50) %}{{ contact.name }}{% endfor %}' } });
  await step(beckon, campaign.uuid, 'send');
  await waitForStatus(beckon, campaign.uuid, 'completed');
  const rows = await recipients(beckon, campaign.uuid);
  assert.deepEqual(rows.map((r) => [r.contact_id, r.state, r.skip_reason]), [[long, 'skipped', 'content_too_long'], [short, 'messaged', null]]);
  assert.equal((await beckon.call('GET', `/v1/messages/${rows[1].message_id}`)).json().message.content.text, 'Al'.repeat(50));
});

test('sending: an email campaign with only content.html gets its text part derived from the rendered HTML', async (t) => {
  const beckon = await startBeckon();
  t.after(() => beckon.stop());
  const email = await sandboxChannel(beckon, 'email');
  const ann = await contact(beckon, { name: 'Ann', email: 'ann@example.com', consent: optedIn('email') });
  const list = await staticSegment(beckon, 'List', [ann]);
  const campaign = await createCampaign(beckon, {
    name: 'HTML only', channel_uuid: email, segment_uuids: [list], subject: 'News',
    content: { html: '<h1>Hello {{ contact.name }}</h1><p>Our <a href="https://example.com/sale">spring sale</a> starts now.</p><ul><li>One</li><li>Two</li></ul><img src="https://example.com/x.png">' },
  });
  await step(beckon, campaign.uuid, 'send');
  await waitForStatus(beckon, campaign.uuid, 'completed');
  const rows = await recipients(beckon, campaign.uuid);
  const message = (await beckon.call('GET', `/v1/messages/${rows[0].message_id}`)).json().message;
  const text: string = message.content.text;
  assert.match(text, /^Hello Ann\n\nOur spring sale \[[^\]]+\] starts now\.\n\n \* One\n \* Two/);
  assert.doesNotMatch(text, /<|x\.png/);
  assert.match(message.html, /<h1>Hello Ann<\/h1>/);
});
