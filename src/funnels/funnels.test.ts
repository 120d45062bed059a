import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startBeckon } from '../../test/helpers.ts';
import { conversationOf, eventsOf, expectCall, listed, whatsappChannel, writeIn } from '../../test/inbox-fixtures.ts';

test('funnels: create with ordered stages, list, rename and reorder stages, delete; bad input names its field', async (t) => {
  const beckon = await startBeckon({}, { worker: false });
  t.after(() => beckon.stop());
  const other = await beckon.newWorkspace('other');
  const funnel = (await expectCall(beckon, 'POST', '/v1/funnels', 201, { name: 'Sales', stages: [{ name: 'Lead' }, { name: 'Qualified' }, { name: 'Won' }] })).funnel;
  assert.deepEqual(funnel.stages.map((s: any) => [s.name, s.position]), [['Lead', 0], ['Qualified', 1], ['Won', 2]]);
  assert.deepEqual((await expectCall(beckon, 'GET', `/v1/funnels/${funnel.uuid}`, 200)).funnel, funnel);
  const [lead, qualified, won] = funnel.stages;
  const patched = (await expectCall(beckon, 'PATCH', `/v1/funnels/${funnel.uuid}`, 200, {
    name: 'Pipeline', stages: [{ uuid: qualified.uuid, name: 'Qualified lead' }, { name: 'Proposal' }, { uuid: won.uuid, name: 'Won' }],
  })).funnel;
  assert.equal(patched.name, 'Pipeline');
  assert.deepEqual(patched.stages.map((s: any) => [s.name, s.position]), [['Qualified lead', 0], ['Proposal', 1], ['Won', 2]]);
  assert.deepEqual([patched.stages[0].uuid, patched.stages[2].uuid], [qualified.uuid, won.uuid], 'kept stages keep their uuid');
  assert.ok(!patched.stages.some((s: any) => s.uuid === lead.uuid), 'a stage left out is deleted');

  const second = (await expectCall(beckon, 'POST', '/v1/funnels', 201, { name: 'Support', stages: [{ name: 'New' }] })).funnel;
  const list = await expectCall(beckon, 'GET', '/v1/funnels?limit=1', 200);
  assert.deepEqual(list.funnels.map((f: any) => f.uuid), [second.uuid]);
  const rest = await expectCall(beckon, 'GET', `/v1/funnels?limit=1&cursor=${list.meta.next_cursor}`, 200);
  assert.deepEqual([rest.funnels.map((f: any) => f.uuid), rest.meta.next_cursor], [[funnel.uuid], null]);

  const duplicate = await beckon.call('POST', '/v1/funnels', { body: { name: 'Dup', stages: [{ name: 'A' }, { name: 'a' }] } });
  assert.deepEqual([duplicate.statusCode, duplicate.json().errors.map((e: any) => e.path)], [400, ['body.stages.1.name']]);
  const empty = await beckon.call('POST', '/v1/funnels', { body: { name: 'Empty', stages: [] } });
  assert.equal(empty.statusCode, 400);
  const foreign = await beckon.call('PATCH', `/v1/funnels/${second.uuid}`, { body: { stages: [{ uuid: won.uuid, name: 'Won' }] } });
  assert.deepEqual([foreign.statusCode, foreign.json().errors[0].path], [400, 'body.stages.0.uuid']);

  assert.deepEqual((await expectCall(beckon, 'GET', '/v1/funnels', 200, undefined, other)).funnels, []);
  assert.equal((await beckon.call('GET', `/v1/funnels/${funnel.uuid}`, { key: other })).statusCode, 404);
  assert.equal((await beckon.call('PATCH', `/v1/funnels/${funnel.uuid}`, { key: other, body: { name: 'Mine' } })).statusCode, 404);
  assert.equal((await beckon.call('DELETE', `/v1/funnels/${funnel.uuid}`, { key: other })).statusCode, 404);

  assert.deepEqual(await expectCall(beckon, 'DELETE', `/v1/funnels/${funnel.uuid}`, 200), { status: 'funnel was destroyed' });
  assert.equal((await beckon.call('GET', `/v1/funnels/${funnel.uuid}`)).statusCode, 404);
});

test('moving a conversation between funnel stages is in the contact\'s history and an event, and the list filters by stage', async (t) => {
  const beckon = await startBeckon({}, { worker: false });
  t.after(() => beckon.stop());
  const other = await beckon.newWorkspace('other');
  const funnel = (await expectCall(beckon, 'POST', '/v1/funnels', 201, { name: 'Sales', stages: [{ name: 'Lead' }, { name: 'Won' }] })).funnel;
  const [lead, won] = funnel.stages;
  const inbound = await writeIn(beckon, await whatsappChannel(beckon), '+393330000701');
  const uuid = (await conversationOf(beckon, '+393330000701')).uuid;
  const atLead = (await expectCall(beckon, 'PATCH', `/v1/conversations/${uuid}`, 200, { funnel_stage_uuid: lead.uuid, priority: 'high' })).conversation;
  assert.deepEqual([atLead.funnel_stage_uuid, atLead.priority], [lead.uuid, 'high']);
  await expectCall(beckon, 'PATCH', `/v1/conversations/${uuid}`, 200, { funnel_stage_uuid: won.uuid });
  assert.deepEqual((await listed(beckon, `?funnel_stage_uuid=${won.uuid}`)).map((c) => c.uuid), [uuid]);
  assert.deepEqual(await listed(beckon, `?funnel_stage_uuid=${lead.uuid}`), []);

  const moves = await eventsOf(beckon, 'conversation_funnel_stage_updated');
  assert.deepEqual(moves.map((e) => [e.payload.uuid, e.payload.funnel_uuid, e.payload.previous_funnel_stage_uuid, e.payload.funnel_stage_uuid]), [
    [uuid, funnel.uuid, lead.uuid, won.uuid], [uuid, funnel.uuid, null, lead.uuid],
  ]);
  assert.deepEqual((await eventsOf(beckon, 'conversation_updated')).map((e) => e.payload.changed), [['priority']]);
  const history = (await expectCall(beckon, 'GET', `/v1/contacts/${inbound.contact.uuid}/history`, 200)).history;
  assert.deepEqual(history.filter((h: any) => h.type === 'funnel_stage').map(({ at: _at, uuid: _uuid, ...h }: any) => h), [
    { type: 'funnel_stage', conversation_uuid: uuid, funnel_uuid: funnel.uuid, funnel_stage_uuid: won.uuid, funnel_stage_name: 'Won', previous_funnel_stage_uuid: lead.uuid, previous_funnel_stage_name: 'Lead' },
    { type: 'funnel_stage', conversation_uuid: uuid, funnel_uuid: funnel.uuid, funnel_stage_uuid: lead.uuid, funnel_stage_name: 'Lead', previous_funnel_stage_uuid: null, previous_funnel_stage_name: null },
  ]);
  assert.deepEqual(history.map((h: any) => h.type), ['funnel_stage', 'funnel_stage', 'message']);

  const theirs = (await expectCall(beckon, 'POST', '/v1/funnels', 201, { name: 'Theirs', stages: [{ name: 'X' }] }, other)).funnel;
  const foreign = await beckon.call('PATCH', `/v1/conversations/${uuid}`, { body: { funnel_stage_uuid: theirs.stages[0].uuid } });
  assert.deepEqual([foreign.statusCode, foreign.json().errors[0].path], [404, 'body.funnel_stage_uuid']);
  const cleared = (await expectCall(beckon, 'PATCH', `/v1/conversations/${uuid}`, 200, { funnel_stage_uuid: null })).conversation;
  assert.equal(cleared.funnel_stage_uuid, null);
  await expectCall(beckon, 'PATCH', `/v1/conversations/${uuid}`, 200, { funnel_stage_uuid: won.uuid });
  await expectCall(beckon, 'DELETE', `/v1/funnels/${funnel.uuid}`, 200);
  assert.equal((await expectCall(beckon, 'GET', `/v1/conversations/${uuid}`, 200)).conversation.funnel_stage_uuid, null, 'a deleted stage leaves the conversation without one');
});
