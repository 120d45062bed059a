import { test } from 'node:test';
import assert from 'node:assert/strict';
import { waitFor } from '../../../test/helpers.ts';
import { ACCOUNT_SID, AUTH_TOKEN, FROM_NUMBER, createTwilioChannel, PUBLIC_URL, startTwilioBed, type TwilioTestBed } from './test-support.ts';

async function send(bed: TwilioTestBed, body: Record<string, unknown>): Promise<string> {
  const res = await bed.beckon.call('POST', '/v1/messages/send', { body: { from: 'sms', type: 'text', ...body } });
  assert.equal(res.statusCode, 200, res.body);
  return res.json().message.uuid;
}

async function settled(bed: TwilioTestBed, uuid: string, status: string) {
  return waitFor(`${uuid} ${status}`, async () => {
    const message = (await bed.beckon.call('GET', `/v1/messages/${uuid}`)).json().message;
    return message.status === status ? message : undefined;
  });
}

test('twilio send: POST /v1/messages/send from sms creates a Twilio Message (form, Basic auth, From, StatusCallback) and keeps its SID', async (t) => {
  const bed = await startTwilioBed(t);
  const channelId = await createTwilioChannel(bed);
  const uuid = await send(bed, { to: '+1 (415) 555-0142', content: { text: 'Your order has shipped' } });
  const message = await settled(bed, uuid, 'sent');

  assert.equal(bed.fake.calls.length, 1);
  const call = bed.fake.calls[0];
  assert.equal(call.accountSid, ACCOUNT_SID);
  assert.equal(call.authorization, `Basic ${Buffer.from(`${ACCOUNT_SID}:${AUTH_TOKEN}`).toString('base64')}`);
  assert.equal(call.contentType, 'application/x-www-form-urlencoded');
  assert.deepEqual(call.params, {
    To: '+14155550142', From: FROM_NUMBER, Body: 'Your order has shipped',
    StatusCallback: `${PUBLIC_URL}/hooks/twilio/${channelId}/status?message_uuid=${uuid}`,
  });
  const [sid] = [...bed.fake.messages.keys()];
  assert.match(sid, /^SM[0-9a-f]{32}$/);
  assert.equal(message.provider_message_id, sid);
  assert.equal(message.channel_uuid, channelId);
  assert.deepEqual(message.status_history.map((h: { status: string }) => h.status), ['enqueued', 'sent']);
});

test('twilio send: a Messaging Service picks the sender; a media message goes out as MMS with its caption', async (t) => {
  const bed = await startTwilioBed(t);
  const service = 'MG' + 'a'.repeat(32);
  await createTwilioChannel(bed, { from_number: undefined, messaging_service_sid: service });
  const uuid = await send(bed, { to: '+14155550143', type: 'image', content: { url: 'https://cdn.example.com/receipt.png', text: 'Your receipt' } });
  const message = await settled(bed, uuid, 'sent');
  assert.deepEqual({ ...bed.fake.calls[0].params, StatusCallback: undefined }, {
    To: '+14155550143', MessagingServiceSid: service, Body: 'Your receipt', MediaUrl: 'https://cdn.example.com/receipt.png', StatusCallback: undefined,
  });
  assert.match(message.provider_message_id, /^MM[0-9a-f]{32}$/);
});

test('twilio send: Twilio\'s refusals fail the message at once with their code and a reason that says what to do', async (t) => {
  const bed = await startTwilioBed(t);
  await createTwilioChannel(bed);
  const cases = [
    { to: '+15005550001', code: 'invalid_recipient', reason: 'Twilio error 21211: The \'To\' number +15005550001 is not a valid phone number.' },
    { to: '+15005550004', code: 'recipient_opted_out', reason: 'Twilio error 21610: Attempt to send to unsubscribed recipient (the recipient replied STOP; they must text START before you can message them again)' },
    { to: '+15005550009', code: 'invalid_recipient', reason: 'Twilio error 21614: \'To\' number is not a valid mobile number' },
    { to: '+15005550003', code: 'region_not_enabled', reason: 'Twilio error 21408: Permission to send an SMS has not been enabled for the region indicated by the \'To\' number: +15005550003. (enable the country in Twilio\'s Messaging geographic permissions)' },
  ];
  for (const c of cases) {
    const message = await settled(bed, await send(bed, { to: c.to, content: { text: 'hi' } }), 'failed');
    assert.deepEqual(message.error, { code: c.code, reason: c.reason }, c.to);
    assert.deepEqual(message.status_history.map((h: { status: string }) => h.status), ['enqueued', 'failed']);
    assert.equal(message.provider_message_id, null);
  }
  assert.equal(bed.fake.calls.length, cases.length, 'each was tried once: a permanent error is not retried');
});

test('twilio send: wrong credentials fail with provider_auth_failed', async (t) => {
  const bed = await startTwilioBed(t);
  await createTwilioChannel(bed, { auth_token: 'not_the_token' });
  const message = await settled(bed, await send(bed, { to: '+14155550144', content: { text: 'hi' } }), 'failed');
  assert.deepEqual(message.error, {
    code: 'provider_auth_failed',
    reason: 'Twilio error 20003: Authentication Error - invalid username (check the channel\'s account_sid and auth_token)',
  });
});

test('twilio send: a 429 pauses the channel for Retry-After and the message then goes out, without spending an attempt', async (t) => {
  const bed = await startTwilioBed(t);
  await createTwilioChannel(bed);
  bed.fake.script({ status: 429, headers: { 'retry-after': '1' }, body: { code: 20429, message: 'Too Many Requests', more_info: 'https://www.twilio.com/docs/errors/20429', status: 429 } });
  const uuid = await send(bed, { to: '+14155550145', content: { text: 'hi' } });
  const job = await waitFor('the job put back about 1 s later', async () => {
    const [row] = await bed.beckon.runtime.queue.jobs('send_message');
    return row && Date.parse(row.runAt) >= Date.parse(row.createdAt) + 900 ? row : undefined;
  });
  assert.equal(job.attempts, 0, 'a throughput pause is not a failed attempt');
  const message = await settled(bed, uuid, 'sent');
  assert.equal(bed.fake.calls.length, 2);
  assert.equal(message.error, null);
  assert.deepEqual(message.status_history.map((h: { status: string }) => h.status), ['enqueued', 'sent']);
});
