// Shared by the users and rights tests: a signed-in user, and the cookies of a Set-Cookie answer.
import assert from 'node:assert/strict';
import type { TestBeckon } from '../../test/helpers.ts';

/** Creates a user over the API and accepts their invitation; returns the user's uuid and the session cookies. */
export async function userWithSession(beckon: TestBeckon, email: string, role: 'admin' | 'agent', password = 'correct horse battery') {
  const created = await beckon.call('POST', '/v1/users', { body: { email, name: email.split('@')[0], role } });
  assert.equal(created.statusCode, 201, created.body);
  const token = created.json().invitation.url.split('/invite/')[1];
  const accepted = await beckon.call('POST', '/v1/auth/invitations/accept', { key: null, body: { token, password } });
  assert.equal(accepted.statusCode, 200, accepted.body);
  return { uuid: created.json().user.uuid as string, ...cookiesOf(accepted.headers['set-cookie']) };
}

/** The session and CSRF tokens from Set-Cookie lines. */
export function cookiesOf(setCookie: string | string[] | undefined): { session: string; csrf: string; cookie: string } {
  const lines = ([] as string[]).concat(setCookie ?? []);
  const value = (name: string) => lines.find((l) => l.startsWith(`${name}=`))!.split(';')[0].slice(name.length + 1);
  const session = value('beckon_session');
  const csrf = value('beckon_csrf');
  return { session, csrf, cookie: `beckon_session=${session}; beckon_csrf=${csrf}` };
}
