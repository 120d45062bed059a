import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeJobsDue, startBeckon, waitFor, type TestBeckon } from '../../test/helpers.ts';
import { contact, sandboxChannel, whatsappChannel } from '../../test/campaign-fixtures.ts';
import { createAutomation } from '../../test/automation-fixtures.ts';
import { runDateScan } from './triggers/date.ts';

/** A definition whose runs park in a one-day wait, so every started run stays active and countable. */
function holding(trigger: Record<string, unknown>, policy = 'one_at_a_time'): Record<string, unknown> {
  return { name: `On ${String(trigger.type)}`, trigger, entry: { policy }, start: 'hold', steps: { hold: { type: 'wait', duration: { days: 1 } } } };
}

async function activate(beckon: TestBeckon, body: Record<string, unknown>, key?: string): Promise<string> {
  const { uuid } = await createAutomation(beckon, body, key);
  const res = await beckon.call('POST', `/v1/automations/${uuid}/activate`, { body: {}, key });
  assert.equal(res.statusCode, 200, res.body);
  return uuid;
}

/** The automation's runs, oldest first: [contact uuid, trigger data]. */
async function runs(beckon: TestBeckon, automation: string, key?: string): Promise<[string, unknown][]> {
  const res = await beckon.call('GET', `/v1/automations/${automation}/runs?limit=100`, { key });
  assert.equal(res.statusCode, 200, res.body);
  return res.json().runs.reverse().map((r: { contact_uuid: string; data: unknown }) => [r.contact_uuid, r.data]);
}

const inbound = (beckon: TestBeckon, channel: string, from: string, text: string, key?: string) =>
  beckon.call('POST', '/v1/sandbox/inbound', { body: { channel_uuid: channel, from, text }, key });

async function contactByPhone(beckon: TestBeckon, phone: string): Promise<string> {
  return (await beckon.call('GET', `/v1/contacts/phone/${encodeURIComponent(phone)}`)).json().contact.uuid;
}

test('automation triggers: each trigger setting is checked, answering 400 with its JSON path', async (t) => {
  const beckon = await startBeckon({}, { worker: false });
  t.after(() => beckon.stop());
  await beckon.call('POST', '/v1/custom_fields', { body: { key: 'nickname', label: 'Nickname', type: 'text' } });
  const paths = async (trigger: unknown, policy?: string) => {
    const res = await beckon.call('POST', '/v1/automations', { body: { ...holding({}), trigger, ...(policy && { entry: { policy } }) } });
    assert.equal(res.statusCode, 400, res.body);
    return res.json().errors.map((e: { path: string }) => e.path);
  };
  assert.deepEqual(await paths({ type: 'birthday' }), ['body.trigger.type']);
  assert.deepEqual(await paths({ type: 'contact_created', tag: 'x' }), ['body.trigger.tag']);
  assert.deepEqual(await paths({ type: 'tag_added' }), ['body.trigger.tag']);
  assert.deepEqual(await paths({ type: 'tag_added', tag: ' ' }), ['body.trigger.tag']);
  assert.deepEqual(await paths({ type: 'inbound_message', channel_uuid: 'nope', keywords: ['ok', ''], match: 'fuzzy' }), ['body.trigger.channel_uuid', 'body.trigger.match', 'body.trigger.keywords.1']);
  assert.deepEqual(await paths({ type: 'inbound_message', keywords: ['(unclosed'], match: 'regex' }), ['body.trigger.keywords.0']);
  assert.deepEqual(await paths({ type: 'inbound_message', match: 'exact' }), ['body.trigger.keywords']);
  assert.deepEqual(await paths({ type: 'inbound_message', channel_uuid: '0190a8f0-0000-7000-8000-000000000000' }), ['body.trigger.channel_uuid']);
  assert.deepEqual(await paths({ type: 'date' }), ['body.trigger.field']);
  assert.deepEqual(await paths({ type: 'date', field: 'birthday', event: 'custom.x' }), ['body.trigger.event']);
  assert.deepEqual(await paths({ type: 'date', field: 'birthday', path: 'x', recurrence: 'monthly', at: '25:00', time_zone: 'Mars/Olympus' }),
    ['body.trigger.path', 'body.trigger.recurrence', 'body.trigger.at', 'body.trigger.time_zone']);
  assert.deepEqual(await paths({ type: 'date', event: 'order', path: '', offset: { value: -1, unit: 'weeks', direction: 'later', x: 1 } }),
    ['body.trigger.event', 'body.trigger.path', 'body.trigger.offset.x', 'body.trigger.offset.unit', 'body.trigger.offset.direction']);
  assert.deepEqual(await paths({ type: 'date', event: 'custom.booked', path: 'at', offset: { value: 9000, unit: 'hours', direction: 'before' }, recurrence: 'yearly' }),
    ['body.trigger.recurrence', 'body.trigger.offset.value']);
  assert.deepEqual(await paths({ type: 'date', field: 'birthday', time_zone_field: 'tz' }), ['body.trigger.field', 'body.trigger.time_zone_field'], 'fields that do not exist');
  await beckon.call('POST', '/v1/custom_fields', { body: { key: 'birthday', label: 'Birthday', type: 'date' } });
  assert.deepEqual(await paths({ type: 'date', field: 'nickname', time_zone_field: 'birthday' }), ['body.trigger.field', 'body.trigger.time_zone_field'], 'fields of the wrong type');
  assert.deepEqual(await paths({ type: 'tag_added', tag: 'vip' }, 'per_correlation_key'), ['body.entry.policy']);
  const ok = await createAutomation(beckon, holding({ type: 'date', field: 'birthday', recurrence: 'yearly', time_zone_field: 'nickname' }));
  assert.deepEqual(ok.trigger, { type: 'date', field: 'birthday', recurrence: 'yearly', at: '09:00', time_zone_field: 'nickname' });
  // activating a contact-date automation (again), or changing an active one's trigger, enqueues today's scan from now
  const before = new Date().toISOString();
  const scans = async () => (await beckon.runtime.deps.queue.jobs('automation_date_scan')).map((j) => j.payload as { automation_id: string; day: string; from: string });
  for (const action of ['activate', 'pause', 'activate']) assert.equal((await beckon.call('POST', `/v1/automations/${ok.uuid}/${action}`, { body: {} })).statusCode, 200);
  const patched = await beckon.call('PATCH', `/v1/automations/${ok.uuid}`, { body: { trigger: { type: 'date', field: 'birthday', offset: { value: 1, unit: 'days', direction: 'before' } } } });
  assert.equal(patched.statusCode, 200, patched.body);
  assert.equal((await beckon.call('PATCH', `/v1/automations/${ok.uuid}`, { body: { name: 'Renamed' } })).statusCode, 200);
  const enqueued = await scans();
  assert.equal(enqueued.length, 3, 'two activations and one trigger change; a rename enqueues nothing');
  for (const scan of enqueued) {
    assert.deepEqual([scan.automation_id, scan.day], [ok.uuid, before.slice(0, 10)]);
    assert.ok(scan.from >= before, `${scan.from} is from now on`);
  }
  const keywords = await createAutomation(beckon, holding({ type: 'inbound_message', keywords: ['Hours'] }));
  assert.deepEqual(keywords.trigger, { type: 'inbound_message', keywords: ['Hours'], match: 'contains' });
});

test('automation triggers: contact_created starts a run for contacts created by the API, a batch, an inbound message and a custom event — in this workspace only', async (t) => {
  const beckon = await startBeckon();
  t.after(() => beckon.stop());
  const other = await beckon.newWorkspace('other');
  const sandbox = await sandboxChannel(beckon, 'whatsapp');
  const automation = await activate(beckon, holding({ type: 'contact_created' }));
  const ann = await contact(beckon, { name: 'Ann', phone: '+393331234567' });
  const batch = await beckon.call('POST', '/v1/contacts/batch', { body: { contacts: [{ phone: '+393331234568' }, { phone: '+393331234567', name: 'Ann B' }], return_records: 'all' } });
  assert.equal(batch.statusCode, 200, batch.body);
  const bob = batch.json().results[0].uuid;
  assert.equal((await inbound(beckon, sandbox, '+393331234569', 'hello')).statusCode, 200);
  const cid = await contactByPhone(beckon, '+393331234569');
  const event = await beckon.call('POST', '/v1/events', { body: { name: 'signed_up', contact: { email: 'dan@example.com' } } });
  assert.equal(event.statusCode, 202, event.body);
  const dan = event.json().event.contact.uuid;
  assert.equal((await beckon.call('POST', '/v1/events', { body: { name: 'signed_up', contact: { uuid: ann } } })).statusCode, 202, 'an existing contact starts nothing');
  await contact(beckon, { phone: '+393331234570' }, other);
  assert.deepEqual(await runs(beckon, automation), [ann, bob, cid, dan].map((c, i) => [c, { contact_uuid: c, source: ['api', 'api', 'inbound', 'api'][i] }]));
});

test('automation triggers: tag_added starts on the tag added by any path (create, PATCH, batch, update_contact step), not on other tags, once per policy', async (t) => {
  const beckon = await startBeckon();
  t.after(() => beckon.stop());
  const vip = await activate(beckon, holding({ type: 'tag_added', tag: 'vip' }, 'once'));
  const tagger = await activate(beckon, { name: 'Tagger', trigger: { type: 'tag_added', tag: 'new' }, start: 'tag', steps: { tag: { type: 'update_contact', add_tags: ['vip'] } } });
  const ann = await contact(beckon, { phone: '+393331234567', tags: ['vip', 'x'] });
  const bob = await contact(beckon, { phone: '+393331234568', tags: ['gold'] });
  assert.deepEqual(await runs(beckon, vip), [[ann, { tag: 'vip' }]]);
  assert.equal((await beckon.call('PATCH', `/v1/contacts/${bob}`, { body: { tags: ['gold', 'silver'] } })).statusCode, 200);
  assert.deepEqual((await runs(beckon, vip)).length, 1, 'another tag starts nothing');
  await contact(beckon, { phone: '+393331234599', tags: ['vip'] }, await beckon.newWorkspace('other'));
  assert.deepEqual((await runs(beckon, vip)).length, 1, 'another workspace\'s tag starts nothing here');
  assert.equal((await beckon.call('PATCH', `/v1/contacts/${bob}`, { body: { tags: ['silver', 'vip'] } })).statusCode, 200);
  const batch = await beckon.call('POST', '/v1/contacts/batch', { body: { contacts: [{ phone: '+393331234569', tags: ['a'] }], return_records: 'all' } });
  const cid = batch.json().results[0].uuid;
  await beckon.call('POST', '/v1/contacts/batch', { body: { contacts: [{ phone: '+393331234569', tags: ['a', 'vip'] }] } });
  const dan = await contact(beckon, { phone: '+393331234570', tags: ['new'] });
  await waitFor('the update_contact step tagged dan', async () => (await runs(beckon, vip)).length === 4);
  // removed and added again: the entry policy `once` refuses a second run
  await beckon.call('PATCH', `/v1/contacts/${ann}`, { body: { tags: [] } });
  await beckon.call('PATCH', `/v1/contacts/${ann}`, { body: { tags: ['vip'] } });
  assert.deepEqual((await runs(beckon, vip)).map(([c]) => c), [ann, bob, cid, dan]);
  assert.deepEqual((await runs(beckon, tagger)).map(([c]) => c), [dan]);
  const added = await beckon.runtime.deps.db.selectFrom('events').select('payload').where('type', '=', 'contact_tag_added').orderBy('created_at').orderBy('id').execute();
  assert.deepEqual(added.map((e) => [JSON.parse(e.payload).uuid, JSON.parse(e.payload).tag]).filter(([uuid]) => [ann, bob, cid, dan].includes(uuid)),
    [[ann, 'vip'], [ann, 'x'], [bob, 'gold'], [bob, 'silver'], [bob, 'vip'], [cid, 'a'], [cid, 'vip'], [dan, 'new'], [dan, 'vip'], [ann, 'vip']]);
});

test('automation triggers: inbound_message starts on its channel when the keywords match (case- and accent-insensitive), with the message as trigger data', async (t) => {
  const beckon = await startBeckon();
  t.after(() => beckon.stop());
  const other = await beckon.newWorkspace('other');
  const whatsapp = await sandboxChannel(beckon, 'whatsapp');
  const sms = await sandboxChannel(beckon, 'sms');
  const hours = await activate(beckon, holding({ type: 'inbound_message', channel_uuid: whatsapp, keywords: ['horaires', 'hours'], match: 'contains' }));
  const any = await activate(beckon, holding({ type: 'inbound_message' }, 'once'));
  assert.equal((await inbound(beckon, whatsapp, '+393331234567', 'Quels sont vos HORAIRES ?')).statusCode, 200);
  const ann = await contactByPhone(beckon, '+393331234567');
  await inbound(beckon, whatsapp, '+393331234568', 'hello');
  const bob = await contactByPhone(beckon, '+393331234568');
  await inbound(beckon, sms, '+393331234569', 'hours');
  const cid = await contactByPhone(beckon, '+393331234569');
  await inbound(beckon, whatsapp, '+393331234567', 'hours please', undefined);
  await inbound(beckon, await sandboxChannel(beckon, 'whatsapp', other), '+393331234570', 'hours', other);
  const started = await runs(beckon, hours);
  assert.equal(started.length, 1, 'a second match while the run is active is refused (one_at_a_time); other text, channel and workspace start nothing');
  const message = (await beckon.call('GET', `/v1/messages?contact_uuid=${ann}&limit=10`)).json().messages.find((m: { content: { text: string } }) => m.content.text.startsWith('Quels'));
  assert.deepEqual(started[0], [ann, { message: { uuid: message.uuid, text: 'Quels sont vos HORAIRES ?', type: 'text', url: null, channel_uuid: whatsapp, channel_type: 'whatsapp', received_at: message.created_at } }]);
  assert.deepEqual((await runs(beckon, any)).map(([c]) => c), [ann, bob, cid], 'every inbound message on any channel, once per contact');
  const exact = await activate(beckon, holding({ type: 'inbound_message', keywords: ['Hôraires'], match: 'exact' }));
  await inbound(beckon, sms, '+393331234571', '  horaires ');
  await inbound(beckon, sms, '+393331234572', 'horaires svp');
  assert.deepEqual((await runs(beckon, exact)).map(([c]) => c), [await contactByPhone(beckon, '+393331234571')]);
});

test('automation triggers: a date in event data schedules the start at the date minus 24 hours; contact birthdays start at 09:00 local', async (t) => {
  const beckon = await startBeckon();
  t.after(() => beckon.stop());
  const { queue } = beckon.runtime.deps;
  const reminder = await activate(beckon, holding({ type: 'date', event: 'custom.appointment_booked', path: 'appointment_at', offset: { value: 24, unit: 'hours', direction: 'before' } }, 'per_correlation_key'));
  const ann = await contact(beckon, { phone: '+393331234567' });
  const book = (key: string, at: string) => beckon.call('POST', '/v1/events', { body: { name: 'appointment_booked', contact: { uuid: ann }, correlation_key: key, data: { appointment_at: at } } });
  assert.equal((await book('a-1', '2030-03-10T15:30:00+01:00')).statusCode, 202);
  assert.equal((await book('a-2', '2020-03-10T15:30:00Z')).statusCode, 202, 'a date already past schedules nothing');
  assert.equal((await book('a-3', 'not a date')).statusCode, 202);
  const other = await beckon.newWorkspace('other');
  const elsewhere = await beckon.call('POST', '/v1/events', { key: other, body: { name: 'appointment_booked', contact: { phone: '+393331234567' }, correlation_key: 'a-1', data: { appointment_at: '2030-03-10T15:30:00+01:00' } } });
  assert.equal(elsewhere.statusCode, 202, 'another workspace\'s event schedules nothing here');
  const starts = await queue.jobs('automation_trigger_start');
  assert.deepEqual(starts.map((j) => [j.runAt, (j.payload as { correlation_key: string }).correlation_key]), [['2030-03-09T14:30:00.000Z', 'a-1']]);
  assert.deepEqual(await runs(beckon, reminder), []);
  await makeJobsDue(beckon, 'automation_trigger_start');
  await waitFor('the reminder run', async () => (await runs(beckon, reminder)).length === 1);
  assert.deepEqual(await runs(beckon, reminder), [[ann, { appointment_at: '2030-03-10T15:30:00+01:00' }]]);

  await beckon.call('POST', '/v1/custom_fields', { body: { key: 'birthday', label: 'Birthday', type: 'date' } });
  await beckon.call('POST', '/v1/custom_fields', { body: { key: 'tz', label: 'Time zone', type: 'text' } });
  // the workspace's time zone, unless the contact has its own (custom field tz)
  const badZone = await beckon.call('PATCH', '/v1/workspace', { body: { time_zone: 'Mars/Olympus' } });
  assert.deepEqual([badZone.statusCode, badZone.json().errors.map((e: { path: string }) => e.path)], [400, ['body.time_zone']]);
  const zoned = await beckon.call('PATCH', '/v1/workspace', { body: { time_zone: 'America/Montreal' } });
  assert.deepEqual([zoned.statusCode, zoned.json().workspace.time_zone], [200, 'America/Montreal']);
  assert.equal((await beckon.call('GET', '/v1/workspace')).json().workspace.time_zone, 'America/Montreal');
  const birthday = await activate(beckon, holding({ type: 'date', field: 'birthday', recurrence: 'yearly', at: '09:00', time_zone_field: 'tz' }));
  const bob = await contact(beckon, { phone: '+393331234568', custom_fields: { birthday: '1990-01-15' } });
  const cid = await contact(beckon, { phone: '+393331234569', custom_fields: { birthday: '1991-01-15', tz: 'Europe/Rome' } });
  await contact(beckon, { phone: '+393331234570', custom_fields: { birthday: '1990-01-16' } });
  const leap = await contact(beckon, { phone: '+393331234571', custom_fields: { birthday: '2000-02-29' } });
  // the chain's next scan is pending: the one for the first UTC day whose eve (23:00) is still ahead — tomorrow's, or,
  // from 23:00 UTC on, the day after's (tomorrow's scan was already due and ran at once)
  const dayAfter = (day: string) => new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
  let seenAt = 0;
  const [next] = await waitFor('the activation scan ran', async () => {
    const jobs = await queue.jobs('automation_date_scan');
    seenAt = Date.now();
    return jobs.length === 1 && Date.parse(jobs[0].runAt) > seenAt ? jobs : undefined;
  });
  const today = new Date(seenAt).toISOString().slice(0, 10);
  const eve = seenAt < Date.parse(`${today}T23:00:00Z`) ? today : dayAfter(today);
  assert.deepEqual([next.payload, next.runAt], [{ automation_id: birthday, day: dayAfter(eve) }, `${eve}T23:00:00.000Z`], 'the chain re-enqueues itself an hour before the next day');

  await runDateScan(beckon.runtime.deps, { automation_id: birthday, day: '2030-01-15' }, 1);
  await runDateScan(beckon.runtime.deps, { automation_id: birthday, day: '2030-01-15' });
  await runDateScan(beckon.runtime.deps, { automation_id: birthday, day: '2031-02-28' });
  const scheduled = (await queue.jobs('automation_trigger_start')).map((j) => [(j.payload as { contact_id: string }).contact_id, j.runAt]);
  assert.deepEqual(scheduled, [[bob, '2030-01-15T14:00:00.000Z'], [cid, '2030-01-15T08:00:00.000Z'], [bob, '2030-01-15T14:00:00.000Z'], [cid, '2030-01-15T08:00:00.000Z'], [leap, '2031-02-28T14:00:00.000Z']]);
  await makeJobsDue(beckon, 'automation_trigger_start');
  await waitFor('the birthday runs', async () => (await queue.jobs('automation_trigger_start')).length === 0);
  assert.deepEqual((await runs(beckon, birthday)).map(([c, d]) => [c, (d as { occurrence: string }).occurrence]).sort(), [[bob, '2030-01-15'], [cid, '2030-01-15'], [leap, '2031-02-28']].sort(),
    'one run per contact and occurrence: the scan ran twice, the fire key started it once');
  const paused = await beckon.call('POST', `/v1/automations/${birthday}/pause`, { body: {} });
  assert.equal(paused.statusCode, 200);
  await runDateScan(beckon.runtime.deps, { automation_id: birthday, day: '2032-01-15' });
  assert.deepEqual(await queue.jobs('automation_trigger_start'), [], 'a paused automation schedules nothing');
});
