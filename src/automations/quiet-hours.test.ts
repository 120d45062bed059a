import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startBeckon } from '../../test/helpers.ts';
import { contact } from '../../test/campaign-fixtures.ts';
import { afterQuietHours } from './steps/quiet-hours.ts';
import { activate, expectJobs, jobsOf, runOf, startRun, waitForRun } from './waits-test-support.ts';

test('quiet hours: a time inside them moves to their end in the zone, daylight-saving changes included', () => {
  const night = { start: '21:00', end: '08:00' };
  const at = (iso: string, zone: string, quiet = night) => afterQuietHours(new Date(iso), quiet, zone).toISOString();
  // 23:30 EST on the eve of the US spring change: 08:00 the next morning is EDT (UTC-4)
  assert.equal(at('2030-03-10T04:30:00.000Z', 'America/New_York'), '2030-03-10T12:00:00.000Z');
  // 05:30 the same morning (EDT): the end of the same night
  assert.equal(at('2030-03-10T09:30:00.000Z', 'America/New_York'), '2030-03-10T12:00:00.000Z');
  // outside quiet hours: unchanged; the end itself is outside, the start inside
  assert.equal(at('2030-03-10T12:00:00.000Z', 'America/New_York'), '2030-03-10T12:00:00.000Z');
  assert.equal(at('2030-03-10T00:59:59.999Z', 'America/New_York'), '2030-03-10T00:59:59.999Z');
  assert.equal(at('2030-03-11T01:00:00.000Z', 'America/New_York'), '2030-03-11T12:00:00.000Z');
  // Europe/Rome's autumn change: 22:00 CEST on Oct 26 2030 → 08:00 CET on Oct 27
  assert.equal(at('2030-10-26T20:00:00.000Z', 'Europe/Rome'), '2030-10-27T07:00:00.000Z');
  // a window inside one day, and an end skipped by the spring change (02:30 does not exist on 2030-03-31 in Rome)
  assert.equal(at('2030-06-01T12:30:00.000Z', 'UTC', { start: '12:00', end: '14:00' }), '2030-06-01T14:00:00.000Z');
  assert.equal(at('2030-03-31T00:30:00.000Z', 'Europe/Rome', { start: '00:00', end: '02:30' }), '2030-03-31T01:30:00.000Z');
});

const reminder = (quiet: Record<string, unknown>) => ({
  name: 'Reminder', trigger: { type: 'api' }, start: 'w',
  steps: { w: { type: 'wait_until', at: 'trigger.appointment_at', offset: { hours: -24 }, quiet_hours: quiet, next: 'tag' }, tag: { type: 'update_contact', add_tags: ['reminded'] } },
});

test('quiet hours on wait_until: the contact\'s time_zone field, else the step\'s zone, else UTC; exact instants across a DST change', async (t) => {
  const beckon = await startBeckon();
  t.after(() => beckon.stop());
  assert.equal((await beckon.call('POST', '/v1/custom_fields', { body: { key: 'time_zone', label: 'Time zone', type: 'text' } })).statusCode, 201);
  const inNewYork = await activate(beckon, reminder({ start: '21:00', end: '08:00', time_zone: 'America/New_York' }));
  const inUtc = await activate(beckon, reminder({ start: '21:00', end: '08:00' }));
  // 24 hours before the appointment is 2030-03-10T04:30Z: 23:30 in New York (EST), 05:30 in Rome, 04:30 UTC
  const data = { appointment_at: '2030-03-11T04:30:00Z' };
  const cases: [string, Record<string, unknown>, string, string][] = [
    ['the step\'s zone (New York): 08:00 EDT', {}, inNewYork, '2030-03-10T12:00:00.000Z'],
    ['the contact\'s zone (Rome): 08:00 CET', { time_zone: 'Europe/Rome' }, inNewYork, '2030-03-10T07:00:00.000Z'],
    ['not a zone: the step\'s zone', { time_zone: 'Mars/Olympus_Mons' }, inNewYork, '2030-03-10T12:00:00.000Z'],
    ['no zone at all: UTC', {}, inUtc, '2030-03-10T08:00:00.000Z'],
  ];
  let phone = 393331230000;
  for (const [what, customFields, automation, expected] of cases) {
    const who = await contact(beckon, { phone: `+${phone++}`, custom_fields: customFields });
    const run = await startRun(beckon, automation, { contact: { uuid: who }, data });
    const waiting = await waitForRun(beckon, run.uuid, (r) => r.waiting_until !== null);
    assert.equal(waiting.waiting_until, expected, what);
    const job = (await jobsOf(beckon, 'automation_step')).find(([id, token]) => id === run.uuid && token === 2);
    assert.deepEqual(job, [run.uuid, 2, expected], what);
  }
  // a time outside quiet hours is kept
  const day = await contact(beckon, { phone: `+${phone++}`, custom_fields: { time_zone: 'Europe/Rome' } });
  const run = await startRun(beckon, inNewYork, { contact: { uuid: day }, data: { appointment_at: '2030-03-11T11:00:00Z' } });
  assert.equal((await waitForRun(beckon, run.uuid, (r) => r.waiting_until !== null)).waiting_until, '2030-03-10T11:00:00.000Z');
});

test('quiet hours on wait: the end of the wait moves to the end of quiet hours', async (t) => {
  const beckon = await startBeckon();
  t.after(() => beckon.stop());
  // quiet all day but the last minute (UTC): a wait of 1 hour ends at 23:59 UTC (unless it already ends in that minute)
  const automation = await activate(beckon, {
    name: 'Wait', trigger: { type: 'api' }, start: 'w',
    steps: { w: { type: 'wait', duration: { hours: 1 }, quiet_hours: { start: '00:00', end: '23:59' }, next: 'tag' }, tag: { type: 'update_contact', add_tags: ['done'] } },
  });
  const ann = await contact(beckon, { name: 'Ann', phone: '+393331234567' });
  const started = await startRun(beckon, automation, { contact: { uuid: ann } });
  await waitForRun(beckon, started.uuid, (r) => r.waiting_until !== null);
  const run = await runOf(beckon, started.uuid);
  const end = Date.parse(run.steps[0].at) + 3_600_000;
  const lastMinute = new Date(end).toISOString().slice(0, 11) + '23:59:00.000Z';
  const expected = end >= Date.parse(lastMinute) ? new Date(end).toISOString() : lastMinute;
  assert.equal(run.waiting_until, expected);
  await expectJobs(beckon, 'automation_step', [[run.uuid, 2, expected]]);
});
