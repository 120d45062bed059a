import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeJobsDue, startBeckon, waitFor, type TestBeckon } from '../../test/helpers.ts';
import { contact, whatsappChannel } from '../../test/campaign-fixtures.ts';
import { createAutomation, sendWaitTag } from '../../test/automation-fixtures.ts';

async function activate(beckon: TestBeckon, body: Record<string, unknown>, key?: string): Promise<string> {
  const { uuid } = await createAutomation(beckon, body, key);
  const res = await beckon.call('POST', `/v1/automations/${uuid}/activate`, { body: {}, key });
  assert.equal(res.statusCode, 200, res.body);
  return uuid;
}

async function runOf(beckon: TestBeckon, uuid: string, key?: string): Promise<Record<string, any>> {
  const res = await beckon.call('GET', `/v1/automation_runs/${uuid}`, { key });
  assert.equal(res.statusCode, 200, res.body);
  return res.json().run;
}

function waitForRun(beckon: TestBeckon, uuid: string, what: (run: Record<string, any>) => boolean): Promise<Record<string, any>> {
  return waitFor(`run ${uuid}`, async () => {
    const run = await runOf(beckon, uuid);
    return what(run) ? run : undefined;
  });
}

const outcomes = (run: Record<string, any>) => run.steps.map((s: Record<string, unknown>) => [s.step, s.outcome, s.reason]);

async function tagsOf(beckon: TestBeckon, uuid: string): Promise<string[]> {
  return (await beckon.call('GET', `/v1/contacts/${uuid}`)).json().contact.tags;
}

async function eventTypes(beckon: TestBeckon, prefix: string): Promise<string[]> {
  const rows = await beckon.runtime.deps.db.selectFrom('events').select('type').where('type', 'like', `${prefix}%`).orderBy('created_at').orderBy('id').execute();
  return rows.map((r) => r.type);
}

test('automation runs: an api trigger runs send → wait 0 → tag to completed, the message sent on the sandbox', async (t) => {
  const beckon = await startBeckon();
  t.after(() => beckon.stop());
  const channel = await whatsappChannel(beckon);
  const automation = await activate(beckon, sendWaitTag(channel));
  const ann = await contact(beckon, { name: 'Ann', phone: '+393331234567' });
  const started = await beckon.call('POST', `/v1/automations/${automation}/runs`, { body: { contact: { uuid: ann }, data: { cart: { total: '42 €' } } } });
  assert.equal(started.statusCode, 202, started.body);
  const run = started.json().run;
  assert.deepEqual([run.automation_uuid, run.version, run.contact_uuid, run.status, run.current_step, run.data], [automation, 1, ann, 'active', 'hello', { cart: { total: '42 €' } }]);

  const done = await waitForRun(beckon, run.uuid, (r) => r.status === 'completed');
  assert.deepEqual(outcomes(done), [['hello', 'next', null], ['pause', 'waiting', null], ['pause', 'next', null], ['tag', 'next', null]]);
  assert.deepEqual([done.current_step, done.exit_reason, done.error], [null, null, null]);
  const messageId = done.steps[0].message_uuid;
  const message = await waitFor('message sent', async () => {
    const m = (await beckon.call('GET', `/v1/messages/${messageId}`)).json().message;
    return m && m.status !== 'enqueued' ? m : undefined;
  });
  assert.deepEqual([message.content.text, message.metadata], ['Hi Ann, your cart: 42 €', { automation_uuid: automation, automation_run_uuid: run.uuid }]);
  assert.notEqual(message.status, 'failed');
  assert.deepEqual(await tagsOf(beckon, ann), ['welcomed']);
  assert.deepEqual(await eventTypes(beckon, 'automation_run_'), ['automation_run_started', 'automation_run_completed']);

  // a new contact by phone is created; the list filters by status and contact
  const byPhone = await beckon.call('POST', `/v1/automations/${automation}/runs`, { body: { contact: { phone: '+39 333 765 4321' } } });
  assert.equal(byPhone.statusCode, 202, byPhone.body);
  await waitForRun(beckon, byPhone.json().run.uuid, (r) => r.status === 'completed');
  const list = (await beckon.call('GET', `/v1/automations/${automation}/runs?contact_uuid=${ann}`)).json();
  assert.deepEqual(list.runs.map((r: { uuid: string }) => r.uuid), [run.uuid]);
  assert.equal((await beckon.call('GET', `/v1/automations/${automation}/runs?status=completed`)).json().runs.length, 2);
  assert.equal((await beckon.call('GET', `/v1/automations/${automation}/runs?status=active`)).json().runs.length, 0);
});

test('automation runs: a refused send (opted-out contact) records its reason and follows the skipped edge', async (t) => {
  const beckon = await startBeckon();
  t.after(() => beckon.stop());
  const channel = await whatsappChannel(beckon);
  const automation = await activate(beckon, sendWaitTag(channel));
  const bob = await contact(beckon, { name: 'Bob', phone: '+393331230000', consent: { whatsapp: { status: 'opted_out' } } });
  const run = (await beckon.call('POST', `/v1/automations/${automation}/runs`, { body: { contact: { uuid: bob } } })).json().run;
  const done = await waitForRun(beckon, run.uuid, (r) => r.status === 'completed');
  assert.deepEqual(outcomes(done), [['hello', 'skipped', 'contact_opted_out'], ['tag_skipped', 'next', null]]);
  assert.equal(done.steps[0].message_uuid, null);
  assert.deepEqual(await tagsOf(beckon, bob), ['not_reached']);
  const sent = await beckon.runtime.deps.db.selectFrom('messages').select('id').where('contact_id', '=', bob).execute();
  assert.deepEqual(sent, []);
});

test('automation runs: entry policies (409 run_active naming the run, already_entered, correlation keys), cancel, not active', async (t) => {
  const beckon = await startBeckon({}, { worker: false });
  t.after(() => beckon.stop());
  const channel = await whatsappChannel(beckon);
  const ann = await contact(beckon, { name: 'Ann', phone: '+393331234567' });
  const start = (automation: string, body: Record<string, unknown> = {}) => beckon.call('POST', `/v1/automations/${automation}/runs`, { body: { contact: { uuid: ann }, ...body } });

  const draft = (await createAutomation(beckon, sendWaitTag(channel))).uuid;
  const notActive = await start(draft);
  assert.deepEqual([notActive.statusCode, notActive.json().code, notActive.json().automation_status], [409, 'conflict', 'draft']);

  const oneAtATime = await activate(beckon, sendWaitTag(channel));
  const first = (await start(oneAtATime)).json().run;
  const second = await start(oneAtATime);
  assert.deepEqual([second.statusCode, second.json().code, second.json().run_uuid], [409, 'run_active', first.uuid]);
  const cancelled = await beckon.call('POST', `/v1/automation_runs/${first.uuid}/cancel`, { body: {} });
  assert.equal(cancelled.statusCode, 200, cancelled.body);
  assert.deepEqual([cancelled.json().run.status, cancelled.json().run.exit_reason, cancelled.json().run.current_step], ['exited', 'cancelled', null]);
  const twice = await beckon.call('POST', `/v1/automation_runs/${first.uuid}/cancel`, { body: {} });
  assert.deepEqual([twice.statusCode, twice.json().run_status], [409, 'exited']);
  assert.equal((await start(oneAtATime)).statusCode, 202, 'one_at_a_time: again once the previous run ended');

  const once = await activate(beckon, sendWaitTag(channel, { entry: { policy: 'once' } }));
  const onceRun = (await start(once)).json().run;
  assert.deepEqual([(await start(once)).json().code], ['run_active']);
  await beckon.call('POST', `/v1/automation_runs/${onceRun.uuid}/cancel`, { body: {} });
  const entered = await start(once);
  assert.deepEqual([entered.statusCode, entered.json().code, entered.json().run_uuid], [409, 'already_entered', onceRun.uuid]);

  const perKey = await activate(beckon, sendWaitTag(channel, { entry: { policy: 'per_correlation_key' } }));
  const noKey = await start(perKey);
  assert.deepEqual([noKey.statusCode, noKey.json().errors], [400, [{ path: 'body.correlation_key', message: 'is required by the entry policy per_correlation_key' }]]);
  const cart1 = await start(perKey, { correlation_key: 'cart-1' });
  assert.equal(cart1.statusCode, 202);
  assert.equal((await start(perKey, { correlation_key: 'cart-2' })).statusCode, 202);
  const dup = await start(perKey, { correlation_key: 'cart-1' });
  assert.deepEqual([dup.statusCode, dup.json().run_uuid], [409, cart1.json().run.uuid]);

  const replay = await beckon.call('POST', `/v1/automations/${perKey}/runs`, { body: { contact: { uuid: ann }, correlation_key: 'cart-3' }, headers: { 'idempotency-key': 'k1' } });
  const replayed = await beckon.call('POST', `/v1/automations/${perKey}/runs`, { body: { contact: { uuid: ann }, correlation_key: 'cart-3' }, headers: { 'idempotency-key': 'k1' } });
  assert.deepEqual([replayed.statusCode, replayed.json().run.uuid], [202, replay.json().run.uuid], 'the same Idempotency-Key replays the run');

  const unknown = await start(perKey, { contact: { uuid: '0190a000-0000-7000-8000-000000000000' }, correlation_key: 'x' });
  assert.deepEqual([unknown.statusCode, unknown.json().errors[0].path], [404, 'body.contact.uuid']);
  const two = await start(perKey, { contact: { uuid: ann, email: 'a@example.com' }, correlation_key: 'x' });
  assert.deepEqual([two.statusCode, two.json().errors[0].path], [400, 'body.contact']);
});

test('automation runs: an event trigger (with data filters) starts runs; exit_on ends the waiting run of the same correlation key', async (t) => {
  const beckon = await startBeckon();
  t.after(() => beckon.stop());
  const channel = await whatsappChannel(beckon);
  const automation = await activate(beckon, {
    name: 'Order', trigger: { type: 'event', event: 'custom.order_placed', filters: { status: 'paid' } }, entry: { policy: 'per_correlation_key' },
    exit_on: ['custom.order_completed'], start: 'confirm',
    steps: {
      confirm: { type: 'send_message', channel_uuid: channel, text: 'Order {{ trigger.order_id }} confirmed', next: 'later' },
      later: { type: 'wait', duration: { hours: 1 }, next: 'check' },
      check: { type: 'branch', conditions: [{ field: 'trigger.total', op: 'gte', value: 100, next: 'vip' }], default: 'done' },
      vip: { type: 'update_contact', add_tags: ['big_spender'] },
      done: { type: 'exit' },
    },
  });
  const event = (name: string, key: string, data: Record<string, unknown>) => beckon.call('POST', '/v1/events', { body: { name, contact: { phone: '+393331234567' }, correlation_key: key, data } });
  assert.equal((await event('order_placed', 'o-1', { status: 'pending', order_id: 'o-1' })).statusCode, 202);
  assert.equal((await beckon.call('GET', `/v1/automations/${automation}/runs`)).json().runs.length, 0, 'the filter did not match');
  assert.equal((await event('order_placed', 'o-1', { status: 'paid', order_id: 'o-1', total: 150 })).statusCode, 202);
  assert.equal((await event('order_placed', 'o-2', { status: 'paid', order_id: 'o-2', total: 20 })).statusCode, 202);
  const runs = (await beckon.call('GET', `/v1/automations/${automation}/runs`)).json().runs;
  const [o2, o1] = runs;
  assert.deepEqual(runs.map((r: Record<string, unknown>) => r.correlation_key), ['o-2', 'o-1']);
  await waitForRun(beckon, o1.uuid, (r) => r.waiting_until !== null);
  await waitForRun(beckon, o2.uuid, (r) => r.waiting_until !== null);

  assert.equal((await event('order_completed', 'o-9', {})).statusCode, 202);
  assert.equal((await runOf(beckon, o1.uuid)).status, 'active', 'another correlation key does not exit it');
  assert.equal((await event('order_completed', 'o-1', {})).statusCode, 202);
  const exited = await runOf(beckon, o1.uuid);
  assert.deepEqual([exited.status, exited.exit_reason, exited.waiting_until], ['exited', 'exit_on:custom.order_completed', null]);
  const pending = await beckon.runtime.deps.queue.jobs('automation_step');
  assert.deepEqual(pending.map((j) => (j.payload as { run_id: string }).run_id), [o2.uuid], 'the exited run\'s pending wait was removed');

  await makeJobsDue(beckon, 'automation_step');
  const finished = await waitForRun(beckon, o2.uuid, (r) => r.status === 'completed');
  assert.deepEqual(outcomes(finished), [['confirm', 'next', null], ['later', 'waiting', null], ['later', 'next', null], ['check', 'default', null], ['done', 'completed', null]]);
  const stale = await runOf(beckon, o1.uuid);
  assert.deepEqual([stale.status, stale.steps.length], ['exited', 2]);
  const texts = await beckon.runtime.deps.db.selectFrom('messages').select('content').where('direction', '=', 'outbound').execute();
  // the two runs' first steps are separate jobs, so either may send first: compare the set of texts
  assert.deepEqual(texts.map((m) => JSON.parse(m.content).text).sort(), ['Order o-1 confirmed', 'Order o-2 confirmed']);
});

test('automation runs: another workspace sees, starts and cancels nothing, and its events trigger nothing here', async (t) => {
  const beckon = await startBeckon({}, { worker: false });
  t.after(() => beckon.stop());
  const channel = await whatsappChannel(beckon);
  const other = await beckon.newWorkspace('other');
  const automation = await activate(beckon, { ...sendWaitTag(channel), trigger: { type: 'event', event: 'custom.signed_up' } });
  const api = await activate(beckon, sendWaitTag(channel));
  const ann = await contact(beckon, { name: 'Ann', phone: '+393331234567' });
  const run = (await beckon.call('POST', `/v1/automations/${api}/runs`, { body: { contact: { uuid: ann } } })).json().run;
  for (const [method, url] of [['GET', `/v1/automations/${api}`], ['PATCH', `/v1/automations/${api}`], ['DELETE', `/v1/automations/${api}`], ['POST', `/v1/automations/${api}/pause`],
    ['POST', `/v1/automations/${api}/runs`], ['GET', `/v1/automations/${api}/runs`], ['GET', `/v1/automation_runs/${run.uuid}`], ['POST', `/v1/automation_runs/${run.uuid}/cancel`]] as const) {
    const body = method === 'PATCH' ? { name: 'x' } : url.endsWith('/runs') && method === 'POST' ? { contact: { uuid: ann } } : method === 'POST' ? {} : undefined;
    const res = await beckon.call(method, url, { key: other, body });
    assert.equal(res.statusCode, 404, `${method} ${url}: ${res.body}`);
  }
  assert.deepEqual((await beckon.call('GET', '/v1/automations', { key: other })).json().automations, []);
  const otherChannel = await whatsappChannel(beckon, other);
  const refused = await beckon.call('POST', '/v1/automations', { key: other, body: sendWaitTag(channel) });
  assert.deepEqual([refused.statusCode, refused.json().errors[0].path], [400, 'body.steps.hello.channel_uuid'], 'a channel of another workspace does not exist');
  assert.equal((await beckon.call('POST', '/v1/automations', { key: other, body: sendWaitTag(otherChannel) })).statusCode, 201);
  assert.equal((await beckon.call('POST', '/v1/events', { key: other, body: { name: 'signed_up', contact: { phone: '+393331234567' } } })).statusCode, 202);
  assert.equal((await beckon.call('GET', `/v1/automations/${automation}/runs`)).json().runs.length, 0);
  assert.equal((await beckon.call('POST', '/v1/events', { body: { name: 'signed_up', contact: { uuid: ann } } })).statusCode, 202);
  assert.equal((await beckon.call('GET', `/v1/automations/${automation}/runs`)).json().runs.length, 1);
  assert.equal((await runOf(beckon, run.uuid)).status, 'active');
});
