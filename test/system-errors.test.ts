import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Type } from 'typebox';
import { startBeckon, type TestBeckon } from './helpers.ts';

const PROBLEM = 'application/problem+json; charset=utf-8';

function assertProblem(res: { statusCode: number; headers: Record<string, unknown>; json(): any }, status: number, code: string): any {
  assert.equal(res.statusCode, status);
  assert.equal(res.headers['content-type'], PROBLEM);
  const body = res.json();
  assert.equal(body.status, status);
  assert.equal(body.code, code);
  assert.equal(body.type, `urn:beckon:problem:${code}`);
  assert.equal(typeof body.title, 'string');
  assert.equal(typeof body.detail, 'string');
  return body;
}

async function withFailingRoutes(): Promise<TestBeckon> {
  const beckon = await startBeckon({}, { worker: false });
  const app = beckon.runtime.app;
  app.get('/test/boom', { config: { scope: 'read' } }, async () => {
    throw new Error('connect ECONNREFUSED postgres://admin:hunter2@db.internal:5432');
  });
  app.get('/test/throw-string', { config: { scope: 'read' } }, async () => {
    throw 'hunter2 raw string'; // eslint-disable-line no-throw-literal
  });
  app.get('/test/bad-shape', {
    config: { scope: 'read' },
    schema: { response: { 200: Type.Object({ n: Type.Integer() }) } },
  }, async () => ({ n: 'hunter2 is not a number' }) as never);
  app.post('/test/typed/:uuid', {
    config: { scope: 'full' },
    schema: {
      params: Type.Object({ uuid: Type.String({ format: 'uuid' }) }),
      querystring: Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })) }),
      body: Type.Object({ phone: Type.String(), content: Type.Object({ text: Type.String({ minLength: 1 }) }) }, { additionalProperties: false }),
    },
  }, async () => ({ ok: true }));
  return beckon;
}

test('errors: a 5xx never leaks internals (message, stack, thrown values, bad response shapes)', async (t) => {
  const beckon = await withFailingRoutes();
  t.after(() => beckon.stop());
  for (const url of ['/test/boom', '/test/throw-string', '/test/bad-shape']) {
    const res = await beckon.call('GET', url);
    const body = assertProblem(res, 500, 'internal_error');
    assert.deepEqual(Object.keys(body).sort(), ['code', 'detail', 'status', 'title', 'type'], url);
    assert.doesNotMatch(res.body, /hunter2|ECONNREFUSED|at .*\.ts|stack/i, url);
  }
});

test('errors: invalid input is a 400 naming each field by path', async (t) => {
  const beckon = await withFailingRoutes();
  t.after(() => beckon.stop());
  const res = await beckon.call('POST', '/test/typed/not-a-uuid?limit=500', { body: { content: { text: '' }, extra: 1 } });
  const body = assertProblem(res, 400, 'validation_failed');
  const paths = body.errors.map((e: { path: string }) => e.path);
  assert.deepEqual(paths, ['params.uuid']);

  const query = await beckon.call('POST', '/test/typed/0191f6a4-0000-7000-8000-000000000000?limit=500', { body: { phone: '1', content: { text: 'x' } } });
  assert.deepEqual(assertProblem(query, 400, 'validation_failed').errors.map((e: { path: string }) => e.path), ['query.limit']);

  const nested = await beckon.call('POST', '/test/typed/0191f6a4-0000-7000-8000-000000000000', { body: { content: { text: '' }, extra: 1 } });
  const nestedPaths = assertProblem(nested, 400, 'validation_failed').errors.map((e: { path: string }) => e.path).sort();
  assert.deepEqual(nestedPaths, ['body.content.text', 'body.extra', 'body.phone']);
  assert.ok(nested.json().errors.some((e: { path: string; message: string }) => e.path === 'body.extra' && e.message === 'is not a known field'));

  const ok = await beckon.call('POST', '/test/typed/0191f6a4-0000-7000-8000-000000000000?limit=5', { body: { phone: '1', content: { text: 'x' } } });
  assert.equal(ok.statusCode, 200);
});

test('errors: malformed or poisoned JSON is a 400 invalid_json (an empty one is no body); other media types 415; big bodies 413', async (t) => {
  const beckon = await withFailingRoutes();
  t.after(() => beckon.stop());
  const url = '/test/typed/0191f6a4-0000-7000-8000-000000000000';
  const json = { 'content-type': 'application/json' };
  assertProblem(await beckon.call('POST', url, { body: '{"phone": ', headers: json }), 400, 'invalid_json');
  assert.deepEqual(assertProblem(await beckon.call('POST', url, { body: '', headers: json }), 400, 'validation_failed').errors.map((e: { path: string }) => e.path), ['body']);
  assertProblem(await beckon.call('POST', url, { body: '{"phone":"1","content":{"text":"x"},"__proto__":{"admin":true}}', headers: json }), 400, 'invalid_json');
  assertProblem(await beckon.call('POST', url, { body: 'phone=1', headers: { 'content-type': 'application/x-www-form-urlencoded' } }), 415, 'unsupported_media_type');
  assertProblem(await beckon.call('POST', url, { body: 'hello', headers: { 'content-type': 'text/plain' } }), 415, 'unsupported_media_type');
  const big = JSON.stringify({ phone: '1', content: { text: 'x'.repeat(1024 * 1024) } });
  assertProblem(await beckon.call('POST', url, { body: big, headers: json }), 413, 'payload_too_large');
});

test('errors: 401 without a key, 403 without the scope, 404 for unknown routes and methods', async (t) => {
  const beckon = await withFailingRoutes();
  t.after(() => beckon.stop());
  assertProblem(await beckon.call('GET', '/test/boom', { key: null }), 401, 'unauthorized');
  assertProblem(await beckon.call('GET', '/test/boom', { key: 'bk_nope' }), 401, 'unauthorized');
  const readKey = (await beckon.call('POST', '/v1/api_keys', { body: { name: 'r', scopes: ['read'] } })).json().api_key.key;
  const forbidden = assertProblem(await beckon.call('POST', '/test/typed/0191f6a4-0000-7000-8000-000000000000', { key: readKey, body: {} }), 403, 'forbidden');
  assert.match(forbidden.detail, /"full" scope/);
  assertProblem(await beckon.call('GET', '/v1/nothing'), 404, 'not_found');
  assertProblem(await beckon.call('PUT', '/v1/auth/me'), 404, 'not_found');
});
