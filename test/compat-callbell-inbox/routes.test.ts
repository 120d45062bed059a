import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startBeckon, type TestBeckon } from '../helpers.ts';
import { conversationOf, createUser, expectCall, whatsappChannel, writeIn } from '../inbox-fixtures.ts';
import { DOCUMENTED, type DocumentedCall } from './fixtures.ts';
import { assertShape, type ShapeAllowances } from './shape.ts';

const PREFIX = '/compat/callbell';

/** Replays a documented call with Beckon's ids in place of Callbell's; checks the status and the answer's shape. */
async function replay(beckon: TestBeckon, call: DocumentedCall, ids: Record<string, string>, allow: ShapeAllowances = {}, key = beckon.key): Promise<any> {
  let path = call.path;
  let body = call.body === undefined ? undefined : JSON.stringify(call.body);
  for (const [callbell, beckonId] of Object.entries(ids)) {
    path = path.replaceAll(callbell, beckonId);
    body = body?.replaceAll(callbell, beckonId);
  }
  const res = await beckon.call(call.method, PREFIX + path, { body: body === undefined ? undefined : JSON.parse(body), key });
  assert.equal(res.statusCode, call.status, `${call.method} ${path} (${call.source}): ${res.body}`);
  if (call.status === 204) {
    assert.equal(res.body, '');
    return null;
  }
  const answer = res.json();
  if (call.example !== null) assertShape(answer, call.example, allow, `${call.method} ${call.path} (${call.source})`);
  return answer;
}

test('Callbell inbox endpoints: every documented request answers the documented shape, over Beckon\'s own data', async (t) => {
  const beckon = await startBeckon({}, { worker: false });
  t.after(() => beckon.stop());
  const ann = await createUser(beckon, 'Ann');
  const bob = await createUser(beckon, 'Bob');
  const team = (await expectCall(beckon, 'POST', '/v1/teams', 201, { name: 'Support', user_uuids: [ann.uuid, bob.uuid] })).team;
  const vacationing = (await expectCall(beckon, 'POST', '/v1/custom_statuses', 201, { name: 'Vacationing' })).custom_status;
  await expectCall(beckon, 'PATCH', `/v1/users/${bob.uuid}`, 200, { custom_status: 'Vacationing' });
  const funnel = (await expectCall(beckon, 'POST', '/v1/funnels', 201, { name: 'Sales', stages: [{ name: 'Awareness' }, { name: 'Interest' }] })).funnel;
  const channel = await whatsappChannel(beckon);
  await writeIn(beckon, channel, '+393331234001');
  const conversation = await conversationOf(beckon, '+393331234001');
  const contact = conversation.contact.uuid as string;
  const CALLBELL_TEAM = 'ad42a09715814e6483b1c5debd6a2dbc';
  const CALLBELL_CONTACT = '414a6d692bd645ed803f2e7ce360d4c8';

  // Teams
  const teams = await replay(beckon, DOCUMENTED.listTeams, {});
  assert.deepEqual(teams, { teams: [{ uuid: team.uuid, name: 'Support', createdAt: team.created_at, default: false, members: 2 }], meta: { page: 1, pages: 1 } });
  assert.deepEqual((await beckon.call('GET', `${PREFIX}/v1/teams?page=2`)).json(), { teams: [], meta: { page: 2, pages: 1 } });
  assert.equal((await replay(beckon, DOCUMENTED.getTeam, { [CALLBELL_TEAM]: team.uuid })).team.uuid, team.uuid);
  assert.equal((await replay(beckon, DOCUMENTED.patchTeam, { [CALLBELL_CONTACT]: team.uuid })).team.name, 'New name');
  assert.equal((await expectCall(beckon, 'GET', `/v1/teams/${team.uuid}`, 200)).team.name, 'New name', 'the rename is Beckon\'s own');
  const members = await replay(beckon, DOCUMENTED.teamMembers, { [CALLBELL_TEAM]: team.uuid }, { optional: ['users[].userCustomStatus'] });
  assert.deepEqual(members.users.map((u: any) => [u.name, u.available, u.userCustomStatus?.name ?? null, u.userCustomStatus?.id ?? null]), [['Ann', true, null, null], ['Bob', true, 'Vacationing', vacationing.uuid]]);
  // The team-members snippet forgets /members (…/teams/:uuid?status=available): it answers the team.
  assert.equal((await beckon.call('GET', `${PREFIX}/v1/teams/${team.uuid}?status=available`)).json().team.uuid, team.uuid);

  // Users' status and custom statuses
  const status = await replay(beckon, DOCUMENTED.putUserStatus, { [CALLBELL_CONTACT]: ann.uuid, '0d6041a2-8b88-49ec-a99b-a88a078a16c1': vacationing.uuid });
  assert.deepEqual([status.user_status.custom_status.id, status.user_status.custom_status.name, status.user_status.appearance.available], [vacationing.uuid, 'Vacationing', false]);
  const annNow = (await expectCall(beckon, 'GET', `/v1/users/${ann.uuid}`, 200)).user;
  assert.deepEqual([annNow.availability, annNow.custom_status], ['away', 'Vacationing']);
  const away = await beckon.call('GET', `${PREFIX}/v1/teams/${team.uuid}/members?status=away`);
  assert.deepEqual(away.json().users.map((u: any) => u.name), ['Ann']);
  await replay(beckon, DOCUMENTED.listCustomStatuses, {});
  const lunch = (await replay(beckon, DOCUMENTED.postCustomStatus, {})).customStatus;
  assert.equal(lunch.name, 'Lunch');
  await replay(beckon, DOCUMENTED.getCustomStatus, { '0d6041a2-8b88-49ec-a99b-a88a078a16c1': vacationing.uuid }, { extra: ['customStatus.emoji'] });
  assert.equal((await replay(beckon, DOCUMENTED.putCustomStatus, { '8dbd6f6c-ec09-4b87-a04e-bef1c2ca41db': lunch.id })).customStatus.name, 'Back in a bit');
  const names = (await expectCall(beckon, 'GET', '/v1/custom_statuses', 200)).custom_statuses.map((s: any) => s.name);
  assert.deepEqual(names, ['Back in a bit', 'Vacationing']);

  // Funnels and plan
  const funnels = await replay(beckon, DOCUMENTED.listFunnels, {});
  assert.deepEqual(funnels.funnels.map((f: any) => [f.uuid, f.name, f.position]), [[funnel.stages[0].uuid, 'Awareness', 1], [funnel.stages[1].uuid, 'Interest', 2]]);
  const plan = await replay(beckon, DOCUMENTED.getPlan, {});
  assert.deepEqual([plan.plan, plan.licenses, plan.activeUsers, plan.teams.length], ['beckon_self_hosted', 2, 0, 1], 'Ann and Bob, neither has set a password yet');

  // Conversation: close, open, note, update_funnel; bot
  const contactAllow: ShapeAllowances = { extra: ['contact.conversationHref', 'contact.funnelId', 'contact.team', 'contact.email', 'contact.blockedAt', 'contact.note'], nullable: ['contact.name'] };
  const funnelAllow: ShapeAllowances = { extra: ['contact.conversationHref', 'contact.email', 'contact.blockedAt', 'contact.note'], nullable: ['contact.closedAt', 'contact.name'] };
  const closed = await replay(beckon, DOCUMENTED.closeConversation, { [CALLBELL_CONTACT]: contact }, contactAllow);
  assert.equal(closed.contact.uuid, contact);
  assert.equal((await expectCall(beckon, 'GET', `/v1/conversations/${conversation.uuid}`, 200)).conversation.status, 'resolved');
  assert.equal(closed.contact.closedAt, (await expectCall(beckon, 'GET', `/v1/conversations/${conversation.uuid}`, 200)).conversation.resolved_at.replace(/\.\d+Z$/, 'Z'));
  const opened = await replay(beckon, DOCUMENTED.openConversation, { [CALLBELL_CONTACT]: contact }, contactAllow);
  assert.equal(opened.contact.closedAt, null);
  assert.equal((await expectCall(beckon, 'GET', `/v1/conversations/${conversation.uuid}`, 200)).conversation.status, 'open');
  await replay(beckon, DOCUMENTED.noteConversation, { [CALLBELL_CONTACT]: contact });
  const thread = (await expectCall(beckon, 'GET', `/v1/conversations/${conversation.uuid}/messages`, 200)).items;
  assert.ok(thread.some((i: any) => i.type === 'note' && i.note.text === 'Hey @john.doe, look here!'), 'the note is in Beckon\'s thread');
  const STAGE = 'ff0f96b9-b003-4d0c-b14f-27f3f6868dd6';
  const moved = await replay(beckon, DOCUMENTED.updateFunnel, { [CALLBELL_CONTACT]: contact, [STAGE]: funnel.stages[1].uuid }, funnelAllow);
  assert.equal(moved.contact.funnelId, funnel.stages[1].uuid);
  assert.equal((await expectCall(beckon, 'GET', `/v1/conversations/${conversation.uuid}`, 200)).conversation.funnel_stage_uuid, funnel.stages[1].uuid);
  const posted = await replay(beckon, { ...DOCUMENTED.updateFunnel, method: 'POST' }, { [CALLBELL_CONTACT]: contact, [STAGE]: funnel.stages[0].uuid }, funnelAllow);
  assert.equal(posted.contact.funnelId, funnel.stages[0].uuid, 'POST works as PUT');
  const snippet = await replay(beckon, DOCUMENTED.updateFunnelSnippet, { efd7d996470e463b89f079be6cf578ed: contact, [STAGE]: funnel.stages[1].uuid }, funnelAllow);
  assert.equal(snippet.contact.funnelId, funnel.stages[1].uuid, 'the snippet\'s path works too');
  const started = await replay(beckon, DOCUMENTED.postBot, { [CALLBELL_CONTACT]: contact }, { nullable: ['bot.conversationStartedAt'] });
  assert.equal(started.bot.status, 'started');
  assert.equal((await expectCall(beckon, 'GET', `/v1/conversations/${conversation.uuid}`, 200)).conversation.bot_status, 'bot_start');
  const bot = await replay(beckon, DOCUMENTED.getBot, { [CALLBELL_CONTACT]: contact });
  assert.equal(bot.bot.status, 'started');
  const ended = await beckon.call('POST', `${PREFIX}/v1/contacts/${contact}/bot`, { body: { status: 'bot_end' } });
  assert.deepEqual([ended.json().bot.status, ended.json().bot.conversationStartedAt], ['ended', null]);

  // Deletes
  await replay(beckon, DOCUMENTED.deleteUserStatus, { [CALLBELL_CONTACT]: ann.uuid });
  assert.equal((await expectCall(beckon, 'GET', `/v1/users/${ann.uuid}`, 200)).user.custom_status, null);
  await replay(beckon, DOCUMENTED.deleteCustomStatus, { '8dbd6f6c-ec09-4b87-a04e-bef1c2ca41db': lunch.id });
  await replay(beckon, DOCUMENTED.deleteCustomStatusSnippet, { '5f5b5ad9-80d3-42d9-b950-2c7bb7b1e307': vacationing.uuid });
  assert.deepEqual((await expectCall(beckon, 'GET', '/v1/custom_statuses', 200)).custom_statuses, []);
});

test('Callbell inbox endpoints: bad input names its field, unknown ids and other workspaces answer 404', async (t) => {
  const beckon = await startBeckon({}, { worker: false });
  t.after(() => beckon.stop());
  const other = await beckon.newWorkspace('other');
  const channel = await whatsappChannel(beckon);
  await writeIn(beckon, channel, '+393331234002');
  const contact = (await conversationOf(beckon, '+393331234002')).contact.uuid as string;
  const lonely = (await expectCall(beckon, 'POST', '/v1/contacts', 201, { phone: '+393331234003' })).contact.uuid as string;
  const team = (await expectCall(beckon, 'POST', '/v1/teams', 201, { name: 'Support' })).team.uuid as string;
  const problem = async (method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, body: unknown, status: number, errorPath?: string, key = beckon.key) => {
    const res = await beckon.call(method, PREFIX + path, { body, key });
    assert.equal(res.statusCode, status, `${method} ${path}: ${res.body}`);
    if (errorPath) assert.equal(res.json().errors?.[0]?.path, errorPath, res.body);
  };
  await problem('POST', `/v1/contacts/${contact}/bot`, { status: 'bot_pause' }, 400, 'body.status');
  await problem('POST', `/v1/contacts/${contact}/conversation/note`, { text: ' ' }, 400, 'body.text');
  await problem('PUT', `/v1/contacts/${contact}/conversation/update_funnel`, {}, 400, 'body.funnel_id');
  await problem('PUT', `/v1/contacts/${contact}/conversation/update_funnel`, { funnel_id: '00000000-0000-4000-8000-000000000000' }, 404, 'body.funnel_id');
  await problem('PUT', `/v1/users/${team}/status`, { available: 'yes' }, 400, 'body.available');
  await problem('PUT', '/v1/users/00000000-0000-4000-8000-000000000000/status', { custom_status_uuid: '00000000-0000-4000-8000-000000000000' }, 404, 'body.custom_status_uuid');
  await problem('POST', '/v1/custom_statuses', { name: '' }, 400, 'body.name');
  await problem('GET', '/v1/teams?page=0', undefined, 400, 'query.page');
  await problem('GET', `/v1/teams/${team}/members?status=busy`, undefined, 400, 'query.status');
  await problem('POST', `/v1/contacts/${lonely}/conversation/close`, undefined, 404, 'params.uuid');
  await problem('GET', `/v1/contacts/${contact}/bot`, undefined, 404, undefined, other);
  await problem('POST', `/v1/contacts/${contact}/conversation/close`, undefined, 404, undefined, other);
  await problem('GET', `/v1/teams/${team}`, undefined, 404, undefined, other);
  await problem('PATCH', `/v1/teams/${team}`, { name: 'Mine' }, 404, undefined, other);
  assert.deepEqual((await beckon.call('GET', `${PREFIX}/v1/teams`, { key: other })).json(), { teams: [], meta: { page: 1, pages: 1 } });
  assert.deepEqual((await beckon.call('GET', `${PREFIX}/v1/funnels`, { key: other })).json(), { funnels: [] });
  assert.equal((await beckon.call('GET', `${PREFIX}/v1/teams`, { key: null })).statusCode, 401);
});
