'use strict';
// Every action, the search and the dropdowns through Zapier's own test tools against a real Beckon on loopback;
// each result is checked through Beckon's API.
const { test } = require('node:test');
const assert = require('node:assert/strict');
const zapier = require('zapier-platform-core');
const App = require('../index');
const { API_KEY, BASE_URL, ok } = require('./support');

const appTester = zapier.createAppTester(App);
const authData = { base_url: BASE_URL, api_key: API_KEY };
const run = (kind, key, inputData) => appTester(App[kind][key].operation.perform, { authData, inputData });

test('dropdowns list channels, templates, automations, teams and custom fields; template variables become input fields', async () => {
  const { channel } = await ok(201, 'POST', '/v1/channels', { type: 'whatsapp', provider: 'sandbox', title: 'Dropdown channel' });
  const { template } = await ok(201, 'POST', '/v1/templates', { name: 'order_confirmation', channel_type: 'whatsapp', body: 'Hi {{1}}, order {{2}} is confirmed', language: 'en', category: 'UTILITY' });
  const { team } = await ok(201, 'POST', '/v1/teams', { name: 'Zapier team' });
  const { custom_field: field } = await ok(201, 'POST', '/v1/custom_fields', { key: 'plan', label: 'Plan', type: 'text' });
  const { automation } = await ok(201, 'POST', '/v1/automations', { name: 'Dropdown automation', trigger: { type: 'api' }, start: 'tag', steps: { tag: { type: 'update_contact', add_tags: ['x'] } } });
  for (const [key, uuid] of [['channelList', channel.uuid], ['templateList', template.uuid], ['teamList', team.uuid], ['customFieldList', field.uuid], ['automationList', automation.uuid]]) {
    const items = await run('triggers', key, {});
    assert.ok(items.some((i) => i.id === uuid && i.uuid === uuid), `${key} lists ${uuid}`);
  }
  const fields = App.creates.sendMessage.operation.inputFields;
  const dynamic = fields.find((f) => typeof f === 'function');
  assert.deepEqual((await appTester(dynamic, { authData, inputData: { template_uuid: template.uuid } })).map((f) => f.key), ['template_values__1', 'template_values__2']);
  const contactFields = App.creates.createOrUpdateContact.operation.inputFields.find((f) => typeof f === 'function');
  assert.ok((await appTester(contactFields, { authData, inputData: {} })).some((f) => f.key === 'custom_fields__plan' && f.label === 'Plan'));
});

test('contact actions and search: create or update (tags, custom fields), find by phone, email and uuid, add and remove a tag', async () => {
  await ok(201, 'POST', '/v1/custom_fields', { key: 'city', label: 'City', type: 'text' });
  assert.deepEqual(await run('searches', 'findContact', { phone: '+1 415 555 0142' }), [], 'not found: Zapier then runs the create of findContact\'s searchOrCreate');
  assert.deepEqual(App.searchOrCreates.findContact, { ...App.searchOrCreates.findContact, search: 'findContact', create: 'createOrUpdateContact' });
  const made = await run('creates', 'createOrUpdateContact', { phone: '+1 415 555 0142', email: 'grace@example.com', name: 'Grace', tags: ['typeform', 'lead'], custom_fields__city: 'Arlington' });
  assert.equal(made.result, 'inserted');
  const { contact } = await ok(200, 'GET', `/v1/contacts/${made.uuid}`);
  assert.deepEqual([contact.phone, contact.email, contact.name, [...contact.tags].sort(), contact.custom_fields.city], ['+14155550142', 'grace@example.com', 'Grace', ['lead', 'typeform'], 'Arlington']);
  const again = await run('creates', 'createOrUpdateContact', { phone: '+1 (415) 555-0142', name: 'Grace Hopper', custom_fields__city: 'New York' });
  assert.deepEqual([again.result, again.uuid], ['updated', made.uuid]);
  assert.deepEqual([(await ok(200, 'GET', `/v1/contacts/${made.uuid}`)).contact.name, (await ok(200, 'GET', `/v1/contacts/${made.uuid}`)).contact.custom_fields.city], ['Grace Hopper', 'New York']);

  for (const by of [{ phone: '+14155550142' }, { email: 'GRACE@example.com' }, { contact_uuid: made.uuid }]) {
    assert.deepEqual((await run('searches', 'findContact', by)).map((c) => c.uuid), [made.uuid], JSON.stringify(by));
  }
  await run('creates', 'addTag', { email: 'grace@example.com', tag: 'vip' });
  assert.ok((await ok(200, 'GET', `/v1/contacts/${made.uuid}`)).contact.tags.includes('vip'));
  await run('creates', 'removeTag', { contact_uuid: made.uuid, tag: 'lead' });
  assert.deepEqual([...(await ok(200, 'GET', `/v1/contacts/${made.uuid}`)).contact.tags].sort(), ['typeform', 'vip']);
  await assert.rejects(run('creates', 'addTag', { phone: '+14155550999', tag: 'vip' }), /No contact has this uuid, phone or email/);
});

test('send message (text and template), record event, start automation run, add note and assign', async () => {
  const { channel } = await ok(201, 'POST', '/v1/channels', { type: 'whatsapp', provider: 'sandbox', title: 'Actions channel' });
  const { template } = await ok(201, 'POST', '/v1/templates', { name: 'order_shipped', channel_type: 'whatsapp', body: 'Hi {{1}}, order {{2}} shipped', language: 'en', category: 'UTILITY' });
  const to = '+14155550155';
  await ok(200, 'POST', '/v1/sandbox/inbound', { channel_uuid: channel.uuid, from: to, text: 'hi' });

  const text = await run('creates', 'sendMessage', { channel_uuid: channel.uuid, to, text: 'Thanks for your order!' });
  const sent = (await ok(200, 'GET', `/v1/messages/${text.uuid}`)).message;
  assert.deepEqual([sent.direction, sent.channel_uuid, sent.content.text, sent.to], ['outbound', channel.uuid, 'Thanks for your order!', to]);
  const templated = await run('creates', 'sendMessage', { channel_uuid: channel.uuid, to, template_uuid: template.uuid, optin_contact: true, template_values__1: 'Ann', template_values__2: '1001' });
  const tm = (await ok(200, 'GET', `/v1/messages/${templated.uuid}`)).message;
  assert.deepEqual([tm.template_uuid, tm.template_values], [template.uuid, ['Ann', '1001']]);

  const event = await run('creates', 'recordEvent', { name: 'order_placed', phone: to, data: { order_id: '1001' }, correlation_key: 'order-1001' });
  const { events } = await ok(200, 'GET', '/v1/events?type=custom.order_placed');
  assert.deepEqual(events.map((e) => [e.id, e.payload.data.order_id]), [[event.uuid, '1001']]);

  const { automation } = await ok(201, 'POST', '/v1/automations', { name: 'Zap run', trigger: { type: 'api' }, start: 'tag', steps: { tag: { type: 'update_contact', add_tags: ['{{ trigger.plan }}'] } } });
  await ok(200, 'POST', `/v1/automations/${automation.uuid}/activate`, {});
  const started = await run('creates', 'startAutomationRun', { automation_uuid: automation.uuid, phone: to, data: { plan: 'gold' } });
  const { runs } = await ok(200, 'GET', `/v1/automations/${automation.uuid}/runs`);
  assert.deepEqual(runs.map((r) => r.uuid), [started.uuid]);

  const { conversations } = await ok(200, 'GET', '/v1/conversations');
  const conversation = conversations.find((c) => c.channel_uuid === channel.uuid);
  const { team } = await ok(201, 'POST', '/v1/teams', { name: 'Orders' });
  const noted = await run('creates', 'addNote', { conversation_uuid: conversation.uuid, text: 'Order 1001 paid via Shopify', team_uuid: team.uuid });
  assert.equal(noted.conversation.team_uuid, team.uuid);
  const thread = await ok(200, 'GET', `/v1/conversations/${conversation.uuid}/messages`);
  assert.ok(JSON.stringify(thread).includes('Order 1001 paid via Shopify'));
  assert.equal((await ok(200, 'GET', `/v1/conversations/${conversation.uuid}`)).conversation.team_uuid, team.uuid);
});
