import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startBeckon, type TestBeckon } from '../../test/helpers.ts';
import { contact, optedIn, staticSegment } from '../../test/campaign-fixtures.ts';
import { activate, oneStep, outcomes, refusedPaths, runEnded, startRun } from './test-support.ts';

async function customField(beckon: TestBeckon, body: Record<string, unknown>): Promise<void> {
  const res = await beckon.call('POST', '/v1/custom_fields', { body: { label: String(body.key), ...body } });
  assert.equal(res.statusCode, 201, res.body);
}

async function members(beckon: TestBeckon, segment: string): Promise<string[]> {
  return (await beckon.call('GET', `/v1/segments/${segment}/contacts`)).json().contacts.map((c: { uuid: string }) => c.uuid);
}

async function fields(beckon: TestBeckon) {
  await customField(beckon, { key: 'age', type: 'number' });
  await customField(beckon, { key: 'plan', type: 'dropdown', options: ['free', 'pro'] });
  await customField(beckon, { key: 'city', type: 'text' });
  await customField(beckon, { key: 'renewal', type: 'date' });
}

test('update_contact steps: name, custom fields (Liquid, typed), consent with its events, tags and static lists, in the run', async (t) => {
  const beckon = await startBeckon();
  t.after(() => beckon.stop());
  await fields(beckon);
  const ann = await contact(beckon, { name: 'A', phone: '+393331234567', consent: optedIn('email'), custom_fields: { renewal: '2027-01-31', city: 'Milano' } });
  const vip = await staticSegment(beckon, 'VIP', []);
  const prospects = await staticSegment(beckon, 'Prospects', [ann]);
  const automation = await activate(beckon, oneStep({
    type: 'update_contact', name: '{{ trigger.full_name }}', add_tags: ['customer'],
    set_fields: { age: '{{ trigger.age }}', plan: 'pro', city: '{{ trigger.city }}', renewal: null },
    consent: { whatsapp: 'opted_in', email: 'opted_out' }, add_to_lists: [vip], remove_from_lists: [prospects],
  }));
  const before = (await beckon.runtime.deps.db.selectFrom('events').select('id').execute()).length;
  const run = await runEnded(beckon, await startRun(beckon, automation, { contact: { uuid: ann }, correlation_key: 'r1', data: { full_name: 'Ann Lee', age: '34', city: 'Roma' } }));
  assert.deepEqual(outcomes(run), [['act', 'next', null], ['done', 'completed', null]]);
  const view = (await beckon.call('GET', `/v1/contacts/${ann}`)).json().contact;
  assert.deepEqual([view.name, view.tags, view.custom_fields], ['Ann Lee', ['customer'], { age: 34, plan: 'pro', city: 'Roma' }]);
  assert.deepEqual([view.consent.whatsapp.status, view.consent.whatsapp.source, view.consent.email.status, view.consent.email.source], ['opted_in', 'automation', 'opted_out', 'automation']);
  assert.deepEqual([await members(beckon, vip), await members(beckon, prospects)], [[ann], []]);
  const events = await beckon.runtime.deps.db.selectFrom('events').select(['type', 'payload']).orderBy('id').execute();
  const after = events.slice(before).filter((e) => e.type.startsWith('contact_'));
  assert.deepEqual(after.map((e) => [e.type, JSON.parse(e.payload).changed_fields ?? JSON.parse(e.payload).channel_type ?? JSON.parse(e.payload).tag]), [
    ['contact_updated', ['name', 'tags', 'custom_fields']], ['contact_tag_added', 'customer'],
    ['contact_updated', ['consent']], ['contact_opted_in', 'whatsapp'],
    ['contact_updated', ['consent']], ['contact_opted_out', 'email'],
  ]);

  // a rendered value its field refuses is left out and named; the rest is applied; a second run changes nothing more
  const bad = await runEnded(beckon, await startRun(beckon, automation, { contact: { uuid: ann }, correlation_key: 'r2', data: { full_name: ' ', age: 'old', city: 'Torino' } }));
  assert.deepEqual(outcomes(bad), [['act', 'next', 'invalid_fields: age'], ['done', 'completed', null]]);
  const again = (await beckon.call('GET', `/v1/contacts/${ann}`)).json().contact;
  assert.deepEqual([again.name, again.custom_fields], ['Ann Lee', { age: 34, plan: 'pro', city: 'Torino' }]);
  const consentEvents = await beckon.runtime.deps.db.selectFrom('events').select('type').where('type', 'in', ['contact_opted_in', 'contact_opted_out']).execute();
  assert.equal(consentEvents.length, 3, 'the opt-in the contact was created with, then the run\'s two; the same consent again records nothing');

  // a list deleted since the definition was saved is left out
  assert.equal((await beckon.call('DELETE', `/v1/segments/${vip}`)).statusCode, 200);
  const gone = await runEnded(beckon, await startRun(beckon, automation, { contact: { uuid: ann }, correlation_key: 'r3', data: { age: 35 } }));
  assert.deepEqual([gone.status, outcomes(gone)[0]], ['completed', ['act', 'next', null]]);
  assert.equal((await beckon.call('GET', `/v1/contacts/${ann}`)).json().contact.custom_fields.age, 35);
});

test('update_contact steps: unknown fields, values of the wrong type, unknown or dynamic lists and bad consent are 400s naming their paths', async (t) => {
  const beckon = await startBeckon({}, { worker: false });
  t.after(() => beckon.stop());
  await fields(beckon);
  const dynamic = await beckon.call('POST', '/v1/segments', { body: { name: 'Tagged', type: 'dynamic', rules: { field: 'tags', op: 'contains', value: 'vip' } } });
  assert.equal(dynamic.statusCode, 201, dynamic.body);
  const missing = '0190a000-0000-7000-8000-000000000000';
  const update = (settings: Record<string, unknown>) => oneStep({ type: 'update_contact', ...settings });

  assert.deepEqual(await refusedPaths(beckon, update({ set_fields: { age: 'abc', plan: 'gold', nickname: 'x', city: 5, renewal: '2027-02-30', '{{ ok }}': '{{ contact.name }}' } })), [
    { path: 'body.steps.act.set_fields.age', message: 'must be a finite number (number field)' },
    { path: 'body.steps.act.set_fields.plan', message: 'must be one of: "free", "pro" (dropdown field)' },
    { path: 'body.steps.act.set_fields.nickname', message: 'is not a custom field of this workspace (define it with POST /v1/custom_fields)' },
    { path: 'body.steps.act.set_fields.city', message: 'must be a string (text field)' },
    { path: 'body.steps.act.set_fields.renewal', message: 'must be a calendar date as YYYY-MM-DD (date field)' },
    { path: 'body.steps.act.set_fields.{{ ok }}', message: 'is not a custom field of this workspace (define it with POST /v1/custom_fields)' },
  ]);
  assert.deepEqual(await refusedPaths(beckon, update({ add_to_lists: [missing, dynamic.json().segment.uuid], remove_from_lists: ['nope'] })), [
    { path: 'body.steps.act.remove_from_lists.0', message: 'must be the uuid of a static segment' },
  ]);
  assert.deepEqual(await refusedPaths(beckon, update({ add_to_lists: [missing, dynamic.json().segment.uuid] })), [
    { path: 'body.steps.act.add_to_lists.0', message: 'is not a segment of this workspace' },
    { path: 'body.steps.act.add_to_lists.1', message: 'is a dynamic segment: its members follow its rules (only static segments take contacts)' },
  ]);
  assert.deepEqual(await refusedPaths(beckon, update({ consent: { fax: 'opted_in', sms: 'maybe' }, set_fields: { age: [1] } })), [
    { path: 'body.steps.act.set_fields.age', message: 'must be a string (Liquid allowed), a number, a boolean, or null to remove the value' },
    { path: 'body.steps.act.consent.fax', message: 'is not a channel type (whatsapp, sms, email)' },
    { path: 'body.steps.act.consent.sms', message: 'must be opted_in or opted_out' },
  ]);
  assert.deepEqual(await refusedPaths(beckon, update({})), [
    { path: 'body.steps.act.add_tags', message: 'one of add_tags, remove_tags, name, set_fields, consent, add_to_lists, remove_from_lists is required' },
  ]);
});
