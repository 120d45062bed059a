import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startBeckon } from './helpers.ts';
import { createApiKey } from '../src/auth/service.ts';

test('rate limits: per API key, RateLimit-* headers on every answer, 429 problem with Retry-After', async (t) => {
  const beckon = await startBeckon({ BECKON_RATE_LIMIT: '3', BECKON_RATE_LIMIT_WINDOW_MS: '60000' }, { worker: false });
  t.after(() => beckon.stop());

  for (const remaining of [2, 1, 0]) {
    const ok = await beckon.call('GET', '/v1/auth/me');
    assert.equal(ok.statusCode, 200);
    assert.equal(ok.headers['ratelimit-limit'], '3');
    assert.equal(ok.headers['ratelimit-remaining'], String(remaining));
    const reset = Number(ok.headers['ratelimit-reset']);
    assert.ok(Number.isInteger(reset) && reset > 0 && reset <= 60, `reset ${reset}`);
  }
  const limited = await beckon.call('GET', '/v1/auth/me');
  assert.equal(limited.statusCode, 429);
  assert.equal(limited.headers['content-type'], 'application/problem+json; charset=utf-8');
  assert.equal(limited.json().code, 'rate_limited');
  assert.equal(limited.json().status, 429);
  assert.equal(limited.json().title, 'Too Many Requests');
  const retryAfter = Number(limited.headers['retry-after']);
  assert.ok(Number.isInteger(retryAfter) && retryAfter > 0 && retryAfter <= 60, `retry-after ${retryAfter}`);
  assert.equal(limited.headers['ratelimit-remaining'], '0');
  // Writes count against the same budget.
  assert.equal((await beckon.call('POST', '/v1/api_keys', { body: { name: 'x' } })).statusCode, 429);

  // Another key of the same workspace, from the same address, has its own budget.
  const workspaceId = (await beckon.runtime.deps.db.selectFrom('workspaces').select('id').executeTakeFirstOrThrow()).id;
  const { secret } = await createApiKey(beckon.runtime.deps.db, workspaceId, 'second', ['read']);
  const second = await beckon.call('GET', '/v1/auth/me', { key: secret });
  assert.equal(second.statusCode, 200);
  assert.equal(second.headers['ratelimit-remaining'], '2');
  // A key of another workspace too.
  const other = await beckon.call('GET', '/v1/auth/me', { key: await beckon.newWorkspace('other') });
  assert.equal(other.headers['ratelimit-remaining'], '2');

  // Public routes and rejected keys are not counted (nor limited).
  const health = await beckon.call('GET', '/healthz', { key: null });
  assert.equal(health.statusCode, 200);
  assert.equal(health.headers['ratelimit-limit'], undefined);
  const unknown = await beckon.call('GET', '/v1/auth/me', { key: 'bk_unknown' });
  assert.equal(unknown.statusCode, 401);
});

test('rate limits: the budget comes back after the window', async (t) => {
  const beckon = await startBeckon({ BECKON_RATE_LIMIT: '1', BECKON_RATE_LIMIT_WINDOW_MS: '3000' }, { worker: false });
  t.after(() => beckon.stop());
  // another workspace's key (its own budget) makes the route compile its schemas before the timed part
  assert.equal((await beckon.call('GET', '/v1/auth/me', { key: await beckon.newWorkspace('warm-up') })).statusCode, 200);
  assert.equal((await beckon.call('GET', '/v1/auth/me')).statusCode, 200);
  assert.equal((await beckon.call('GET', '/v1/auth/me')).statusCode, 429);
  await new Promise((resolve) => setTimeout(resolve, 3100));
  const again = await beckon.call('GET', '/v1/auth/me');
  assert.equal(again.statusCode, 200);
  assert.equal(again.headers['ratelimit-remaining'], '0');
});
