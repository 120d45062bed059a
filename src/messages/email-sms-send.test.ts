import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { LightMyRequestResponse } from 'fastify';
import { startBeckon, type TestBeckon } from '../../test/helpers.ts';
import type { OutboundMessage, ProviderAdapter } from '../providers/types.ts';
import { sendMessageTask } from './tasks.ts';

const EMAIL = { to: 'Ann@Example.com', from: 'email', type: 'text', subject: 'Your receipt', content: { text: 'Thanks for your order.' }, html: '<p>Thanks for your <b>order</b>.</p>' };

function assertProblem(res: LightMyRequestResponse, status: number, code: string, path: string): void {
  assert.equal(res.statusCode, status, res.body);
  assert.equal(res.json().code, code);
  assert.deepEqual(res.json().errors.map((e: { path: string }) => e.path), [path]);
}

async function channel(beckon: TestBeckon, type: string, key?: string): Promise<string> {
  const res = await beckon.call('POST', '/v1/channels', { key, body: { type, provider: 'sandbox', title: `Sandbox ${type}` } });
  assert.equal(res.statusCode, 201, res.body);
  return res.json().channel.uuid;
}

async function handOver(beckon: TestBeckon, messageId: string): Promise<OutboundMessage> {
  const seen: OutboundMessage[] = [];
  const recorder: ProviderAdapter = { name: 'sandbox', deduplicates: true, async send(_c, outbound) { seen.push(outbound); return { providerMessageId: `p-${messageId}` }; } };
  await sendMessageTask(beckon.runtime.deps, { sandbox: recorder })({ message_id: messageId }, { attempt: 1, maxAttempts: 10 });
  assert.equal(seen.length, 1);
  return seen[0];
}

test('email send: to an email address (contact found or created by email), subject and html stored, shown and handed to the adapter', async (t) => {
  const beckon = await startBeckon({}, { worker: false });
  t.after(() => beckon.stop());
  const emailChannel = await channel(beckon, 'email');
  const res = await beckon.call('POST', '/v1/messages/send', { body: EMAIL });
  assert.equal(res.statusCode, 200, res.body);
  const message = res.json().message;
  assert.deepEqual([message.channel, message.channel_uuid, message.to, message.from], ['email', emailChannel, 'ann@example.com', 'email']);
  assert.deepEqual(message.contact, { uuid: message.contact.uuid, phone: null, email: 'ann@example.com' });
  assert.deepEqual([message.subject, message.html, message.content], [EMAIL.subject, EMAIL.html, EMAIL.content]);

  const contact = (await beckon.call('GET', `/v1/contacts/${message.contact.uuid}`)).json().contact;
  assert.deepEqual([contact.email, contact.phone, contact.source], ['ann@example.com', null, 'api']);
  const again = await beckon.call('POST', '/v1/messages/send', { body: { ...EMAIL, to: ' ann@example.COM ', html: undefined } });
  assert.equal(again.json().message.contact.uuid, contact.uuid, 'the same contact, found by email');
  assert.equal('html' in again.json().message, false);
  assert.equal((await beckon.call('GET', `/v1/messages/${message.uuid}`)).json().message.subject, EMAIL.subject);

  const outbound = await handOver(beckon, message.uuid);
  assert.deepEqual([outbound.to, outbound.subject, outbound.html, outbound.content], ['ann@example.com', EMAIL.subject, EMAIL.html, EMAIL.content]);
  const plain = await handOver(beckon, again.json().message.uuid);
  assert.deepEqual([plain.subject, plain.html], [EMAIL.subject, undefined]);
  const whatsapp = await beckon.call('POST', '/v1/messages/send', { body: { to: '+393331234567', from: 'whatsapp', type: 'text', content: { text: 'hi' } } });
  assert.equal('subject' in whatsapp.json().message, false, 'no subject field on other channels');
});

test('email send: invalid fields are 400s naming their path; subject and html are for email only', async (t) => {
  const beckon = await startBeckon({}, { worker: false });
  t.after(() => beckon.stop());
  await channel(beckon, 'email');
  const send = (body: Record<string, unknown>) => beckon.call('POST', '/v1/messages/send', { body });
  const { subject: _s, ...noSubject } = EMAIL;
  assertProblem(await send(noSubject), 400, 'validation_failed', 'body.subject');
  assertProblem(await send({ ...EMAIL, subject: '   ' }), 400, 'validation_failed', 'body.subject');
  assertProblem(await send({ ...EMAIL, subject: 'Hi\r\nBcc: all@example.com' }), 400, 'validation_failed', 'body.subject');
  assertProblem(await send({ ...EMAIL, to: '+393331234567' }), 400, 'validation_failed', 'body.to');
  assertProblem(await send({ ...EMAIL, type: 'image', content: { url: 'https://cdn.example.com/a.png' } }), 400, 'validation_failed', 'body.type');
  assertProblem(await send({ ...EMAIL, content: {} }), 400, 'validation_failed', 'body.content.text');
  assertProblem(await send({ ...EMAIL, html: '' }), 400, 'validation_failed', 'body.html');
  const whatsapp = { to: '+393331234567', from: 'whatsapp', type: 'text', content: { text: 'hi' } };
  assertProblem(await send({ ...whatsapp, subject: 'Hi' }), 400, 'validation_failed', 'body.subject');
  assertProblem(await send({ ...whatsapp, html: '<p>hi</p>' }), 400, 'validation_failed', 'body.html');
  assert.equal((await beckon.runtime.deps.db.selectFrom('messages').select('id').execute()).length, 0);

  const long = await send({ ...EMAIL, content: { text: 'x'.repeat(20_000) } });
  assert.equal(long.statusCode, 200, 'an email body may be longer than a WhatsApp message');
});

test('sms send: from "sms" goes out on the workspace\'s SMS channel, 1600 characters at most; workspaces stay apart', async (t) => {
  const beckon = await startBeckon({}, { worker: false });
  t.after(() => beckon.stop());
  const otherKey = await beckon.newWorkspace('other');
  const sms = await channel(beckon, 'sms');
  const otherSms = await channel(beckon, 'sms', otherKey);
  const body = { to: '+1 415 555 2671', from: 'sms', type: 'text', content: { text: 'Your code is 1234' } };
  const res = await beckon.call('POST', '/v1/messages/send', { body });
  assert.equal(res.statusCode, 200, res.body);
  assert.deepEqual([res.json().message.channel, res.json().message.channel_uuid, res.json().message.to], ['sms', sms, '+14155552671']);
  assert.equal((await beckon.call('POST', '/v1/messages/send', { key: otherKey, body })).json().message.channel_uuid, otherSms);
  assert.equal((await beckon.call('POST', '/v1/messages/send', { body: { ...body, channel_uuid: otherSms } })).statusCode, 404);
  assertProblem(await beckon.call('POST', '/v1/messages/send', { body: { ...body, content: { text: 'x'.repeat(1601) } } }), 400, 'validation_failed', 'body.content.text');
  assert.equal((await beckon.call('POST', '/v1/messages/send', { body: { ...body, content: { text: 'x'.repeat(1600) } } })).statusCode, 200);
  const email = { ...EMAIL };
  assert.equal((await beckon.call('POST', '/v1/messages/send', { key: otherKey, body: email })).json().code, 'channel_unavailable', 'the other workspace has no email channel');
});
