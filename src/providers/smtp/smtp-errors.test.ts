import assert from 'node:assert/strict';
import { createServer, type AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { startFakeSmtp, type FakeSmtp } from '../../../test/fakes/smtp.ts';
import { ProviderError, type OutboundMessage, type ProviderChannel } from '../types.ts';
import { createSmtpProvider } from './test-support.ts';
import { classifySmtpError } from './errors.ts';

// How the SMTP adapter reads a server's refusals: 5yz is permanent, 4yz and connection failures are retried.

let fake: FakeSmtp;
let authFake: FakeSmtp;
const smtp = createSmtpProvider();

before(async () => {
  fake = await startFakeSmtp();
  authFake = await startFakeSmtp({ auth: { username: 'mailer', password: 's3cret' } });
});
after(async () => {
  await smtp.close?.();
  await Promise.all([fake.close(), authFake.close()]);
});

function channel(config: Record<string, unknown> = {}, id = 'chan-email-err'): ProviderChannel {
  return { id, workspaceId: 'ws-1', type: 'email', provider: 'smtp', config: { host: '127.0.0.1', port: fake.port, from_email: 'news@acme.test', ...config } };
}

function email(key: string, to = 'alice@example.com'): OutboundMessage {
  return { id: key, idempotencyKey: key, to, type: 'text', content: { text: 'Hello' }, metadata: null, createdAt: '2026-01-02T03:04:05.000Z', subject: 'Hello' };
}

/** Asserts that `promise` rejects with exactly this ProviderError. */
async function rejectsWith(promise: Promise<unknown>, expected: { code: string; retryable: boolean; message: string | RegExp }): Promise<void> {
  await assert.rejects(promise, (err: unknown) => {
    assert.ok(err instanceof ProviderError, `not a ProviderError: ${String(err)}`);
    assert.deepEqual([err.code, err.retryable], [expected.code, expected.retryable]);
    if (typeof expected.message === 'string') assert.equal(err.message, expected.message);
    else assert.match(err.message, expected.message);
    return true;
  });
}

test('a recipient refused with 550 fails for good with the SMTP code and the server\'s text', async () => {
  fake.script.rcpt = (address) => (address === 'nobody@example.com' ? { code: 550, text: '5.1.1 <nobody@example.com>: Recipient address rejected: User unknown' } : undefined);
  await rejectsWith(smtp.send(channel(), email('k-550', 'nobody@example.com')), {
    code: 'smtp_550', retryable: false,
    message: `the SMTP server 127.0.0.1:${fake.port} answered 550 5.1.1 <nobody@example.com>: Recipient address rejected: User unknown (answer to RCPT TO)`,
  });
  assert.equal(fake.mails.some((m) => m.rcptTo.includes('nobody@example.com')), false);
  // the pooled connection is still good for the next message
  await smtp.send(channel(), email('k-after-550'));
  assert.deepEqual(fake.mails.at(-1)!.headers.get('message-id'), ['<k-after-550@acme.test>']);
  fake.script.rcpt = undefined;
});

test('a message refused after DATA with 554 fails for good', async () => {
  fake.script.data.push({ code: 554, text: '5.7.1 Message rejected as spam' });
  await rejectsWith(smtp.send(channel(), email('k-554')), {
    code: 'smtp_554', retryable: false, message: `the SMTP server 127.0.0.1:${fake.port} answered 554 5.7.1 Message rejected as spam (answer to DATA)`,
  });
});

test('451 is temporary: retryable, and the retry goes through with the same Message-ID', async () => {
  const accepted = fake.mails.length;
  fake.script.data.push({ code: 451, text: '4.3.0 Temporary local problem, try again later' });
  await rejectsWith(smtp.send(channel(), email('k-451')), {
    code: 'smtp_451', retryable: true, message: `the SMTP server 127.0.0.1:${fake.port} answered 451 4.3.0 Temporary local problem, try again later (answer to DATA)`,
  });
  const result = await smtp.send(channel(), email('k-451'));

  assert.deepEqual(result, { providerMessageId: 'k-451@acme.test' });
  assert.equal(fake.mails.length, accepted + 1);
  assert.deepEqual(fake.refused.at(-1)!.headers.get('message-id'), ['<k-451@acme.test>']);
  assert.deepEqual(fake.mails.at(-1)!.headers.get('message-id'), ['<k-451@acme.test>']);
});

test('a 421 greeting (server busy) is retryable', async () => {
  fake.script.greeting = () => ({ code: 421, text: '4.3.2 Too many connections, try again later' });
  try {
    await rejectsWith(smtp.send(channel({}, 'chan-email-busy'), email('k-421')), {
      code: 'smtp_421', retryable: true, message: /^the SMTP server 127\.0\.0\.1:\d+ answered 421 4\.3\.2 Too many connections, try again later/,
    });
  } finally {
    fake.script.greeting = undefined;
  }
});

test('a refused connection is retryable: smtp_connection_failed', async () => {
  const closed = createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  const port = (closed.address() as AddressInfo).port;
  await new Promise<void>((resolve) => closed.close(() => resolve()));
  await rejectsWith(smtp.send(channel({ port }, 'chan-email-down'), email('k-down')), {
    code: 'smtp_connection_failed', retryable: true, message: `could not deliver to the SMTP server 127.0.0.1:${port}: connect ECONNREFUSED 127.0.0.1:${port} (ESOCKET/ECONNREFUSED)`,
  });
});

test('the channel\'s username and password log in; wrong ones fail for good with a reason that says what to fix', async () => {
  await smtp.send(channel({ port: authFake.port, username: 'mailer', password: 's3cret' }, 'chan-email-auth'), email('k-auth'));
  assert.equal(authFake.mails.at(-1)!.user, 'mailer');

  await rejectsWith(smtp.send(channel({ port: authFake.port, username: 'mailer', password: 'wrong' }, 'chan-email-auth'), email('k-auth-bad')), {
    code: 'smtp_535', retryable: false,
    message: `the SMTP server 127.0.0.1:${authFake.port} refused the channel's username and password: 535 5.7.8 Authentication credentials invalid (answer to AUTH PLAIN); fix them in the channel settings`,
  });
  assert.equal(authFake.mails.length, 1);
});

test('a channel config that cannot work fails for good, naming the settings', async () => {
  await rejectsWith(smtp.send({ ...channel(), config: { host: '127.0.0.1', port: 'twenty-five', username: 'mailer' } }, email('k-conf')), {
    code: 'channel_misconfigured', retryable: false,
    message: 'the SMTP channel\'s settings are invalid: config.port must be an integer from 1 to 65535; config.password is required with a username; '
      + 'config.from_email is required: the sender address, such as support@example.com',
  });
});

test('classification of nodemailer errors without a live server', () => {
  const classify = (err: object) => {
    const e = classifySmtpError(Object.assign(new Error('boom'), err), 'smtp.acme.test:587');
    return [e.code, e.retryable];
  };
  // 503 (bad sequence of commands) is a session state problem, not a refusal of the message
  assert.deepEqual(classify({ code: 'EENVELOPE', responseCode: 503, response: '503 5.5.1 Error: need MAIL command', command: 'RCPT TO' }), ['smtp_503', true]);
  assert.deepEqual(classify({ code: 'EMESSAGE', responseCode: 552, response: '552 5.3.4 Message size exceeds fixed limit', command: 'DATA' }), ['smtp_552', false]);
  assert.deepEqual(classify({ code: 'EENVELOPE', responseCode: 450, response: '450 4.2.1 Mailbox busy', command: 'RCPT TO' }), ['smtp_450', true]);
  assert.deepEqual(classify({ code: 'ETIMEDOUT' }), ['smtp_connection_failed', true]);
  assert.deepEqual(classify({ code: 'ETLS' }), ['smtp_connection_failed', true]);
  assert.deepEqual(classify({ code: 'EABORT' }), ['smtp_connection_failed', true]);
  assert.deepEqual(classify({ code: 'ENOAUTH' }), ['channel_misconfigured', false]);
  assert.deepEqual(classify({}), ['smtp_error', true]);
  // the reason never carries a command's arguments (AUTH PLAIN's are the credentials)
  const auth = classifySmtpError(Object.assign(new Error('x'), { code: 'EAUTH', responseCode: 535, response: '535 5.7.8 no', command: 'AUTH PLAIN AG1haWxlcgBzM2NyZXQ=' }), 'h:1');
  assert.equal(auth.message, 'the SMTP server h:1 refused the channel\'s username and password: 535 5.7.8 no (answer to AUTH PLAIN); fix them in the channel settings');
});
