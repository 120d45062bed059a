import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeJobsDue, startBeckon } from '../../test/helpers.ts';
import { contact } from '../../test/campaign-fixtures.ts';
import { activate, expectJobRuns, expectJobs, outcomes, runOf, sendEvent, startRun, tagsOf, waitForRun } from './waits-test-support.ts';

const paidOrNot = (policy: string) => ({
  name: 'Cart', trigger: { type: 'api' }, entry: { policy }, start: 'w',
  steps: {
    w: { type: 'wait_for_event', event: 'custom.order_completed', timeout: { days: 1 }, next: 'paid', timeout_next: 'unpaid' },
    paid: { type: 'update_contact', add_tags: ['paid'] },
    unpaid: { type: 'update_contact', add_tags: ['unpaid'] },
  },
});

test('wait_for_event: resumed by its event with the run\'s correlation key (not another key, not another contact), data in vars.event, timeout job removed', async (t) => {
  const beckon = await startBeckon();
  t.after(() => beckon.stop());
  const automation = await activate(beckon, paidOrNot('per_correlation_key'));
  const ann = await contact(beckon, { name: 'Ann', phone: '+393331234567' });
  const bob = await contact(beckon, { name: 'Bob', phone: '+393331230000' });
  const cart1 = await startRun(beckon, automation, { contact: { uuid: ann }, correlation_key: 'cart-1' });
  const cart2 = await startRun(beckon, automation, { contact: { uuid: ann }, correlation_key: 'cart-2' });
  const w1 = await waitForRun(beckon, cart1.uuid, (r) => r.waiting_until !== null);
  const w2 = await waitForRun(beckon, cart2.uuid, (r) => r.waiting_until !== null);
  assert.equal(Date.parse(w1.waiting_until) - Date.parse(w1.steps[0].at), 86_400_000);
  await expectJobs(beckon, 'automation_step', [[cart1.uuid, 2, w1.waiting_until], [cart2.uuid, 2, w2.waiting_until]]);

  await sendEvent(beckon, { name: 'order_completed', contact: { uuid: ann }, correlation_key: 'cart-9', data: { total: 1 } });
  await sendEvent(beckon, { name: 'order_completed', contact: { uuid: bob }, correlation_key: 'cart-1', data: { total: 2 } });
  await sendEvent(beckon, { name: 'order_shipped', contact: { uuid: ann }, correlation_key: 'cart-1', data: { total: 3 } });
  for (const run of [cart1, cart2]) {
    const still = await runOf(beckon, run.uuid);
    assert.deepEqual([still.status, still.current_step, still.variables], ['active', 'w', {}], 'another key, contact or event does not resume it');
  }
  await expectJobs(beckon, 'automation_step', [[cart1.uuid, 2, w1.waiting_until], [cart2.uuid, 2, w2.waiting_until]]);

  await sendEvent(beckon, { name: 'order_completed', contact: { uuid: ann }, correlation_key: 'cart-1', data: { total: 42, items: ['tea'] } });
  const done = await waitForRun(beckon, cart1.uuid, (r) => r.status === 'completed');
  assert.deepEqual(outcomes(done), [['w', 'waiting', null], ['w', 'next', null], ['paid', 'next', null]]);
  assert.deepEqual(done.variables, { event: { total: 42, items: ['tea'] } });
  assert.deepEqual(await tagsOf(beckon, ann), ['paid']);
  await expectJobs(beckon, 'automation_step', [[cart2.uuid, 2, w2.waiting_until]], 'the resumed run\'s timeout job was removed');
  assert.equal((await runOf(beckon, cart2.uuid)).status, 'active');
});

test('wait_for_event: a run without a correlation key is resumed by its contact\'s event whatever its key; the timeout follows timeout_next and a late event does nothing', async (t) => {
  const beckon = await startBeckon();
  t.after(() => beckon.stop());
  const automation = await activate(beckon, paidOrNot('one_at_a_time'));
  const ann = await contact(beckon, { name: 'Ann', phone: '+393331234567' });
  const bob = await contact(beckon, { name: 'Bob', phone: '+393331230000' });
  const annRun = await startRun(beckon, automation, { contact: { uuid: ann } });
  const bobRun = await startRun(beckon, automation, { contact: { uuid: bob } });
  await waitForRun(beckon, annRun.uuid, (r) => r.waiting_until !== null);
  await waitForRun(beckon, bobRun.uuid, (r) => r.waiting_until !== null);
  await sendEvent(beckon, { name: 'order_completed', contact: { uuid: ann }, correlation_key: 'any', data: { n: 1 } });
  assert.deepEqual((await waitForRun(beckon, annRun.uuid, (r) => r.status === 'completed')).variables, { event: { n: 1 } });

  await makeJobsDue(beckon, 'automation_step');
  const timedOut = await waitForRun(beckon, bobRun.uuid, (r) => r.status === 'completed');
  assert.deepEqual(outcomes(timedOut), [['w', 'waiting', null], ['w', 'timeout', null], ['unpaid', 'next', null]]);
  assert.deepEqual(timedOut.variables, {});
  await sendEvent(beckon, { name: 'order_completed', contact: { uuid: bob }, data: {} });
  const after = await runOf(beckon, bobRun.uuid);
  assert.deepEqual([after.status, after.steps.length, after.variables], ['completed', 3, {}]);
  assert.deepEqual(await tagsOf(beckon, bob), ['unpaid']);
  await expectJobs(beckon, 'automation_step', []);
});

test('wait_for_event and wait_for_reply: cancelling or exiting a waiting run removes its timeout job; the event then resumes nothing', async (t) => {
  const beckon = await startBeckon();
  t.after(() => beckon.stop());
  const automation = await activate(beckon, { ...paidOrNot('one_at_a_time'), exit_on: ['custom.cart_emptied'] });
  const replies = await activate(beckon, {
    name: 'Ask', trigger: { type: 'api' }, start: 'r',
    steps: { r: { type: 'wait_for_reply', timeout: { hours: 2 }, next: 'tag' }, tag: { type: 'update_contact', add_tags: ['answered'] } },
  });
  const ann = await contact(beckon, { name: 'Ann', phone: '+393331234567' });
  const bob = await contact(beckon, { name: 'Bob', phone: '+393331230000' });
  const a = await startRun(beckon, automation, { contact: { uuid: ann } });
  const b = await startRun(beckon, automation, { contact: { uuid: bob } });
  const r = await startRun(beckon, replies, { contact: { uuid: ann } });
  for (const run of [a, b, r]) await waitForRun(beckon, run.uuid, (x) => x.waiting_until !== null);
  await expectJobRuns(beckon, 'automation_step', [a.uuid, b.uuid, r.uuid]);

  const cancelled = await beckon.call('POST', `/v1/automation_runs/${a.uuid}/cancel`, { body: {} });
  assert.deepEqual([cancelled.statusCode, cancelled.json().run.status, cancelled.json().run.waiting_until], [200, 'exited', null]);
  await expectJobRuns(beckon, 'automation_step', [b.uuid, r.uuid]);
  await sendEvent(beckon, { name: 'cart_emptied', contact: { uuid: bob }, data: {} });
  assert.deepEqual([(await runOf(beckon, b.uuid)).status, (await runOf(beckon, b.uuid)).exit_reason], ['exited', 'exit_on:custom.cart_emptied']);
  await expectJobRuns(beckon, 'automation_step', [r.uuid]);
  assert.equal((await beckon.call('POST', `/v1/automation_runs/${r.uuid}/cancel`, { body: {} })).statusCode, 200);
  await expectJobs(beckon, 'automation_step', [], 'no job left');

  await sendEvent(beckon, { name: 'order_completed', contact: { uuid: ann }, data: {} });
  assert.equal((await beckon.call('POST', '/v1/sandbox/inbound', { body: { from: '+393331234567', text: 'hi' } })).statusCode, 200);
  for (const run of [a, r]) {
    const ended = await runOf(beckon, run.uuid);
    assert.deepEqual([ended.status, ended.steps.length, ended.variables], ['exited', 1, {}]);
  }
  assert.deepEqual(await tagsOf(beckon, ann), []);
});
