import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GRAPH_ERRORS } from '../../../test/fakes/whatsapp-cloud.ts';
import { waitFor } from '../../../test/helpers.ts';
import { startWhatsApp } from './test-support.ts';

const CUSTOMER = '+12025550143';

test('permanent Graph errors fail the message at once with Meta\'s code, title, details and what to do', async (t) => {
  const wa = await startWhatsApp();
  t.after(() => wa.stop());
  await wa.customerWrites(CUSTOMER);
  const cases = [
    {
      answer: GRAPH_ERRORS.reEngagement(),
      error: { code: '131047', reason: 'Re-engagement message (131047): Message failed to send because more than 24 hours have passed since the customer last replied to this number: more than 24 hours have passed since the customer last wrote: send an approved template instead (template_uuid)' },
    },
    {
      answer: GRAPH_ERRORS.undeliverable(),
      error: { code: '131026', reason: 'Message Undeliverable (131026): the recipient cannot receive it: the number has no WhatsApp account, runs an old version, or has not accepted the latest terms' },
    },
    {
      answer: GRAPH_ERRORS.invalidParameter('Recipient phone number not valid'),
      error: { code: '100', reason: 'Invalid parameter (100): Recipient phone number not valid' },
    },
    {
      answer: GRAPH_ERRORS.tokenExpired(),
      error: { code: '190', reason: 'Error validating access token: Session has expired on Tuesday, 01-Jul-25 10:00:00 PDT. (190): the channel\'s access_token is invalid, expired or lacks the whatsapp_business_messaging permission: set a new one with PATCH /v1/channels/:uuid (a System User token does not expire)' },
    },
    { answer: { status: 403, body: 'Forbidden' }, error: { code: 'provider_rejected', reason: 'WhatsApp Cloud API answered HTTP 403' } },
  ];
  for (const c of cases) {
    wa.fake.script(CUSTOMER, c.answer);
    const message = await wa.sendAndSettle({ to: CUSTOMER, type: 'text', content: { text: 'hello' } });
    assert.equal(message.status, 'failed');
    assert.deepEqual(message.error, c.error);
    assert.equal(message.provider_message_id, null);
  }
  assert.equal(wa.fake.sends.length, cases.length, 'each was tried once');
});

test('the throughput error (130429) and 5xx errors are retried until WhatsApp accepts the message', async (t) => {
  const wa = await startWhatsApp();
  t.after(() => wa.stop());
  await wa.customerWrites(CUSTOMER);
  wa.fake.script(CUSTOMER, GRAPH_ERRORS.throughput(), GRAPH_ERRORS.somethingWrong());
  const message = await wa.sendAndSettle({ to: CUSTOMER, type: 'text', content: { text: 'eventually' } });
  assert.equal(message.status, 'sent');
  assert.match(message.provider_message_id, /^wamid\./);
  assert.deepEqual(message.status_history.map((h: { status: string }) => h.status), ['enqueued', 'sent']);
  assert.equal(wa.fake.sends.length, 3);
  assert.deepEqual(wa.fake.sends.map((s) => s.body.text.body), ['eventually', 'eventually', 'eventually']);
});

test('an unreachable Graph API is retried (the message stays enqueued, the job keeps the reason)', async (t) => {
  const wa = await startWhatsApp();
  t.after(() => wa.stop());
  await wa.customerWrites(CUSTOMER);
  await wa.fake.stop();
  const res = await wa.beckon.call('POST', '/v1/messages/send', { body: { from: 'whatsapp', channel_uuid: wa.channelId, to: CUSTOMER, type: 'text', content: { text: 'anyone?' } } });
  assert.equal(res.statusCode, 200);
  const job = await waitFor('the send job to fail once', async () => {
    const [row] = await wa.beckon.runtime.queue.jobs('send_message');
    return row && row.attempts >= 1 && row.lastError ? row : undefined;
  });
  assert.equal(job.failed, false);
  assert.match(job.lastError!, /WhatsApp Cloud API did not answer \(127\.0\.0\.1:\d+\): ECONNREFUSED/);
  const message = (await wa.beckon.call('GET', `/v1/messages/${res.json().message.uuid}`)).json().message;
  assert.equal(message.status, 'enqueued');
  await wa.fake.start().catch(() => undefined);
});
