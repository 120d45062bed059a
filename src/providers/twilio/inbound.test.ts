import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { loadConfig } from '../../config.ts';
import { startRuntime } from '../../runtime.ts';
import { postToBeckon } from '../../../test/fakes/twilio.ts';
import { EMPTY_TWIML } from './hooks-routes.ts';
import { ACCOUNT_SID, createTwilioChannel, FROM_NUMBER, OTHER_ACCOUNT_SID, OTHER_AUTH_TOKEN, PUBLIC_URL, startTwilioBed, type TwilioTestBed } from './test-support.ts';

const CUSTOMER = '+14155550170';

async function inbound(bed: TwilioTestBed, channelId: string, body: string, extra: { media?: { url: string; contentType: string }[]; optOutType?: string; accountSid?: string } = {}) {
  return bed.fake.inbound(`${PUBLIC_URL}/hooks/twilio/${channelId}`, extra.accountSid ?? ACCOUNT_SID, { from: CUSTOMER, to: FROM_NUMBER, body, ...extra });
}

async function messages(bed: TwilioTestBed, key?: string) {
  return (await bed.beckon.call('GET', '/v1/messages?direction=inbound', { key })).json().messages;
}

test('twilio inbound: a text message is stored once per MessageSid, the contact created, and Twilio gets empty TwiML', async (t) => {
  const bed = await startTwilioBed(t);
  const channelId = await createTwilioChannel(bed);
  const request = await inbound(bed, channelId, 'Is my order on its way?');

  const res = await postToBeckon(bed.beckon, request);
  assert.equal(res.statusCode, 200, res.body);
  assert.equal(res.headers['content-type'], 'text/xml; charset=utf-8');
  assert.equal(res.body, EMPTY_TWIML);
  const again = await postToBeckon(bed.beckon, request);
  assert.equal(again.statusCode, 200);
  assert.equal(again.body, EMPTY_TWIML);

  const stored = await messages(bed);
  assert.equal(stored.length, 1, 'a repeated webhook stores nothing new');
  const [m] = stored;
  assert.deepEqual(
    { direction: m.direction, channel: m.channel, channel_uuid: m.channel_uuid, from: m.from, to: m.to, type: m.type, content: m.content, status: m.status, provider_message_id: m.provider_message_id },
    { direction: 'inbound', channel: 'sms', channel_uuid: channelId, from: CUSTOMER, to: 'sms', type: 'text', content: { text: 'Is my order on its way?' }, status: 'received', provider_message_id: request.params.MessageSid },
  );
  const contact = (await bed.beckon.call('GET', `/v1/contacts/${m.contact.uuid}`)).json().contact;
  assert.equal(contact.phone, CUSTOMER);
  assert.equal(contact.source, 'inbound');
  assert.equal(contact.consent.sms.status, 'unknown');
});

test('twilio inbound: MMS media becomes an image message with its URL and caption', async (t) => {
  const bed = await startTwilioBed(t);
  const channelId = await createTwilioChannel(bed);
  const media = [{ url: `https://api.twilio.com/2010-04-01/Accounts/${ACCOUNT_SID}/Messages/MM1/Media/ME1`, contentType: 'image/jpeg' }];
  assert.equal((await postToBeckon(bed.beckon, await inbound(bed, channelId, 'the broken part', { media }))).statusCode, 200);
  const [m] = await messages(bed);
  assert.equal(m.type, 'image');
  assert.deepEqual(m.content, { url: media[0].url, text: 'the broken part' });
  assert.match(m.provider_message_id, /^MM/);
});

test('twilio inbound: refused without a valid X-Twilio-Signature, for an unknown channel, or as JSON; nothing is stored', async (t) => {
  const bed = await startTwilioBed(t);
  const channelId = await createTwilioChannel(bed);
  const request = await inbound(bed, channelId, 'hello');

  const unsigned = await postToBeckon(bed.beckon, request, { signature: null });
  assert.equal(unsigned.statusCode, 401);
  assert.equal(unsigned.headers['content-type'], 'application/problem+json; charset=utf-8');
  assert.deepEqual(unsigned.json(), {
    type: 'urn:beckon:problem:unauthorized', title: 'Unauthorized', status: 401, code: 'unauthorized', detail: 'the request has no X-Twilio-Signature header',
  });
  const tampered = await postToBeckon(bed.beckon, request, { params: { ...request.params, Body: 'STOP' } });
  assert.equal(tampered.statusCode, 403);
  assert.equal(tampered.json().code, 'forbidden');
  // signed for another URL (BECKON_PUBLIC_URL not what Twilio calls)
  const elsewhere = bed.fake.inbound(`https://other.example.com/hooks/twilio/${channelId}`, ACCOUNT_SID, { from: CUSTOMER, to: FROM_NUMBER, body: 'hello' });
  const wrongUrl = await postToBeckon(bed.beckon, { ...elsewhere, url: request.url });
  assert.equal(wrongUrl.statusCode, 403);
  assert.match(wrongUrl.json().detail, /is BECKON_PUBLIC_URL the URL Twilio calls\?/);
  // signed by another account
  const otherAccount = bed.fake.inbound(request.url, OTHER_ACCOUNT_SID, { from: CUSTOMER, to: FROM_NUMBER, body: 'hello' });
  assert.equal((await postToBeckon(bed.beckon, otherAccount)).statusCode, 403);

  const sandbox = (await bed.beckon.call('GET', '/v1/channels')).json().channels.find((c: { provider: string }) => c.provider === 'sandbox').uuid;
  const notTwilio = await postToBeckon(bed.beckon, bed.fake.inbound(`${PUBLIC_URL}/hooks/twilio/${sandbox}`, ACCOUNT_SID, { from: CUSTOMER, to: FROM_NUMBER, body: 'hello' }));
  assert.equal(notTwilio.statusCode, 404);
  const unknown = await postToBeckon(bed.beckon, bed.fake.inbound(`${PUBLIC_URL}/hooks/twilio/0190f000-0000-7000-8000-000000000000`, ACCOUNT_SID, { from: CUSTOMER, to: FROM_NUMBER, body: 'hello' }));
  assert.equal(unknown.statusCode, 404);

  const json = await bed.beckon.runtime.app.inject({ method: 'POST', url: `/hooks/twilio/${channelId}`, headers: { 'x-twilio-signature': request.signature }, payload: request.params });
  assert.equal(json.statusCode, 415);
  assert.equal(json.json().code, 'unsupported_media_type');

  assert.deepEqual(await messages(bed), []);
  assert.equal((await bed.beckon.call('GET', '/v1/contacts')).json().contacts.length, 0);
  assert.equal((await postToBeckon(bed.beckon, request)).statusCode, 200, 'the genuine request goes through');
});

test('twilio inbound: a signed request with a From that is no phone number is a 400 naming body.From', async (t) => {
  const bed = await startTwilioBed(t);
  const channelId = await createTwilioChannel(bed);
  const request = bed.fake.inbound(`${PUBLIC_URL}/hooks/twilio/${channelId}`, ACCOUNT_SID, { from: 'not-a-number', to: FROM_NUMBER, body: 'hello' });
  const res = await postToBeckon(bed.beckon, request);
  assert.equal(res.statusCode, 400);
  assert.deepEqual(res.json().errors.map((e: { path: string }) => e.path), ['body.From']);
});

test('twilio inbound: each workspace\'s channel stores into its own workspace', async (t) => {
  const bed = await startTwilioBed(t);
  const otherKey = await bed.beckon.newWorkspace('other');
  const mine = await createTwilioChannel(bed);
  const theirs = await createTwilioChannel(bed, { account_sid: OTHER_ACCOUNT_SID, auth_token: OTHER_AUTH_TOKEN }, { key: otherKey });
  assert.equal((await postToBeckon(bed.beckon, await inbound(bed, theirs, 'for the other workspace', { accountSid: OTHER_ACCOUNT_SID }))).statusCode, 200);
  assert.deepEqual(await messages(bed), []);
  const [theirMessage] = await messages(bed, otherKey);
  assert.equal(theirMessage.content.text, 'for the other workspace');
  assert.equal(theirMessage.channel_uuid, theirs);
  assert.equal((await bed.beckon.call('GET', `/v1/contacts/${theirMessage.contact.uuid}`)).statusCode, 404);
  assert.equal((await postToBeckon(bed.beckon, await inbound(bed, mine, 'for mine'))).statusCode, 200);
  assert.equal((await messages(bed)).length, 1);
  assert.equal((await messages(bed, otherKey)).length, 1);
});

test('twilio inbound: a refused request leaves a warning in the log naming the channel and why', async (t) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'beckon-twilio-log-'));
  const lines: { level: number; msg: string; channel?: string; status?: number }[] = [];
  const logger = pino({ level: 'warn' }, { write: (line: string) => void lines.push(JSON.parse(line)) });
  const config = loadConfig({ BECKON_DATA_DIR: dataDir, BECKON_PUBLIC_URL: PUBLIC_URL, BECKON_BOOTSTRAP_KEY: 'bk_test_twilio_log_key_0123456789' });
  const runtime = await startRuntime(config, { logger, worker: false });
  t.after(async () => {
    await runtime.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });
  const channelId = '0190f000-0000-7000-8000-00000000abcd';
  const res = await runtime.app.inject({ method: 'POST', url: `/hooks/twilio/${channelId}`, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'MessageSid=SM1&From=%2B14155550170' });
  assert.equal(res.statusCode, 404);
  const refusal = lines.find((l) => l.msg.startsWith('Twilio webhook refused'));
  assert.ok(refusal, JSON.stringify(lines));
  assert.equal(refusal.level, 40);
  assert.equal(refusal.msg, `Twilio webhook refused: no Twilio channel ${channelId}`);
  assert.equal(refusal.channel, channelId);
  assert.equal(refusal.status, 404);
});
