import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startBeckon } from '../../test/helpers.ts';

const SID = `AC${'0123456789abcdef'.repeat(2)}`;
const WHATSAPP = { phone_number_id: '106540352242922', business_account_id: '102290129340398', access_token: 'EAAJB-access-token-0000', app_secret: 'app-secret-0123456789', verify_token: 'my-verify-token' };

test('channel config: each provider\'s settings are checked field by field, errors named body.config.<field>', async (t) => {
  const beckon = await startBeckon({}, { worker: false });
  t.after(() => beckon.stop());
  const errors = async (type: string, provider: string, config: unknown) => {
    const answer = await beckon.call('POST', '/v1/channels', { body: { type, provider, title: 'x', config } });
    assert.equal(answer.statusCode, 400, JSON.stringify(config));
    assert.equal(answer.json().code, 'validation_failed');
    return answer.json().errors;
  };

  assert.deepEqual(await errors('whatsapp', 'whatsapp_cloud', {}), [
    { path: 'body.config.phone_number_id', message: 'is required for the whatsapp_cloud provider' },
    { path: 'body.config.access_token', message: 'is required for the whatsapp_cloud provider' },
    { path: 'body.config.app_secret', message: 'is required for the whatsapp_cloud provider' },
    { path: 'body.config.verify_token', message: 'is required for the whatsapp_cloud provider' },
  ]);
  assert.deepEqual(await errors('whatsapp', 'whatsapp_cloud', { ...WHATSAPP, phone_number_id: '+1 555 0100', api_base_url: 'ftp://x', api_version: 'latest', access_token: 42, app_secret: '  ', webhook: 'x' }), [
    { path: 'body.config.phone_number_id', message: 'must be the numeric ID, as a string of digits' },
    { path: 'body.config.access_token', message: 'must be a string' },
    { path: 'body.config.app_secret', message: 'must not be empty' },
    { path: 'body.config.api_base_url', message: 'must be an http(s) URL without query or fragment' },
    { path: 'body.config.api_version', message: 'must be a Graph API version such as v23.0' },
    { path: 'body.config.webhook', message: 'is not a setting of the whatsapp_cloud provider (known: phone_number_id, business_account_id, access_token, app_secret, verify_token, api_base_url, api_version, rate_per_second)' },
  ]);

  assert.deepEqual(await errors('sms', 'twilio', { account_sid: 'AC123', auth_token: 'token' }), [
    { path: 'body.config.account_sid', message: 'must be AC followed by 32 hexadecimal characters' },
    { path: 'body.config.from_number', message: 'is required unless messaging_service_sid is set' },
  ]);
  assert.deepEqual(await errors('sms', 'twilio', { account_sid: SID, auth_token: 'token', from_number: '12', messaging_service_sid: `AC${'0'.repeat(32)}` }), [
    { path: 'body.config.from_number', message: '"12" is not a phone number in international format (e.g. +14155552671), a short code (5 or 6 digits) or an alphanumeric sender ID (1 to 11 letters, digits, spaces)' },
    { path: 'body.config.messaging_service_sid', message: 'must be MG followed by 32 hexadecimal characters' },
  ]);

  assert.deepEqual(await errors('email', 'smtp', { host: 'smtp://mail.example.com', port: 70000, secure: 'yes', from_email: 'nobody', password: 'p' }), [
    { path: 'body.config.host', message: 'must be a host name or address, without scheme or port' },
    { path: 'body.config.port', message: 'must be an integer from 1 to 65535' },
    { path: 'body.config.secure', message: 'must be true or false' },
    { path: 'body.config.from_email', message: '"nobody" is not a valid email address' },
    { path: 'body.config.username', message: 'is required with password' },
  ]);

  assert.deepEqual(await errors('whatsapp', 'sandbox', { strict: 'true', rate_per_second: 0 }), [
    { path: 'body.config.strict', message: 'must be true or false' },
    { path: 'body.config.rate_per_second', message: 'must be a number above 0 and at most 10000' },
  ]);
});

test('channel config: values are normalized; a Messaging Service, a short code or an alphanumeric sender stands in for a number', async (t) => {
  const beckon = await startBeckon({}, { worker: false });
  t.after(() => beckon.stop());
  const make = async (type: string, provider: string, config: unknown) => {
    const answer = await beckon.call('POST', '/v1/channels', { body: { type, provider, title: 'x', config } });
    assert.equal(answer.statusCode, 201, answer.body);
    return answer.json().channel;
  };
  const whatsapp = await make('whatsapp', 'whatsapp_cloud', { ...WHATSAPP, api_base_url: 'http://127.0.0.1:9999/', api_version: '23.0', rate_per_second: 20 });
  assert.deepEqual(whatsapp.config, { phone_number_id: WHATSAPP.phone_number_id, business_account_id: WHATSAPP.business_account_id, api_base_url: 'http://127.0.0.1:9999', api_version: 'v23.0', rate_per_second: 20 });
  assert.deepEqual(whatsapp.secrets, { access_token: '…0000', app_secret: '…6789', verify_token: '…oken' });

  const service = await make('sms', 'twilio', { account_sid: SID, auth_token: 'short', messaging_service_sid: `MG${'1'.repeat(32)}` });
  assert.deepEqual(service.config, { account_sid: SID, messaging_service_sid: `MG${'1'.repeat(32)}` });
  assert.deepEqual(service.secrets, { auth_token: '…' }, 'a short secret shows no characters at all');
  const alpha = await make('sms', 'twilio', { account_sid: SID, auth_token: 'short', from_number: 'Beckon' });
  assert.equal(alpha.config.from_number, 'Beckon');
  const shortCode = await make('sms', 'twilio', { account_sid: SID, auth_token: 'short', from_number: '247247' });
  assert.equal(shortCode.config.from_number, '247247');

  const smtp = await make('email', 'smtp', { host: 'localhost', from_email: 'me@example.com', secure: true });
  assert.deepEqual(smtp.config, { host: 'localhost', from_email: 'me@example.com', secure: true });
  assert.deepEqual(smtp.secrets, {});
  const sandbox = await make('email', 'sandbox', {});
  assert.deepEqual(sandbox.config, {});
});

test('channel config: PATCH merges settings, keeps omitted secrets, replaces given ones, null removes a field', async (t) => {
  const beckon = await startBeckon({}, { worker: false });
  t.after(() => beckon.stop());
  const channel = (await beckon.call('POST', '/v1/channels', { body: { type: 'whatsapp', provider: 'whatsapp_cloud', title: 'WA', config: WHATSAPP } })).json().channel;
  const patch = async (config: unknown) => beckon.call('PATCH', `/v1/channels/${channel.uuid}`, { body: { config } });

  const rotated = await patch({ access_token: 'EAAJB-new-token-9999', api_version: 'v24.0', business_account_id: null });
  assert.equal(rotated.statusCode, 200);
  assert.deepEqual(rotated.json().channel.config, { phone_number_id: WHATSAPP.phone_number_id, api_version: 'v24.0' });
  assert.deepEqual(rotated.json().channel.secrets, { access_token: '…9999', app_secret: '…6789', verify_token: '…oken' });

  const removed = await patch({ app_secret: null });
  assert.equal(removed.statusCode, 400);
  assert.deepEqual(removed.json().errors, [{ path: 'body.config.app_secret', message: 'is required for the whatsapp_cloud provider' }]);
  const bad = await patch({ phone_number_id: 'abc' });
  assert.deepEqual(bad.json().errors, [{ path: 'body.config.phone_number_id', message: 'must be the numeric ID, as a string of digits' }]);
  // a refused PATCH changes nothing
  assert.deepEqual((await beckon.call('GET', `/v1/channels/${channel.uuid}`)).json().channel, rotated.json().channel);
});
