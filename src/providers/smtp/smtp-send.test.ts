import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { decodeWords, startFakeSmtp, type FakeSmtp } from '../../../test/fakes/smtp.ts';
import { startBeckon, waitFor, type TestBeckon } from '../../../test/helpers.ts';

// Email through the API: POST /v1/channels (smtp) and POST /v1/messages/send (from: "email"), delivered by the worker
// to a real SMTP server.

let beckon: TestBeckon;
let fake: FakeSmtp;
let channelUuid: string;

before(async () => {
  [beckon, fake] = await Promise.all([startBeckon(), startFakeSmtp({ auth: { username: 'mailer@shop.test', password: 'correct horse battery' } })]);
  const created = await beckon.call('POST', '/v1/channels', {
    body: {
      type: 'email', provider: 'smtp', title: 'Shop email',
      config: { host: '127.0.0.1', port: fake.port, secure: false, username: 'mailer@shop.test', password: 'correct horse battery', from_email: 'hello@shop.test', from_name: 'The Shop' },
    },
  });
  assert.equal(created.statusCode, 201, created.body);
  channelUuid = created.json().channel.uuid;
});
after(async () => {
  await beckon.stop();
  await fake.close();
});

async function send(body: Record<string, unknown>, key?: string) {
  return beckon.call('POST', '/v1/messages/send', { body: { from: 'email', type: 'text', subject: 'Hello', content: { text: 'Hello' }, ...body }, key });
}

/** Waits until the message leaves `enqueued`, and returns it. */
async function settled(uuid: string) {
  return waitFor(`message ${uuid} to be sent or failed`, async () => {
    const message = (await beckon.call('GET', `/v1/messages/${uuid}`)).json().message;
    return message.status === 'enqueued' ? undefined : message;
  }, 20_000);
}

test('an email sent through the API reaches the SMTP server with its subject, bodies and Message-ID, and is `sent`', async () => {
  const response = await send({ to: 'Alice@Example.com', subject: 'Your order has shipped', content: { text: 'Hello Alice,\nit shipped.' }, html: '<p>Hello Alice, it <b>shipped</b>.</p>' });
  assert.equal(response.statusCode, 200, response.body);
  const uuid = response.json().message.uuid;

  const message = await settled(uuid);
  assert.equal(message.status, 'sent');
  assert.deepEqual(message.status_history.map((h: { status: string }) => h.status), ['enqueued', 'sent']);
  assert.equal(message.provider_message_id, `${uuid}@shop.test`);
  assert.equal(message.error, null);
  assert.equal(message.channel_uuid, channelUuid);

  const mail = fake.mails.find((m) => m.headers.get('message-id')?.[0] === `<${uuid}@shop.test>`)!;
  assert.ok(mail, 'the server received the message');
  assert.equal(mail.user, 'mailer@shop.test', 'logged in with the channel\'s decrypted password');
  assert.equal(mail.mailFrom, 'hello@shop.test');
  assert.deepEqual(mail.rcptTo, ['alice@example.com']);
  assert.equal(decodeWords(mail.headers.get('from')![0]), 'The Shop <hello@shop.test>');
  assert.deepEqual(mail.headers.get('to'), ['alice@example.com']);
  assert.deepEqual(mail.headers.get('subject'), ['Your order has shipped']);
  assert.equal(mail.headers.has('list-unsubscribe'), false, 'a transactional email has no unsubscribe header');
  assert.deepEqual(mail.parts, [
    { contentType: 'text/plain; charset=utf-8', body: 'Hello Alice,\nit shipped.' },
    { contentType: 'text/html; charset=utf-8', body: '<p>Hello Alice, it <b>shipped</b>.</p>' },
  ]);
});

test('a recipient the server refuses with 550 fails the message with the SMTP code and text, without retrying', async () => {
  fake.script.rcpt = (address) => (address === 'gone@example.com' ? { code: 550, text: '5.1.1 <gone@example.com>: Recipient address rejected: User unknown in virtual mailbox table' } : undefined);
  try {
    const uuid = (await send({ to: 'gone@example.com' })).json().message.uuid;
    const message = await settled(uuid);
    assert.equal(message.status, 'failed');
    assert.deepEqual(message.status_history.map((h: { status: string }) => h.status), ['enqueued', 'failed']);
    assert.deepEqual(message.error, {
      code: 'smtp_550',
      reason: `the SMTP server 127.0.0.1:${fake.port} answered 550 5.1.1 <gone@example.com>: Recipient address rejected: User unknown in virtual mailbox table (answer to RCPT TO)`,
    });
    assert.equal(message.provider_message_id, null);
  } finally {
    fake.script.rcpt = undefined;
  }
});

test('a 451 is retried with backoff and the message goes out once, `sent`, with the same Message-ID', async () => {
  fake.script.data.push({ code: 451, text: '4.7.1 Greylisted, please try again later' });
  const uuid = (await send({ to: 'bob@example.com', subject: 'Retry me' })).json().message.uuid;

  const message = await settled(uuid);
  assert.equal(message.status, 'sent');
  assert.deepEqual(message.status_history.map((h: { status: string }) => h.status), ['enqueued', 'sent']);
  assert.equal(message.provider_message_id, `${uuid}@shop.test`);
  const ids = (mails: typeof fake.mails) => mails.filter((m) => m.rcptTo[0] === 'bob@example.com').map((m) => m.headers.get('message-id')![0]);
  assert.deepEqual(ids(fake.refused), [`<${uuid}@shop.test>`]);
  assert.deepEqual(ids(fake.mails), [`<${uuid}@shop.test>`]);
});

test('another workspace can neither send on this channel nor see the emails', async () => {
  const otherKey = await beckon.newWorkspace('other');
  const onOurs = await send({ to: 'carol@example.com', channel_uuid: channelUuid }, otherKey);
  assert.equal(onOurs.statusCode, 404);
  assert.deepEqual(onOurs.json().errors, [{ path: 'body.channel_uuid', message: 'no such channel in this workspace' }]);
  const noChannel = await send({ to: 'carol@example.com' }, otherKey);
  assert.equal(noChannel.statusCode, 422);
  assert.equal(noChannel.json().code, 'channel_unavailable');
  const listed = await beckon.call('GET', '/v1/messages', { key: otherKey });
  assert.deepEqual(listed.json().messages, []);
  assert.equal(fake.mails.some((m) => m.rcptTo.includes('carol@example.com')), false);
});
