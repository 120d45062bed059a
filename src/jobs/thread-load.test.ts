import { test } from 'node:test';
import assert from 'node:assert/strict';
import { apiShare, BUSIER_EVEN, BUSIER_NONE, dealByLoad, EVEN_SHARE, LOAD_WINDOW_MS, loadBuffer, publishLoad, readLoad, utilizationMeter } from './thread-load.ts';

const busyFor = (ms: number) => {
  const end = performance.now() + ms;
  while (performance.now() < end);
};
const idleFor = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

test('the API thread takes half of the job thread\'s calls unless it is clearly the busier thread, then less, then none', () => {
  assert.equal(EVEN_SHARE, 0.5);
  assert.deepEqual([-1, 0, 0.05, BUSIER_EVEN].map(apiShare), [0.5, 0.5, 0.5, 0.5]);
  assert.equal(apiShare((BUSIER_EVEN + BUSIER_NONE) / 2), 0.25);
  assert.deepEqual([BUSIER_NONE, 0.5, 1].map(apiShare), [0, 0, 0]);
});

test('dealByLoad alternates the lanes at even load, gives the API lane its share when busier, and reads the loads once a window', () => {
  let time = 0;
  let api = 0.5;
  let own = 0.5;
  let reads = 0;
  const deal = dealByLoad('api', 'own', () => (reads++, api), () => own, () => time);
  const next = (n: number) => Array.from({ length: n }, () => deal());
  assert.deepEqual(next(4), ['own', 'api', 'own', 'api']);
  assert.equal(reads, 1, 'the loads are read on the first deal, not again within the window');
  // the API thread becomes fully busy: within the window nothing changes, after it every call stays on the job thread
  api = 1;
  own = 0.3;
  assert.deepEqual(next(2), ['own', 'api']);
  time += LOAD_WINDOW_MS;
  assert.deepEqual(next(6), ['own', 'own', 'own', 'own', 'own', 'own']);
  assert.equal(reads, 2);
  // busier by 0.2: a quarter of the calls
  api = 0.5;
  time += LOAD_WINDOW_MS;
  assert.deepEqual(next(8), ['own', 'own', 'own', 'api', 'own', 'own', 'own', 'api']);
  // the job thread is the busier one: half again, never more
  own = 1;
  api = 0;
  time += LOAD_WINDOW_MS;
  assert.deepEqual(next(4), ['own', 'api', 'own', 'api']);
});

test('utilizationMeter answers the share of the time since its last call that this thread\'s loop ran code', async () => {
  // the loop must be running: before it starts, Node counts no time at all
  await idleFor(1);
  const meter = utilizationMeter();
  busyFor(150);
  assert.ok(meter() > 0.9, 'a blocked loop is busy');
  await idleFor(150);
  assert.ok(meter() < 0.5, 'a loop waiting on a timer is idle');
});

test('publishLoad writes this thread\'s utilization as its party every window for another thread to read, until stopped', async () => {
  await idleFor(1);
  const buffer = loadBuffer();
  assert.deepEqual([readLoad(buffer, 1), readLoad(buffer, 2)], [0, 0], 'nothing published yet');
  const stop = publishLoad(buffer, 2, 1);
  try {
    assert.deepEqual([readLoad(buffer, 1), readLoad(buffer, 2)], [0, 1], 'the initial load, at once, in its own slot');
    await idleFor(2 * LOAD_WINDOW_MS);
    assert.ok(readLoad(buffer, 2) < 0.3, `idle: ${readLoad(buffer, 2)}`);
    // the window that ends after the block holds at most one window of idle time before it
    busyFor(4 * LOAD_WINDOW_MS);
    await idleFor(20);
    assert.ok(readLoad(buffer, 2) > 0.7, `busy: ${readLoad(buffer, 2)}`);
    assert.equal(readLoad(buffer, 1), 0, 'the other slot is untouched');
  } finally {
    stop();
  }
  await idleFor(2 * LOAD_WINDOW_MS);
  assert.ok(readLoad(buffer, 2) > 0.7, 'nothing published once stopped: the last value stays');
});
