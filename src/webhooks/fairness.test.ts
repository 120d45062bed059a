import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startBeckon, waitFor } from '../../test/helpers.ts';
import { Receiver, refusingUrl } from '../../test/receiver.ts';
import { engineFor } from './engine.ts';
import { BREAKER_THRESHOLD } from './breaker.ts';
import { createHook, deliveriesOf, emit, workspaceOf } from './test-support.ts';

test('a slow endpoint and a refusing one never delay deliveries to a healthy endpoint', async (t) => {
  const beckon = await startBeckon({ BECKON_WEBHOOK_CONCURRENCY: '8', BECKON_WEBHOOK_RETRY_SCHEDULE: '3600' });
  const healthy = await Receiver.start();
  const slow = (await Receiver.start()).hold();
  t.after(async () => {
    slow.release();
    await Promise.all([healthy.stop(), slow.stop()]);
    await beckon.stop();
  });
  const perEndpoint = engineFor(beckon.runtime.deps).slots.limit;
  assert.equal(perEndpoint, 2);
  const ws = await workspaceOf(beckon);
  const slowHook = await createHook(beckon, { url: slow.url(), events: ['message_created'] });
  const deadHook = await createHook(beckon, { url: await refusingUrl(), events: ['message_created'] });
  const goodHook = await createHook(beckon, { url: healthy.url(), events: ['message_created'] });

  const events = 20;
  for (let i = 0; i < events; i++) await emit(beckon, ws, 'message_created', { n: i });

  // every event reaches the healthy endpoint while the slow one has answered none and holds at most its share of slots
  await healthy.waitForRequests(events, 30_000);
  assert.ok(slow.requests.length <= perEndpoint, `the slow endpoint holds ${slow.requests.length} attempts`);
  const slowNow = await deliveriesOf(beckon, slowHook.uuid);
  assert.equal(slowNow.length, events);
  assert.ok(slowNow.every((d) => d.status === 'pending' && d.attempt_count === 0));
  const good = await waitFor('the healthy deliveries recorded', async () => {
    const list = await deliveriesOf(beckon, goodHook.uuid);
    return list.every((d) => d.status === 'succeeded') && list;
  }, 30_000);
  assert.equal(good.length, events);
  assert.deepEqual(new Set(healthy.requests.map((r) => JSON.parse(r.body).payload.n)), new Set([...Array(events).keys()]));

  // the refusing endpoint failed fast; after BREAKER_THRESHOLD refusals its breaker opened, so the rest of its
  // deliveries wait without connecting (or spending an attempt) while it stays down
  const dead = await waitFor('the refused attempts recorded', async () => {
    const list = await deliveriesOf(beckon, deadHook.uuid);
    return list.length === events && list.filter((d) => d.attempt_count === 1).length >= BREAKER_THRESHOLD && list;
  }, 30_000);
  const tried = dead.filter((d) => d.attempt_count === 1);
  assert.ok(tried.length <= BREAKER_THRESHOLD + perEndpoint, `${tried.length} deliveries connected to the dead endpoint`);
  assert.ok(tried.every((d) => /ECONNREFUSED/.test(d.last_error ?? '')), tried[0].last_error ?? '');
  assert.ok(dead.every((d) => d.status === 'pending' && (d.attempt_count === 1 || d.attempt_count === 0)));

  // once the slow endpoint answers, it gets everything too
  slow.release();
  await slow.waitForRequests(events, 30_000);
  await waitFor('the slow deliveries to succeed', async () => (await deliveriesOf(beckon, slowHook.uuid)).every((d) => d.status === 'succeeded'), 30_000);
});
