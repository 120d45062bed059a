import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startBeckon } from '../../test/helpers.ts';
import { loadConfig } from '../config.ts';

test('bootstrap: the first start issues a one-time link that creates and signs in the first admin', async (t) => {
  const beckon = await startBeckon({ BECKON_PUBLIC_URL: 'https://beckon.example.com' });
  t.after(() => beckon.stop());
  const link = beckon.runtime.adminLink!;
  assert.match(link, /^https:\/\/beckon\.example\.com\/invite\/[A-Za-z0-9_-]{40,}$/);
  const token = link.split('/invite/')[1];
  const noEmail = await beckon.call('POST', '/v1/auth/invitations/accept', { key: null, body: { token, password: 'first admin pass' } });
  assert.equal(noEmail.statusCode, 400);
  assert.deepEqual(noEmail.json().errors, [{ path: 'body.email', message: 'the first admin\'s email is required with this link' }]);
  const accepted = await beckon.call('POST', '/v1/auth/invitations/accept', { key: null, body: { token, password: 'first admin pass', email: 'Root@Example.com', name: 'Root' } });
  assert.equal(accepted.statusCode, 200, accepted.body);
  assert.equal(accepted.json().user.role, 'admin');
  assert.equal(accepted.json().user.email, 'root@example.com');
  assert.equal(accepted.headers['set-cookie']!.length, 2);
  assert.equal((await beckon.call('POST', '/v1/auth/invitations/accept', { key: null, body: { token, password: 'first admin pass', email: 'x@example.com', name: 'X' } })).json().code, 'token_invalid');
  const login = await beckon.call('POST', '/v1/auth/login', { key: null, body: { email: 'root@example.com', password: 'first admin pass' } });
  assert.equal(login.statusCode, 200);
  assert.deepEqual((await beckon.call('GET', '/v1/users')).json().users.map((u: { email: string }) => u.email), ['root@example.com']);
});

test('bootstrap: BECKON_BOOTSTRAP_ADMIN_EMAIL and _PASSWORD create the first admin (no link); both or neither', async (t) => {
  const beckon = await startBeckon({ BECKON_BOOTSTRAP_ADMIN_EMAIL: 'Ops@Example.com', BECKON_BOOTSTRAP_ADMIN_PASSWORD: 'ops password 1' });
  t.after(() => beckon.stop());
  assert.equal(beckon.runtime.adminLink, null);
  const login = await beckon.call('POST', '/v1/auth/login', { key: null, body: { email: 'ops@example.com', password: 'ops password 1' } });
  assert.equal(login.statusCode, 200);
  assert.equal(login.json().user.role, 'admin');
  assert.equal(login.json().user.name, 'ops');
  assert.throws(() => loadConfig({ BECKON_BOOTSTRAP_ADMIN_EMAIL: 'a@example.com' }), /BECKON_BOOTSTRAP_ADMIN_EMAIL and BECKON_BOOTSTRAP_ADMIN_PASSWORD go together/);
  assert.throws(() => loadConfig({ BECKON_BOOTSTRAP_ADMIN_EMAIL: 'a@example.com', BECKON_BOOTSTRAP_ADMIN_PASSWORD: 'short' }), /BECKON_BOOTSTRAP_ADMIN_PASSWORD must be at least 10 characters/);
  assert.throws(() => loadConfig({ BECKON_BOOTSTRAP_ADMIN_EMAIL: 'nope', BECKON_BOOTSTRAP_ADMIN_PASSWORD: 'long enough pass' }), /BECKON_BOOTSTRAP_ADMIN_EMAIL must be an email address/);
});
