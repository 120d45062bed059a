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
