import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Webhook } from 'standardwebhooks';
import { startBeckon, waitFor } from '../helpers.ts';
import { Receiver } from '../receiver.ts';
import { cookiesOf, userWithSession } from '../../src/users/test-support.ts';
import { sweepExpiredSessions } from '../../src/users/session-events.ts';
import { DOCUMENTED_PAYLOADS } from '../compat-callbell-inbox/fixtures.ts';
import { assertShape } from './shape.ts';

const BASE = '/compat/callbell';
type Delivery = { event: string; payload: Record<string, any> };

test('callbell webhooks: one team_membership_updated per user added or removed; agent_session_updated on sign-in, sign-out, reset and expiry', async (t) => {
  const beckon = await startBeckon();
  const receiver = await Receiver.start();
  t.after(async () => {
    await receiver.stop();
    await beckon.stop();
  });
  const events = ['team_membership_updated', 'agent_session_updated'];
  // S/webhooks_api/_post_webhooks_subscribe.mdx with the team and agent events; a native endpoint beside it
  const subscribed = await beckon.call('POST', `${BASE}/v1/webhooks/subscribe`, { body: { url: receiver.url('/callbell'), subscriptions: events } });
  assert.equal(subscribed.statusCode, 200, subscribed.body);
  const secret = subscribed.json().webhook.secret as string;
  const native = await beckon.call('POST', '/v1/webhooks', { body: { url: receiver.url('/native'), events } });
  assert.equal(native.statusCode, 201, native.body);

  // sessions: Ann accepts her invitation (signed in), signs out, signs in again; a reset ends that session and signs her in; it expires
  const ann = await userWithSession(beckon, 'ann@example.com', 'agent');
  const out = await beckon.call('POST', '/v1/auth/logout', { key: null, headers: { cookie: ann.cookie, 'x-csrf-token': ann.csrf } });
  assert.equal(out.statusCode, 204);
  const login = await beckon.call('POST', '/v1/auth/login', { key: null, body: { email: 'ann@example.com', password: 'correct horse battery' } });
  assert.equal(login.statusCode, 200);
  const link = (await beckon.call('POST', `/v1/users/${ann.uuid}/reset-link`)).json().reset_link.url as string;
  const reset = await beckon.call('POST', '/v1/auth/password-reset/confirm', { key: null, body: { token: link.split('/reset-password/')[1], password: 'another horse battery' } });
  assert.equal(reset.statusCode, 200, reset.body);
  // the reset's session expires (its expiry moved to the past); the sweep ends it and records it, once
  const { db } = beckon.runtime.deps;
  await db.updateTable('sessions').set({ expires_at: '2000-01-01T00:00:00.000Z' }).where('user_id', '=', ann.uuid).execute();
  assert.equal((await beckon.call('GET', '/v1/auth/me', { key: null, headers: { cookie: cookiesOf(reset.headers['set-cookie']).cookie } })).statusCode, 401);
  assert.equal(await sweepExpiredSessions(beckon.runtime.deps), 1);
  assert.equal(await sweepExpiredSessions(beckon.runtime.deps), 0);
  const recorded = (await beckon.call('GET', '/v1/events?type=agent_session_updated&limit=10')).json().events.reverse();
  assert.deepEqual(recorded.map((e: { payload: { action: string; user: { uuid: string } } }) => [e.payload.action, e.payload.user.uuid]), [
    ['user_logged_in', ann.uuid], ['user_logged_out', ann.uuid], ['user_logged_in', ann.uuid], ['system_logged_out', ann.uuid], ['user_logged_in', ann.uuid], ['system_logged_out', ann.uuid],
  ]);

  // members: Ann and Bob added (one event), then Ann removed and Cy added (one event): four Callbell deliveries, two native
  const user = async (email: string) => (await beckon.call('POST', '/v1/users', { body: { email, name: email.split('@')[0], role: 'agent' } })).json().user.uuid as string;
  const [bob, cy] = [await user('bob@example.com'), await user('cy@example.com')];
  const team = (await beckon.call('POST', '/v1/teams', { body: { name: 'Support', user_uuids: [ann.uuid, bob] } })).json().team;
  assert.equal((await beckon.call('PUT', `/v1/teams/${team.uuid}/members`, { body: { user_uuids: [bob, cy] } })).statusCode, 200);

  const at = (path: string) => receiver.requests.filter((r) => r.path === path);
  await waitFor('ten deliveries', async () => (at('/callbell').length >= 10 && at('/native').length >= 8 ? true : undefined), 30_000);
  const callbell = at('/callbell').map((r) => ({ id: r.headers['webhook-id'], body: new Webhook(secret).verify(r.body, r.headers) as Delivery }));
  assert.equal(new Set(callbell.map((d) => d.id)).size, callbell.length, 'each part is its own message (webhook-id)');
  for (const d of callbell) assert.deepEqual(Object.keys(d.body).sort(), ['event', 'payload']);

  // R/webhooks/team_events/team_membership_updated.md: one per user, with the reason
  const memberships = callbell.filter((d) => d.body.event === 'team_membership_updated').map((d) => d.body);
  for (const m of memberships) assertShape(m, DOCUMENTED_PAYLOADS.team_membership_updated);
  assert.deepEqual(memberships.map((m) => `${m.payload.user.email} ${m.payload.reason} ${m.payload.team.members}`).sort(), [
    'ann@example.com agent_added 2', 'ann@example.com agent_removed 2', 'bob@example.com agent_added 2', 'cy@example.com agent_added 2',
  ]);
  assert.ok(memberships.every((m) => m.payload.team.uuid === team.uuid));
  const nativeMemberships = at('/native').map((r) => JSON.parse(r.body)).filter((b) => b.event === 'team_membership_updated');
  assert.deepEqual(nativeMemberships.map((b) => [b.payload.added.length, b.payload.removed.length]).sort(), [[1, 1], [2, 0]]);

  // R/webhooks/agent_events/agent_session_updated.md: {action, user} for each
  const sessions = callbell.filter((d) => d.body.event === 'agent_session_updated').map((d) => d.body);
  for (const s of sessions) assertShape(s, DOCUMENTED_PAYLOADS.agent_session_updated);
  assert.deepEqual(sessions.map((s) => s.payload.action).sort(), ['system_logged_out', 'system_logged_out', 'user_logged_in', 'user_logged_in', 'user_logged_in', 'user_logged_out']);
  assert.ok(sessions.every((s) => s.payload.user.email === 'ann@example.com' && s.payload.user.name === 'ann'));

  // the events log lists each part (R/object_types/webhook_event.md)
  const log = await waitFor('every delivery recorded', async () => {
    const answer = (await beckon.call('GET', `${BASE}/v1/webhooks/events`)).json();
    return answer.webhook_events.length === 10 && answer.webhook_events.every((e: { success: boolean }) => e.success) ? answer : undefined;
  }, 30_000);
  assert.equal(log.webhook_events.filter((e: { event: string }) => e.event === 'team_membership_updated').length, 4);
});
