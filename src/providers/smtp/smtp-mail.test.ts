import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { decodeWords, startFakeSmtp, type FakeSmtp } from '../../../test/fakes/smtp.ts';
import { waitFor } from '../../../test/helpers.ts';
import { ProviderError, type OutboundMessage, type ProviderChannel } from '../types.ts';
import { createSmtpProvider } from './test-support.ts';
import { poolOptions } from './transports.ts';

// What the SMTP adapter puts on the wire, read back from a real SMTP server (smtp-server) as a mail client would.

let fake: FakeSmtp;
const smtp = createSmtpProvider();

before(async () => {
  fake = await startFakeSmtp();
});
after(async () => {
  await smtp.close?.();
  await fake.close();
});

function channel(config: Record<string, unknown> = {}): ProviderChannel {
  return {
    id: 'chan-email-1', workspaceId: 'ws-1', type: 'email', provider: 'smtp',
    config: { host: '127.0.0.1', port: fake.port, secure: false, from_email: 'support@acme.test', from_name: 'Acme Café Support', ...config },
  };
}

function email(fields: Partial<OutboundMessage> = {}): OutboundMessage {
  return {
    id: '01970000-0000-7000-8000-000000000001', idempotencyKey: '01970000-0000-7000-8000-000000000001', to: 'alice@example.com',
    type: 'text', content: { text: 'Hello Alice' }, metadata: null, createdAt: '2026-01-02T03:04:05.000Z', subject: 'Hello', ...fields,
  };
}

const RFC5322_DATE = /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{1,2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} \+0000$/;

test('text and HTML bodies, subject, sender name, Message-ID and one-click List-Unsubscribe (RFC 8058)', async () => {
  const text = 'Hello Alice,\nyour order #1042 has shipped: Ünïcödé ✓, and this line is long enough that quoted-printable has to wrap it somewhere.\n\n— Acme';
  const html = '<p>Hello <b>Alice</b>,</p><p>your order #1042 has shipped ✓</p>';
  const result = await smtp.send(channel(), email({
    idempotencyKey: '01970000-0000-7000-8000-00000000aaaa', to: 'alice@example.com', content: { text },
    subject: 'Your order ✓ has shipped', html, unsubscribeUrl: 'https://acme.test/unsubscribe/tok_123?list=news',
  }));

  assert.deepEqual(result, { providerMessageId: '01970000-0000-7000-8000-00000000aaaa@acme.test' });
  const mail = fake.mails.at(-1)!;
  assert.equal(mail.mailFrom, 'support@acme.test');
  assert.deepEqual(mail.rcptTo, ['alice@example.com']);
  assert.deepEqual([...mail.headers.keys()].sort(), [
    'content-type', 'date', 'from', 'list-unsubscribe', 'list-unsubscribe-post', 'message-id', 'mime-version', 'subject', 'to',
  ]);
  const header = (name: string) => mail.headers.get(name)!;
  assert.deepEqual(header('from'), ['=?UTF-8?Q?Acme_Caf=C3=A9_Support?= <support@acme.test>']);
  assert.equal(decodeWords(header('from')[0]), 'Acme Café Support <support@acme.test>');
  assert.deepEqual(header('to'), ['alice@example.com']);
  assert.equal(decodeWords(header('subject')[0]), 'Your order ✓ has shipped');
  assert.deepEqual(header('message-id'), ['<01970000-0000-7000-8000-00000000aaaa@acme.test>']);
  assert.deepEqual(header('list-unsubscribe'), ['<https://acme.test/unsubscribe/tok_123?list=news>']);
  assert.deepEqual(header('list-unsubscribe-post'), ['List-Unsubscribe=One-Click']);
  assert.deepEqual(header('mime-version'), ['1.0']);
  assert.match(header('date')[0], RFC5322_DATE);
  assert.match(header('content-type')[0], /^multipart\/alternative; boundary="[^"]+"$/);
  assert.deepEqual(mail.parts, [
    { contentType: 'text/plain; charset=utf-8', body: text },
    { contentType: 'text/html; charset=utf-8', body: html },
  ]);
});

test('a plain-text email without unsubscribe link: one text/plain part, no List-* headers, the bare address as sender', async () => {
  const result = await smtp.send(channel({ from_name: undefined }), email({
    idempotencyKey: '01970000-0000-7000-8000-00000000bbbb', to: 'bob@example.org', content: { text: 'Your code is 123456' }, subject: 'Your code',
  }));

  assert.deepEqual(result, { providerMessageId: '01970000-0000-7000-8000-00000000bbbb@acme.test' });
  const mail = fake.mails.at(-1)!;
  assert.deepEqual(mail.rcptTo, ['bob@example.org']);
  assert.deepEqual([...mail.headers.keys()].sort(), ['content-transfer-encoding', 'content-type', 'date', 'from', 'message-id', 'mime-version', 'subject', 'to']);
  assert.deepEqual(mail.headers.get('from'), ['support@acme.test']);
  assert.deepEqual(mail.headers.get('subject'), ['Your code']);
  assert.deepEqual(mail.headers.get('content-type'), ['text/plain; charset=utf-8']);
  assert.deepEqual(mail.parts, [{ contentType: 'text/plain; charset=utf-8', body: 'Your code is 123456' }]);
});

test('a mailto: unsubscribe link gets List-Unsubscribe but no List-Unsubscribe-Post (one-click needs https)', async () => {
  await smtp.send(channel(), email({ idempotencyKey: '01970000-0000-7000-8000-00000000cccc', unsubscribeUrl: 'mailto:unsubscribe@acme.test?subject=unsubscribe%20tok_9' }));

  const mail = fake.mails.at(-1)!;
  assert.deepEqual(mail.headers.get('list-unsubscribe'), ['<mailto:unsubscribe@acme.test?subject=unsubscribe%20tok_9>']);
  assert.equal(mail.headers.has('list-unsubscribe-post'), false);
});

test('an unsubscribe link that is neither https nor mailto is refused for good, and nothing is sent', async () => {
  const before = fake.mails.length;
  await assert.rejects(smtp.send(channel(), email({ unsubscribeUrl: 'javascript:alert(1)' })), (err: ProviderError) => {
    assert.ok(err instanceof ProviderError);
    assert.deepEqual([err.code, err.retryable, err.message], ['invalid_unsubscribe_url', false, 'the unsubscribe link "javascript:alert(1)" is neither an https URL nor a mailto: address']);
    return true;
  });
  assert.equal(fake.mails.length, before);
});

test('a line break in the subject cannot add a header, and only the one recipient is in the envelope', async () => {
  await smtp.send(channel(), email({ idempotencyKey: '01970000-0000-7000-8000-00000000dddd', subject: 'Hi\r\nBcc: eve@evil.test' }));

  const mail = fake.mails.at(-1)!;
  assert.deepEqual(mail.rcptTo, ['alice@example.com']);
  assert.equal(mail.headers.has('bcc'), false);
  assert.equal(decodeWords(mail.headers.get('subject')![0]), 'Hi Bcc: eve@evil.test');
});

test('a recipient that is not one email address (a list, a display name) is refused for good', async () => {
  const before = fake.mails.length;
  for (const to of ['alice@example.com, eve@evil.test', 'Eve <eve@evil.test>', 'not-an-address']) {
    await assert.rejects(smtp.send(channel(), email({ to })), (err: ProviderError) => {
      assert.deepEqual([err.code, err.retryable, err.message], ['invalid_recipient', false, `"${to}" is not an email address`]);
      return true;
    });
  }
  assert.equal(fake.mails.length, before);
});

test('a non-text message is refused for good: email carries text and HTML bodies only', async () => {
  await assert.rejects(smtp.send(channel(), email({ type: 'image', content: { url: 'https://acme.test/a.png' } })), (err: ProviderError) => {
    assert.deepEqual([err.code, err.retryable], ['unsupported_message_type', false]);
    return true;
  });
});

test('one pool per channel: sends reuse its connection; new settings open a new pool; close() ends every connection', async () => {
  const provider = createSmtpProvider();
  const connectionsBefore = fake.connections;
  await provider.send(channel(), email({ idempotencyKey: 'pool-1' }));
  await provider.send(channel(), email({ idempotencyKey: 'pool-2' }));
  assert.equal(fake.connections - connectionsBefore, 1);
  assert.equal(provider.transports.size, 1);

  await provider.send(channel({ from_name: 'Renamed' }), email({ idempotencyKey: 'pool-3' }));
  assert.equal(fake.connections - connectionsBefore, 1, 'the sender name is not a connection setting');
  const other = await startFakeSmtp();
  await provider.send(channel({ port: other.port }), email({ idempotencyKey: 'pool-4' }));
  assert.deepEqual([fake.connections - connectionsBefore, other.connections], [1, 1], 'another server: a new pool');
  await waitFor('the old pool to close', async () => fake.openSessions <= 1); // the module's own provider keeps one
  assert.equal(provider.transports.size, 1);

  await provider.close?.();
  assert.equal(provider.transports.size, 0);
  await waitFor('the pooled connection to close', async () => other.openSessions === 0);
  await other.close();
  await smtp.close?.();
  await waitFor('every connection to close', async () => fake.openSessions === 0);
});

test('credentials never cross a network in clear: STARTTLS is required with a username unless the server is on loopback', () => {
  const base = { port: 587, secure: false, password: 'p', fromEmail: 'a@acme.test', fromName: null };
  const requireTLS = (host: string, username: string | null, secure = false) => poolOptions({ ...base, host, username, secure }).requireTLS;
  assert.equal(requireTLS('smtp.acme.test', 'mailer'), true);
  assert.equal(requireTLS('smtp.acme.test', 'mailer', true), false, 'implicit TLS already encrypts');
  assert.equal(requireTLS('smtp.acme.test', null), false, 'no credentials to protect: STARTTLS when offered');
  assert.equal(requireTLS('127.0.0.1', 'mailer'), false);
  assert.equal(requireTLS('localhost', 'mailer'), false);
});
