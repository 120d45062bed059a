import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startBeckon, waitFor, type TestBeckon } from '../../test/helpers.ts';
import { conversationOf, createTeam, createUser, expectCall, whatsappChannel, writeIn } from '../../test/inbox-fixtures.ts';
import { activate, outcomes, runOf, startRun, waitForRun } from './waits-test-support.ts';

/** A bot on the channel: any inbound text asks a question, then hands the conversation to `handoff`'s team and/or user. */
function botFlow(channel: string, handoff: Record<string, unknown>): Record<string, unknown> {
  return {
    name: 'Bot', bot: true, entry: { policy: 'once' }, trigger: { type: 'inbound_message', channel_uuid: channel }, start: 'q',
    steps: {
      q: { type: 'ask', text: 'Sales or support?', buttons: [{ id: 'sales', title: 'Sales' }, { id: 'support', title: 'Support' }], timeout: { hours: 1 }, next: 'h' },
      h: { type: 'handoff', note: '{{ contact.phone }} chose {{ vars.answer.title }}', ...handoff },
    },
  };
}

async function onlyRun(beckon: TestBeckon, automation: string): Promise<Record<string, any>> {
  return waitFor('the bot run', async () => (await beckon.call('GET', `/v1/automations/${automation}/runs`)).json().runs[0]);
}

/** The conversation events of a conversation (oldest first) as [type, status, bot_status, assignee, team, extra]. */
async function conversationEvents(beckon: TestBeckon, conversation: string): Promise<unknown[][]> {
  const rows = await beckon.runtime.deps.db.selectFrom('events').select(['type', 'payload']).where('type', 'like', 'conv%').orderBy('id').execute();
  return rows.map((e) => [e.type, JSON.parse(e.payload)]).filter(([, p]) => p.uuid === conversation)
    .map(([type, p]) => [type, p.status, p.bot_status, p.assignee_uuid, p.team_uuid, p.previous_status ?? p.changed ?? p.previous_assignee_uuid ?? null, p.bot_end_reason ?? null]);
}

test('a bot run puts the conversation pending / bot_start; handoff assigns it round-robin to the team, adds the note and ends the bot (open, bot_end)', async (t) => {
  const beckon = await startBeckon();
  t.after(() => beckon.stop());
  const channel = await whatsappChannel(beckon);
  const alice = await createUser(beckon, 'Alice');
  const bruno = await createUser(beckon, 'Bruno');
  const team = await createTeam(beckon, 'Sales', [alice.uuid, bruno.uuid], { autoAssign: true });
  const bot = await activate(beckon, botFlow(channel, { team_uuid: team }));

  await writeIn(beckon, channel, '+393330000701', 'hello');
  const run = await onlyRun(beckon, bot);
  await waitForRun(beckon, run.uuid, (r) => r.waiting_until !== null);
  const conv = await conversationOf(beckon, '+393330000701');
  assert.deepEqual([conv.status, conv.bot_status, conv.assignee_uuid], ['pending', 'bot_start', null]);

  await writeIn(beckon, channel, '+393330000701', 'sales');
  const done = await waitForRun(beckon, run.uuid, (r) => r.status === 'completed');
  assert.deepEqual(outcomes(done), [['q', 'waiting', null], ['q', 'next', null], ['h', 'next', null]]);
  const after = (await expectCall(beckon, 'GET', `/v1/conversations/${conv.uuid}`, 200)).conversation;
  const first = [alice.uuid, bruno.uuid].sort()[0];
  assert.deepEqual([after.status, after.bot_status, after.assignee_uuid, after.team_uuid], ['open', 'bot_end', first, team]);
  const thread = await expectCall(beckon, 'GET', `/v1/conversations/${conv.uuid}/messages`, 200);
  const note = thread.items.find((i: any) => i.type === 'note').note;
  assert.deepEqual([note.text, note.author_uuid], ['+393330000701 chose Sales', null]);
  assert.deepEqual(await conversationEvents(beckon, conv.uuid), [
    ['conversation_opened', 'open', null, null, null, null, null],
    ['conversation_status_updated', 'pending', 'bot_start', null, null, 'open', null],
    ['conversation_updated', 'pending', 'bot_start', null, null, ['bot_status'], null],
    ['conversation_assigned', 'pending', 'bot_start', first, team, null, null],
    ['conversation_status_updated', 'open', 'bot_end', first, team, 'pending', null],
    ['conversation_updated', 'open', 'bot_end', first, team, ['bot_status'], 'handoff'],
  ]);
  const notes = (await expectCall(beckon, 'GET', '/v1/events?type=note_created', 200)).events;
  assert.deepEqual(notes.map((e: any) => [e.payload.text, e.payload.contact_uuid]), [['+393330000701 chose Sales', conv.contact.uuid]]);

  // the next contact goes to the other member; a user handoff names the assignee itself
  await writeIn(beckon, channel, '+393330000702', 'hi');
  await waitFor('the second run waits', async () => (await beckon.call('GET', `/v1/automations/${bot}/runs`)).json().runs.filter((r: any) => r.waiting_until !== null).length === 1);
  await writeIn(beckon, channel, '+393330000702', '2');
  const second = await waitFor('the second handoff', async () => {
    const c = await conversationOf(beckon, '+393330000702');
    return c.bot_status === 'bot_end' ? c : undefined;
  });
  assert.deepEqual([second.status, second.assignee_uuid, second.team_uuid], ['open', [alice.uuid, bruno.uuid].sort()[1], team]);
});

test('an agent\'s reply ends the contact\'s bot run (exited, agent_replied); runs of automations that are no bot go on', async (t) => {
  const beckon = await startBeckon();
  t.after(() => beckon.stop());
  const channel = await whatsappChannel(beckon);
  const alice = await createUser(beckon, 'Alice');
  const bot = await activate(beckon, botFlow(channel, { user_uuid: alice.uuid }));
  const other = await activate(beckon, { name: 'Not a bot', trigger: { type: 'api' }, start: 'w', steps: { w: { type: 'wait', duration: { hours: 1 } } } });
  await writeIn(beckon, channel, '+393330000801', 'hello');
  const run = await onlyRun(beckon, bot);
  await waitForRun(beckon, run.uuid, (r) => r.waiting_until !== null);
  const plain = await startRun(beckon, other, { contact: { phone: '+393330000801' } });
  await waitForRun(beckon, plain.uuid, (r) => r.waiting_until !== null);
  const conv = await conversationOf(beckon, '+393330000801');
  assert.equal(conv.bot_status, 'bot_start');

  await expectCall(beckon, 'POST', `/v1/conversations/${conv.uuid}/messages`, 201, { text: 'Alice here, how can I help?' }, alice.key);
  const ended = await runOf(beckon, run.uuid);
  assert.deepEqual([ended.status, ended.exit_reason, ended.current_step], ['exited', 'agent_replied', null], 'ended in the reply\'s transaction');
  assert.equal((await runOf(beckon, plain.uuid)).status, 'active');
  const after = (await expectCall(beckon, 'GET', `/v1/conversations/${conv.uuid}`, 200)).conversation;
  assert.deepEqual([after.status, after.bot_status], ['open', 'bot_end']);
  const updated = (await conversationEvents(beckon, conv.uuid)).filter((e) => e[0] === 'conversation_updated');
  assert.deepEqual(updated.at(-1), ['conversation_updated', 'open', 'bot_end', null, null, ['bot_status'], 'agent_replied']);

  // a later answer to the question resumes nothing (the run has ended) and starts nothing (entry policy once)
  await writeIn(beckon, channel, '+393330000801', 'sales');
  assert.equal((await runOf(beckon, run.uuid)).status, 'exited');
  assert.deepEqual(outcomes(await runOf(beckon, run.uuid)), [['q', 'waiting', null]]);
  assert.equal((await beckon.call('GET', `/v1/automations/${bot}/runs`)).json().runs.length, 1);
});
