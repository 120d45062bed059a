import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startBeckon } from '../../test/helpers.ts';

test('teams: CRUD, unique names, members (put, add, remove), team_membership_updated events, deleted users leave', async (t) => {
  const beckon = await startBeckon();
  t.after(() => beckon.stop());
  const user = async (email: string) => (await beckon.call('POST', '/v1/users', { body: { email, name: email.split('@')[0], role: 'agent' } })).json().user.uuid as string;
  const [a, b, c] = [await user('a@example.com'), await user('b@example.com'), await user('c@example.com')];

  const created = await beckon.call('POST', '/v1/teams', { body: { name: 'Sales', auto_assign: true, user_uuids: [a] } });
  assert.equal(created.statusCode, 201);
  const team = created.json().team;
  assert.deepEqual(Object.keys(team).sort(), ['auto_assign', 'created_at', 'member_uuids', 'name', 'updated_at', 'uuid']);
  assert.equal(team.auto_assign, true);
  assert.deepEqual(team.member_uuids, [a]);
  const dup = await beckon.call('POST', '/v1/teams', { body: { name: 'Sales' } });
  assert.equal(dup.statusCode, 409);
  assert.deepEqual(dup.json().errors, [{ path: 'body.name', message: 'is taken' }]);
  const badMember = await beckon.call('POST', '/v1/teams', { body: { name: 'Support', user_uuids: [a, '0190a000-0000-7000-8000-000000000000'] } });
  assert.equal(badMember.statusCode, 404);
  assert.deepEqual(badMember.json().errors, [{ path: 'body.user_uuids.1', message: 'names no user of this workspace' }]);
  assert.equal((await beckon.call('POST', '/v1/teams', { body: { name: '' } })).json().errors[0].path, 'body.name');

  const renamed = await beckon.call('PATCH', `/v1/teams/${team.uuid}`, { body: { name: 'Sales EU', auto_assign: false } });
  assert.equal(renamed.json().team.name, 'Sales EU');
  assert.equal(renamed.json().team.auto_assign, false);

  const put = await beckon.call('PUT', `/v1/teams/${team.uuid}/members`, { body: { user_uuids: [b, c] } });
  assert.equal(put.statusCode, 200);
  assert.deepEqual([...put.json().team.member_uuids].sort(), [b, c].sort());
  const added = await beckon.call('POST', `/v1/teams/${team.uuid}/members`, { body: { user_uuid: a } });
  assert.equal(added.json().team.member_uuids.length, 3);
  assert.equal((await beckon.call('POST', `/v1/teams/${team.uuid}/members`, { body: { user_uuid: a } })).json().team.member_uuids.length, 3);
  const removed = await beckon.call('DELETE', `/v1/teams/${team.uuid}/members/${b}`);
  assert.deepEqual([...removed.json().team.member_uuids].sort(), [a, c].sort());
  assert.equal((await beckon.call('DELETE', `/v1/teams/${team.uuid}/members/${b}`)).statusCode, 404);
  const members = (await beckon.call('GET', `/v1/teams/${team.uuid}/members`)).json().members;
  assert.deepEqual(members.map((m: { email: string }) => m.email).sort(), ['a@example.com', 'c@example.com']);

  const events = (await beckon.call('GET', '/v1/events?type=team_membership_updated&limit=100')).json().events.reverse();
  assert.deepEqual(events.map((e: { payload: { added: string[]; removed: string[] } }) => [e.payload.added.length, e.payload.removed.length]), [[1, 0], [2, 1], [1, 0], [0, 1]]);
  assert.deepEqual(events[3].payload.removed, [b]);
  assert.equal(events[3].payload.team.uuid, team.uuid);

  // a deleted user leaves their teams
  await beckon.call('DELETE', `/v1/users/${c}`);
  assert.deepEqual((await beckon.call('GET', `/v1/teams/${team.uuid}`)).json().team.member_uuids, [a]);

  assert.deepEqual((await beckon.call('GET', '/v1/teams')).json().teams.map((x: { uuid: string }) => x.uuid), [team.uuid]);
  const gone = await beckon.call('DELETE', `/v1/teams/${team.uuid}`);
  assert.equal(gone.statusCode, 200);
  assert.equal((await beckon.call('GET', `/v1/teams/${team.uuid}`)).statusCode, 404);
});

test('teams and users: another workspace sees none of them and cannot change them', async (t) => {
  const beckon = await startBeckon();
  t.after(() => beckon.stop());
  const other = await beckon.newWorkspace('other');
  const user = (await beckon.call('POST', '/v1/users', { body: { email: 'mine@example.com', name: 'Mine', role: 'agent' } })).json().user.uuid;
  const team = (await beckon.call('POST', '/v1/teams', { body: { name: 'Mine', user_uuids: [user] } })).json().team.uuid;
  assert.deepEqual((await beckon.call('GET', '/v1/users', { key: other })).json().users, []);
  assert.deepEqual((await beckon.call('GET', '/v1/teams', { key: other })).json().teams, []);
  assert.equal((await beckon.call('GET', `/v1/users/${user}`, { key: other })).statusCode, 404);
  assert.equal((await beckon.call('DELETE', `/v1/users/${user}`, { key: other })).statusCode, 404);
  assert.equal((await beckon.call('PATCH', `/v1/teams/${team}`, { key: other, body: { name: 'X' } })).statusCode, 404);
  const otherTeam = (await beckon.call('POST', '/v1/teams', { key: other, body: { name: 'Mine' } })).json().team.uuid;
  assert.ok(otherTeam, 'team names are unique per workspace only');
  const foreignMember = await beckon.call('POST', `/v1/teams/${otherTeam}/members`, { key: other, body: { user_uuid: user } });
  assert.equal(foreignMember.statusCode, 404);
  assert.equal((await beckon.call('POST', '/v1/api_keys', { key: other, body: { name: 'k', user_uuid: user } })).statusCode, 404);
  // the email is unique among all workspaces
  assert.equal((await beckon.call('POST', '/v1/users', { key: other, body: { email: 'mine@example.com', name: 'Copy', role: 'agent' } })).statusCode, 409);
});
