import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startBeckon } from '../../test/helpers.ts';
import { contact, createCampaign, optedIn, recipients, staticSegment, step, waitForStatus, whatsappChannel } from '../../test/campaign-fixtures.ts';

test('template campaigns: values personalized with Liquid, allowed outside the 24-hour window, still need opt-in; a value rendering empty skips the contact', async (t) => {
  const beckon = await startBeckon();
  t.after(() => beckon.stop());
  const strict = await beckon.call('POST', '/v1/channels', { body: { type: 'whatsapp', provider: 'sandbox', title: 'Strict', config: { strict: true } } });
  const channel = strict.json().channel.uuid as string;
  const created = await beckon.call('POST', '/v1/templates', { body: { name: 'order_shipped', language: 'en', category: 'MARKETING', channel_type: 'whatsapp', body: 'Hi {{1}}, your order {{2}} has shipped' } });
  assert.equal(created.statusCode, 201, created.body);
  const template = created.json().template.uuid as string;
  const ann = await contact(beckon, { name: 'Ann', phone: '+39 333 000 0001', consent: optedIn('whatsapp'), custom_fields: { order: '#42' } });
  const bob = await contact(beckon, { phone: '+39 333 000 0002', custom_fields: { order: '#7' } });
  const cleo = await contact(beckon, { name: 'Cleo', phone: '+39 333 000 0003', consent: optedIn('whatsapp') });
  const list = await staticSegment(beckon, 'List', [ann, bob, cleo]);
  const base = { name: 'Shipping', channel_uuid: channel, segment_uuids: [list], template_uuid: template };

  const badLiquid = await beckon.call('POST', '/v1/campaigns', { body: { ...base, template_values: ['{{ contact.name', 'x'] } });
  assert.deepEqual([badLiquid.statusCode, badLiquid.json().errors.map((e: { path: string }) => e.path)], [400, ['body.template_values.0']]);
  const missing = await beckon.call('POST', '/v1/campaigns', { body: { ...base, template_values: ['only one'] } });
  assert.equal(missing.statusCode, 400, missing.body);
  assert.notEqual(missing.json().errors.length, 0, missing.body);
  assert.ok(missing.json().errors.every((e: { path: string }) => e.path.startsWith('body.template_values')), missing.body);
  const both = await beckon.call('POST', '/v1/campaigns', { body: { ...base, template_values: ['a', 'b'], content: { text: 'Hi' } } });
  assert.deepEqual(both.json().errors.map((e: { path: string }) => e.path), ['body.content']);

  const campaign = await createCampaign(beckon, { ...base, template_values: ['{{ contact.name | default: "friend" }}', '{{ contact.custom_fields.order }}'] });
  assert.deepEqual([campaign.content, campaign.template_uuid, campaign.type], [null, template, 'text']);
  await step(beckon, campaign.uuid, 'send');
  await waitForStatus(beckon, campaign.uuid, 'completed');
  const rows = await recipients(beckon, campaign.uuid);
  assert.deepEqual(rows.map((r) => [r.contact_id, r.state, r.skip_reason]), [[ann, 'messaged', null], [bob, 'skipped', 'optin_required'], [cleo, 'skipped', 'template_values_invalid']]);

  // a test send skips a contact whose values render empty the same way, instead of failing the whole request
  const tested = await beckon.call('POST', `/v1/campaigns/${campaign.uuid}/test`, { body: { contact_uuids: [ann, cleo] } });
  assert.equal(tested.statusCode, 200, tested.body);
  assert.deepEqual(tested.json().results.map((r: { contact_uuid: string; skip_reason: string | null }) => [r.contact_uuid, r.skip_reason]), [[ann, null], [cleo, 'template_values_invalid']]);
  const message = (await beckon.call('GET', `/v1/messages/${rows[0].message_id}`)).json().message;
  assert.deepEqual([message.content, message.template_uuid, message.template_values], [{ text: 'Hi Ann, your order #42 has shipped' }, template, ['Ann', '#42']]);
});

test('media campaigns: the URL is sent with a personalized caption', async (t) => {
  const beckon = await startBeckon();
  t.after(() => beckon.stop());
  const ann = await contact(beckon, { name: 'Ann', phone: '+39 333 000 0001', consent: optedIn('whatsapp') });
  const list = await staticSegment(beckon, 'List', [ann]);
  const campaign = await createCampaign(beckon, {
    name: 'Flyer', channel_uuid: await whatsappChannel(beckon), segment_uuids: [list], type: 'image', content: { url: 'https://cdn.example.com/flyer.png', text: 'For you, {{ contact.name }}' },
  });
  assert.deepEqual([campaign.type, campaign.content], ['image', { url: 'https://cdn.example.com/flyer.png', text: 'For you, {{ contact.name }}' }]);
  await step(beckon, campaign.uuid, 'send');
  await waitForStatus(beckon, campaign.uuid, 'completed');
  const [row] = await recipients(beckon, campaign.uuid);
  const message = (await beckon.call('GET', `/v1/messages/${row.message_id}`)).json().message;
  assert.deepEqual([message.type, message.content], ['image', { url: 'https://cdn.example.com/flyer.png', text: 'For you, Ann' }]);
});
