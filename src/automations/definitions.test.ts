import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { LightMyRequestResponse } from 'fastify';
import { startBeckon } from '../../test/helpers.ts';
import { whatsappChannel } from '../../test/campaign-fixtures.ts';
import { createAutomation, sendWaitTag } from '../../test/automation-fixtures.ts';

function paths(res: LightMyRequestResponse): string[] {
  assert.equal(res.statusCode, 400, res.body);
  return res.json().errors.map((e: { path: string }) => e.path);
}

test('automations: create a draft, read it, list it, change it, move it through its statuses, delete it', async (t) => {
  const beckon = await startBeckon({}, { worker: false });
  t.after(() => beckon.stop());
  const channel = await whatsappChannel(beckon);
  const created = await createAutomation(beckon, sendWaitTag(channel));
  assert.deepEqual({ ...created, uuid: undefined, created_at: undefined, updated_at: undefined }, {
    uuid: undefined, name: 'Welcome', status: 'draft', version: 1, trigger: { type: 'api' }, entry: { policy: 'one_at_a_time' }, start: 'hello',
    steps: sendWaitTag(channel).steps, exit_on: [], created_at: undefined, updated_at: undefined,
  });
  assert.deepEqual((await beckon.call('GET', `/v1/automations/${created.uuid}`)).json().automation, created);
  const second = await createAutomation(beckon, { ...sendWaitTag(channel), name: 'Second', entry: undefined });
  assert.deepEqual(second.entry, { policy: 'one_at_a_time' });
  const page1 = (await beckon.call('GET', '/v1/automations?limit=1')).json();
  assert.deepEqual(page1.automations.map((a: { name: string }) => a.name), ['Second']);
  const page2 = (await beckon.call('GET', `/v1/automations?limit=1&cursor=${page1.meta.next_cursor}`)).json();
  assert.deepEqual([page2.automations.map((a: { name: string }) => a.name), page2.meta.next_cursor], [['Welcome'], null]);

  const renamed = await beckon.call('PATCH', `/v1/automations/${created.uuid}`, { body: { name: 'Hello', exit_on: ['custom.order_completed'] } });
  assert.equal(renamed.statusCode, 200, renamed.body);
  assert.deepEqual([renamed.json().automation.name, renamed.json().automation.version, renamed.json().automation.exit_on], ['Hello', 1, ['custom.order_completed']], 'a draft is changed in place');

  const move = (action: string) => beckon.call('POST', `/v1/automations/${created.uuid}/${action}`, { body: {} });
  const paused = await move('pause');
  assert.equal(paused.statusCode, 409);
  assert.deepEqual([paused.json().code, paused.json().automation_status], ['conflict', 'draft']);
  assert.equal((await move('activate')).json().automation.status, 'active');
  const refused = await beckon.call('DELETE', `/v1/automations/${created.uuid}`);
  assert.deepEqual([refused.statusCode, refused.json().automation_status], [409, 'active']);
  const v2 = await beckon.call('PATCH', `/v1/automations/${created.uuid}`, { body: { steps: { ...sendWaitTag(channel).steps as object, tag: { type: 'update_contact', add_tags: ['v2'] } } } });
  assert.equal(v2.statusCode, 200, v2.body);
  assert.equal(v2.json().automation.version, 2, 'editing an active automation makes a new version');
  const versions = await beckon.runtime.deps.db.selectFrom('automation_versions').select('version').where('automation_id', '=', created.uuid).orderBy('version').execute();
  assert.deepEqual(versions.map((v) => v.version), [1, 2]);
  assert.equal((await move('pause')).json().automation.status, 'paused');
  assert.equal((await move('activate')).json().automation.status, 'active');
  assert.equal((await move('archive')).json().automation.status, 'archived');
  const again = await move('activate');
  assert.deepEqual([again.statusCode, again.json().automation_status], [409, 'archived']);
  assert.deepEqual([(await beckon.call('PATCH', `/v1/automations/${created.uuid}`, { body: { name: 'x' } })).statusCode], [409]);
  assert.deepEqual((await beckon.call('GET', '/v1/automations?status=archived')).json().automations.map((a: { uuid: string }) => a.uuid), [created.uuid]);
  assert.deepEqual((await beckon.call('DELETE', `/v1/automations/${created.uuid}`)).json(), { status: 'automation was destroyed' });
  assert.equal((await beckon.call('GET', `/v1/automations/${created.uuid}`)).statusCode, 404);
  assert.equal((await beckon.call('DELETE', `/v1/automations/${created.uuid}`)).statusCode, 404);
});

test('automations: a bad definition is a 400 naming the JSON path of every problem', async (t) => {
  const beckon = await startBeckon({}, { worker: false });
  t.after(() => beckon.stop());
  const channel = await whatsappChannel(beckon);
  const post = (body: Record<string, unknown>) => beckon.call('POST', '/v1/automations', { body });
  const base = sendWaitTag(channel);
  const steps = base.steps as Record<string, Record<string, unknown>>;

  assert.deepEqual(paths(await post({ ...base, trigger: { type: 'cron' }, entry: { policy: 'always' }, exit_on: ['order_completed'] })),
    ['body.trigger.type', 'body.entry.policy', 'body.exit_on.0']);
  assert.deepEqual(paths(await post({ ...base, trigger: { type: 'event', event: 'order_placed', filters: { total: [1] } } })), ['body.trigger.event', 'body.trigger.filters.total']);
  assert.deepEqual(paths(await post({ ...base, steps: { ...steps, hello: { ...steps.hello, type: 'teleport' } } })), ['body.steps.hello.type']);
  assert.deepEqual(paths(await post({ ...base, steps: { ...steps, hello: { ...steps.hello, next: 'nowhere' } } })), ['body.steps.hello.next', 'body.steps.pause', 'body.steps.tag']);
  assert.deepEqual(paths(await post({ ...base, steps: { ...steps, orphan: { type: 'exit' } } })), ['body.steps.orphan']);
  assert.deepEqual(paths(await post({ ...base, start: 'missing' })), ['body.start']);
  const loop = await post({ ...base, steps: { ...steps, tag: { type: 'update_contact', add_tags: ['x'], next: 'check' }, check: { type: 'branch', conditions: [{ field: 'contact.tags', op: 'contains', value: 'x', next: 'tag' }], default: 'pause' } } });
  assert.deepEqual(paths(loop), ['body.steps.check.conditions.0.next']);
  assert.match(loop.json().errors[0].message, /cycle without a wait/);
  const waitLoop = await post({ ...base, steps: { ...steps, tag: { type: 'update_contact', add_tags: ['x'], next: 'pause' } } });
  assert.equal(waitLoop.statusCode, 201, 'a cycle through a wait is allowed');
  const liquid = await post({ ...base, steps: { ...steps, hello: { ...steps.hello, text: 'Hi {{ contact.name | shout }}' } } });
  assert.deepEqual(paths(liquid), ['body.steps.hello.text']);
  assert.match(liquid.json().errors[0].message, /undefined filter: shout/);
  assert.deepEqual(paths(await post({ ...base, steps: { ...steps, hello: { ...steps.hello, channel_uuid: '0190a000-0000-7000-8000-000000000000' } } })), ['body.steps.hello.channel_uuid']);
  assert.deepEqual(paths(await post({ ...base, steps: { ...steps, pause: { type: 'wait', duration: { weeks: 1 }, next: 'tag' } } })), ['body.steps.pause.duration.weeks']);
  assert.deepEqual(paths(await post({ ...base, steps: { ...steps, tag: { type: 'update_contact', add_tags: 'vip', colour: 'red' } } })), ['body.steps.tag.colour', 'body.steps.tag.add_tags']);
  assert.deepEqual(paths(await post({ ...base, steps: { ...steps, check: { type: 'branch', conditions: [{ field: 'contact.age', op: 'like', next: 'tag' }] } } })),
    ['body.steps.check.default', 'body.steps.check.conditions.0.field', 'body.steps.check.conditions.0.op', 'body.steps.check']);
  assert.deepEqual(paths(await post({ ...base, steps: [] })), ['body.steps']);
  assert.deepEqual(paths(await post({ ...base, steps: { 'bad id!': { type: 'exit' } }, start: 'bad id!' })), ['body.steps']);
  assert.deepEqual((await beckon.call('GET', '/v1/automations')).json().automations.length, 1, 'only the valid one was created');
});
