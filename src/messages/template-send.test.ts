import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { LightMyRequestResponse } from 'fastify';
import { startBeckon, type TestBeckon } from '../../test/helpers.ts';
import { newId } from '../lib/ids.ts';
import type { OutboundMessage, ProviderAdapter } from '../providers/types.ts';
import { sendMessageTask } from './tasks.ts';

const PHONE = '+393331234567';

function assertProblem(res: LightMyRequestResponse, status: number, code: string, path?: string): Record<string, unknown> {
  assert.equal(res.statusCode, status, res.body);
  assert.equal(res.json().code, code);
  if (path) assert.ok((res.json().errors ?? []).some((e: { path: string }) => e.path === path), `expected ${path} in ${res.body}`);
  return res.json();
}

async function template(beckon: TestBeckon, body: Record<string, unknown>, key?: string): Promise<string> {
  const res = await beckon.call('POST', '/v1/templates', { key, body: { language: 'en', category: 'UTILITY', channel_type: 'whatsapp', ...body } });
  assert.equal(res.statusCode, 201, res.body);
  return res.json().template.uuid;
}

async function strictChannel(beckon: TestBeckon): Promise<string> {
  const res = await beckon.call('POST', '/v1/channels', { body: { type: 'whatsapp', provider: 'sandbox', title: 'Strict', config: { strict: true } } });
  assert.equal(res.statusCode, 201, res.body);
  return res.json().channel.uuid;
}

test('template send: needs opt-in, goes out of the 24-hour window, stores the rendered body, the template and its values', async (t) => {
  const beckon = await startBeckon({}, { worker: false });
  t.after(() => beckon.stop());
  const channel = await strictChannel(beckon);
  const shipped = await template(beckon, { name: 'order_shipped', body: 'Hi {{1}}, your order {{2}} has shipped' });
  const send = { to: PHONE, from: 'whatsapp', type: 'text', channel_uuid: channel, template_uuid: shipped, template_values: ['Ann', '#42'] };

  const refused = assertProblem(await beckon.call('POST', '/v1/messages/send', { body: send }), 422, 'optin_required');
  assert.match(String(refused.detail), /^template messages need the contact's opt-in for whatsapp, and \+393331234567 has not opted in; send with "optin_contact": true if they agreed/);
  assert.equal((await beckon.runtime.deps.db.selectFrom('contacts').select('id').execute()).length, 0);

  const res = await beckon.call('POST', '/v1/messages/send', { body: { ...send, optin_contact: true } });
  assert.equal(res.statusCode, 200, res.body);
  const message = res.json().message;
  assert.deepEqual([message.content, message.template_uuid, message.template_values, message.status], [{ text: 'Hi Ann, your order #42 has shipped' }, shipped, ['Ann', '#42'], 'enqueued']);

  // the adapter gets the template as it was accepted
  const seen: OutboundMessage[] = [];
  const recorder: ProviderAdapter = { name: 'sandbox', deduplicates: true, async send(_channel, outbound) { seen.push(outbound); return { providerMessageId: 'p-1' }; } };
  await sendMessageTask(beckon.runtime.deps, { sandbox: recorder })({ message_id: message.uuid }, { attempt: 1, maxAttempts: 10 });
  assert.equal(seen.length, 1);
  assert.deepEqual(seen[0].content, { text: 'Hi Ann, your order #42 has shipped' });
  assert.deepEqual(seen[0].template, {
    name: 'order_shipped', language: 'en', category: 'UTILITY', values: ['Ann', '#42'], renderedText: 'Hi Ann, your order #42 has shipped',
    components: { body: [{ value: 'Ann' }, { value: '#42' }], buttons: [] },
  });
  assert.equal((await beckon.call('GET', `/v1/messages/${message.uuid}`)).json().message.status, 'sent');

  // a free-form message to the same contact is still outside the window
  assertProblem(await beckon.call('POST', '/v1/messages/send', { body: { to: PHONE, from: 'whatsapp', type: 'text', channel_uuid: channel, content: { text: 'hi' } } }), 422, 'outside_customer_service_window');
});

test('template send: named values, and the opt-in already on the contact is enough', async (t) => {
  const beckon = await startBeckon({}, { worker: false });
  t.after(() => beckon.stop());
  const welcome = await template(beckon, { name: 'welcome', category: 'MARKETING', body: 'Welcome {{first_name}}! Use {{code}} for 10% off' });
  await beckon.call('POST', '/v1/contacts', { body: { phone: PHONE, consent: { whatsapp: { status: 'opted_in', source: 'web_form' } } } });
  const res = await beckon.call('POST', '/v1/messages/send', {
    body: { to: PHONE, from: 'whatsapp', type: 'text', template_uuid: welcome, template_values: { first_name: 'Ann', code: 'HELLO10' } },
  });
  assert.equal(res.statusCode, 200, res.body);
  assert.deepEqual(res.json().message.content, { text: 'Welcome Ann! Use HELLO10 for 10% off' });
  assert.deepEqual(res.json().message.template_values, { first_name: 'Ann', code: 'HELLO10' });
});

test('template send: unknown, not approved, missing values, wrong channel type and stray values are refused, nothing stored', async (t) => {
  const beckon = await startBeckon({}, { worker: false });
  t.after(() => beckon.stop());
  const otherKey = await beckon.newWorkspace('other');
  const shipped = await template(beckon, { name: 'order_shipped', body: 'Hi {{1}}, your order {{2}} has shipped' });
  const pending = await template(beckon, { name: 'promo', body: 'Sale!', status: 'pending' });
  const smsOnly = await template(beckon, { name: 'sms_code', channel_type: 'sms', body: 'Your code is {{1}}' });
  const theirs = await template(beckon, { name: 'theirs', body: 'Hello' }, otherKey);
  const base = { to: PHONE, from: 'whatsapp', type: 'text', optin_contact: true };
  const send = (body: Record<string, unknown>) => beckon.call('POST', '/v1/messages/send', { body: { ...base, ...body } });

  assertProblem(await send({ template_uuid: newId() }), 404, 'not_found', 'body.template_uuid');
  assertProblem(await send({ template_uuid: theirs }), 404, 'not_found', 'body.template_uuid');
  assertProblem(await send({ template_uuid: pending }), 422, 'template_not_approved', 'body.template_uuid');
  assertProblem(await send({ template_uuid: shipped, template_values: ['Ann'] }), 400, 'validation_failed', 'body.template_values.1');
  assertProblem(await send({ template_uuid: shipped }), 400, 'validation_failed', 'body.template_values.0');
  assertProblem(await send({ template_uuid: smsOnly, template_values: ['1234'] }), 400, 'validation_failed', 'body.template_uuid');
  assertProblem(await send({ content: { text: 'hi' }, template_values: ['Ann'] }), 400, 'validation_failed', 'body.template_values');
  assertProblem(await send({ template_uuid: 'not-a-uuid' }), 400, 'validation_failed', 'body.template_uuid');
  assert.equal((await beckon.runtime.deps.db.selectFrom('messages').select('id').execute()).length, 0);
  assert.equal((await beckon.runtime.deps.db.selectFrom('contacts').select('id').execute()).length, 0);
});

test('template send: a media header takes the send\'s content.url, else the template\'s link; the message keeps the link sent', async (t) => {
  const beckon = await startBeckon({}, { worker: false });
  t.after(() => beckon.stop());
  const receipt = await template(beckon, { name: 'receipt', body: 'Here is your receipt, {{1}}', header: { format: 'DOCUMENT', media_url: 'https://cdn.example.com/default.pdf' } });
  const base = { to: PHONE, from: 'whatsapp', type: 'document', template_uuid: receipt, template_values: ['Ann'], optin_contact: true };
  const own = await beckon.call('POST', '/v1/messages/send', { body: { ...base, content: { url: 'https://cdn.example.com/r-42.pdf' } } });
  assert.equal(own.statusCode, 200, own.body);
  assert.deepEqual(own.json().message.content, { url: 'https://cdn.example.com/r-42.pdf', text: 'Here is your receipt, Ann' });
  const fallback = await beckon.call('POST', '/v1/messages/send', { body: base });
  assert.deepEqual(fallback.json().message.content, { url: 'https://cdn.example.com/default.pdf', text: 'Here is your receipt, Ann' });
  const plain = await template(beckon, { name: 'plain', body: 'Hello {{1}}' });
  const ignored = await beckon.call('POST', '/v1/messages/send', { body: { ...base, type: 'text', template_uuid: plain, content: { url: 'ftp://nowhere' } } });
  assert.equal(ignored.statusCode, 200, ignored.body);
  assert.deepEqual(ignored.json().message.content, { text: 'Hello Ann' }, 'no header: no link stored');
});
