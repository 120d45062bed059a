import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeJobsDue, startBeckon, waitFor, type TestBeckon } from '../../test/helpers.ts';
import { contact, whatsappChannel } from '../../test/campaign-fixtures.ts';
import { createAutomation, sendWaitTag } from '../../test/automation-fixtures.ts';
import { addCounters } from './stats-queries.ts';

async function activate(beckon: TestBeckon, body: Record<string, unknown>): Promise<string> {
  const { uuid } = await createAutomation(beckon, body);
  assert.equal((await beckon.call('POST', `/v1/automations/${uuid}/activate`, { body: {} })).statusCode, 200);
  return uuid;
}

async function runOf(beckon: TestBeckon, uuid: string): Promise<Record<string, any>> {
  return (await beckon.call('GET', `/v1/automation_runs/${uuid}`)).json().run;
}

function waitForRun(beckon: TestBeckon, uuid: string, what: (run: Record<string, any>) => boolean): Promise<Record<string, any>> {
  return waitFor(`run ${uuid}`, async () => {
    const run = await runOf(beckon, uuid);
    return what(run) ? run : undefined;
  });
}

async function statsOf(beckon: TestBeckon, uuid: string, query = ''): Promise<Record<string, any>> {
  const res = await beckon.call('GET', `/v1/automations/${uuid}/stats${query}`);
  assert.equal(res.statusCode, 200, res.body);
  return res.json().stats;
}

const today = () => new Date().toISOString().slice(0, 10);
const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);
const noRuns = { started: 0, completed: 0, exited: 0, failed: 0, converted: 0 };
const step = (stepId: string, type: string | null, figures: Record<string, unknown>) => ({ step: stepId, type, entered: 0, completed: {}, waiting_now: 0, skipped: {}, failed: 0, ...figures });

test('automation stats: runs started/completed/exited, per step entered, completed by edge, skipped by reason, waiting now, a daily timeline', async (t) => {
  const beckon = await startBeckon();
  t.after(() => beckon.stop());
  const channel = await whatsappChannel(beckon);
  const automation = await activate(beckon, sendWaitTag(channel, { steps: { ...sendWaitTag(channel).steps as object, pause: { type: 'wait', duration: { days: 1 }, next: 'tag' } } }));
  assert.deepEqual(await statsOf(beckon, automation), {
    automation_uuid: automation, runs: { ...noRuns, active: 0, conversion_rate: 0 },
    steps: [step('hello', 'send_message', {}), step('pause', 'wait', {}), step('tag', 'update_contact', {}), step('tag_skipped', 'update_contact', {})],
    timeline: [{ day: today(), ...noRuns }],
  });

  const start = async (name: string, phone: string, extra: Record<string, unknown> = {}) => {
    const uuid = await contact(beckon, { name, phone, ...extra });
    const res = await beckon.call('POST', `/v1/automations/${automation}/runs`, { body: { contact: { uuid } } });
    assert.equal(res.statusCode, 202, res.body);
    return res.json().run.uuid as string;
  };
  // Ann waits then completes; Bob is opted out (skipped → tag_skipped → completed); Cara waits; Dan waits and is cancelled
  const ann = await start('Ann', '+393331230001');
  await waitForRun(beckon, ann, (r) => r.waiting_until !== null);
  const bob = await start('Bob', '+393331230002', { consent: { whatsapp: { status: 'opted_out' } } });
  await waitForRun(beckon, bob, (r) => r.status === 'completed');
  await makeJobsDue(beckon, 'automation_step');
  await waitForRun(beckon, ann, (r) => r.status === 'completed');
  const cara = await start('Cara', '+393331230003');
  const dan = await start('Dan', '+393331230004');
  await waitForRun(beckon, cara, (r) => r.waiting_until !== null);
  await waitForRun(beckon, dan, (r) => r.waiting_until !== null);
  assert.equal((await beckon.call('POST', `/v1/automation_runs/${dan}/cancel`, { body: {} })).statusCode, 200);

  const stats = await statsOf(beckon, automation);
  assert.deepEqual(stats.runs, { started: 4, completed: 2, exited: 1, failed: 0, converted: 0, active: 1, conversion_rate: 0 });
  assert.deepEqual(stats.steps, [
    step('hello', 'send_message', { entered: 4, completed: { next: 3, skipped: 1 }, skipped: { contact_opted_out: 1 } }),
    step('pause', 'wait', { entered: 3, completed: { next: 1 }, waiting_now: 1 }),
    step('tag', 'update_contact', { entered: 1, completed: { next: 1 } }),
    step('tag_skipped', 'update_contact', { entered: 1, completed: { next: 1 } }),
  ]);
  assert.deepEqual(stats.timeline, [{ day: today(), started: 4, completed: 2, exited: 1, failed: 0, converted: 0 }]);

  // day buckets: counts of earlier UTC days (as the engine writes them on those days) land on their own day
  const { db } = beckon.runtime.deps;
  await addCounters(db, automation, daysAgo(2), [{ stepId: '', counter: 'started', by: 5 }, { stepId: '', counter: 'completed', by: 3 }, { stepId: 'hello', counter: 'entered', by: 5 }]);
  await addCounters(db, automation, daysAgo(2), [{ stepId: '', counter: 'started', by: 1 }, { stepId: 'gone', counter: 'entered', by: 2 }]);
  await addCounters(db, automation, daysAgo(5), [{ stepId: '', counter: 'failed', by: 2 }, { stepId: '', counter: 'started', by: 2 }]);
  const later = await statsOf(beckon, automation, `?from=${daysAgo(3)}`);
  assert.deepEqual(later.timeline, [
    { day: daysAgo(3), ...noRuns },
    { day: daysAgo(2), ...noRuns, started: 6, completed: 3 },
    { day: daysAgo(1), ...noRuns },
    { day: today(), started: 4, completed: 2, exited: 1, failed: 0, converted: 0 },
  ]);
  assert.deepEqual(later.runs, { started: 12, completed: 5, exited: 1, failed: 2, converted: 0, active: 4, conversion_rate: 0 }, 'totals are all-time');
  assert.deepEqual([later.steps[0].entered, later.steps.at(-1)], [9, step('gone', null, { entered: 2 })], 'a step only an older version had comes last, type null');
  const whole = await statsOf(beckon, automation);
  assert.deepEqual(whole.timeline.map((d: { day: string }) => d.day), [5, 4, 3, 2, 1, 0].map(daysAgo), 'by default from the first day with a run to today');
  const window = await statsOf(beckon, automation, `?from=${daysAgo(5)}&to=${daysAgo(4)}`);
  assert.deepEqual(window.timeline, [{ day: daysAgo(5), ...noRuns, started: 2, failed: 2 }, { day: daysAgo(4), ...noRuns }]);

  for (const [query, path] of [['?from=2026-02-30', 'query.from'], ['?to=yesterday', 'query.to'], [`?from=${today()}&to=${daysAgo(1)}`, 'query.from'], ['?from=2020-01-01&to=2021-12-31', 'query.from']]) {
    const res = await beckon.call('GET', `/v1/automations/${automation}/stats${query}`);
    assert.deepEqual([res.statusCode, res.headers['content-type'], res.json().errors?.[0]?.path], [400, 'application/problem+json; charset=utf-8', path], query);
  }
});

test('automation stats: 404 for another workspace\'s automation and an unknown one', async (t) => {
  const beckon = await startBeckon({}, { worker: false });
  t.after(() => beckon.stop());
  const automation = await activate(beckon, sendWaitTag(await whatsappChannel(beckon)));
  const other = await beckon.newWorkspace('other');
  const res = await beckon.call('GET', `/v1/automations/${automation}/stats`, { key: other });
  assert.deepEqual([res.statusCode, res.json().code], [404, 'not_found']);
  assert.equal((await beckon.call('GET', '/v1/automations/0190a000-0000-7000-8000-000000000000/stats')).statusCode, 404);
  assert.equal((await beckon.call('GET', `/v1/automations/${automation}/stats`)).statusCode, 200);
});
