import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeJobsDue, startBeckon } from '../../test/helpers.ts';
import { contact } from '../../test/campaign-fixtures.ts';
import { instantOf } from './steps/wait-until.ts';
import { activate, expectJobs, outcomes, startRun, tagsOf, waitForRun } from './waits-test-support.ts';

const reminder = (extra: Record<string, unknown> = {}) => ({
  name: 'Reminder', trigger: { type: 'api' }, start: 'w',
  steps: {
    w: { type: 'wait_until', at: 'trigger.appointment_at', offset: { hours: -24 }, next: 'tag', past: 'late', ...extra },
    tag: { type: 'update_contact', add_tags: ['reminded'] },
    late: { type: 'update_contact', add_tags: ['too_late'] },
  },
});

test('wait_until: 24 hours before trigger.appointment_at as a job with that exact run time; a past time follows past; a missing time fails the run', async (t) => {
  const beckon = await startBeckon();
  t.after(() => beckon.stop());
  const automation = await activate(beckon, reminder());
  const ann = await contact(beckon, { name: 'Ann', phone: '+393331234567' });
  const run = await startRun(beckon, automation, { contact: { uuid: ann }, data: { appointment_at: '2030-03-10T15:30:00+01:00' } });
  const waiting = await waitForRun(beckon, run.uuid, (r) => r.waiting_until !== null);
  assert.equal(waiting.waiting_until, '2030-03-09T14:30:00.000Z');
  await expectJobs(beckon, 'automation_step', [[run.uuid, 2, '2030-03-09T14:30:00.000Z']]);
  assert.deepEqual(await tagsOf(beckon, ann), []);
  await makeJobsDue(beckon, 'automation_step');
  const done = await waitForRun(beckon, run.uuid, (r) => r.status === 'completed');
  assert.deepEqual(outcomes(done), [['w', 'waiting', null], ['w', 'next', null], ['tag', 'next', null]]);
  assert.deepEqual(await tagsOf(beckon, ann), ['reminded']);

  const bob = await contact(beckon, { name: 'Bob', phone: '+393331230000' });
  const late = await startRun(beckon, automation, { contact: { uuid: bob }, data: { appointment_at: '2020-01-01T10:00:00Z' } });
  const lateDone = await waitForRun(beckon, late.uuid, (r) => r.status === 'completed');
  assert.deepEqual(outcomes(lateDone), [['w', 'past', null], ['late', 'next', null]]);
  assert.deepEqual(await tagsOf(beckon, bob), ['too_late']);

  const cid = await contact(beckon, { name: 'Cid', phone: '+393331230001' });
  for (const data of [{}, { appointment_at: 'next tuesday' }]) {
    const bad = await startRun(beckon, automation, { contact: { uuid: cid }, data });
    const failed = await waitForRun(beckon, bad.uuid, (r) => r.status === 'failed');
    assert.deepEqual([failed.error, outcomes(failed)], ['invalid_time: trigger.appointment_at', [['w', 'failed', 'invalid_time: trigger.appointment_at']]]);
  }
  await expectJobs(beckon, 'automation_step', []);
});

test('wait_until: without a past edge a past time goes on at once; a contact date field names the time', async (t) => {
  const beckon = await startBeckon();
  t.after(() => beckon.stop());
  assert.equal((await beckon.call('POST', '/v1/custom_fields', { body: { key: 'renewal', label: 'Renewal', type: 'date' } })).statusCode, 201);
  const byField = await activate(beckon, {
    name: 'Renewal', trigger: { type: 'api' }, start: 'w',
    steps: { w: { type: 'wait_until', at: 'contact.custom_fields.renewal', offset: { days: -7, minutes: 30 }, next: 'tag' }, tag: { type: 'update_contact', add_tags: ['renewal_soon'] } },
  });
  const ann = await contact(beckon, { name: 'Ann', phone: '+393331234567', custom_fields: { renewal: '2031-06-15' } });
  const run = await startRun(beckon, byField, { contact: { uuid: ann } });
  assert.equal((await waitForRun(beckon, run.uuid, (r) => r.waiting_until !== null)).waiting_until, '2031-06-08T00:30:00.000Z');

  const bob = await contact(beckon, { name: 'Bob', phone: '+393331230000', custom_fields: { renewal: '2001-06-15' } });
  const past = await startRun(beckon, byField, { contact: { uuid: bob } });
  const done = await waitForRun(beckon, past.uuid, (r) => r.status === 'completed');
  assert.deepEqual(outcomes(done), [['w', 'next', null], ['tag', 'next', null]]);
  assert.deepEqual(await tagsOf(beckon, bob), ['renewal_soon']);
});

test('wait_until reads ISO date-times (UTC without an offset), dates (midnight UTC) and epoch milliseconds', () => {
  const iso = (v: unknown) => { const ms = instantOf(v); return ms === null ? null : new Date(ms).toISOString(); };
  assert.equal(iso('2030-03-10T15:30:00+01:00'), '2030-03-10T14:30:00.000Z');
  assert.equal(iso('2030-03-10T15:30:00.250Z'), '2030-03-10T15:30:00.250Z');
  assert.equal(iso('2030-03-10T15:30'), '2030-03-10T15:30:00.000Z');
  assert.equal(iso('2030-03-10 15:30:05'), '2030-03-10T15:30:05.000Z');
  assert.equal(iso('2030-03-10'), '2030-03-10T00:00:00.000Z');
  assert.equal(iso(1_900_000_000_000), '2030-03-17T17:46:40.000Z');
  for (const bad of ['2030-02-30T10:00:00Z', '2030-13-01', 'tomorrow', '', null, true, { at: 1 }, Number.NaN, '2030-03-10T15:30:00+0100']) assert.equal(iso(bad), null, String(bad));
});
