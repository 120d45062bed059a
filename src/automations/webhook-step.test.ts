import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Webhook } from 'standardwebhooks';
import { makeJobsDue, startBeckon, waitFor } from '../../test/helpers.ts';
import { contact } from '../../test/campaign-fixtures.ts';
import { Receiver } from '../../test/receiver.ts';
import { newWebhookSecret } from '../webhooks/sign.ts';
import { activate, expectJobs, jobsOf, outcomes, runOf, startRun, tagsOf, waitForRun } from './waits-test-support.ts';

const scoring = (url: string, secret: string, extra: Record<string, unknown> = {}) => ({
  name: 'Score', trigger: { type: 'api' }, start: 'hook',
  steps: {
    hook: { type: 'webhook', url, secret, save_as: 'crm', next: 'check', ...extra },
    check: { type: 'branch', conditions: [{ field: 'vars.crm.tier', op: 'eq', value: 'gold', next: 'gold' }], default: 'done' },
    gold: { type: 'update_contact', add_tags: ['gold'] },
    done: { type: 'exit' },
  },
});

test('webhook step: a signed POST of {run, contact, trigger, vars}; its JSON answer lands in vars.<save_as> and routes a branch', async (t) => {
  const beckon = await startBeckon();
  const receiver = await Receiver.start();
  t.after(async () => { await receiver.stop(); await beckon.stop(); });
  receiver.answer({ status: 200, headers: { 'content-type': 'application/json' }, body: '{"score": 7, "tier": "gold"}' });
  const secret = newWebhookSecret();
  const automation = await activate(beckon, scoring(receiver.url('/score'), secret));
  const ann = await contact(beckon, { name: 'Ann Lee', phone: '+393331234567', tags: ['vip'] });
  const run = await startRun(beckon, automation, { contact: { uuid: ann }, data: { cart: { total: 42 } }, correlation_key: 'c-1' });
  const done = await waitForRun(beckon, run.uuid, (r) => r.status === 'completed');
  assert.deepEqual(outcomes(done), [['hook', 'waiting', null], ['hook', 'next', null], ['check', 'condition_0', null], ['gold', 'next', null]]);
  await expectJobs(beckon, 'automation_webhook', []);
  assert.deepEqual(done.variables, { crm: { score: 7, tier: 'gold' } });
  assert.deepEqual(await tagsOf(beckon, ann), ['vip', 'gold']);

  assert.equal(receiver.requests.length, 1);
  const [request] = receiver.requests;
  assert.deepEqual([request.method, request.path, request.headers['content-type'], request.headers['webhook-id']], ['POST', '/score', 'application/json', `${run.uuid}.2`]);
  assert.deepEqual(new Webhook(secret).verify(request.body, request.headers), JSON.parse(request.body), 'verifies with the standardwebhooks library');
  assert.throws(() => new Webhook(newWebhookSecret()).verify(request.body, request.headers), /No matching signature/);
  assert.deepEqual(JSON.parse(request.body), {
    run: { uuid: run.uuid, automation_uuid: automation, version: 1, step: 'hook', correlation_key: 'c-1' },
    contact: { uuid: ann, name: 'Ann Lee', first_name: 'Ann', phone: '+393331234567', email: null, tags: ['vip'], custom_fields: {}, source: 'api' },
    trigger: { cart: { total: 42 } },
    vars: {},
  });
});

test('webhook step: a Liquid body; an empty answer saves {}; a wait_until reads the saved variables', async (t) => {
  const beckon = await startBeckon();
  const receiver = await Receiver.start();
  t.after(async () => { await receiver.stop(); await beckon.stop(); });
  receiver.next({ status: 204 }, { status: 200, body: '{"follow_up_at": "2031-02-03T10:00:00Z"}' });
  const secret = newWebhookSecret();
  const automation = await activate(beckon, {
    name: 'Liquid', trigger: { type: 'api' }, start: 'first',
    steps: {
      first: { type: 'webhook', url: receiver.url('/a'), secret, body: '{"name": "{{ contact.first_name }}", "total": {{ trigger.total }}}', save_as: 'first', next: 'second' },
      second: { type: 'webhook', url: receiver.url('/b'), secret, save_as: 'plan', attempts: 1, next: 'later' },
      later: { type: 'wait_until', at: 'vars.plan.follow_up_at', next: 'done' },
      done: { type: 'exit' },
    },
  });
  const ann = await contact(beckon, { name: 'Ann Lee', phone: '+393331234567' });
  const run = await startRun(beckon, automation, { contact: { uuid: ann }, data: { total: 9.5 } });
  const waiting = await waitForRun(beckon, run.uuid, (r) => r.current_step === 'later' && r.waiting_until !== null);
  assert.equal(waiting.waiting_until, '2031-02-03T10:00:00.000Z');
  assert.deepEqual(waiting.variables, { first: {}, plan: { follow_up_at: '2031-02-03T10:00:00Z' } });
  assert.equal(receiver.requests[0].body, '{"name": "Ann", "total": 9.5}');
  assert.deepEqual(JSON.parse(receiver.requests[1].body).vars, { first: {} });
  assert.deepEqual(receiver.requests.map((r) => r.headers['webhook-id']), [`${run.uuid}.2`, `${run.uuid}.5`]);
});

test('webhook step: retried with backoff, then the run fails with the reason (nothing else affected); a refused address fails at once', async (t) => {
  const beckon = await startBeckon();
  const receiver = await Receiver.start();
  t.after(async () => { await receiver.stop(); await beckon.stop(); });
  receiver.answer({ status: 500, body: 'down' });
  const secret = newWebhookSecret();
  const automation = await activate(beckon, scoring(receiver.url('/score'), secret, { attempts: 2 }));
  const ann = await contact(beckon, { name: 'Ann', phone: '+393331234567' });
  const run = await startRun(beckon, automation, { contact: { uuid: ann } });
  await receiver.waitForRequests(1);
  const retry = await waitFor('the retry scheduled', async () => (await beckon.runtime.deps.queue.jobs('automation_webhook')).find((j) => j.lastError !== null));
  assert.deepEqual([retry.payload, retry.maxAttempts, Date.parse(retry.runAt) > Date.now()], [{ run_id: run.uuid, token: 2 }, 2, true]);
  assert.equal((await runOf(beckon, run.uuid)).status, 'active');
  await makeJobsDue(beckon, 'automation_webhook');
  const failed = await waitForRun(beckon, run.uuid, (r) => r.status === 'failed');
  const reason = 'webhook_failed: HTTP 500 (attempt 2 of 2)';
  assert.deepEqual([failed.error, failed.current_step, outcomes(failed)], [reason, null, [['hook', 'waiting', null], ['hook', 'failed', reason]]]);
  assert.equal(receiver.requests.length, 2);
  assert.deepEqual(receiver.requests.map((r) => r.headers['webhook-id']), [`${run.uuid}.2`, `${run.uuid}.2`], 'the same message id on every attempt');
  // the job that failed the run is deleted once its task returns
  await expectJobs(beckon, 'automation_webhook', []);
  assert.deepEqual(await tagsOf(beckon, ann), []);
  const events = await beckon.runtime.deps.db.selectFrom('events').select('type').where('type', 'like', 'automation_run_%').orderBy('id').execute();
  assert.deepEqual(events.map((e) => e.type), ['automation_run_started', 'automation_run_failed']);
  const stats = (await beckon.call('GET', `/v1/automations/${automation}/stats`)).json().stats;
  const hook = stats.steps.find((s: { step: string }) => s.step === 'hook');
  assert.deepEqual([stats.runs.started, stats.runs.failed, hook.entered, hook.failed, hook.waiting_now], [1, 1, 1, 1, 0], 'the failed call is counted and the run no longer waits');

  const refused = await activate(beckon, scoring('http://10.20.30.40/hook', secret));
  const bob = await contact(beckon, { name: 'Bob', phone: '+393331230000' });
  const blocked = await startRun(beckon, refused, { contact: { uuid: bob } });
  const failedAtOnce = await waitForRun(beckon, blocked.uuid, (r) => r.status === 'failed');
  assert.match(failedAtOnce.error, /^webhook_failed: address refused by SSRF guard: .+ \(attempt 1 of 3\)$/);
  assert.equal(receiver.requests.length, 2);
});

test('webhook step: cancelling a run whose call waits for its retry removes the job', async (t) => {
  const beckon = await startBeckon();
  const receiver = await Receiver.start();
  t.after(async () => { await receiver.stop(); await beckon.stop(); });
  receiver.answer({ status: 503 });
  const automation = await activate(beckon, scoring(receiver.url(), newWebhookSecret()));
  const ann = await contact(beckon, { name: 'Ann', phone: '+393331234567' });
  const run = await startRun(beckon, automation, { contact: { uuid: ann } });
  await receiver.waitForRequests(1);
  await waitFor('the retry scheduled', async () => (await beckon.runtime.deps.queue.jobs('automation_webhook')).find((j) => j.lastError !== null));
  const cancelled = await beckon.call('POST', `/v1/automation_runs/${run.uuid}/cancel`, { body: {} });
  assert.deepEqual([cancelled.statusCode, cancelled.json().run.status], [200, 'exited']);
  // checked at once: left there, the job would run (and be deleted as stale) after its backoff
  assert.deepEqual(await jobsOf(beckon, 'automation_webhook'), []);
  await expectJobs(beckon, 'automation_step', []);
});
