import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BREAKER_THRESHOLD, CircuitBreakers } from './breaker.ts';

test('circuit breaker: opens after attempts without an answer, doubles its wait, probes once, closes on any HTTP answer', () => {
  let now = 1_000_000;
  const breakers = new CircuitBreakers(() => now);
  for (let i = 1; i < BREAKER_THRESHOLD; i++) {
    breakers.record('e1', false);
    assert.equal(breakers.waitMs('e1'), 0, `still closed after ${i} failures`);
  }
  breakers.record('e1', false);
  assert.equal(breakers.waitMs('e1'), 1_000);
  assert.equal(breakers.waitMs('other'), 0, 'other endpoints are not affected');

  now += 1_000;
  assert.equal(breakers.waitMs('e1'), 0, 'one probe goes through');
  assert.equal(breakers.waitMs('e1'), 1_000, 'the others wait for the probe');
  breakers.record('e1', false);
  assert.equal(breakers.waitMs('e1'), 2_000, 'a failed probe doubles the wait');

  now += 2_000;
  assert.equal(breakers.waitMs('e1'), 0);
  breakers.record('e1', true);
  assert.equal(breakers.waitMs('e1'), 0);
  breakers.record('e1', false);
  assert.equal(breakers.waitMs('e1'), 0, 'an HTTP answer (even a 500) reset the count');

  for (let i = 0; i < 20; i++) breakers.record('e2', false);
  assert.equal(breakers.waitMs('e2'), 60_000, 'the wait is capped at a minute');
  now += 60_000;
  assert.equal(breakers.waitMs('e2'), 0, 'the probe');
  now += 29_000;
  assert.equal(breakers.waitMs('e2'), 1_000, 'still waiting for the probe');
  now += 2_000;
  assert.equal(breakers.waitMs('e2'), 0, 'a probe that never reported gives way to a new one');
});
