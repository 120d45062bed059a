import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { startFakeTwilio } from '../../../test/fakes/twilio.ts';
import { ProviderError, type OutboundMessage, type ProviderChannel } from '../types.ts';
import { ACCOUNT_SID, AUTH_TOKEN, createTwilioProvider, FROM_NUMBER, PUBLIC_URL } from './test-support.ts';

const deps = { config: { publicUrl: PUBLIC_URL } } as Parameters<typeof createTwilioProvider>[0];

function channel(apiBaseUrl: string, config: Record<string, unknown> = {}): ProviderChannel {
  return {
    id: '0190f000-0000-7000-8000-000000000001', workspaceId: 'w', type: 'sms', provider: 'twilio',
    config: { account_sid: ACCOUNT_SID, auth_token: AUTH_TOKEN, from_number: FROM_NUMBER, api_base_url: apiBaseUrl, ...config },
  };
}

const message: OutboundMessage = {
  id: '0190f000-0000-7000-8000-0000000000aa', idempotencyKey: '0190f000-0000-7000-8000-0000000000aa', to: '+14155550150', type: 'text',
  content: { text: 'hello' }, metadata: null, createdAt: new Date().toISOString(),
};

async function refusal(promise: Promise<unknown>): Promise<ProviderError> {
  const err = await promise.then(() => assert.fail('expected a ProviderError'), (e: unknown) => e);
  assert.ok(err instanceof ProviderError, String(err));
  return err;
}

test('twilio adapter: 429 (20429) is retryable after Retry-After; 5xx and timeouts are retryable; a dead host is retryable', async (t) => {
  const fake = await startFakeTwilio({ [ACCOUNT_SID]: AUTH_TOKEN });
  t.after(() => fake.stop());
  const adapter = createTwilioProvider(deps, { timeoutMs: 300 });

  fake.script({ status: 429, headers: { 'retry-after': '7' }, body: { code: 20429, message: 'Too Many Requests', more_info: 'https://www.twilio.com/docs/errors/20429', status: 429 } });
  const throttled = await refusal(adapter.send(channel(fake.url), message));
  assert.deepEqual([throttled.code, throttled.retryable, throttled.retryAfterMs], ['provider_throttled', true, 7000]);
  assert.equal(throttled.message, 'Twilio error 20429: Too Many Requests');

  fake.script({ status: 429, body: { code: 20429, message: 'Too Many Requests', status: 429 } });
  const noHeader = await refusal(adapter.send(channel(fake.url), message));
  assert.deepEqual([noHeader.code, noHeader.retryable, noHeader.retryAfterMs], ['provider_throttled', true, 1000]);

  fake.script({ status: 503, body: '<html>Service Unavailable</html>', headers: { 'content-type': 'text/html', 'retry-after': '30' } });
  const unavailable = await refusal(adapter.send(channel(fake.url), message));
  assert.deepEqual([unavailable.code, unavailable.retryable, unavailable.message], ['provider_unavailable', true, 'Twilio answered HTTP 503; retrying']);
  assert.equal(unavailable.retryAfterMs, undefined, 'an outage is retried with backoff, counting attempts, not as a throughput pause');

  fake.script({ status: 500, body: { code: 20500, message: 'Internal Server Error', status: 500 } });
  const internal = await refusal(adapter.send(channel(fake.url), message));
  assert.deepEqual([internal.code, internal.retryable], ['provider_unavailable', true]);
  assert.equal(internal.message, 'Twilio answered HTTP 500 (Twilio error 20500: Internal Server Error); retrying');

  fake.script({ status: 201, delayMs: 1000, body: {} });
  const slow = await refusal(adapter.send(channel(fake.url), message));
  assert.deepEqual([slow.code, slow.retryable, slow.message], ['provider_timeout', true, 'Twilio did not answer within 300 ms; retrying']);

  const closed = createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  const deadUrl = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
  await new Promise<void>((resolve) => closed.close(() => resolve()));
  const dead = await refusal(adapter.send(channel(deadUrl), message));
  assert.deepEqual([dead.code, dead.retryable], ['provider_unavailable', true]);
  assert.match(dead.message, new RegExp(`^could not reach Twilio at ${deadUrl}: ECONNREFUSED`));

  // after all that, the next call goes through
  const sent = await adapter.send(channel(fake.url), message);
  assert.match(sent.providerMessageId, /^SM[0-9a-f]{32}$/);
});

test('twilio adapter: an unknown 4xx code is permanent as twilio_<code>; a channel without credentials or sender is channel_misconfigured', async (t) => {
  const fake = await startFakeTwilio({ [ACCOUNT_SID]: AUTH_TOKEN });
  t.after(() => fake.stop());
  const adapter = createTwilioProvider(deps);

  fake.script({ status: 400, body: { code: 21999, message: 'Something new', more_info: 'https://www.twilio.com/docs/errors/21999', status: 400 } });
  const unknown = await refusal(adapter.send(channel(fake.url), message));
  assert.deepEqual([unknown.code, unknown.retryable, unknown.message], ['twilio_21999', false, 'Twilio error 21999: Something new']);

  const long = await refusal(adapter.send(channel(fake.url), { ...message, content: { text: 'x'.repeat(1601) } }));
  assert.deepEqual([long.code, long.retryable], ['message_too_long', false]);

  const misconfigured = await refusal(adapter.send(channel(fake.url, { auth_token: '', from_number: undefined }), message));
  assert.deepEqual([misconfigured.code, misconfigured.retryable], ['channel_misconfigured', false]);
  assert.equal(misconfigured.message, 'the Twilio channel has no auth_token, from_number or messaging_service_sid: set it with PATCH /v1/channels/{uuid}');
  assert.equal(fake.calls.length, 2, 'a misconfigured channel never calls Twilio');
});

test('twilio adapter: a template send goes out as its rendered text', async (t) => {
  const fake = await startFakeTwilio({ [ACCOUNT_SID]: AUTH_TOKEN });
  t.after(() => fake.stop());
  const adapter = createTwilioProvider(deps);
  await adapter.send(channel(fake.url), {
    ...message, content: { text: 'Hi {{1}}, your code is {{2}}' },
    template: { name: 'otp', language: 'en', category: 'AUTHENTICATION', values: ['Ada', '123456'], renderedText: 'Hi Ada, your code is 123456' },
  });
  assert.equal(fake.calls[0].params.Body, 'Hi Ada, your code is 123456');
});
