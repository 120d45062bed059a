import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startBeckon, waitFor, type TestBeckon } from '../../test/helpers.ts';
import { whatsappChannel } from '../../test/campaign-fixtures.ts';
import { createAutomation } from '../../test/automation-fixtures.ts';

async function runOf(beckon: TestBeckon, uuid: string): Promise<Record<string, any>> {
  return (await beckon.call('GET', `/v1/automation_runs/${uuid}`)).json().run;
}

function cartReminder(channel: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: 'Cart', trigger: { type: 'event', event: 'custom.cart_abandoned' }, entry: { policy: 'per_correlation_key' },
    goal: { event: 'custom.order_completed', within: { days: 7 } }, start: 'remind',
    steps: {
      remind: { type: 'send_message', channel_uuid: channel, text: 'Your cart is waiting', next: 'later' },
      later: { type: 'wait', duration: { days: 1 }, next: 'tag' },
      tag: { type: 'update_contact', add_tags: ['reminded'] },
    },
    ...extra,
  };
}

test('automation goals: a goal event on the run\'s correlation key within the window converts the run once and ends it; conversion rate', async (t) => {
  const beckon = await startBeckon();
  t.after(() => beckon.stop());
  const channel = await whatsappChannel(beckon);
  const created = await createAutomation(beckon, cartReminder(channel));
  assert.deepEqual(created.goal, { event: 'custom.order_completed', within: { days: 7 } });
  const automation = created.uuid;
  assert.equal((await beckon.call('POST', `/v1/automations/${automation}/activate`, { body: {} })).statusCode, 200);
  const event = async (name: string, phone: string, key: string, occurredAt?: string) => {
    const res = await beckon.call('POST', '/v1/events', { body: { name, contact: { phone }, correlation_key: key, ...(occurredAt && { occurred_at: occurredAt }) } });
    assert.equal(res.statusCode, 202, res.body);
  };
  await event('cart_abandoned', '+393331230001', 'c-1');
  await event('cart_abandoned', '+393331230001', 'c-2');
  await event('cart_abandoned', '+393331230002', 'c-3');
  const runs = (await beckon.call('GET', `/v1/automations/${automation}/runs`)).json().runs as Record<string, any>[];
  const byKey = Object.fromEntries(runs.map((r) => [r.correlation_key, r.uuid])) as Record<string, string>;
  for (const uuid of Object.values(byKey)) await waitFor('waiting', async () => (await runOf(beckon, uuid)).waiting_until !== null);

  await event('order_completed', '+393331230001', 'c-9'); // another cart: nothing
  await event('order_completed', '+393331230002', 'c-3', '2020-01-01T00:00:00Z'); // before the run started: nothing
  await event('order_completed', '+393331230001', 'c-2', new Date(Date.now() + 8 * 86_400_000).toISOString()); // after the window: nothing
  assert.deepEqual((await Promise.all(Object.values(byKey).map((u) => runOf(beckon, u)))).map((r) => r.status), ['active', 'active', 'active']);

  await event('order_completed', '+393331230001', 'c-1');
  const converted = await runOf(beckon, byKey['c-1']);
  assert.deepEqual([converted.status, converted.exit_reason, converted.waiting_until, converted.current_step], ['converted', 'goal:custom.order_completed', null, null]);
  await event('order_completed', '+393331230001', 'c-1'); // again: counted once
  const pending = await beckon.runtime.deps.queue.jobs('automation_step');
  assert.deepEqual(pending.map((j) => (j.payload as { run_id: string }).run_id).sort(), [byKey['c-2'], byKey['c-3']].sort(), 'the converted run\'s wait was removed');
  const events = await beckon.runtime.deps.db.selectFrom('events').select(['type', 'payload']).where('type', '=', 'automation_run_converted').execute();
  assert.deepEqual(events.map((e) => [e.type, JSON.parse(e.payload).uuid, JSON.parse(e.payload).status]), [['automation_run_converted', byKey['c-1'], 'converted']]);
  assert.deepEqual((await beckon.call('GET', `/v1/automations/${automation}/runs?status=converted`)).json().runs.map((r: { uuid: string }) => r.uuid), [byKey['c-1']]);

  const stats = (await beckon.call('GET', `/v1/automations/${automation}/stats`)).json().stats;
  assert.deepEqual(stats.runs, { started: 3, completed: 0, exited: 0, failed: 0, converted: 1, active: 2, conversion_rate: 0.3333 });
  assert.deepEqual(stats.steps.map((s: Record<string, unknown>) => [s.step, s.entered, s.waiting_now]), [['remind', 3, 0], ['later', 3, 2], ['tag', 0, 0]]);
  assert.deepEqual(stats.timeline.at(-1), { day: new Date().toISOString().slice(0, 10), started: 3, completed: 0, exited: 0, failed: 0, converted: 1 });

  // a run without a correlation key converts on any goal event of its contact; a goal event that is also in exit_on converts
  const api = await createAutomation(beckon, { ...cartReminder(channel), trigger: { type: 'api' }, entry: { policy: 'one_at_a_time' }, exit_on: ['custom.order_completed'] });
  await beckon.call('POST', `/v1/automations/${api.uuid}/activate`, { body: {} });
  const run = (await beckon.call('POST', `/v1/automations/${api.uuid}/runs`, { body: { contact: { phone: '+393331230003' } } })).json().run;
  await waitFor('waiting', async () => (await runOf(beckon, run.uuid)).waiting_until !== null);
  await event('order_completed', '+393331230003', 'any');
  assert.deepEqual([(await runOf(beckon, run.uuid)).status], ['converted']);
});

test('automation goals: a bad goal is a 400 naming each path; PATCH goal null removes it', async (t) => {
  const beckon = await startBeckon({}, { worker: false });
  t.after(() => beckon.stop());
  const channel = await whatsappChannel(beckon);
  const cases: [unknown, string[]][] = [
    ['custom.x', ['body.goal']],
    [{ event: 'order_completed', within: { weeks: 1 }, when: 1 }, ['body.goal.when', 'body.goal.event', 'body.goal.within.weeks']],
    [{ event: 'custom.order_completed' }, ['body.goal.within']],
    [{ event: 'custom.order_completed', within: { days: 0 } }, ['body.goal.within']],
    [{ event: 'custom.order_completed', within: { days: 367 } }, ['body.goal.within']],
    [{ event: 'custom.order_completed', within: { hours: 1.5, minutes: -1 } }, ['body.goal.within.hours', 'body.goal.within.minutes']],
  ];
  for (const [goal, paths] of cases) {
    const res = await beckon.call('POST', '/v1/automations', { body: cartReminder(channel, { goal }) });
    assert.deepEqual([res.statusCode, res.json().errors?.map((e: { path: string }) => e.path)], [400, paths], JSON.stringify(goal));
  }
  const created = await createAutomation(beckon, cartReminder(channel, { goal: { event: 'custom.order_completed', within: { hours: 12, minutes: 30 } } }));
  assert.deepEqual(created.goal, { event: 'custom.order_completed', within: { hours: 12, minutes: 30 } });
  const patched = await beckon.call('PATCH', `/v1/automations/${created.uuid}`, { body: { goal: null } });
  assert.equal(patched.statusCode, 200, patched.body);
  assert.equal(patched.json().automation.goal, undefined);
});
