import { test } from 'node:test';
import assert from 'node:assert/strict';
import { META_TEMPLATES } from './template-fixtures.ts';
import { createWhatsAppChannel, startWhatsApp } from './test-support.ts';

function summary(templates: Record<string, any>[]) {
  return templates.map((t) => ({ name: t.name, language: t.language, status: t.status, status_reason: t.status_reason }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

test('POST /v1/templates/sync reads every page of the business account\'s templates and stores them with their status', async (t) => {
  const wa = await startWhatsApp({}, { worker: false });
  t.after(() => wa.stop());
  wa.fake.templates = META_TEMPLATES;
  wa.fake.pageSize = 3;
  const res = await wa.beckon.call('POST', '/v1/templates/sync', { body: { channel_uuid: wa.channelId } });
  assert.equal(res.statusCode, 200, res.body);
  const { templates, meta } = res.json();
  assert.deepEqual(summary(templates), [
    { name: 'old_promo', language: 'en_US', status: 'rejected', status_reason: 'WhatsApp status DISABLED' },
    { name: 'order_delivery_update', language: 'en', status: 'pending', status_reason: null },
    { name: 'reservation_confirmation', language: 'en_US', status: 'approved', status_reason: null },
    { name: 'summer_sale', language: 'en_US', status: 'rejected', status_reason: 'PROMOTIONAL' },
    { name: 'weekly_digest', language: 'es', status: 'paused', status_reason: null },
  ]);
  assert.deepEqual({ created: meta.created, updated: meta.updated }, { created: 5, updated: 0 });
  assert.deepEqual(meta.skipped, [
    { channel_uuid: wa.channelId, name: 'verify_code', language: 'en_US', reason: 'a OTP button is not supported' },
    { channel_uuid: wa.channelId, name: 'store_location', language: 'en_US', reason: 'a LOCATION header is not supported' },
  ]);

  const lists = wa.fake.requests.filter((r) => r.path === `/v23.0/${wa.fake.businessAccountId}/message_templates`);
  assert.equal(lists.length, 3);
  assert.deepEqual(lists.map((r) => r.query.after ?? null), [null, 'Mw', 'Ng']);
  assert.equal(lists[0].query.fields, 'id,name,language,status,category,components,rejected_reason');
  assert.equal(lists[0].headers.authorization, `Bearer ${wa.fake.accessToken}`);

  const reservation = templates.find((x: { name: string }) => x.name === 'reservation_confirmation');
  assert.deepEqual({ ...reservation, uuid: undefined, created_at: undefined, updated_at: undefined, createdAt: undefined }, {
    uuid: undefined, name: 'reservation_confirmation', language: 'en_US', category: 'UTILITY', channel_type: 'whatsapp', channel_uuid: wa.channelId,
    parameter_format: 'named', variables: ['number_of_guests', 'day', 'date', 'time'], header: { format: 'IMAGE' },
    body: META_TEMPLATES[0].components[1].text, footer: 'Lucky Shrub Eatery: The Luckiest Eatery in Town',
    buttons: [
      { type: 'URL', text: 'Change reservation', url: 'https://www.luckyshrub.com/reservations' },
      { type: 'PHONE_NUMBER', text: 'Call us', phone_number: '+14155552671' },
      { type: 'QUICK_REPLY', text: 'Cancel reservation' },
    ],
    status: 'approved', status_reason: null, provider_template_id: '546151681022936', created_at: undefined, updated_at: undefined,
    title: 'reservation_confirmation', text: META_TEMPLATES[0].components[1].text, templateType: 'image', createdAt: undefined,
  });
  const order = templates.find((x: { name: string }) => x.name === 'order_delivery_update');
  assert.deepEqual(order.variables, ['1', '2', 'header.1', 'buttons.0.1']);
  assert.deepEqual(order.header, { format: 'TEXT', text: 'Order {{1}} is on its way' });

  const listed = (await wa.beckon.call('GET', `/v1/templates?channel_uuid=${wa.channelId}&limit=100`)).json().templates;
  assert.equal(listed.length, 5);
});

test('a second sync updates statuses in place and adopts a hand-made template of the same name and language', async (t) => {
  const wa = await startWhatsApp({}, { worker: false });
  t.after(() => wa.stop());
  const handMade = await wa.beckon.call('POST', '/v1/templates', {
    body: { name: 'order_delivery_update', language: 'en', category: 'UTILITY', channel_type: 'whatsapp', body: 'Hi {{1}}, order {{2}} ships soon.', status: 'pending' },
  });
  assert.equal(handMade.statusCode, 201, handMade.body);
  wa.fake.templates = META_TEMPLATES.slice(0, 2);
  const first = (await wa.beckon.call('POST', '/v1/templates/sync', { body: {} })).json();
  assert.deepEqual({ created: first.meta.created, updated: first.meta.updated }, { created: 1, updated: 1 });
  const adopted = first.templates.find((x: { name: string }) => x.name === 'order_delivery_update');
  assert.equal(adopted.uuid, handMade.json().template.uuid);
  assert.equal(adopted.channel_uuid, wa.channelId);
  assert.equal(adopted.body, 'Good news {{1}}! Your order #{{2}} is on its way. Track it below.');

  wa.fake.templates = [{ ...META_TEMPLATES[0], status: 'PAUSED' }, { ...META_TEMPLATES[1], status: 'APPROVED' }];
  const second = (await wa.beckon.call('POST', '/v1/templates/sync', { body: {} })).json();
  assert.deepEqual({ created: second.meta.created, updated: second.meta.updated }, { created: 0, updated: 2 });
  assert.deepEqual(summary(second.templates).map((x) => [x.name, x.status]), [['order_delivery_update', 'approved'], ['reservation_confirmation', 'paused']]);
  assert.equal((await wa.beckon.call('GET', '/v1/templates?limit=100')).json().templates.length, 2);
});

test('sync errors: Meta\'s refusal is a 502, a channel without business account or of another provider a 422, another workspace\'s channel a 404', async (t) => {
  const wa = await startWhatsApp({}, { worker: false });
  t.after(() => wa.stop());
  const otherKey = await wa.beckon.newWorkspace('other');
  const none = await wa.beckon.call('POST', '/v1/templates/sync', { key: otherKey, body: {} });
  assert.equal(none.statusCode, 422);
  assert.equal(none.json().code, 'channel_unavailable');
  assert.equal(none.json().detail, 'this workspace has no WhatsApp Cloud API channel to sync templates from: create one with POST /v1/channels');
  const foreign = await wa.beckon.call('POST', '/v1/templates/sync', { key: otherKey, body: { channel_uuid: wa.channelId } });
  assert.equal(foreign.statusCode, 404);
  assert.deepEqual(foreign.json().errors, [{ path: 'body.channel_uuid', message: 'no such channel in this workspace' }]);

  const sandbox = (await wa.beckon.call('GET', '/v1/channels?provider=sandbox')).json().channels[0].uuid;
  const wrong = await wa.beckon.call('POST', '/v1/templates/sync', { body: { channel_uuid: sandbox } });
  assert.equal(wrong.statusCode, 422);
  assert.deepEqual(wrong.json().errors, [{ path: 'body.channel_uuid', message: 'is not a whatsapp_cloud channel' }]);

  const noWaba = await createWhatsAppChannel(wa.beckon, { phone_number_id: '106540352242999', access_token: 'x', app_secret: 'y', verify_token: 'z', api_base_url: wa.fake.url });
  const missing = await wa.beckon.call('POST', '/v1/templates/sync', { body: { channel_uuid: noWaba } });
  assert.equal(missing.statusCode, 422);
  assert.equal(missing.json().detail, `channel ${noWaba} has no business_account_id: set it with PATCH /v1/channels/${noWaba} (config.business_account_id, from WhatsApp Manager)`);

  wa.fake.accessToken = 'rotated-token';
  const refused = await wa.beckon.call('POST', '/v1/templates/sync', { body: { channel_uuid: wa.channelId } });
  assert.equal(refused.statusCode, 502);
  assert.equal(refused.json().code, 'provider_error');
  assert.equal(refused.json().provider_code, '190');
  assert.match(refused.json().detail, /^WhatsApp Cloud API refused the template list of channel [0-9a-f-]+: Invalid OAuth access token - Cannot parse access token \(190\): the channel's access_token is invalid/);
  assert.deepEqual((await wa.beckon.call('GET', '/v1/templates')).json().templates, []);
});
