import { test } from 'node:test';
import assert from 'node:assert/strict';
import { postToBeckon } from '../../../test/fakes/twilio.ts';
import { waitFor } from '../../../test/helpers.ts';
import { messageTasks, SEND_MESSAGE_TASK } from '../../messages/tasks.ts';
import { createTwilioChannel, OTHER_ACCOUNT_SID, OTHER_AUTH_TOKEN, startTwilioBed, type TwilioTestBed } from './test-support.ts';

async function sendSms(bed: TwilioTestBed, to: string, key?: string): Promise<string> {
  const res = await bed.beckon.call('POST', '/v1/messages/send', { key, body: { to, from: 'sms', type: 'text', content: { text: 'Your code is 4821' } } });
  assert.equal(res.statusCode, 200, res.body);
  return res.json().message.uuid;
}

async function message(bed: TwilioTestBed, uuid: string, key?: string) {
  return (await bed.beckon.call('GET', `/v1/messages/${uuid}`, { key })).json().message;
}

async function sentSid(bed: TwilioTestBed, uuid: string, key?: string): Promise<string> {
  return waitFor(`${uuid} sent`, async () => {
    const m = await message(bed, uuid, key);
    return m.status === 'sent' ? m.provider_message_id as string : undefined;
  });
}

async function statusEvents(bed: TwilioTestBed, uuid: string): Promise<string[]> {
  const rows = await bed.beckon.runtime.deps.db.selectFrom('events').select('payload').where('type', '=', 'message_status_updated').orderBy('id').execute();
  return rows.map((r) => JSON.parse(r.payload)).filter((p) => p.uuid === uuid).map((p) => p.status);
}

test('twilio status: callbacks move the message forward once each; repeats, late and intermediate statuses are absorbed', async (t) => {
  const bed = await startTwilioBed(t);
  await createTwilioChannel(bed);
  const uuid = await sendSms(bed, '+14155550160');
  const sid = await sentSid(bed, uuid);

  for (const status of ['queued', 'sending', 'sent']) {
    const res = await postToBeckon(bed.beckon, bed.fake.statusCallback(sid, status));
    assert.equal(res.statusCode, 204, res.body);
    assert.equal(res.body, '');
  }
  assert.equal((await postToBeckon(bed.beckon, bed.fake.statusCallback(sid, 'delivered'))).statusCode, 204);
  assert.equal((await postToBeckon(bed.beckon, bed.fake.statusCallback(sid, 'delivered'))).statusCode, 204);
  assert.equal((await postToBeckon(bed.beckon, bed.fake.statusCallback(sid, 'sent'))).statusCode, 204);

  const delivered = await message(bed, uuid);
  assert.equal(delivered.status, 'delivered');
  assert.deepEqual(delivered.status_history.map((h: { status: string }) => h.status), ['enqueued', 'sent', 'delivered']);
  assert.deepEqual(await statusEvents(bed, uuid), ['sent', 'delivered'], 'one message_status_updated per change');

  assert.equal((await postToBeckon(bed.beckon, bed.fake.statusCallback(sid, 'read'))).statusCode, 204);
  assert.equal((await message(bed, uuid)).status, 'read');
});

test('twilio status: undelivered and failed carry Twilio\'s ErrorCode, mapped, with its meaning', async (t) => {
  const bed = await startTwilioBed(t);
  await createTwilioChannel(bed);
  const cases = [
    { status: 'undelivered', code: '30003', error: { code: 'recipient_unreachable', reason: 'Twilio error 30003: Unreachable destination handset' } },
    { status: 'failed', code: '30007', error: { code: 'carrier_filtered', reason: 'Twilio error 30007: Message filtered by the carrier (review the content and register the sender (A2P 10DLC / toll-free verification))' } },
    { status: 'undelivered', code: '30999', error: { code: 'twilio_30999', reason: 'Twilio error 30999: see https://www.twilio.com/docs/api/errors/30999' } },
  ];
  for (const c of cases) {
    const uuid = await sendSms(bed, '+14155550161');
    const sid = await sentSid(bed, uuid);
    assert.equal((await postToBeckon(bed.beckon, bed.fake.statusCallback(sid, c.status, c.code))).statusCode, 204);
    const failed = await message(bed, uuid);
    assert.equal(failed.status, 'failed');
    assert.deepEqual(failed.error, c.error);
    assert.equal((await postToBeckon(bed.beckon, bed.fake.statusCallback(sid, 'delivered'))).statusCode, 204);
    assert.equal((await message(bed, uuid)).status, 'failed', 'failed is final');
  }
});

test('twilio status: a callback that arrives before `sent` is recorded finds the message by its uuid; the send job then does nothing', async (t) => {
  const bed = await startTwilioBed(t, { worker: false });
  await createTwilioChannel(bed);
  const uuid = await sendSms(bed, '+14155550162');
  // the provider call happens, but the worker "crashes" before recording sent: Twilio's callback comes first
  const { buildProviders } = await import('../index.ts');
  const { findMessageById } = await import('../../messages/queries.ts');
  const { providerChannel } = await import('../../channels/secrets.ts');
  const { findChannelById } = await import('../../channels/queries.ts');
  const deps = bed.beckon.runtime.deps;
  const row = (await findMessageById(deps.db, uuid))!;
  const channel = providerChannel(deps.secrets, (await findChannelById(deps.db, row.channel_id))!);
  const { providerMessageId: sid } = await buildProviders(deps).twilio.send(channel, {
    id: uuid, idempotencyKey: uuid, to: row.address!, type: 'text', content: { text: 'Your code is 4821' }, metadata: null, createdAt: row.created_at,
  });
  assert.equal((await postToBeckon(bed.beckon, bed.fake.statusCallback(sid, 'delivered'))).statusCode, 204);
  const early = await message(bed, uuid);
  assert.equal(early.status, 'delivered');
  assert.equal(early.provider_message_id, sid);

  await messageTasks(deps)[SEND_MESSAGE_TASK]({ message_id: uuid }, { attempt: 1, maxAttempts: 10 });
  assert.equal(bed.fake.calls.length, 1, 'not sent again');
  assert.deepEqual((await message(bed, uuid)).status_history.map((h: { status: string }) => h.status), ['enqueued', 'delivered']);
});

test('twilio status: a callback only reaches messages of its own channel; refused callbacks change nothing', async (t) => {
  const bed = await startTwilioBed(t);
  await createTwilioChannel(bed);
  const otherKey = await bed.beckon.newWorkspace('other');
  const otherChannel = await createTwilioChannel(bed, { account_sid: OTHER_ACCOUNT_SID, auth_token: OTHER_AUTH_TOKEN }, { key: otherKey });
  const uuid = await sendSms(bed, '+14155550163');
  const sid = await sentSid(bed, uuid);
  const otherUuid = await sendSms(bed, '+14155550164', otherKey);
  const otherSid = await sentSid(bed, otherUuid, otherKey);

  // the other workspace's channel, correctly signed by its account, naming this workspace's message: nothing happens
  const genuine = bed.fake.statusCallback(otherSid, 'delivered');
  const forged = { ...genuine, url: genuine.url.replace(otherUuid, uuid), params: { ...genuine.params, MessageSid: sid, SmsSid: sid } };
  const { getExpectedTwilioSignature } = await import('twilio/lib/webhooks/webhooks.js');
  forged.signature = getExpectedTwilioSignature(OTHER_AUTH_TOKEN, forged.url, forged.params);
  assert.ok(forged.url.includes(`/hooks/twilio/${otherChannel}/status`));
  assert.equal((await postToBeckon(bed.beckon, forged)).statusCode, 204);
  assert.equal((await message(bed, uuid)).status, 'sent');

  const callback = bed.fake.statusCallback(sid, 'delivered');
  const unsigned = await postToBeckon(bed.beckon, callback, { signature: null });
  assert.equal(unsigned.statusCode, 401);
  assert.equal(unsigned.json().code, 'unauthorized');
  const tampered = await postToBeckon(bed.beckon, callback, { params: { ...callback.params, MessageStatus: 'read' } });
  assert.equal(tampered.statusCode, 403);
  assert.equal(tampered.json().code, 'forbidden');
  const wrongKey = await postToBeckon(bed.beckon, { ...callback, signature: getExpectedTwilioSignature(OTHER_AUTH_TOKEN, callback.url, callback.params) });
  assert.equal(wrongKey.statusCode, 403);
  assert.equal((await message(bed, uuid)).status, 'sent');
  assert.deepEqual(await statusEvents(bed, uuid), ['sent']);

  assert.equal((await postToBeckon(bed.beckon, callback)).statusCode, 204);
  assert.equal((await message(bed, uuid)).status, 'delivered');
  assert.equal((await message(bed, otherUuid, otherKey)).status, 'sent');
});
