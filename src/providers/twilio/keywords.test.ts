import { test } from 'node:test';
import assert from 'node:assert/strict';
import { postToBeckon } from '../../../test/fakes/twilio.ts';
import { waitFor } from '../../../test/helpers.ts';
import { ACCOUNT_SID, createTwilioChannel, FROM_NUMBER, PUBLIC_URL, startTwilioBed, type TwilioTestBed } from './test-support.ts';
import { CONSENT_KEYWORDS, keywordAction } from './keywords.ts';

const CUSTOMER = '+14155550180';

async function text(bed: TwilioTestBed, channelId: string, body: string, optOutType?: string) {
  const res = await postToBeckon(bed.beckon, bed.fake.inbound(`${PUBLIC_URL}/hooks/twilio/${channelId}`, ACCOUNT_SID, { from: CUSTOMER, to: FROM_NUMBER, body, optOutType }));
  assert.equal(res.statusCode, 200, res.body);
}

async function contact(bed: TwilioTestBed) {
  return (await bed.beckon.call('GET', `/v1/contacts/phone/${encodeURIComponent(CUSTOMER)}`)).json().contact;
}

async function consentEvents(bed: TwilioTestBed): Promise<string[]> {
  const rows = await bed.beckon.runtime.deps.db.selectFrom('events').select(['type', 'payload']).where('type', 'in', ['contact_opted_in', 'contact_opted_out']).orderBy('id').execute();
  return rows.map((r) => `${r.type}:${JSON.parse(r.payload).channel_type}`);
}

test('twilio keywords: STOP opts the contact out of SMS, START opts in again, HELP changes nothing; each is stored as a message', async (t) => {
  const bed = await startTwilioBed(t);
  const channelId = await createTwilioChannel(bed);

  await text(bed, channelId, 'hello');
  await text(bed, channelId, ' stop. ');
  const out = await contact(bed);
  assert.equal(out.consent.sms.status, 'opted_out');
  assert.equal(out.consent.sms.source, 'sms_keyword');
  assert.equal(out.consent.whatsapp.status, 'unknown', 'only SMS consent changes');
  assert.deepEqual(await consentEvents(bed), ['contact_opted_out:sms']);

  await text(bed, channelId, 'UNSUBSCRIBE');
  assert.deepEqual(await consentEvents(bed), ['contact_opted_out:sms'], 'already opted out: no second event');
  assert.equal((await contact(bed)).consent.sms.at, out.consent.sms.at, 'the first opt-out time stays');

  await text(bed, channelId, 'HELP');
  await text(bed, channelId, 'Stop texting me at night');
  assert.equal((await contact(bed)).consent.sms.status, 'opted_out', 'HELP and a sentence change nothing');
  assert.deepEqual(await consentEvents(bed), ['contact_opted_out:sms']);

  await text(bed, channelId, 'Start');
  assert.equal((await contact(bed)).consent.sms.status, 'opted_in');
  assert.deepEqual(await consentEvents(bed), ['contact_opted_out:sms', 'contact_opted_in:sms']);

  const bodies = (await bed.beckon.call('GET', '/v1/messages?direction=inbound')).json().messages.map((m: { content: { text: string } }) => m.content.text);
  assert.deepEqual(bodies.reverse(), ['hello', ' stop. ', 'UNSUBSCRIBE', 'HELP', 'Stop texting me at night', 'Start']);
});

test('twilio keywords: a Messaging Service\'s OptOutType wins (keywords in any language)', async (t) => {
  const bed = await startTwilioBed(t);
  const channelId = await createTwilioChannel(bed);
  await text(bed, channelId, 'ARRET', 'STOP');
  assert.equal((await contact(bed)).consent.sms.status, 'opted_out');
  await text(bed, channelId, 'HELP', 'HELP');
  assert.equal((await contact(bed)).consent.sms.status, 'opted_out');
  await text(bed, channelId, 'OUI', 'START');
  assert.equal((await contact(bed)).consent.sms.status, 'opted_in');
});

test('twilio keywords: every documented keyword, any case, trailing punctuation aside; sentences are not keywords', () => {
  for (const [action, words] of Object.entries(CONSENT_KEYWORDS)) {
    for (const word of words) {
      assert.equal(keywordAction(word), action, word);
      assert.equal(keywordAction(` ${word.toLowerCase()}! `), action, word);
    }
  }
  assert.deepEqual(CONSENT_KEYWORDS.opt_out.slice(0, 6), ['STOP', 'STOPALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT']);
  assert.deepEqual(CONSENT_KEYWORDS.opt_in, ['START', 'YES', 'UNSTOP']);
  for (const body of ['stop it', 'please stop', 'yes please', '', 'STOP STOP']) assert.equal(keywordAction(body), null, body);
  assert.equal(keywordAction('hello', 'stop'), 'opt_out');
  assert.equal(keywordAction('STOP', 'UNKNOWN'), 'opt_out', 'an unknown OptOutType falls back to the body');
});

test('twilio keywords: after STOP, a send to the contact is refused before it reaches Twilio; after START it goes out again', async (t) => {
  const bed = await startTwilioBed(t);
  const channelId = await createTwilioChannel(bed);
  const sms = { from: 'sms', to: CUSTOMER, type: 'text', content: { text: 'Our sale starts today' } };
  await text(bed, channelId, 'STOP');
  const refused = await bed.beckon.call('POST', '/v1/messages/send', { body: sms });
  assert.equal(refused.statusCode, 422);
  assert.equal(refused.json().code, 'contact_opted_out');
  assert.equal(bed.fake.calls.length, 0);

  await text(bed, channelId, 'START');
  const accepted = await bed.beckon.call('POST', '/v1/messages/send', { body: sms });
  assert.equal(accepted.statusCode, 200, accepted.body);
  await waitFor('the send reaches Twilio', async () => bed.fake.calls.length === 1);
  assert.equal(bed.fake.calls[0].params.To, CUSTOMER);
});
