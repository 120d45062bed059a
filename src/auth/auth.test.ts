import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startBeckon } from '../../test/helpers.ts';

test('api keys: create with scopes, show the secret once, authenticate, enforce scopes, revoke', async (t) => {
  const beckon = await startBeckon();
  t.after(() => beckon.stop());

  const me = await beckon.call('GET', '/v1/auth/me');
  assert.equal(me.statusCode, 200);
  assert.deepEqual(me.json().api_key.scopes, ['admin']);
  assert.equal(me.json().workspace.name, 'default');

  const created = await beckon.call('POST', '/v1/api_keys', { body: { name: 'reporting', scopes: ['read'] } });
  assert.equal(created.statusCode, 201);
  const readKey = created.json().api_key.key as string;
  assert.match(readKey, /^bk_/);
  assert.equal(created.json().api_key.prefix, readKey.slice(0, 10));

  const listed = await beckon.call('GET', '/v1/api_keys');
  assert.equal(listed.json().api_keys.length, 2);
  assert.ok(listed.json().api_keys.every((k: Record<string, unknown>) => !('key' in k) && !('key_hash' in k)));

  assert.equal((await beckon.call('GET', '/v1/auth/me', { key: readKey })).statusCode, 200);
  const forbidden = await beckon.call('GET', '/v1/api_keys', { key: readKey });
  assert.equal(forbidden.statusCode, 403);
  assert.equal(forbidden.headers['content-type'], 'application/problem+json; charset=utf-8');
  assert.equal(forbidden.json().code, 'forbidden');

  const revoked = await beckon.call('DELETE', `/v1/api_keys/${created.json().api_key.uuid}`);
  assert.equal(revoked.statusCode, 200);
  assert.ok(revoked.json().api_key.revoked_at);
  const after = await beckon.call('GET', '/v1/auth/me', { key: readKey });
  assert.equal(after.statusCode, 401);
  assert.equal(after.json().code, 'unauthorized');
});

test('auth: missing or unknown bearer is a 401 problem; keys never cross workspaces', async (t) => {
  const beckon = await startBeckon();
  t.after(() => beckon.stop());
  const none = await beckon.call('GET', '/v1/auth/me', { key: null });
  assert.equal(none.statusCode, 401);
  assert.equal(none.json().status, 401);
  assert.equal((await beckon.call('GET', '/v1/auth/me', { key: 'bk_nope' })).statusCode, 401);

  const otherKey = await beckon.newWorkspace('other');
  const otherKeys = await beckon.call('GET', '/v1/api_keys', { key: otherKey });
  assert.equal(otherKeys.json().api_keys.length, 1);
  const mine = await beckon.call('GET', '/v1/api_keys');
  const myKeyId = mine.json().api_keys[0].uuid;
  const cross = await beckon.call('DELETE', `/v1/api_keys/${myKeyId}`, { key: otherKey });
  assert.equal(cross.statusCode, 404);
  assert.equal((await beckon.call('GET', '/v1/auth/me')).statusCode, 200);
});

test('errors: bad input is a 400 naming the field; malformed JSON is a 400; unknown route is 404', async (t) => {
  const beckon = await startBeckon();
  t.after(() => beckon.stop());
  const bad = await beckon.call('POST', '/v1/api_keys', { body: { scopes: ['root'] } });
  assert.equal(bad.statusCode, 400);
  const paths = bad.json().errors.map((e: { path: string }) => e.path).sort();
  assert.ok(paths.includes('body.name'), JSON.stringify(paths));
  assert.ok(paths.some((p: string) => p.startsWith('body.scopes')), JSON.stringify(paths));

  const malformed = await beckon.call('POST', '/v1/api_keys', { body: '{"name": ', headers: { 'content-type': 'application/json' } });
  assert.equal(malformed.statusCode, 400);
  assert.equal(malformed.json().code, 'invalid_json');

  const wrongType = await beckon.call('POST', '/v1/api_keys', { body: 'name=x', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  assert.equal(wrongType.statusCode, 415);
  assert.equal(wrongType.json().code, 'unsupported_media_type');

  const huge = await beckon.call('POST', '/v1/api_keys', { body: JSON.stringify({ name: 'x'.repeat(2 * 1024 * 1024) }), headers: { 'content-type': 'application/json' } });
  assert.equal(huge.statusCode, 413);

  const missing = await beckon.call('GET', '/v1/nothing-here');
  assert.equal(missing.statusCode, 404);
  assert.equal(missing.json().code, 'not_found');
});
