import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GRAPH_ERRORS } from '../../../test/fakes/whatsapp-cloud.ts';
import { classifyGraphError, retryAfterMs, type GraphErrorBody } from './errors.ts';

function classify(answer: { status: number; body: unknown }, retryAfter?: string) {
  const e = classifyGraphError(answer.status, (answer.body as { error?: GraphErrorBody }).error, retryAfter);
  return { code: e.code, retryable: e.retryable, retryAfterMs: e.retryAfterMs };
}

test('throughput and rate limits pause the channel (Retry-After when Meta sends one); other transient errors only retry', () => {
  assert.deepEqual(classify(GRAPH_ERRORS.throughput()), { code: '130429', retryable: true, retryAfterMs: 1000 });
  assert.deepEqual(classify(GRAPH_ERRORS.throughput(), '3'), { code: '130429', retryable: true, retryAfterMs: 3000 });
  assert.deepEqual(classify({ status: 400, body: { error: { code: 80007, message: '(#80007) Rate limit issues' } } }), { code: '80007', retryable: true, retryAfterMs: 60_000 });
  assert.deepEqual(classify({ status: 400, body: { error: { code: 131056, message: '(#131056) (Business Account, Consumer Account) pair rate limit hit' } } }), { code: '131056', retryable: true, retryAfterMs: undefined });
  assert.deepEqual(classify(GRAPH_ERRORS.somethingWrong()), { code: '131000', retryable: true, retryAfterMs: undefined });
  assert.deepEqual(classify({ status: 503, body: 'Service Unavailable' }), { code: 'provider_unavailable', retryable: true, retryAfterMs: undefined });
  assert.deepEqual(classify({ status: 429, body: {} }, '7'), { code: 'provider_unavailable', retryable: true, retryAfterMs: 7000 });
});

test('unknown codes follow the HTTP status; the permission range 200-299 is a token problem', () => {
  assert.deepEqual(classify({ status: 500, body: { error: { code: 999999, message: 'New error' } } }), { code: '999999', retryable: true, retryAfterMs: undefined });
  assert.deepEqual(classify({ status: 400, body: { error: { code: 999999, message: 'New error' } } }), { code: '999999', retryable: false, retryAfterMs: undefined });
  const permission = classifyGraphError(403, { code: 200, message: '(#200) Requires whatsapp_business_messaging permission' });
  assert.equal(permission.retryable, false);
  assert.equal(permission.message, 'Requires whatsapp_business_messaging permission (200): the channel\'s access_token is invalid, expired or lacks the whatsapp_business_messaging permission: set a new one with PATCH /v1/channels/:uuid (a System User token does not expire)');
});

test('Retry-After is read as seconds or as an HTTP date', () => {
  const now = Date.parse('2026-01-01T00:00:00Z');
  assert.equal(retryAfterMs('12', now), 12_000);
  assert.equal(retryAfterMs('Thu, 01 Jan 2026 00:00:05 GMT', now), 5000);
  assert.equal(retryAfterMs('soon', now), undefined);
  assert.equal(retryAfterMs(undefined, now), undefined);
});
