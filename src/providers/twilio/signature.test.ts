import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getExpectedTwilioSignature, validateRequest } from 'twilio/lib/webhooks/webhooks.js';
import { parseForm, twilioSignature, verifyTwilioSignature } from './signature.ts';

const TOKEN = '12345';
// the example of Twilio's webhook security guide
const URL = 'https://example.com/myapp.php?foo=1&bar=2';
const PARAMS = { CallSid: 'CA1234567890ABCDE', Caller: '+12349013030', Digits: '1234', From: '+12349013030', To: '+18005551212' };

test('twilio signature: the same as the official twilio helper computes, and verified as its validateRequest does', () => {
  const expected = getExpectedTwilioSignature(TOKEN, URL, PARAMS);
  assert.equal(twilioSignature(TOKEN, URL, PARAMS), expected);
  assert.equal(verifyTwilioSignature(TOKEN, expected, URL, PARAMS), true);
  assert.equal(validateRequest(TOKEN, expected, URL, PARAMS), true);

  assert.equal(verifyTwilioSignature('54321', expected, URL, PARAMS), false, 'another auth token');
  assert.equal(verifyTwilioSignature(TOKEN, expected, URL.replace('foo=1', 'foo=2'), PARAMS), false, 'another URL');
  assert.equal(verifyTwilioSignature(TOKEN, expected, URL, { ...PARAMS, Digits: '1235' }), false, 'another value');
  assert.equal(verifyTwilioSignature(TOKEN, expected, URL, { ...PARAMS, Extra: '' }), false, 'an added parameter');
  assert.equal(verifyTwilioSignature(TOKEN, '', URL, PARAMS), false);
  assert.equal(verifyTwilioSignature(TOKEN, expected.slice(0, -2), URL, PARAMS), false);
});

test('twilio signature: accepted with or without the default port, as Twilio\'s helpers do', () => {
  const withPort = 'https://example.com:443/hooks/twilio/abc/status?message_uuid=x';
  const without = 'https://example.com/hooks/twilio/abc/status?message_uuid=x';
  assert.equal(verifyTwilioSignature(TOKEN, getExpectedTwilioSignature(TOKEN, withPort, PARAMS), without, PARAMS), true);
  assert.equal(verifyTwilioSignature(TOKEN, getExpectedTwilioSignature(TOKEN, without, PARAMS), withPort, PARAMS), true);
  const custom = 'http://127.0.0.1:3000/hooks/twilio/abc';
  assert.equal(verifyTwilioSignature(TOKEN, getExpectedTwilioSignature(TOKEN, custom, PARAMS), custom, PARAMS), true);
  assert.equal(verifyTwilioSignature(TOKEN, getExpectedTwilioSignature(TOKEN, 'http://127.0.0.1:3001/hooks/twilio/abc', PARAMS), custom, PARAMS), false);
});

test('twilio signature: repeated parameters and unicode bodies sign like the helper; parseForm keeps every value', () => {
  const form = parseForm('Body=Caf%C3%A9+%F0%9F%98%80&MediaUrl=b&MediaUrl=a&To=%2B18005551212');
  assert.deepEqual(form, { Body: 'Café 😀', MediaUrl: ['b', 'a'], To: '+18005551212' });
  assert.equal(twilioSignature(TOKEN, URL, form), getExpectedTwilioSignature(TOKEN, URL, form));
  assert.equal(verifyTwilioSignature(TOKEN, getExpectedTwilioSignature(TOKEN, URL, form), URL, form), true);
});
