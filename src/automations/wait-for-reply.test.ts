import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeJobsDue, startBeckon, type TestBeckon } from '../../test/helpers.ts';
import { contact, sandboxChannel, whatsappChannel } from '../../test/campaign-fixtures.ts';
import { activate, expectJobRuns, expectJobs, outcomes, runOf, startRun, tagsOf, waitForRun } from './waits-test-support.ts';

async function inbound(beckon: TestBeckon, from: string, text: string, channel?: string): Promise<Record<string, any>> {
  const res = await beckon.call('POST', '/v1/sandbox/inbound', { body: { from, text, ...(channel && { channel_uuid: channel }) } });
  assert.equal(res.statusCode, 200, res.body);
  return res.json().message;
}

test('wait_for_reply: on the channel of the run\'s last message, only a reply matching its keywords counts; vars.reply feeds a branch', async (t) => {
  const beckon = await startBeckon();
  t.after(() => beckon.stop());
  const whatsapp = await whatsappChannel(beckon);
  const sms = await sandboxChannel(beckon, 'sms');
  const automation = await activate(beckon, {
    name: 'Ask', trigger: { type: 'api' }, start: 'ask',
    steps: {
      ask: { type: 'send_message', channel_uuid: whatsapp, text: 'Reply 1 to confirm, 2 to cancel', next: 'r' },
      r: { type: 'wait_for_reply', last_channel: true, keywords: ['1', '2', 'oui'], match: 'exact', timeout: { hours: 2 }, next: 'route', timeout_next: 'silent' },
      route: { type: 'branch', conditions: [{ field: 'vars.reply.text', op: 'eq', value: '1', next: 'yes' }], default: 'no' },
      yes: { type: 'update_contact', add_tags: ['confirmed'] },
      no: { type: 'update_contact', add_tags: ['declined'] },
      silent: { type: 'update_contact', add_tags: ['silent'] },
    },
  });
  const ann = await contact(beckon, { name: 'Ann', phone: '+393331234567' });
  const bob = await contact(beckon, { name: 'Bob', phone: '+393331230000' });
  const annRun = await startRun(beckon, automation, { contact: { uuid: ann } });
  const bobRun = await startRun(beckon, automation, { contact: { uuid: bob } });
  const waiting = await waitForRun(beckon, annRun.uuid, (r) => r.waiting_until !== null);
  await waitForRun(beckon, bobRun.uuid, (r) => r.waiting_until !== null);
  assert.equal(Date.parse(waiting.waiting_until) - Date.parse(waiting.steps[1].at), 7_200_000);

  await inbound(beckon, '+393331234567', '1', sms);
  await inbound(beckon, '+393331234567', 'maybe 1 later');
  await inbound(beckon, '+393331230000', '1', sms);
  for (const run of [annRun, bobRun]) assert.deepEqual([(await runOf(beckon, run.uuid)).current_step, (await runOf(beckon, run.uuid)).variables], ['r', {}], 'another channel, or a text that is not a keyword, keeps it waiting');
  await expectJobRuns(beckon, 'automation_step', [annRun.uuid, bobRun.uuid]);

  const reply = await inbound(beckon, '+393331234567', '  1 ');
  const done = await waitForRun(beckon, annRun.uuid, (r) => r.status === 'completed');
  assert.deepEqual(outcomes(done).map((o: unknown[]) => o.slice(0, 2)), [['ask', 'next'], ['r', 'waiting'], ['r', 'next'], ['route', 'default'], ['no', 'next']]);
  assert.deepEqual(done.variables, { reply: { text: '  1 ', message_uuid: reply.uuid, received_at: reply.created_at } });
  assert.deepEqual(await tagsOf(beckon, ann), ['declined'], 'the branch compares the text as received');
  assert.equal((await runOf(beckon, bobRun.uuid)).status, 'active', 'another contact\'s reply does not resume it');

  const again = await startRun(beckon, automation, { contact: { uuid: ann } });
  await waitForRun(beckon, again.uuid, (r) => r.waiting_until !== null);
  const accented = await inbound(beckon, '+393331234567', 'OUÍ');
  assert.deepEqual((await waitForRun(beckon, again.uuid, (r) => r.status === 'completed')).variables.reply.message_uuid, accented.uuid, 'case- and accent-insensitive');

  await makeJobsDue(beckon, 'automation_step');
  const timedOut = await waitForRun(beckon, bobRun.uuid, (r) => r.status === 'completed');
  assert.deepEqual(outcomes(timedOut).slice(1), [['r', 'waiting', null], ['r', 'timeout', null], ['silent', 'next', null]]);
  assert.deepEqual(await tagsOf(beckon, bob), ['silent']);
  await expectJobs(beckon, 'automation_step', []);
});

test('wait_for_reply: any reply on any channel by default, or only on channel_uuid; outbound messages do not count', async (t) => {
  const beckon = await startBeckon();
  t.after(() => beckon.stop());
  const whatsapp = await whatsappChannel(beckon);
  const sms = await sandboxChannel(beckon, 'sms');
  const anyReply = await activate(beckon, { name: 'Any', trigger: { type: 'api' }, start: 'r', steps: { r: { type: 'wait_for_reply', timeout: { days: 1 }, next: 'tag' }, tag: { type: 'update_contact', add_tags: ['any'] } } });
  const onSms = await activate(beckon, { name: 'Sms', trigger: { type: 'api' }, start: 'r', steps: { r: { type: 'wait_for_reply', channel_uuid: sms, timeout: { days: 1 }, next: 'tag' }, tag: { type: 'update_contact', add_tags: ['sms'] } } });
  const ann = await contact(beckon, { name: 'Ann', phone: '+393331234567' });
  const a = await startRun(beckon, anyReply, { contact: { uuid: ann } });
  const s = await startRun(beckon, onSms, { contact: { uuid: ann } });
  for (const run of [a, s]) await waitForRun(beckon, run.uuid, (r) => r.waiting_until !== null);
  const sent = await beckon.call('POST', '/v1/messages/send', { body: { to: '+393331234567', from: 'whatsapp', type: 'text', content: { text: 'hello' }, channel_uuid: whatsapp } });
  assert.equal(sent.statusCode, 200, sent.body);
  assert.equal((await runOf(beckon, a.uuid)).current_step, 'r', 'an outbound message is no reply');

  const first = await inbound(beckon, '+393331234567', 'Hi there', whatsapp);
  assert.deepEqual((await waitForRun(beckon, a.uuid, (r) => r.status === 'completed')).variables.reply, { text: 'Hi there', message_uuid: first.uuid, received_at: first.created_at });
  assert.equal((await runOf(beckon, s.uuid)).current_step, 'r');
  const second = await inbound(beckon, '+393331234567', 'by sms', sms);
  assert.equal((await waitForRun(beckon, s.uuid, (r) => r.status === 'completed')).variables.reply.message_uuid, second.uuid);
  assert.deepEqual(await tagsOf(beckon, ann), ['any', 'sms']);
});
