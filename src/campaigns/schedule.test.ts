import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AppError } from '../errors.ts';
import { resolveSendAt } from './schedule.ts';

function pathOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    if (error instanceof AppError) return error.errors?.[0]?.path;
    throw error;
  }
  return undefined;
}

test('send_at: local wall times are read in the IANA zone with its daylight-saving rule; offsets are taken as they are', () => {
  assert.deepEqual(resolveSendAt('2030-01-15T09:00', 'America/Montreal'), { at: '2030-01-15T14:00:00.000Z', timeZone: 'America/Montreal' });
  assert.deepEqual(resolveSendAt('2030-07-15T09:00:30', 'America/Montreal'), { at: '2030-07-15T13:00:30.000Z', timeZone: 'America/Montreal' });
  assert.equal(resolveSendAt('2030-01-15T09:00', 'Asia/Kolkata').at, '2030-01-15T03:30:00.000Z');
  assert.equal(resolveSendAt('2030-01-15T09:00', 'UTC').at, '2030-01-15T09:00:00.000Z');
  // 02:30 does not exist in New York on 2030-03-10 (02:00 → 03:00): it moves forward by the gap, to 03:30 EDT
  assert.equal(resolveSendAt('2030-03-10T02:30', 'America/New_York').at, '2030-03-10T07:30:00.000Z');
  // 01:30 happens twice on 2030-11-03 (EDT, then EST): either reading is an instant that shows 01:30 there
  assert.ok(['2030-11-03T05:30:00.000Z', '2030-11-03T06:30:00.000Z'].includes(resolveSendAt('2030-11-03T01:30', 'America/New_York').at));
  assert.deepEqual(resolveSendAt('2030-01-15T09:00:00-05:00', undefined), { at: '2030-01-15T14:00:00.000Z', timeZone: null });
  assert.deepEqual(resolveSendAt('2030-01-15T14:00:00Z', 'Europe/Rome'), { at: '2030-01-15T14:00:00.000Z', timeZone: 'Europe/Rome' });
});

test('send_at: bad zones, missing zones and impossible dates are 400s naming the field', () => {
  assert.equal(pathOf(() => resolveSendAt('2030-01-15T09:00', 'Mars/Olympus')), 'body.time_zone');
  assert.equal(pathOf(() => resolveSendAt('2030-01-15T09:00', undefined)), 'body.time_zone');
  assert.equal(pathOf(() => resolveSendAt('2030-02-30T09:00', 'UTC')), 'body.send_at');
  assert.equal(pathOf(() => resolveSendAt('2030-01-15T25:00', 'UTC')), 'body.send_at');
  assert.equal(pathOf(() => resolveSendAt('15/01/2030 09:00', 'UTC')), 'body.send_at');
});
