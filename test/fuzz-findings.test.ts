import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startBeckon } from './helpers.ts';

// What the fuzz suite found, each kept fixed here with the request that showed it.

test('fuzz finding: text holding NUL (U+0000) is a 400 naming the field on both stores (PostgreSQL answered 500)', async (t) => {
  const beckon = await startBeckon({}, { worker: false });
  t.after(() => beckon.stop());
  const cases: [string, string, unknown, string][] = [
    ['POST', '/v1/api_keys', { name: 'a\u0000b', scopes: ['admin'] }, 'body.name'],
    ['POST', '/v1/custom_fields', { key: 'length', label: 'a\u0000b', type: 'email' }, 'body.label'],
    ['POST', '/v1/contacts', { phone: '+14155550100', name: 'a\u0000b' }, 'body.name'],
    ['POST', '/v1/contacts', { phone: '+14155550100', custom_fields: { deep: { deeper: ['x\u0000'] } } }, 'body.custom_fields.deep.deeper.0'],
    ['POST', '/v1/contacts', { phone: '+14155550100', custom_fields: { 'k\u0000': 1 } }, 'body.custom_fields'],
    ['GET', '/v1/contacts?q=a%00b', undefined, 'query.q'],
  ];
  for (const [method, url, body, path] of cases) {
    const res = await beckon.call(method, url, { body });
    assert.equal(res.statusCode, 400, `${method} ${url} ${JSON.stringify(body)}: ${res.body}`);
    assert.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8');
    const problem = res.json();
    assert.equal(problem.code, 'validation_failed');
    assert.ok(problem.errors.some((e: { path: string }) => e.path === path), `${path}: ${JSON.stringify(problem.errors)}`);
  }
  // other control characters are text like any other
  const created = await beckon.call('POST', '/v1/contacts', { body: { phone: '+14155550100', name: 'tab\there' } });
  assert.equal(created.statusCode, 201, created.body);
});

test('fuzz finding: a forged cursor holding NUL or control characters is a 400 naming query.cursor (PostgreSQL answered 500)', async (t) => {
  const beckon = await startBeckon({}, { worker: false });
  t.after(() => beckon.stop());
  const forged = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  for (const path of ['/v1/contacts', '/v1/events', '/v1/messages', '/v1/webhooks', '/v1/campaigns', '/v1/segments', '/v1/templates', '/v1/channels', '/v1/imports']) {
    for (const cursor of [['a\u0000', 'b'], ['2026-01-01T00:00:00Z', 'x\u0000'], ['\u001b[31m', 'b'], ['x'.repeat(1000), 'b']]) {
      const res = await beckon.call('GET', `${path}?cursor=${forged(cursor)}`);
      assert.equal(res.statusCode, 400, `${path} ${JSON.stringify(cursor)}: ${res.body}`);
      assert.deepEqual(res.json().errors.map((e: { path: string }) => e.path), ['query.cursor']);
    }
  }
  // a cursor the API wrote still pages
  for (const phone of ['+14155550100', '+14155550101']) assert.equal((await beckon.call('POST', '/v1/contacts', { body: { phone } })).statusCode, 201);
  const first = (await beckon.call('GET', '/v1/contacts?limit=1')).json();
  const next = await beckon.call('GET', `/v1/contacts?limit=1&cursor=${first.meta.next_cursor}`);
  assert.equal(next.statusCode, 200, next.body);
  assert.equal(next.json().contacts[0].phone, '+14155550100');
});

test('fuzz finding: a Twilio hook whose channel id is not a uuid is a 404 problem, never looked up (PostgreSQL answered 500 on %00)', async (t) => {
  const beckon = await startBeckon({}, { worker: false });
  t.after(() => beckon.stop());
  for (const url of ['/hooks/twilio/%00', '/hooks/twilio/%00/status', '/hooks/twilio/not-a-uuid', '/hooks/twilio/0190a0a0-0000-7000-8000-000000000000%00']) {
    const res = await beckon.runtime.app.inject({ method: 'POST', url, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'MessageSid=SM1&AccountSid=AC1' });
    assert.equal(res.statusCode, 404, `${url}: ${res.body}`);
    assert.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8');
    assert.equal(res.json().code, 'not_found');
  }
});
