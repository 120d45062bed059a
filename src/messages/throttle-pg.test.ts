import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as sharedLimits from '../db/migrations/0014_shared_limits.ts';
import { createPgThrottle } from './throttle-pg.ts';
import { freshPgDatabase, pgHandle, pgUnavailable } from '../../test/pg-fresh.ts';

const skip = await pgUnavailable();

/** Two throttles on two pools (two worker processes) against one fresh database. */
async function twoThrottles(t: { after(fn: () => Promise<void>): void }) {
  const url = await freshPgDatabase(t, 'beckon_rl');
  const one = pgHandle(url);
  const two = pgHandle(url);
  await sharedLimits.up(one);
  return [createPgThrottle(one as never), createPgThrottle(two as never)] as const;
}

test('pg throttle: two processes share one channel\'s pace, reserved slots and pauses', { skip: skip ?? false }, async (t) => {
  const [a, b] = await twoThrottles(t);
  // the in-memory sequence of throttle.test.ts, alternating between the two processes
  assert.deepEqual([await a.take('ch', 2, 'a', 0), await b.take('ch', 2, 'b', 0), await a.take('ch', 2, 'c', 0), await b.take('ch', 2, 'd', 0)], [0, 0, 500, 1000]);
  assert.equal(await b.take('ch', 2, 'c', 400), 100, 'too early, in the other process: still waiting for its slot');
  assert.equal(await b.take('ch', 2, 'c', 500), 0, 'its slot, found by the other process');
  assert.equal(await a.take('ch', 2, 'd', 1000), 0);
  assert.equal(await b.take('ch', 2, 'e', 1000), 500, 'a newcomer queues after the reserved slots');
  assert.equal(await a.take('other', 2, 'x', 0), 0, 'channels are paced apart');
  assert.equal(await a.take('ch', Infinity, 'f', 0), 0, 'no rate: never waits');

  // a pause in one process holds the other, moves slots handed out before it, and ends without a burst
  const keys = Array.from({ length: 11 }, (_, i) => `m${i}`);
  const waits = [];
  for (const [i, key] of keys.entries()) waits.push(await (i % 2 ? b : a).take('p', 10, key, 0));
  assert.deepEqual(waits, [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 100]);
  await a.pause('p', 5000, 50);
  assert.equal(await b.take('p', 10, 'm10', 100), 4950, 'the slot at 100 moved after the pause');
  assert.equal(await a.take('p', 10, 'n1', 100), 5050);
  assert.equal(await b.take('p', Infinity, 'u', 100), 4950, 'an unpaced send waits for the pause too');
  await b.pause('p', 1000, 200);
  assert.equal(await a.take('p', 10, 'n2', 300), 4950, 'a shorter pause changes nothing: the next slot is 5250');
});

test('pg throttle: concurrent takes from two processes hand out each slot once', { skip: skip ?? false }, async (t) => {
  const [a, b] = await twoThrottles(t);
  const waits = await Promise.all(Array.from({ length: 40 }, (_, i) => (i % 2 ? b : a).take('ch', 10, `k${i}`, 0)));
  // a burst of 10 at once, then one slot per 100 ms: 30 distinct slots 100..3000
  assert.equal(waits.filter((w) => w === 0).length, 10);
  assert.deepEqual(waits.filter((w) => w > 0).sort((x, y) => x - y), Array.from({ length: 30 }, (_, i) => (i + 1) * 100));
});
