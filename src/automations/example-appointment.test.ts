import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { makeJobsDue, startBeckon, waitFor, type TestBeckon } from '../../test/helpers.ts';
import { whatsappChannel } from '../../test/campaign-fixtures.ts';
import { activate, expectJobs, outcomes, runOf, sendEvent, tagsOf, waitForRun } from './waits-test-support.ts';

const EXAMPLE = new URL('../../docs/examples/automations/appointment-reminder.json', import.meta.url);

async function textsTo(beckon: TestBeckon, contactId: string): Promise<string[]> {
  const rows = await beckon.runtime.deps.db.selectFrom('messages').select('content').where('contact_id', '=', contactId).where('direction', '=', 'outbound').orderBy('created_at').orderBy('id').execute();
  return rows.map((r) => JSON.parse(r.content).text);
}

test('example 3, appointment reminder (docs/examples/automations/appointment-reminder.json): booked → confirmation → 24 h before, out of quiet hours → reminder → reply 1 or 2 → tag', async (t) => {
  const beckon = await startBeckon();
  t.after(() => beckon.stop());
  const channel = await whatsappChannel(beckon);
  const automation = await activate(beckon, JSON.parse(readFileSync(EXAMPLE, 'utf8').replaceAll('CHANNEL_UUID', channel)));

  // 07:30 in Rome on March 10: 24 hours before is 07:30 on March 9, inside quiet hours → 08:00 Rome (07:00 UTC)
  const booking = (phone: string, name: string, key: string) => sendEvent(beckon, {
    name: 'appointment_booked', contact: { phone, name }, correlation_key: key,
    data: { appointment_at: '2030-03-10T07:30:00+01:00', service: 'haircut', when: 'Sunday 10 March at 07:30' },
  });
  await booking('+393331234567', 'Ann Lee', 'appt-1');
  await booking('+393331230000', 'Bob Rossi', 'appt-2');
  const runs = (await beckon.call('GET', `/v1/automations/${automation}/runs`)).json().runs as { uuid: string; contact_uuid: string; correlation_key: string }[];
  const [bob, ann] = runs;
  assert.deepEqual(runs.map((r) => r.correlation_key), ['appt-2', 'appt-1']);
  for (const run of runs) assert.equal((await waitForRun(beckon, run.uuid, (r) => r.waiting_until !== null)).waiting_until, '2030-03-09T07:00:00.000Z');
  await expectJobs(beckon, 'automation_step', [[ann.uuid, 3, '2030-03-09T07:00:00.000Z'], [bob.uuid, 3, '2030-03-09T07:00:00.000Z']]);
  assert.deepEqual(await textsTo(beckon, ann.contact_uuid), ['Hi Ann, your haircut is booked for Sunday 10 March at 07:30. See you then!']);

  await makeJobsDue(beckon, 'automation_step');
  for (const run of runs) await waitForRun(beckon, run.uuid, (r) => r.current_step === 'answer' && r.waiting_until !== null);
  assert.deepEqual((await textsTo(beckon, ann.contact_uuid))[1], 'Reminder: your haircut is on Sunday 10 March at 07:30. Reply 1 to confirm or 2 to cancel.');
  await waitFor('the reminders sent', async () => {
    const sent = await beckon.runtime.deps.db.selectFrom('messages').select('status').where('direction', '=', 'outbound').execute();
    return sent.length === 4 && sent.every((m) => m.status !== 'enqueued');
  });

  const inbound = async (from: string, text: string) => assert.equal((await beckon.call('POST', '/v1/sandbox/inbound', { body: { from, text } })).statusCode, 200);
  await inbound('+393331234567', 'what time?');
  assert.equal((await runOf(beckon, ann.uuid)).current_step, 'answer', 'a reply that is neither 1 nor 2 keeps waiting');
  await inbound('+393331234567', '1');
  await inbound('+393331230000', ' 2 ');
  const annDone = await waitForRun(beckon, ann.uuid, (r) => r.status === 'completed');
  const bobDone = await waitForRun(beckon, bob.uuid, (r) => r.status === 'completed');
  const path = (run: Record<string, any>) => outcomes(run).map((o: unknown[]) => o.slice(0, 2).join(':'));
  assert.deepEqual(path(annDone), ['confirm:next', 'day_before:waiting', 'day_before:next', 'remind:next', 'answer:waiting', 'answer:next', 'route:condition_0', 'confirmed:next']);
  assert.deepEqual(path(bobDone).slice(-2), ['route:default', 'cancelled:next']);
  assert.equal(annDone.variables.reply.text, '1');
  assert.deepEqual(await tagsOf(beckon, ann.contact_uuid), ['appointment_confirmed']);
  assert.deepEqual(await tagsOf(beckon, bob.contact_uuid), ['appointment_cancelled']);
  await expectJobs(beckon, 'automation_step', []);
});
