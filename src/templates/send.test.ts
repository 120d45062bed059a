import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startBeckon } from '../../test/helpers.ts';
import { AppError } from '../errors.ts';
import { resolveTemplateSend } from './service.ts';

async function setup(t: { after: (fn: () => Promise<void>) => void }) {
  const beckon = await startBeckon({}, { worker: false });
  t.after(() => beckon.stop());
  const workspaceId = (await beckon.call('GET', '/v1/auth/me')).json().workspace.uuid as string;
  const make = async (body: Record<string, unknown>, key?: string) => {
    const answer = await beckon.call('POST', '/v1/templates', { body: { language: 'en_US', category: 'UTILITY', channel_type: 'whatsapp', ...body }, key });
    assert.equal(answer.statusCode, 201, answer.body);
    return answer.json().template.uuid as string;
  };
  return { beckon, db: beckon.runtime.deps.db, workspaceId, make };
}

async function refusal(promise: Promise<unknown>): Promise<AppError> {
  const err = await promise.then(() => undefined, (e: unknown) => e);
  assert.ok(err instanceof AppError, `expected an AppError, got ${String(err)}`);
  return err;
}

test('template send: positional values fill the body, then the header and URL buttons, in the order of `variables`', async (t) => {
  const { db, workspaceId, make } = await setup(t);
  const uuid = await make({
    name: 'order_update', body: 'Hi {{1}}, order {{2}} ships {{3}}. Thanks, {{1}}!', header: { format: 'TEXT', text: 'Order {{1}}' }, footer: 'Shop',
    buttons: [{ type: 'QUICK_REPLY', text: 'OK' }, { type: 'URL', text: 'Track', url: 'https://shop.example/t/{{1}}' }],
  });
  const template = await resolveTemplateSend(db, workspaceId, uuid, ['Ann', 'A-17', 'today', 'A-17', 'a17'], 'body.template_values');
  assert.deepEqual(template, {
    name: 'order_update', language: 'en_US', category: 'UTILITY', values: ['Ann', 'A-17', 'today'],
    renderedText: 'Hi Ann, order A-17 ships today. Thanks, Ann!',
    components: {
      body: [{ value: 'Ann' }, { value: 'A-17' }, { value: 'today' }],
      header: { format: 'text', parameters: [{ value: 'A-17' }] },
      buttons: [{ index: 1, subType: 'url', parameters: [{ value: 'a17' }] }],
    },
  });
  // the same values by label
  assert.deepEqual(await resolveTemplateSend(db, workspaceId, uuid, { 1: 'Ann', 2: 'A-17', 3: 'today', 'header.1': 'A-17', 'buttons.1.1': 'a17' }), template);

  const missing = await refusal(resolveTemplateSend(db, workspaceId, uuid, ['Ann', 'A-17'], 'body.template_values'));
  assert.equal(missing.status, 400);
  assert.equal(missing.code, 'validation_failed');
  assert.deepEqual(missing.errors, [
    { path: 'body.template_values.2', message: 'is missing: the value of {{3}} of the body' },
    { path: 'body.template_values.3', message: 'is missing: the value of {{1}} of the header' },
    { path: 'body.template_values.4', message: 'is missing: the value of {{1}} of button 2\'s URL' },
  ]);
  const extra = await refusal(resolveTemplateSend(db, workspaceId, uuid, ['a', 'b', 'c', 'd', 'e', 'f']));
  assert.deepEqual(extra.errors, [{ path: 'body.template_values.5', message: 'is one value too many: the template has 5 variables (1, 2, 3, header.1, buttons.1.1)' }]);
  const blank = await refusal(resolveTemplateSend(db, workspaceId, uuid, ['a', ' ', 'c\nd', 'd', 'e     f']));
  assert.deepEqual(blank.errors, [
    { path: 'body.template_values.1', message: 'must not be empty (the value of {{2}} of the body)' },
    { path: 'body.template_values.2', message: 'must not contain new lines, tabs or more than 4 consecutive spaces (WhatsApp refuses them in variables)' },
    { path: 'body.template_values.4', message: 'must not contain new lines, tabs or more than 4 consecutive spaces (WhatsApp refuses them in variables)' },
  ]);
});

test('template send: named values by name (a name shared by several parts is given once); unknown names are refused', async (t) => {
  const { db, workspaceId, make } = await setup(t);
  const uuid = await make({ name: 'welcome', category: 'MARKETING', body: 'Hi {{first_name}}, use {{code}}. Bye {{first_name}}', header: { format: 'TEXT', text: 'For {{first_name}}' } });
  const template = await resolveTemplateSend(db, workspaceId, uuid, { first_name: 'Ann', code: 'SAVE10' });
  assert.deepEqual(template, {
    name: 'welcome', language: 'en_US', category: 'MARKETING', values: { first_name: 'Ann', code: 'SAVE10' },
    renderedText: 'Hi Ann, use SAVE10. Bye Ann',
    components: {
      body: [{ name: 'first_name', value: 'Ann' }, { name: 'code', value: 'SAVE10' }],
      header: { format: 'text', parameters: [{ name: 'first_name', value: 'Ann' }] },
      buttons: [],
    },
  });
  assert.deepEqual(await resolveTemplateSend(db, workspaceId, uuid, ['Ann', 'SAVE10']), template, 'an array follows `variables`');
  const wrong = await refusal(resolveTemplateSend(db, workspaceId, uuid, { first_name: 'Ann', coupon: 'X' }, { paths: { values: 'body.values' } }));
  assert.deepEqual(wrong.errors, [
    { path: 'body.values.code', message: 'is missing: the value of {{code}}' },
    { path: 'body.values.coupon', message: 'is not a variable of this template (its variables: first_name, code)' },
  ]);
});

test('template send: unknown is a 404 naming template_uuid, not approved a 422, another type or channel a 400', async (t) => {
  const { beckon, db, workspaceId, make } = await setup(t);
  const unknown = await refusal(resolveTemplateSend(db, workspaceId, '01900000-0000-7000-8000-000000000000', []));
  assert.equal(unknown.status, 404);
  assert.deepEqual(unknown.errors, [{ path: 'body.template_uuid', message: 'no such template in this workspace' }]);

  const otherKey = await beckon.newWorkspace('other');
  const theirs = await make({ name: 'theirs', body: 'Hello' }, otherKey);
  assert.equal((await refusal(resolveTemplateSend(db, workspaceId, theirs, []))).status, 404, 'another workspace\'s template does not exist here');

  const pending = await make({ name: 'pending_one', body: 'Hi', status: 'rejected', status_reason: 'INVALID_FORMAT' });
  const refused = await refusal(resolveTemplateSend(db, workspaceId, pending, []));
  assert.equal(refused.status, 422);
  assert.equal(refused.code, 'template_not_approved');
  assert.equal(refused.message, 'the template "pending_one" (en_US) is rejected: INVALID_FORMAT; only approved templates can be sent (check it with the provider, then POST /v1/templates/sync or PATCH its status)');
  assert.deepEqual(refused.errors, [{ path: 'body.template_uuid', message: 'is rejected, not approved' }]);
  await beckon.call('PATCH', `/v1/templates/${pending}`, { body: { status: 'approved' } });
  assert.equal((await resolveTemplateSend(db, workspaceId, pending, [])).renderedText, 'Hi');

  const sms = await make({ name: 'sms_one', channel_type: 'sms', body: 'Code {{1}}' });
  const channel = (await beckon.call('GET', '/v1/channels')).json().channels[0];
  const mismatch = await refusal(resolveTemplateSend(db, workspaceId, sms, ['1'], { channel: { id: channel.uuid, type: 'whatsapp' } }));
  assert.deepEqual(mismatch.errors, [{ path: 'body.template_uuid', message: 'is a sms template: it cannot be sent on a whatsapp channel' }]);
  const smsTemplate = await resolveTemplateSend(db, workspaceId, sms, ['1234'], { channel: { id: 'any', type: 'sms' } });
  assert.equal(smsTemplate.components, undefined, 'components are for WhatsApp templates');

  const bound = await make({ name: 'bound', body: 'Hi', channel_uuid: channel.uuid });
  const elsewhere = await refusal(resolveTemplateSend(db, workspaceId, bound, [], { channel: { id: '01900000-0000-7000-8000-000000000001', type: 'whatsapp' } }));
  assert.deepEqual(elsewhere.errors, [{ path: 'body.template_uuid', message: `belongs to the channel ${channel.uuid}: send it from that channel (channel_uuid)` }]);
});

test('template send: Callbell\'s one-variable form takes content.text; a media header takes the send\'s link or the template\'s', async (t) => {
  const { db, workspaceId, make } = await setup(t);
  const one = await make({ name: 'one_var', body: 'Hello {{1}}, this is a template message example' });
  const filled = await resolveTemplateSend(db, workspaceId, one, [], { text: 'John Doe' });
  assert.equal(filled.renderedText, 'Hello John Doe, this is a template message example');
  assert.deepEqual(filled.values, ['John Doe']);
  assert.equal((await resolveTemplateSend(db, workspaceId, one, ['Jack'], { text: 'ignored' })).renderedText, 'Hello Jack, this is a template message example');

  const image = await make({ name: 'promo', category: 'MARKETING', body: 'New in', header: { format: 'IMAGE' } });
  const noLink = await refusal(resolveTemplateSend(db, workspaceId, image, []));
  assert.deepEqual(noLink.errors, [{ path: 'body.content.url', message: 'is required: the template has a IMAGE header (give the media\'s http(s) link, or set header.media_url on the template)' }]);
  const given = await resolveTemplateSend(db, workspaceId, image, [], { mediaUrl: 'https://cdn.example/new.jpg' });
  assert.deepEqual(given.components?.header, { format: 'image', link: 'https://cdn.example/new.jpg' });
  const doc = await make({ name: 'invoice', body: 'Your invoice', header: { format: 'DOCUMENT', media_url: 'https://cdn.example/invoice.pdf' } });
  assert.deepEqual((await resolveTemplateSend(db, workspaceId, doc, [])).components?.header, { format: 'document', link: 'https://cdn.example/invoice.pdf' });
});
