import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeJobsDue, startBeckon, waitFor } from '../../test/helpers.ts';
import { conversationOf, createTeam, createUser, eventsOf, expectCall, setAvailability, whatsappChannel, writeIn } from '../../test/inbox-fixtures.ts';

test('assignment: manual, then round-robin among the team\'s available members (away and offline skipped), fair across openings', async (t) => {
  const beckon = await startBeckon({}, { worker: false });
  t.after(() => beckon.stop());
  // users are created in this order, so their ids (UUIDv7) sort the same way: the rotation's ring is a, b, c, d
  const a = await createUser(beckon, 'Ann');
  const b = await createUser(beckon, 'Ben', { availability: 'away' });
  const c = await createUser(beckon, 'Cid');
  const d = await createUser(beckon, 'Dee', { availability: 'offline' });
  const team = await createTeam(beckon, 'Sales', [a.uuid, b.uuid, c.uuid, d.uuid], { autoAssign: true });
  const channel = await whatsappChannel(beckon);
  const conversations: string[] = [];
  for (let i = 0; i < 6; i++) {
    const phone = `+39333000010${i}`;
    await writeIn(beckon, channel, phone);
    conversations.push((await conversationOf(beckon, phone)).uuid);
  }
  const assignToTeam = async (uuid: string) => (await expectCall(beckon, 'POST', `/v1/conversations/${uuid}/assign`, 200, { team_uuid: team })).conversation;
  const got: string[] = [];
  for (const uuid of conversations.slice(0, 4)) {
    const conv = await assignToTeam(uuid);
    assert.equal(conv.team_uuid, team);
    got.push(conv.assignee_uuid);
  }
  assert.deepEqual(got, [a.uuid, c.uuid, a.uuid, c.uuid], 'Ben (away) and Dee (offline) are skipped');
  await setAvailability(beckon, b.uuid, 'available');
  assert.equal((await assignToTeam(conversations[4])).assignee_uuid, a.uuid, 'after Cid the ring wraps to Ann');
  assert.equal((await assignToTeam(conversations[5])).assignee_uuid, b.uuid, 'Ben, available again, is next');
  const rotation = await beckon.runtime.deps.db.selectFrom('team_rotations').selectAll().where('team_id', '=', team).executeTakeFirstOrThrow();
  assert.equal(rotation.last_user_id, b.uuid, 'the rotation is stored, so a restart continues it');

  const manual = (await expectCall(beckon, 'POST', `/v1/conversations/${conversations[0]}/assign`, 200, { user_uuid: d.uuid })).conversation;
  assert.deepEqual([manual.assignee_uuid, manual.team_uuid], [d.uuid, team], 'a manual assignment keeps the team');
  const assigned = await eventsOf(beckon, 'conversation_assigned');
  assert.equal(assigned.length, 7);
  assert.deepEqual([assigned[0].payload.uuid, assigned[0].payload.assignee_uuid, assigned[0].payload.previous_assignee_uuid], [conversations[0], d.uuid, a.uuid]);
  const unassigned = (await expectCall(beckon, 'POST', `/v1/conversations/${conversations[0]}/assign`, 200, { user_uuid: null, team_uuid: null })).conversation;
  assert.deepEqual([unassigned.assignee_uuid, unassigned.team_uuid], [null, null]);
  const again = await expectCall(beckon, 'POST', `/v1/conversations/${conversations[0]}/assign`, 200, { user_uuid: null });
  assert.equal(again.conversation.assignee_uuid, null);
  assert.equal((await eventsOf(beckon, 'conversation_assigned')).length, 8, 'an assignment that changes nothing records nothing');

  // a resolved conversation of the team without an assignee reopens on the customer's next message and is assigned round-robin
  await expectCall(beckon, 'POST', `/v1/conversations/${conversations[1]}/assign`, 200, { user_uuid: null });
  await expectCall(beckon, 'POST', `/v1/conversations/${conversations[1]}/status`, 200, { status: 'resolved' });
  await writeIn(beckon, channel, '+393330000101');
  const reopened = (await expectCall(beckon, 'GET', `/v1/conversations/${conversations[1]}`, 200)).conversation;
  assert.deepEqual([reopened.status, reopened.assignee_uuid], ['open', c.uuid], 'after Ben comes Cid');

  const missing = await beckon.call('POST', `/v1/conversations/${conversations[2]}/assign`, { body: {} });
  assert.deepEqual([missing.statusCode, missing.json().errors[0].path], [400, 'body']);
  const unknown = await beckon.call('POST', `/v1/conversations/${conversations[2]}/assign`, { body: { user_uuid: '00000000-0000-4000-8000-000000000000' } });
  assert.deepEqual([unknown.statusCode, unknown.json().errors[0].path], [404, 'body.user_uuid']);
  const nobody = await createTeam(beckon, 'Night', [d.uuid], { autoAssign: true });
  const none = (await expectCall(beckon, 'POST', `/v1/conversations/${conversations[2]}/assign`, 200, { team_uuid: nobody })).conversation;
  assert.deepEqual([none.team_uuid, none.assignee_uuid], [nobody, null], 'no available member: the conversation waits unassigned in the team');
});

test('round-robin under concurrent openings: every conversation gets a member, and the members share them evenly', async (t) => {
  const beckon = await startBeckon({}, { worker: false });
  t.after(() => beckon.stop());
  const members = [await createUser(beckon, 'One'), await createUser(beckon, 'Two'), await createUser(beckon, 'Three')];
  const team = await createTeam(beckon, 'Rush', members.map((m) => m.uuid), { autoAssign: true });
  const channel = await whatsappChannel(beckon);
  const uuids: string[] = [];
  for (let i = 0; i < 9; i++) {
    await writeIn(beckon, channel, `+39333000020${i}`);
    uuids.push((await conversationOf(beckon, `+39333000020${i}`)).uuid);
  }
  const results = await Promise.all(uuids.map((uuid) => expectCall(beckon, 'POST', `/v1/conversations/${uuid}/assign`, 200, { team_uuid: team })));
  const tally = new Map<string, number>();
  for (const r of results) tally.set(r.conversation.assignee_uuid, (tally.get(r.conversation.assignee_uuid) ?? 0) + 1);
  assert.deepEqual([...tally.entries()].sort(), members.map((m) => [m.uuid, 3]).sort());
});

test('a snoozed conversation comes back open when its snooze ends; a snooze changed first leaves no job behind', async (t) => {
  const beckon = await startBeckon();
  t.after(() => beckon.stop());
  const channel = await whatsappChannel(beckon);
  await writeIn(beckon, channel, '+393330000301');
  const uuid = (await conversationOf(beckon, '+393330000301')).uuid;
  const until = new Date(Date.now() + 3600_000).toISOString();
  const snoozed = (await expectCall(beckon, 'POST', `/v1/conversations/${uuid}/status`, 200, { status: 'snoozed', snoozed_until: until })).conversation;
  assert.deepEqual([snoozed.status, snoozed.snoozed_until], ['snoozed', until]);
  const jobs = await beckon.runtime.deps.queue.jobs('conversation_snooze_end');
  assert.deepEqual(jobs.map((j) => [j.payload, Date.parse(j.runAt)]), [[{ workspace_id: (jobs[0].payload as any).workspace_id, conversation_id: uuid, snoozed_until: until }, Date.parse(until)]]);
  await makeJobsDue(beckon, 'conversation_snooze_end');
  const back = await waitFor('the snooze to end', async () => {
    const conv = (await expectCall(beckon, 'GET', `/v1/conversations/${uuid}`, 200)).conversation;
    return conv.status === 'open' && conv;
  });
  assert.equal(back.snoozed_until, null);
  const updates = await eventsOf(beckon, 'conversation_status_updated');
  assert.deepEqual(updates.map((e) => [e.payload.previous_status, e.payload.status]), [['snoozed', 'open'], ['open', 'snoozed']]);
  await waitFor('the job to be done', async () => (await beckon.runtime.deps.queue.jobs('conversation_snooze_end')).length === 0);

  const later = new Date(Date.now() + 7200_000).toISOString();
  await expectCall(beckon, 'POST', `/v1/conversations/${uuid}/status`, 200, { status: 'snoozed', snoozed_until: until });
  await expectCall(beckon, 'POST', `/v1/conversations/${uuid}/status`, 200, { status: 'snoozed', snoozed_until: later });
  assert.deepEqual((await beckon.runtime.deps.queue.jobs('conversation_snooze_end')).map((j) => (j.payload as any).snoozed_until), [later], 'the first snooze\'s job is removed');
  await writeIn(beckon, channel, '+393330000301');
  const woken = (await expectCall(beckon, 'GET', `/v1/conversations/${uuid}`, 200)).conversation;
  assert.deepEqual([woken.status, woken.snoozed_until], ['open', null], 'the customer writing ends the snooze');
  assert.deepEqual(await beckon.runtime.deps.queue.jobs('conversation_snooze_end'), []);

  const past = await beckon.call('POST', `/v1/conversations/${uuid}/status`, { body: { status: 'snoozed', snoozed_until: '2020-01-01T00:00:00Z' } });
  assert.deepEqual([past.statusCode, past.json().errors[0].path], [400, 'body.snoozed_until']);
  const without = await beckon.call('POST', `/v1/conversations/${uuid}/status`, { body: { status: 'snoozed' } });
  assert.deepEqual([without.statusCode, without.json().errors[0].path], [400, 'body.snoozed_until']);
  const stray = await beckon.call('POST', `/v1/conversations/${uuid}/status`, { body: { status: 'open', snoozed_until: until } });
  assert.deepEqual([stray.statusCode, stray.json().errors[0].path], [400, 'body.snoozed_until']);
});
