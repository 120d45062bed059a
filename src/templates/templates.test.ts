import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startBeckon, type TestBeckon } from '../../test/helpers.ts';

const ORDER = {
  name: 'order_update', language: 'en_US', category: 'UTILITY', channel_type: 'whatsapp',
  body: 'Hi {{1}}, your order {{2}} ships today.',
  header: { format: 'TEXT', text: 'Order {{1}}' },
  footer: 'Reply STOP to opt out',
  buttons: [{ type: 'URL', text: 'Track', url: 'https://shop.example/track/{{1}}' }, { type: 'QUICK_REPLY', text: 'Thanks' }, { type: 'PHONE_NUMBER', text: 'Call us', phone_number: '+1 415 555 2671' }],
};

async function create(beckon: TestBeckon, body: unknown, key?: string) {
  return beckon.call('POST', '/v1/templates', { body, key });
}

test('templates: create, read, list, change and delete', async (t) => {
  const beckon = await startBeckon({}, { worker: false });
  t.after(() => beckon.stop());

  const created = await create(beckon, ORDER);
  assert.equal(created.statusCode, 201);
  const template = created.json().template;
  assert.deepEqual({ ...template, uuid: '', created_at: '', updated_at: '', createdAt: '' }, {
    uuid: '', name: 'order_update', language: 'en_US', category: 'UTILITY', channel_type: 'whatsapp', channel_uuid: null,
    parameter_format: 'positional', variables: ['1', '2', 'header.1', 'buttons.0.1'],
    header: { format: 'TEXT', text: 'Order {{1}}' }, body: ORDER.body, footer: 'Reply STOP to opt out',
    buttons: [{ type: 'URL', text: 'Track', url: 'https://shop.example/track/{{1}}' }, { type: 'QUICK_REPLY', text: 'Thanks' }, { type: 'PHONE_NUMBER', text: 'Call us', phone_number: '+14155552671' }],
    status: 'approved', status_reason: null, provider_template_id: null, created_at: '', updated_at: '',
    title: 'order_update', text: ORDER.body, templateType: 'text', createdAt: '',
  });
  assert.equal(template.createdAt, template.created_at);
  assert.deepEqual((await beckon.call('GET', `/v1/templates/${template.uuid}`)).json(), { template });

  const sms = (await create(beckon, { name: 'Welcome SMS', language: 'it', category: 'MARKETING', channel_type: 'sms', body: 'Ciao {{first_name}}! Use {{code}} for 10% off, {{first_name}}.', status: 'pending' })).json().template;
  assert.equal(sms.parameter_format, 'named');
  assert.deepEqual(sms.variables, ['first_name', 'code']);
  const video = (await create(beckon, { name: 'launch', language: 'en', category: 'MARKETING', channel_type: 'whatsapp', body: 'It is here.', header: { format: 'VIDEO', media_url: 'https://cdn.example/launch.mp4' } })).json().template;
  assert.equal(video.templateType, 'video');
  assert.deepEqual(video.variables, []);

  const names = async (query: string) => (await beckon.call('GET', `/v1/templates${query}`)).json().templates.map((x: { name: string }) => x.name);
  assert.deepEqual(await names(''), ['launch', 'Welcome SMS', 'order_update'], 'newest first');
  assert.deepEqual(await names('?channel_type=whatsapp'), ['launch', 'order_update']);
  assert.deepEqual(await names('?status=pending'), ['Welcome SMS']);
  assert.deepEqual(await names('?category=MARKETING&channel_type=whatsapp'), ['launch']);
  assert.deepEqual(await names('?name=order_update'), ['order_update']);
  const page1 = (await beckon.call('GET', '/v1/templates?limit=2')).json();
  assert.deepEqual(page1.templates.map((x: { name: string }) => x.name), ['launch', 'Welcome SMS']);
  const page2 = (await beckon.call('GET', `/v1/templates?limit=2&cursor=${page1.meta.next_cursor}`)).json();
  assert.deepEqual(page2, { templates: [template], meta: { next_cursor: null } });

  const approved = await beckon.call('PATCH', `/v1/templates/${sms.uuid}`, { body: { status: 'approved', body: 'Ciao {{first_name}}!' } });
  assert.equal(approved.statusCode, 200);
  assert.equal(approved.json().template.status, 'approved');
  assert.deepEqual(approved.json().template.variables, ['first_name']);
  assert.equal(approved.json().template.language, 'it', 'omitted fields are kept');
  const cleared = (await beckon.call('PATCH', `/v1/templates/${template.uuid}`, { body: { header: null, footer: null, buttons: [], status: 'paused', status_reason: 'quality rating low' } })).json().template;
  assert.deepEqual([cleared.header, cleared.footer, cleared.buttons, cleared.variables, cleared.status, cleared.status_reason], [null, null, [], ['1', '2'], 'paused', 'quality rating low']);

  assert.equal((await beckon.call('DELETE', `/v1/templates/${video.uuid}`)).statusCode, 204);
  assert.equal((await beckon.call('GET', `/v1/templates/${video.uuid}`)).statusCode, 404);
  assert.equal((await beckon.call('DELETE', `/v1/templates/${video.uuid}`)).statusCode, 404);
});

test('templates: name and language are unique per channel type and channel; channel_uuid must be a channel of the type', async (t) => {
  const beckon = await startBeckon({}, { worker: false });
  t.after(() => beckon.stop());
  const first = (await create(beckon, ORDER)).json().template;
  const again = await create(beckon, ORDER);
  assert.equal(again.statusCode, 409);
  assert.equal(again.json().code, 'conflict');
  assert.equal(again.json().existing_uuid, first.uuid);
  assert.equal((await create(beckon, { ...ORDER, language: 'it' })).statusCode, 201, 'another language is another template');
  assert.equal((await create(beckon, { ...ORDER, channel_type: 'sms', name: 'order_update', header: undefined, footer: undefined, buttons: undefined })).statusCode, 201);

  const sandbox = (await beckon.call('GET', '/v1/channels?type=whatsapp')).json().channels[0].uuid;
  const bound = await create(beckon, { ...ORDER, channel_uuid: sandbox });
  assert.equal(bound.statusCode, 201, 'the same name on one channel is another template');
  assert.equal(bound.json().template.channel_uuid, sandbox);
  const renamed = await beckon.call('PATCH', `/v1/templates/${bound.json().template.uuid}`, { body: { channel_uuid: null } });
  assert.equal(renamed.statusCode, 409);

  const smsChannel = (await beckon.call('POST', '/v1/channels', { body: { type: 'sms', provider: 'sandbox', title: 'SMS' } })).json().channel.uuid;
  const wrongType = await create(beckon, { ...ORDER, name: 'other', channel_uuid: smsChannel });
  assert.equal(wrongType.statusCode, 400);
  assert.deepEqual(wrongType.json().errors, [{ path: 'body.channel_uuid', message: 'is a sms channel but channel_type is "whatsapp"' }]);
  const missing = await create(beckon, { ...ORDER, name: 'other', channel_uuid: '01900000-0000-7000-8000-000000000000' });
  assert.equal(missing.statusCode, 404);
  assert.deepEqual(missing.json().errors, [{ path: 'body.channel_uuid', message: 'no such channel in this workspace' }]);

  // deleting the channel deletes the templates that belong to it
  assert.equal((await beckon.call('DELETE', `/v1/channels/${sandbox}`)).statusCode, 204);
  assert.equal((await beckon.call('GET', `/v1/templates/${bound.json().template.uuid}`)).statusCode, 404);
  assert.equal((await beckon.call('GET', `/v1/templates/${first.uuid}`)).statusCode, 200);
});

test('templates: another workspace neither sees nor changes them, and may use the same names', async (t) => {
  const beckon = await startBeckon({}, { worker: false });
  t.after(() => beckon.stop());
  const otherKey = await beckon.newWorkspace('other');
  const mine = (await create(beckon, ORDER)).json().template;
  assert.deepEqual((await beckon.call('GET', '/v1/templates', { key: otherKey })).json(), { templates: [], meta: { next_cursor: null } });
  for (const [method, body] of [['GET', undefined], ['PATCH', { status: 'rejected' }], ['DELETE', undefined]] as const) {
    const answer = await beckon.call(method, `/v1/templates/${mine.uuid}`, { key: otherKey, body });
    assert.equal(answer.statusCode, 404, method);
    assert.equal(answer.json().code, 'not_found');
  }
  assert.equal((await create(beckon, ORDER, otherKey)).statusCode, 201);
  const myChannel = (await beckon.call('GET', '/v1/channels')).json().channels[0].uuid;
  const foreignChannel = await create(beckon, { ...ORDER, name: 'x', channel_uuid: myChannel }, otherKey);
  assert.equal(foreignChannel.statusCode, 404, 'another workspace\'s channel does not exist for it');
  assert.deepEqual((await beckon.call('GET', `/v1/templates/${mine.uuid}`)).json().template, mine);
});

test('templates: scopes: read lists, full changes', async (t) => {
  const beckon = await startBeckon({}, { worker: false });
  t.after(() => beckon.stop());
  const readKey = (await beckon.call('POST', '/v1/api_keys', { body: { name: 'r', scopes: ['read'] } })).json().api_key.key;
  assert.equal((await beckon.call('GET', '/v1/templates', { key: readKey })).statusCode, 200);
  assert.equal((await create(beckon, ORDER, readKey)).statusCode, 403);
  assert.equal((await beckon.call('GET', '/v1/templates', { key: null })).statusCode, 401);
});
