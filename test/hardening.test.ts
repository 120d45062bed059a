import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Type } from 'typebox';
import { startBeckon } from './helpers.ts';

const PROBLEM = 'application/problem+json; charset=utf-8';
const UNKNOWN = '0191f6a4-0000-7000-8000-000000000000';

type Res = { statusCode: number; headers: Record<string, unknown>; body: string; json(): any };

function assertProblem(res: Res, status: number, code: string, what = ''): any {
  assert.equal(res.statusCode, status, `${what}: ${res.body}`);
  assert.equal(res.headers['content-type'], PROBLEM, what);
  const body = res.json();
  assert.equal(body.status, status, what);
  assert.equal(body.code, code, what);
  assert.equal(body.type, `urn:beckon:problem:${code}`, what);
  assert.doesNotMatch(res.body, /FST_|statusCode/, what);
  return body;
}

test('hardening: ±Infinity and 1e309 limits are a 400 naming query.limit on every list route', async (t) => {
  const beckon = await startBeckon({}, { worker: false });
  t.after(() => beckon.stop());
  beckon.runtime.app.post('/test/number', { config: { scope: 'full' }, schema: { body: Type.Object({ n: Type.Number() }) } }, async () => ({ ok: true }));
  const spec = (await beckon.call('GET', '/openapi.json', { key: null })).json();
  const lists: string[] = [];
  for (const [path, ops] of Object.entries<any>(spec.paths)) {
    if (ops.get?.parameters?.some((p: { in: string; name: string }) => p.in === 'query' && p.name === 'limit')) lists.push(path);
  }
  assert.ok(lists.length >= 13, `list routes found: ${lists.join(', ')}`);
  for (const path of lists) {
    // an unknown id for each path parameter (an event type for /v1/hooks/samples/{event}: it must be valid to reach the query)
    const url = path.replace(/\{[^}]+\}/g, (param) => (param === '{event}' ? 'message_created' : UNKNOWN));
    for (const limit of ['1e309', '-1e309', 'Infinity', '-Infinity', 'NaN']) {
      const body = assertProblem(await beckon.call('GET', `${url}?limit=${limit}`), 400, 'validation_failed', `${path}?limit=${limit}`);
      assert.ok(body.errors.some((e: { path: string }) => e.path === 'query.limit'), `${path}?limit=${limit}: ${JSON.stringify(body.errors)}`);
    }
  }
  // A JSON number too large for a double is read as Infinity: it is not a number either.
  const huge = await beckon.call('POST', '/test/number', { body: '{"n": 1e309}', headers: { 'content-type': 'application/json' } });
  assert.deepEqual(assertProblem(huge, 400, 'validation_failed').errors.map((e: { path: string }) => e.path), ['body.n']);
  // Query strings still coerce: a number, and a single value to an array.
  assert.equal((await beckon.call('GET', '/v1/contacts?limit=5&tags=vip')).statusCode, 200);
});

test('hardening: a JSON body is never coerced (an array for a scalar is a 400 naming the field)', async (t) => {
  const beckon = await startBeckon({}, { worker: false });
  t.after(() => beckon.stop());
  const created = await beckon.call('POST', '/v1/contacts', { body: { phone: '+14155550100', name: 'Ada' } });
  assert.equal(created.statusCode, 201, created.body);
  const uuid = created.json().contact.uuid;
  for (const field of ['name', 'phone', 'email']) {
    for (const value of [['x'], [null], 42, true]) {
      const res = await beckon.call('PATCH', `/v1/contacts/${uuid}`, { body: { [field]: value } });
      const body = assertProblem(res, 400, 'validation_failed', `${field}=${JSON.stringify(value)}`);
      assert.ok(body.errors.some((e: { path: string }) => e.path === `body.${field}`), JSON.stringify(body.errors));
    }
  }
  const after = (await beckon.call('GET', `/v1/contacts/${uuid}`)).json().contact;
  assert.equal(after.name, 'Ada', '{"name":[null]} did not clear the name');
  const description = await beckon.call('POST', '/v1/webhooks', { body: { url: 'http://127.0.0.1:9/hook', events: ['message_created'], description: ['x'] } });
  assert.ok(assertProblem(description, 400, 'validation_failed').errors.some((e: { path: string }) => e.path === 'body.description'));
  const template = await beckon.call('POST', '/v1/templates', { body: { name: 'x', channel_type: 'whatsapp', body: 'Hi', footer: ['x'] } });
  assert.equal(template.statusCode, 400, template.body);
  assert.equal(template.headers['content-type'], PROBLEM);
  // Valid bodies still pass.
  assert.equal((await beckon.call('PATCH', `/v1/contacts/${uuid}`, { body: { name: null } })).statusCode, 200);
});

test('hardening: every error Fastify itself produces is problem+json with a stable code', async (t) => {
  const beckon = await startBeckon({}, { worker: false });
  t.after(() => beckon.stop());
  assertProblem(await beckon.call('GET', '/v1/nothing'), 404, 'not_found', 'unknown route');
  assertProblem(await beckon.call('GET', '/v1/contacts/%c0'), 400, 'bad_url', 'broken percent-encoding');
  assertProblem(await beckon.call('GET', `/v1/contacts/${'a'.repeat(1000)}`), 414, 'uri_too_long', 'long path parameter');
  const json = { 'content-type': 'application/json' };
  assertProblem(await beckon.call('POST', '/v1/contacts', { body: '{"phone": ', headers: json }), 400, 'invalid_json', 'bad JSON');
  assertProblem(await beckon.call('POST', '/v1/contacts', { body: 'a=1', headers: { 'content-type': 'application/x-www-form-urlencoded' } }), 415, 'unsupported_media_type');
  assertProblem(await beckon.call('POST', '/v1/contacts', { body: JSON.stringify({ name: 'x'.repeat(1024 * 1024 + 10) }), headers: json }), 413, 'payload_too_large');
  // An empty body with a JSON content type is no body: a route without a body answers as usual, one with a body names it.
  const created = (await beckon.call('POST', '/v1/contacts', { body: { phone: '+14155550101' } })).json().contact;
  const deleted = await beckon.call('DELETE', `/v1/contacts/${created.uuid}`, { body: '', headers: json });
  assert.ok(deleted.statusCode < 300, deleted.body);
  const empty = assertProblem(await beckon.call('POST', '/v1/contacts', { body: '', headers: json }), 400, 'validation_failed', 'empty body');
  assert.ok(empty.errors.some((e: { path: string }) => e.path === 'body'), JSON.stringify(empty.errors));
});
