import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeJobsDue, startBeckon, waitFor } from '../../test/helpers.ts';
import { contact, staticSegment, whatsappChannel } from '../../test/campaign-fixtures.ts';
import { activate, messageOf, outcomes, refusedPaths, runEnded, startRun } from './test-support.ts';

const tag = (name: string) => ({ type: 'update_contact', add_tags: [name] });

test('branch steps: segment (static and dynamic, in and not_in) and inline rule conditions for the run\'s contact', async (t) => {
  const beckon = await startBeckon();
  t.after(() => beckon.stop());
  const ann = await contact(beckon, { name: 'Ann', phone: '+393331234501' });
  const carl = await contact(beckon, { name: 'Carl', phone: '+393331234502', tags: ['gold'] });
  const dan = await contact(beckon, { name: 'Dan', phone: '+393331234503' });
  const gina = await contact(beckon, { name: 'Gina', phone: '+393331234504', tags: ['gold'] });
  const vip = await staticSegment(beckon, 'VIP', [ann]);
  const gold = await beckon.call('POST', '/v1/segments', { body: { name: 'Gold', type: 'dynamic', rules: { field: 'tags', op: 'contains', value: 'gold' } } });
  assert.equal(gold.statusCode, 201, gold.body);
  const automation = await activate(beckon, {
    name: 'Route', trigger: { type: 'api' }, start: 'route',
    steps: {
      route: {
        type: 'branch', default: 'd',
        conditions: [
          { segment: vip, next: 'a' },
          { rule: { all: [{ field: 'tags', op: 'contains', value: 'gold' }, { field: 'name', op: 'starts_with', value: 'C' }] }, next: 'b' },
          { segment: gold.json().segment.uuid, op: 'not_in', next: 'c' },
        ],
      },
      a: tag('a'), b: tag('b'), c: tag('c'), d: tag('d'),
    },
  });
  const expected: [string, string, string][] = [[ann, 'condition_0', 'a'], [carl, 'condition_1', 'b'], [dan, 'condition_2', 'c'], [gina, 'default', 'd']];
  for (const [who, outcome, step] of expected) {
    const run = await runEnded(beckon, await startRun(beckon, automation, { contact: { uuid: who } }));
    assert.deepEqual(outcomes(run), [['route', outcome, null], [step, 'next', null]], who);
  }
  // membership is read at the step: Dan joins the dynamic segment, Ann leaves the list
  assert.equal((await beckon.call('PATCH', `/v1/contacts/${dan}`, { body: { tags: ['gold'] } })).statusCode, 200);
  assert.equal((await beckon.call('DELETE', `/v1/segments/${vip}/contacts`, { body: { contact_uuids: [ann] } })).statusCode, 200);
  const danAgain = await runEnded(beckon, await startRun(beckon, automation, { contact: { uuid: dan } }));
  const annAgain = await runEnded(beckon, await startRun(beckon, automation, { contact: { uuid: ann } }));
  assert.deepEqual([outcomes(danAgain)[0][1], outcomes(annAgain)[0][1]], ['default', 'condition_2']);
});

test('branch steps: last_message reads the status the run\'s last sent message reached', async (t) => {
  const beckon = await startBeckon();
  t.after(() => beckon.stop());
  const channel = await whatsappChannel(beckon);
  const automation = await activate(beckon, {
    name: 'Nudge', trigger: { type: 'api' }, start: 'send',
    steps: {
      send: { type: 'send_message', channel_uuid: channel, text: 'Hi {{ contact.name }}', next: 'later', skipped: 'later' },
      later: { type: 'wait', duration: { hours: 1 }, next: 'check' },
      check: { type: 'branch', conditions: [{ last_message: 'read', next: 'read' }, { last_message: 'delivered', next: 'delivered' }, { last_message: 'failed', next: 'failed' }], default: 'none' },
      read: tag('read'), delivered: tag('delivered'), failed: tag('failed'), none: tag('none'),
    },
  });
  const reader = await contact(beckon, { name: 'Ann', phone: '+393331234567' });
  const neverReads = await contact(beckon, { name: 'Nora', phone: '+12025550103' });
  const rejected = await contact(beckon, { name: 'Rita', phone: '+12025550105' });
  const optedOut = await contact(beckon, { name: 'Otto', phone: '+393331230000', consent: { whatsapp: { status: 'opted_out' } } });
  const runs: string[] = [];
  for (const who of [reader, neverReads, rejected, optedOut]) runs.push(await startRun(beckon, automation, { contact: { uuid: who } }));
  for (const [i, status] of [[0, 'read'], [1, 'delivered'], [2, 'failed']] as const) {
    await waitFor(`message ${status}`, async () => {
      const run = (await beckon.call('GET', `/v1/automation_runs/${runs[i]}`)).json().run;
      const sent = run.steps[0]?.message_uuid;
      return sent && (await messageOf(beckon, sent)).status === status;
    });
  }
  for (const run of runs) await waitFor('the run waits', async () => (await beckon.call('GET', `/v1/automation_runs/${run}`)).json().run.waiting_until !== null);
  await makeJobsDue(beckon, 'automation_step');
  const ended: Record<string, any>[] = [];
  for (const run of runs) ended.push(await runEnded(beckon, run));
  assert.deepEqual(ended.map((r) => outcomes(r).slice(3)), [
    [['check', 'condition_0', null], ['read', 'next', null]],
    [['check', 'condition_1', null], ['delivered', 'next', null]],
    [['check', 'condition_2', null], ['failed', 'next', null]],
    [['check', 'default', null], ['none', 'next', null]],
  ]);
  assert.deepEqual(outcomes(ended[3]).slice(0, 1), [['send', 'skipped', 'contact_opted_out']]);
});

test('branch steps: unknown segments, bad rules and bad last_message statuses are 400s naming their paths', async (t) => {
  const beckon = await startBeckon({}, { worker: false });
  t.after(() => beckon.stop());
  const missing = '0190a000-0000-7000-8000-000000000000';
  const branch = (conditions: unknown[]) => ({ name: 'B', trigger: { type: 'api' }, start: 'b', steps: { b: { type: 'branch', conditions, default: 'e' }, e: { type: 'exit' } } });
  assert.deepEqual(await refusedPaths(beckon, branch([{ segment: missing, next: 'e' }, { rule: { field: 'segment', op: 'eq', value: missing }, next: 'e' }, { rule: { field: 'shoe_size', op: 'eq', value: 1 }, next: 'e' }])), [
    { path: 'body.steps.b.conditions.0.segment', message: 'is not a segment of this workspace' },
    { path: 'body.steps.b.conditions.1.rule.value', message: 'is not a segment of this workspace' },
    { path: 'body.steps.b.conditions.2.rule.field', message: (await refusedPaths(beckon, branch([{ rule: { field: 'shoe_size', op: 'eq', value: 1 }, next: 'e' }])))[0].message },
  ]);
  assert.deepEqual(await refusedPaths(beckon, branch([{ last_message: 'opened', next: 'e' }, { segment: 'x', op: 'maybe', next: 'e', extra: 1 }, { rule: [], next: 'e' }])), [
    { path: 'body.steps.b.conditions.0.last_message', message: 'must be one of enqueued, sent, delivered, read, failed' },
    { path: 'body.steps.b.conditions.1.extra', message: 'is not a setting of a segment condition' },
    { path: 'body.steps.b.conditions.1.segment', message: 'must be the uuid of a segment' },
    { path: 'body.steps.b.conditions.1.op', message: 'must be in (the default) or not_in' },
    { path: 'body.steps.b.conditions.2.rule', message: 'must be a rule tree of the segment rule language ({"all": [...]}, {"any": [...]}, {"not": …} or {"field", "op", "value"})' },
  ]);
});
