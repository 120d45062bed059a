'use strict';
// Every trigger through Zapier's own test tools against a real Beckon on loopback: subscribe (POST /v1/hooks),
// a real event delivered by Beckon to a loopback receiver, perform on that body, performList, unsubscribe.
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const zapier = require('zapier-platform-core');
const App = require('../index');
const { API_KEY, BASE_URL, beckon, ok, startReceiver } = require('./support');

const appTester = zapier.createAppTester(App);
const authData = { base_url: BASE_URL, api_key: API_KEY };
let receiver;

before(async () => { receiver = await startReceiver(); });
after(async () => { await receiver.close(); });

const op = (key) => App.triggers[key].operation;
const subscribe = async (key, inputData = {}) => {
  const targetUrl = `${receiver.url}/hook/${key}`;
  const subscribeData = await appTester(op(key).performSubscribe, { authData, inputData, targetUrl });
  assert.match(subscribeData.id, /^[0-9a-f-]{36}$/);
  return { key, inputData, targetUrl, subscribeData };
};
/** Waits for Beckon's delivery to this hook that passes `match`, and runs the trigger's perform on it (as Zapier does). */
const fire = async (hook, match) => {
  const hit = await receiver.next(`/hook/${hook.key}`, match);
  assert.ok(hit.headers['webhook-signature'], 'deliveries to hooks are signed like any endpoint');
  return { body: hit.body, items: await appTester(op(hook.key).perform, { authData, inputData: hook.inputData, cleanedRequest: hit.body }) };
};
const list = (hook) => appTester(op(hook.key).performList, { authData, inputData: hook.inputData });
const unsubscribe = async (hook) => {
  await appTester(op(hook.key).performUnsubscribe, { authData, inputData: hook.inputData, subscribeData: hook.subscribeData });
  assert.equal((await beckon('GET', `/v1/webhooks/${hook.subscribeData.id}`)).status, 404, 'the hook\'s endpoint is gone');
};

test('authentication: the test reads /v1/auth/me and the connection is labelled with the workspace name', async () => {
  const me = await appTester(App.authentication.test, { authData });
  const { workspace } = await ok(200, 'GET', '/v1/workspace');
  assert.equal(me.workspace.name, workspace.name);
  assert.equal(App.authentication.connectionLabel(null, { inputData: me }), workspace.name);
  await assert.rejects(appTester(App.authentication.test, { authData: { ...authData, api_key: 'bk_wrong' } }), /401/);
});

test('contact triggers: new contact, contact updated, tag added (filtered by tag)', async () => {
  const hooks = { created: await subscribe('newContact'), updated: await subscribe('contactUpdated'), tag: await subscribe('tagAdded', { tag: 'vip' }) };
  const endpoint = await ok(200, 'GET', `/v1/webhooks/${hooks.created.subscribeData.id}`);
  assert.deepEqual([endpoint.webhook.origin, endpoint.webhook.events, endpoint.webhook.url], ['zapier', ['contact_created'], hooks.created.targetUrl]);

  const { contact } = await ok(201, 'POST', '/v1/contacts', { name: 'Ada Lovelace', phone: '+1 415 555 0101', email: 'ada@example.com' });
  const created = await fire(hooks.created, (b) => b.uuid === contact.uuid);
  assert.deepEqual(created.items.map((i) => [i.event, i.uuid, i.name, i.phone, i.email]), [['contact_created', contact.uuid, 'Ada Lovelace', '+14155550101', 'ada@example.com']]);
  assert.equal(created.body.payload, undefined, 'flat: no envelope');

  await ok(200, 'PATCH', `/v1/contacts/${contact.uuid}`, { name: 'Ada King', tags: ['other', 'vip'] });
  const updated = await fire(hooks.updated, (b) => b.uuid === contact.uuid && b.name === 'Ada King');
  assert.deepEqual(updated.items.map((i) => [i.event, i.name]), [['contact_updated', 'Ada King']]);
  const vip = await fire(hooks.tag, (b) => b.uuid === contact.uuid && b.tag === 'vip');
  assert.deepEqual(vip.items.map((i) => [i.event, i.tag, i.uuid]), [['contact_tag_added', 'vip', contact.uuid]]);
  const other = await fire(hooks.tag, (b) => b.uuid === contact.uuid && b.tag === 'other');
  assert.deepEqual(other.items, [], 'another tag is filtered out by the trigger');

  assert.ok((await list(hooks.created)).some((i) => i.uuid === contact.uuid && i.id === created.body.id), 'performList answers the same flat shape');
  assert.deepEqual((await list(hooks.tag)).filter((i) => i.uuid === contact.uuid).map((i) => i.tag), ['vip']);
  for (const hook of Object.values(hooks)) await unsubscribe(hook);
});

test('message and conversation triggers: inbound (channel + keyword), status changed, conversation opened and closed', async () => {
  const { channel } = await ok(201, 'POST', '/v1/channels', { type: 'whatsapp', provider: 'sandbox', title: 'Zapier sandbox' });
  const hooks = {
    inbound: await subscribe('inboundMessage', { channel_uuid: channel.uuid, keyword: 'ORDER' }),
    status: await subscribe('messageStatusChanged', { status: 'delivered' }),
    opened: await subscribe('conversationOpened'),
    closed: await subscribe('conversationClosed'),
  };
  const from = '+14155550177';
  await ok(200, 'POST', '/v1/sandbox/inbound', { channel_uuid: channel.uuid, from, text: 'hello there' });
  await ok(200, 'POST', '/v1/sandbox/inbound', { channel_uuid: channel.uuid, from, text: 'Where is my order?' });
  const plain = await fire(hooks.inbound, (b) => b.content_text === 'hello there');
  assert.deepEqual(plain.items, [], 'no keyword: filtered out');
  const order = await fire(hooks.inbound, (b) => b.content_text === 'Where is my order?');
  assert.deepEqual(order.items.map((i) => [i.direction, i.channel_uuid, i.contact_phone, i.content_text]), [['inbound', channel.uuid, from, 'Where is my order?']]);
  assert.deepEqual((await list(hooks.inbound)).map((i) => i.content_text), ['Where is my order?'], 'performList filters the same way');

  const opened = await fire(hooks.opened, (b) => b.channel_uuid === channel.uuid);
  assert.equal(opened.items[0].event, 'conversation_opened');
  const conversation = opened.items[0].uuid;
  await ok(200, 'POST', `/v1/conversations/${conversation}/status`, { status: 'resolved' });
  const closed = await fire(hooks.closed, (b) => b.uuid === conversation);
  assert.deepEqual(closed.items.map((i) => [i.event, i.uuid]), [['conversation_closed', conversation]]);

  const { message } = await ok(200, 'POST', '/v1/messages/send', { to: from, from: 'whatsapp', channel_uuid: channel.uuid, type: 'text', content: { text: 'On its way!' } });
  const delivered = await fire(hooks.status, (b) => b.uuid === message.uuid && b.status === 'delivered');
  assert.deepEqual(delivered.items.map((i) => [i.event, i.uuid, i.status]), [['message_status_updated', message.uuid, 'delivered']]);
  const sent = await fire(hooks.status, (b) => b.uuid === message.uuid && b.status === 'sent');
  assert.deepEqual(sent.items, [], 'another status is filtered out');
  for (const hook of Object.values(hooks)) await unsubscribe(hook);
});

test('custom event, automation run finished and campaign completed triggers', async () => {
  const hooks = {
    custom: await subscribe('customEvent', { name: 'order_placed' }),
    run: await subscribe('automationRunFinished'),
    campaign: await subscribe('campaignCompleted'),
  };
  assert.deepEqual((await ok(200, 'GET', `/v1/webhooks/${hooks.run.subscribeData.id}`)).webhook.events,
    ['automation_run_completed', 'automation_run_exited', 'automation_run_failed', 'automation_run_converted']);
  await ok(202, 'POST', '/v1/events', { name: 'order_placed', contact: { phone: '+14155550188' }, data: { order_id: '1001', total: 42.5 } });
  const placed = await fire(hooks.custom, (b) => b.event === 'custom.order_placed');
  assert.deepEqual(placed.items.map((i) => [i.event, i.data_order_id, i.data_total, i.contact_phone]), [['custom.order_placed', '1001', 42.5, '+14155550188']]);

  const { automation } = await ok(201, 'POST', '/v1/automations', { name: 'Zap tagger', trigger: { type: 'api' }, start: 'tag', steps: { tag: { type: 'update_contact', add_tags: ['zapped'] } } });
  await ok(200, 'POST', `/v1/automations/${automation.uuid}/activate`, {});
  const { run } = await ok(202, 'POST', `/v1/automations/${automation.uuid}/runs`, { contact: { phone: '+14155550188' } });
  const finished = await fire(hooks.run, (b) => b.uuid === run.uuid);
  assert.deepEqual(finished.items.map((i) => [i.event, i.automation_uuid, i.status]), [['automation_run_completed', automation.uuid, 'completed']]);

  const { channel } = await ok(201, 'POST', '/v1/channels', { type: 'sms', provider: 'sandbox', title: 'SMS sandbox' });
  const contact = (await ok(201, 'POST', '/v1/contacts', { phone: '+14155550199' })).contact;
  const { segment } = await ok(201, 'POST', '/v1/segments', { name: 'Zapier list', type: 'static' });
  await ok(200, 'POST', `/v1/segments/${segment.uuid}/contacts`, { contact_uuids: [contact.uuid] });
  const { campaign } = await ok(201, 'POST', '/v1/campaigns', { name: 'Zap campaign', channel_uuid: channel.uuid, segment_uuids: [segment.uuid], content: { text: 'Hi' } });
  await ok(200, 'POST', `/v1/campaigns/${campaign.uuid}/send`, {});
  const completed = await fire(hooks.campaign, (b) => b.uuid === campaign.uuid);
  assert.deepEqual(completed.items.map((i) => [i.event, i.name]), [['campaign_completed', 'Zap campaign']]);
  assert.ok((await list(hooks.campaign)).some((i) => i.uuid === campaign.uuid));
  for (const hook of Object.values(hooks)) await unsubscribe(hook);
});
