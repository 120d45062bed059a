import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startBeckon } from '../../test/helpers.ts';
import { timeHolds } from './steps/time-condition.ts';

test('time condition: local hours (start in, end out) on ISO weekdays in the zone; a span past midnight belongs to the day it starts', () => {
  const office = { between: ['09:00', '18:00'] as [string, string], days: [1, 2, 3, 4, 5], time_zone: 'Europe/Rome' };
  // Monday 2026-12-07: 08:00Z is 09:00 in Rome (in), 17:00Z is 18:00 (out)
  assert.deepEqual(['2026-12-07T07:59:00Z', '2026-12-07T08:00:00Z', '2026-12-07T16:59:00Z', '2026-12-07T17:00:00Z'].map((at) => timeHolds(office, new Date(at))), [false, true, true, false]);
  assert.equal(timeHolds(office, new Date('2026-12-05T10:00:00Z')), false, 'Saturday');
  assert.equal(timeHolds({ between: ['09:00', '18:00'] }, new Date('2026-12-05T10:00:00Z')), true, 'every day, UTC');
  const night = { between: ['22:00', '06:00'] as [string, string], days: [5], time_zone: 'UTC' };
  // Friday 2026-12-04 23:00 and Saturday 05:00 belong to Friday's night; Saturday 23:00 does not
  assert.deepEqual(['2026-12-04T23:00:00Z', '2026-12-05T05:00:00Z', '2026-12-05T23:00:00Z', '2026-12-04T05:00:00Z'].map((at) => timeHolds(night, new Date(at))), [true, true, false, false]);
});

test('time condition: bad hours, days and zones are 400s naming their paths', async (t) => {
  const beckon = await startBeckon();
  t.after(() => beckon.stop());
  const res = await beckon.call('POST', '/v1/automations', { body: {
    name: 'Hours', trigger: { type: 'api' }, start: 'b',
    steps: { b: { type: 'branch', conditions: [{ time: { between: ['09:00', '24:00'], days: [0, 1], time_zone: 'Mars/Base', at: 1 }, next: 'x' }], default: 'x' }, x: { type: 'exit' } },
  } });
  assert.equal(res.statusCode, 400, res.body);
  assert.deepEqual(res.json().errors.map((e: { path: string }) => e.path), [
    'body.steps.b.conditions.0.time.at', 'body.steps.b.conditions.0.time.between', 'body.steps.b.conditions.0.time.days', 'body.steps.b.conditions.0.time.time_zone',
  ]);
});
