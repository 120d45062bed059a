import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startBeckon } from '../../test/helpers.ts';
import { refused } from './waits-test-support.ts';

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';

test('the waiting, split and webhook steps: bad settings are a 400 naming each one\'s JSON path', async (t) => {
  const beckon = await startBeckon({}, { worker: false });
  t.after(() => beckon.stop());
  const other = await beckon.newWorkspace('other');
  const otherChannel = (await beckon.call('GET', '/v1/channels', { key: other })).json().channels[0].uuid;
  const one = (step: Record<string, unknown>) => ({ name: 'x', trigger: { type: 'api' }, start: 's', steps: { s: step, end: { type: 'exit' } } });
  const cases: [Record<string, unknown>, { path: string; message: string }[]][] = [
    [{ type: 'wait_until', at: 'order.at', offset: { hours: 1.5, weeks: 1 }, next: 'end' }, [
      { path: 'body.steps.s.at', message: 'must be trigger.<path>, vars.<path> or contact.custom_fields.<key>' },
      { path: 'body.steps.s.offset.hours', message: 'must be a whole number' },
      { path: 'body.steps.s.offset.weeks', message: 'is not a unit (days, hours, minutes, seconds)' },
    ]],
    [{ type: 'wait_until', at: 'trigger.at', offset: { days: -367 }, quiet_hours: { start: '25:00', end: '8:00', time_zone: 'Mars/Olympus', at: 1 }, past: 3, next: 'end' }, [
      { path: 'body.steps.s.past', message: 'must be a step id' },
      { path: 'body.steps.s.offset', message: 'must be at most 366 days' },
      { path: 'body.steps.s.quiet_hours.at', message: 'is not a setting of quiet hours' },
      { path: 'body.steps.s.quiet_hours.start', message: 'must be a local time HH:MM (00:00 to 23:59)' },
      { path: 'body.steps.s.quiet_hours.end', message: 'must be a local time HH:MM (00:00 to 23:59)' },
      { path: 'body.steps.s.quiet_hours.time_zone', message: 'must be an IANA time zone (e.g. Europe/Rome, America/Montreal, UTC)' },
    ]],
    [{ type: 'wait', duration: { hours: 1 }, quiet_hours: { start: '08:00', end: '08:00' }, next: 'end' }, [{ path: 'body.steps.s.quiet_hours.end', message: 'must differ from start' }]],
    [{ type: 'wait', duration: { hours: 1 }, quiet_hours: '21-08', next: 'end' }, [{ path: 'body.steps.s.quiet_hours', message: 'must be an object {start, end, time_zone}' }]],
    [{ type: 'wait_for_event', event: 'order_completed', next: 'end', timeout_next: 'nowhere' }, [
      { path: 'body.steps.s.event', message: 'must be a custom event type, custom.<name>' },
      { path: 'body.steps.s.timeout', message: 'must be an object of days, hours, minutes and/or seconds' },
      { path: 'body.steps.s.timeout_next', message: '"nowhere" is not a step of this automation' },
    ]],
    [{ type: 'wait_for_event', event: 'custom.paid', timeout: { seconds: 0 }, next: 'end' }, [{ path: 'body.steps.s.timeout', message: 'must be longer than 0' }]],
    [{ type: 'wait_for_event', event: 'custom.paid', timeout: { days: 1 }, next: 'end', timeout_next: 'nowhere' }, [{ path: 'body.steps.s.timeout_next', message: '"nowhere" is not a step of this automation' }]],
    [{ type: 'wait_for_reply', timeout: { days: 1 }, keywords: [], match: 'fuzzy', channel_uuid: 'sms', next: 'end' }, [
      { path: 'body.steps.s.channel_uuid', message: 'must be the uuid of a channel' },
      { path: 'body.steps.s.match', message: 'must be one of exact, contains, regex' },
      { path: 'body.steps.s.keywords', message: 'must be a list of 1 to 50 keywords' },
    ]],
    [{ type: 'wait_for_reply', timeout: { days: 1 }, keywords: ['(unclosed'], match: 'regex', last_channel: true, channel_uuid: otherChannel, next: 'end' }, [
      { path: 'body.steps.s.last_channel', message: 'cannot be set with channel_uuid' },
      { path: 'body.steps.s.keywords.0', message: 'is not a regular expression: Invalid regular expression: /(unclosed/u: Unterminated group' },
    ]],
    [{ type: 'wait_for_reply', timeout: { days: 1 }, channel_uuid: otherChannel, next: 'end' }, [{ path: 'body.steps.s.channel_uuid', message: 'is not a channel of this workspace' }]],
    [{ type: 'split', branches: [{ percent: 100, next: 'end' }] }, [{ path: 'body.steps.s.branches', message: 'must be a list of 2 to 10 branches {percent, next, name?}' }]],
    [{ type: 'split', branches: [{ percent: 60, next: 'end' }, { percent: 30, next: 'end' }] }, [{ path: 'body.steps.s.branches', message: 'percentages must sum to 100 (they sum to 90)' }]],
    [{ type: 'split', branches: [{ percent: 101, next: 'end', name: 'a' }, { percent: -1, next: 4, name: 'a', weight: 1 }] }, [
      { path: 'body.steps.s.branches.0.percent', message: 'must be a whole number from 0 to 100' },
      { path: 'body.steps.s.branches.1.weight', message: 'is not a setting of a branch' },
      { path: 'body.steps.s.branches.1.percent', message: 'must be a whole number from 0 to 100' },
      { path: 'body.steps.s.branches.1.next', message: 'must be a step id' },
      { path: 'body.steps.s.branches.1.name', message: '"a" names another branch' },
    ]],
    [{ type: 'webhook', url: 'ftp://example.com/x', secret: 'abc', save_as: '1x', attempts: 0, next: 'end' }, [
      { path: 'body.steps.s.url', message: 'must be an http(s) URL without credentials, at most 2048 characters' },
      { path: 'body.steps.s.secret', message: 'must be a Standard Webhooks secret: whsec_ and base64 of at least 16 bytes' },
      { path: 'body.steps.s.save_as', message: 'must be a variable name (a letter or _, then letters, digits or _; at most 64)' },
      { path: 'body.steps.s.attempts', message: 'must be a whole number from 1 to 10' },
    ]],
    [{ type: 'webhook', url: 'https://user:pw@example.com/x', secret: SECRET, headers: {}, next: 'end' }, [
      { path: 'body.steps.s.headers', message: 'is not a setting of this step' },
      { path: 'body.steps.s.url', message: 'must be an http(s) URL without credentials, at most 2048 characters' },
    ]],
  ];
  for (const [step, errors] of cases) {
    assert.deepEqual(await refused(beckon, one(step)), errors, JSON.stringify(step));
  }
  const liquid = await refused(beckon, one({ type: 'webhook', url: 'https://example.com/x', secret: SECRET, body: '{{ contact.name ', next: 'end' }));
  assert.deepEqual(liquid.map((e) => e.path), ['body.steps.s.body']);
  assert.match(liquid[0].message, /output "\{\{ contact.name " not closed/);

  // a valid one of each is saved
  const valid = await beckon.call('POST', '/v1/automations', { body: {
    name: 'all', trigger: { type: 'api' }, start: 'u',
    steps: {
      u: { type: 'wait_until', at: 'contact.custom_fields.renewal', offset: { days: -1 }, quiet_hours: { start: '21:00', end: '08:00', time_zone: 'Europe/Rome' }, next: 'e', past: 'e' },
      e: { type: 'wait_for_event', event: 'custom.paid', timeout: { days: 1 }, next: 'r', timeout_next: 'r' },
      r: { type: 'wait_for_reply', timeout: { hours: 1 }, last_channel: true, keywords: ['yes'], next: 's', timeout_next: 's' },
      s: { type: 'split', branches: [{ percent: 50, next: 'h' }, { percent: 50, next: 'h' }] },
      h: { type: 'webhook', url: 'https://crm.example.com/hook', secret: SECRET, save_as: 'crm', attempts: 5, next: 'w' },
      w: { type: 'wait', duration: { minutes: 5 }, quiet_hours: { start: '22:00', end: '07:30' } },
    },
  } });
  assert.equal(valid.statusCode, 201, valid.body);
});
