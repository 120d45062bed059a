import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startBeckon } from '../../test/helpers.ts';
import { cookiesOf, userWithSession } from './test-support.ts';

test('users: create answers an invitation; list, get, patch, validation, duplicate email', async (t) => {
  const beckon = await startBeckon({ BECKON_PUBLIC_URL: 'https://inbox.example.com' });
  t.after(() => beckon.stop());
  const created = await beckon.call('POST', '/v1/users', { body: { email: ' Ana@Example.com ', name: 'Ana', role: 'agent' } });
  assert.equal(created.statusCode, 201);
  const { user, invitation } = created.json();
  assert.deepEqual(Object.keys(user).sort(), ['availability', 'created_at', 'custom_status', 'email', 'has_password', 'name', 'role', 'updated_at', 'uuid']);
  assert.equal(user.email, 'ana@example.com');
  assert.equal(user.role, 'agent');
  assert.equal(user.availability, 'offline');
  assert.equal(user.has_password, false);
  assert.match(invitation.url, /^https:\/\/inbox\.example\.com\/invite\/[A-Za-z0-9_-]{40,}$/);
  const hours = (Date.parse(invitation.expires_at) - Date.now()) / 3_600_000;
  assert.ok(hours > 71.9 && hours <= 72, String(hours));

  const dup = await beckon.call('POST', '/v1/users', { body: { email: 'ana@example.com', name: 'Other', role: 'admin' } });
  assert.equal(dup.statusCode, 409);
  assert.deepEqual(dup.json().errors, [{ path: 'body.email', message: 'is taken' }]);

  const badEmail = await beckon.call('POST', '/v1/users', { body: { email: 'not-an-email', name: 'X', role: 'agent' } });
  assert.equal(badEmail.statusCode, 400);
  assert.equal(badEmail.json().errors[0].path, 'body.email');
  const badRole = await beckon.call('POST', '/v1/users', { body: { email: 'x@example.com', name: 'X', role: 'owner' } });
  assert.equal(badRole.statusCode, 400);
  assert.equal(badRole.json().errors[0].path, 'body.role');
  const noName = await beckon.call('POST', '/v1/users', { body: { email: 'x@example.com', role: 'agent' } });
  assert.equal(noName.statusCode, 400);
  assert.equal(noName.json().errors[0].path, 'body.name');

  const listed = await beckon.call('GET', '/v1/users');
  assert.deepEqual(listed.json().users.map((u: { uuid: string }) => u.uuid), [user.uuid]);
  assert.deepEqual((await beckon.call('GET', `/v1/users/${user.uuid}`)).json().user, user);

  const patched = await beckon.call('PATCH', `/v1/users/${user.uuid}`, { body: { name: 'Ana María', availability: 'available', custom_status: 'At lunch' } });
  assert.equal(patched.statusCode, 200);
  assert.equal(patched.json().user.name, 'Ana María');
  assert.equal(patched.json().user.availability, 'available');
  assert.equal(patched.json().user.custom_status, 'At lunch');
  const badAvailability = await beckon.call('PATCH', `/v1/users/${user.uuid}`, { body: { availability: 'busy' } });
  assert.equal(badAvailability.statusCode, 400);
  assert.equal(badAvailability.json().errors[0].path, 'body.availability');
  assert.equal((await beckon.call('GET', '/v1/users/0190a000-0000-7000-8000-000000000000')).statusCode, 404);

  const status = await beckon.call('POST', '/v1/custom_statuses', { body: { name: ' At lunch ' } });
  assert.equal(status.statusCode, 201);
  assert.equal(status.json().custom_status.name, 'At lunch');
  const dupStatus = await beckon.call('POST', '/v1/custom_statuses', { body: { name: 'At lunch' } });
  assert.equal(dupStatus.statusCode, 409);
  assert.deepEqual(dupStatus.json().errors, [{ path: 'body.name', message: 'is taken' }]);
  await beckon.call('POST', '/v1/custom_statuses', { body: { name: 'Around' } });
  assert.deepEqual((await beckon.call('GET', '/v1/custom_statuses')).json().custom_statuses.map((c: { name: string }) => c.name), ['Around', 'At lunch']);
  assert.equal((await beckon.call('DELETE', `/v1/custom_statuses/${status.json().custom_status.uuid}`)).statusCode, 200);
  assert.equal((await beckon.call('DELETE', `/v1/custom_statuses/${status.json().custom_status.uuid}`)).statusCode, 404);
  assert.equal((await beckon.call('POST', '/v1/custom_statuses', { body: { name: '' } })).json().errors[0].path, 'body.name');

  const events = (await beckon.call('GET', '/v1/events?type=agent_status_updated')).json().events;
  assert.equal(events.length, 1);
  assert.equal(events[0].payload.user.custom_status, 'At lunch');
});

test('sessions: invitation accept signs in with exact cookies; login, wrong password 401, me, logout, token used once', async (t) => {
  const beckon = await startBeckon({ BECKON_PUBLIC_URL: 'https://inbox.example.com', BECKON_SESSION_MAX_SECONDS: '86400' });
  t.after(() => beckon.stop());
  const created = await beckon.call('POST', '/v1/users', { body: { email: 'bo@example.com', name: 'Bo', role: 'agent' } });
  const token = created.json().invitation.url.split('/invite/')[1];
  const short = await beckon.call('POST', '/v1/auth/invitations/accept', { key: null, body: { token, password: 'short' } });
  assert.equal(short.statusCode, 400);
  assert.deepEqual(short.json().errors, [{ path: 'body.password', message: 'must be at least 10 characters' }]);
  const accepted = await beckon.call('POST', '/v1/auth/invitations/accept', { key: null, body: { token, password: 'a long passphrase' } });
  assert.equal(accepted.statusCode, 200);
  assert.equal(accepted.json().user.has_password, true);
  const { session, csrf } = cookiesOf(accepted.headers['set-cookie']);
  assert.match(session, /^[A-Za-z0-9_-]{40,}$/);
  assert.deepEqual(accepted.headers['set-cookie'], [
    `beckon_session=${session}; Path=/; Max-Age=86400; HttpOnly; SameSite=Lax; Secure`,
    `beckon_csrf=${csrf}; Path=/; Max-Age=86400; SameSite=Lax; Secure`,
  ]);
  const again = await beckon.call('POST', '/v1/auth/invitations/accept', { key: null, body: { token, password: 'a long passphrase' } });
  assert.equal(again.statusCode, 400);
  assert.equal(again.json().code, 'token_invalid');

  const wrong = await beckon.call('POST', '/v1/auth/login', { key: null, body: { email: 'bo@example.com', password: 'not the password' } });
  assert.equal(wrong.statusCode, 401);
  assert.equal(wrong.json().code, 'invalid_credentials');
  assert.equal(wrong.headers['set-cookie'], undefined);
  const unknown = await beckon.call('POST', '/v1/auth/login', { key: null, body: { email: 'nobody@example.com', password: 'a long passphrase' } });
  assert.equal(unknown.statusCode, 401);
  assert.equal(unknown.json().code, 'invalid_credentials');

  const login = await beckon.call('POST', '/v1/auth/login', { key: null, body: { email: 'BO@example.com', password: 'a long passphrase' } });
  assert.equal(login.statusCode, 200);
  assert.equal(login.json().user.email, 'bo@example.com');
  const c = cookiesOf(login.headers['set-cookie']);
  const me = await beckon.call('GET', '/v1/auth/me', { key: null, headers: { cookie: c.cookie } });
  assert.equal(me.statusCode, 200);
  assert.equal(me.json().user.email, 'bo@example.com');
  assert.equal(me.json().api_key, null);
  assert.deepEqual(me.json().scopes, ['full']);
  const keyMe = await beckon.call('GET', '/v1/auth/me');
  assert.equal(keyMe.json().user, null);
  assert.deepEqual(keyMe.json().api_key.scopes, ['admin']);

  const logout = await beckon.call('POST', '/v1/auth/logout', { key: null, headers: { cookie: c.cookie, 'x-csrf-token': c.csrf } });
  assert.equal(logout.statusCode, 204);
  assert.deepEqual(logout.headers['set-cookie'], ['beckon_session=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax; Secure', 'beckon_csrf=; Path=/; Max-Age=0; SameSite=Lax; Secure']);
  const after = await beckon.call('GET', '/v1/auth/me', { key: null, headers: { cookie: c.cookie } });
  assert.equal(after.statusCode, 401);
  // the other session (from the invitation) still works
  assert.equal((await beckon.call('GET', '/v1/auth/me', { key: null, headers: { cookie: `beckon_session=${session}` } })).statusCode, 200);
});

test('sessions: no Secure on http; CSRF refused without the token, allowed with it; bearer unaffected', async (t) => {
  const beckon = await startBeckon();
  t.after(() => beckon.stop());
  const s = await userWithSession(beckon, 'cy@example.com', 'agent');
  const login = await beckon.call('POST', '/v1/auth/login', { key: null, body: { email: 'cy@example.com', password: 'correct horse battery' } });
  assert.deepEqual(login.headers['set-cookie'], [
    `beckon_session=${cookiesOf(login.headers['set-cookie']).session}; Path=/; Max-Age=2592000; HttpOnly; SameSite=Lax`,
    `beckon_csrf=${cookiesOf(login.headers['set-cookie']).csrf}; Path=/; Max-Age=2592000; SameSite=Lax`,
  ]);
  const body = { phone: '+14155550101', name: 'Walk-in' };
  const noToken = await beckon.call('POST', '/v1/contacts', { key: null, body, headers: { cookie: s.cookie } });
  assert.equal(noToken.statusCode, 403);
  assert.equal(noToken.json().code, 'csrf_failed');
  const wrongToken = await beckon.call('POST', '/v1/contacts', { key: null, body, headers: { cookie: s.cookie, 'x-csrf-token': cookiesOf(login.headers['set-cookie']).csrf } });
  assert.equal(wrongToken.statusCode, 403);
  assert.equal(wrongToken.json().code, 'csrf_failed');
  const ok = await beckon.call('POST', '/v1/contacts', { key: null, body, headers: { cookie: s.cookie, 'x-csrf-token': s.csrf } });
  assert.equal(ok.statusCode, 201);
  // reads need no token
  assert.equal((await beckon.call('GET', '/v1/contacts', { key: null, headers: { cookie: s.cookie } })).statusCode, 200);
  // a bearer key needs no CSRF token, and a bearer header wins over a cookie
  const bearer = await beckon.call('POST', '/v1/contacts', { body: { phone: '+14155550102' }, headers: { cookie: s.cookie } });
  assert.equal(bearer.statusCode, 201);
  const noCookie = await beckon.call('GET', '/v1/contacts', { key: null, headers: { cookie: 'beckon_session=forged' } });
  assert.equal(noCookie.statusCode, 401);
  assert.equal(noCookie.json().code, 'unauthorized');
});

test('sessions: expire after the idle time; the absolute limit holds', async (t) => {
  // seconds wide enough for a loaded machine: each step below lands well inside or well past a limit
  const beckon = await startBeckon({ BECKON_SESSION_IDLE_SECONDS: '2', BECKON_SESSION_MAX_SECONDS: '5' });
  t.after(() => beckon.stop());
  // the route's first request compiles its schemas: not inside the timed part
  assert.equal((await beckon.call('GET', '/v1/auth/me')).statusCode, 200);
  const s = await userWithSession(beckon, 'di@example.com', 'admin');
  assert.equal((await beckon.call('GET', '/v1/auth/me', { key: null, headers: { cookie: s.cookie } })).statusCode, 200);
  await new Promise((r) => setTimeout(r, 2300));
  const expired = await beckon.call('GET', '/v1/auth/me', { key: null, headers: { cookie: s.cookie } });
  assert.equal(expired.statusCode, 401);
  assert.equal(expired.json().detail, 'the session expired or was ended: sign in again');
  // used every 0.5 s, a session slides past its idle time, but not past the absolute limit
  const login = cookiesOf((await beckon.call('POST', '/v1/auth/login', { key: null, body: { email: 'di@example.com', password: 'correct horse battery' } })).headers['set-cookie']);
  const statuses: number[] = [];
  for (let i = 0; i < 12; i++) {
    await new Promise((r) => setTimeout(r, 500));
    statuses.push((await beckon.call('GET', '/v1/auth/me', { key: null, headers: { cookie: login.cookie } })).statusCode);
  }
  assert.deepEqual(statuses.slice(0, 4), [200, 200, 200, 200]);
  assert.equal(statuses[11], 401);
});

test('login: attempts are rate limited per email (429 with Retry-After)', async (t) => {
  const beckon = await startBeckon({ BECKON_LOGIN_RATE_LIMIT: '3', BECKON_LOGIN_RATE_LIMIT_WINDOW_MS: '60000' });
  t.after(() => beckon.stop());
  const codes: number[] = [];
  for (let i = 0; i < 4; i++) codes.push((await beckon.call('POST', '/v1/auth/login', { key: null, body: { email: 'eve@example.com', password: 'guess number ' + i } })).statusCode);
  assert.deepEqual(codes, [401, 401, 401, 429]);
  const limited = await beckon.call('POST', '/v1/auth/login', { key: null, body: { email: 'Eve@example.com', password: 'guess again!' } });
  assert.equal(limited.statusCode, 429);
  assert.equal(limited.json().code, 'rate_limited');
  const retry = Number(limited.headers['retry-after']);
  assert.ok(retry > 0 && retry <= 60, String(limited.headers['retry-after']));
  // another email from the same address still gets through (the per-address limit is 5x)
  assert.equal((await beckon.call('POST', '/v1/auth/login', { key: null, body: { email: 'fay@example.com', password: 'whatever it is' } })).statusCode, 401);
});

test('password reset: always 202; an admin\'s reset link sets a new password and ends the old sessions', async (t) => {
  const beckon = await startBeckon();
  t.after(() => beckon.stop());
  const s = await userWithSession(beckon, 'gus@example.com', 'agent');
  for (const email of ['gus@example.com', 'nobody@example.com']) {
    const asked = await beckon.call('POST', '/v1/auth/password-reset', { key: null, body: { email } });
    assert.equal(asked.statusCode, 202);
    assert.deepEqual(asked.json(), { status: 'accepted' });
  }
  const link = await beckon.call('POST', `/v1/users/${s.uuid}/reset-link`);
  assert.equal(link.statusCode, 201);
  const token = link.json().reset_link.url.split('/reset-password/')[1];
  const hours = (Date.parse(link.json().reset_link.expires_at) - Date.now()) / 3_600_000;
  assert.ok(hours > 0.99 && hours <= 1, String(hours));
  // an invitation accept does not take a reset token
  assert.equal((await beckon.call('POST', '/v1/auth/invitations/accept', { key: null, body: { token, password: 'new passphrase!' } })).json().code, 'token_invalid');
  const confirmed = await beckon.call('POST', '/v1/auth/password-reset/confirm', { key: null, body: { token, password: 'new passphrase!' } });
  assert.equal(confirmed.statusCode, 200);
  assert.equal((await beckon.call('GET', '/v1/auth/me', { key: null, headers: { cookie: s.cookie } })).statusCode, 401);
  assert.equal((await beckon.call('POST', '/v1/auth/login', { key: null, body: { email: 'gus@example.com', password: 'correct horse battery' } })).statusCode, 401);
  assert.equal((await beckon.call('POST', '/v1/auth/login', { key: null, body: { email: 'gus@example.com', password: 'new passphrase!' } })).statusCode, 200);
  assert.equal((await beckon.call('POST', '/v1/auth/password-reset/confirm', { key: null, body: { token, password: 'third passphrase' } })).statusCode, 400);
});
