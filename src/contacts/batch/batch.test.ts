import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startBeckon, type TestBeckon } from '../../../test/helpers.ts';

async function eventTypes(beckon: TestBeckon): Promise<string[]> {
  return (await beckon.runtime.deps.db.selectFrom('events').select('type').orderBy('created_at').orderBy('id').execute()).map((e) => e.type);
}

test('POST /v1/contacts/batch: inserts, updates by phone or email, reports bad records alone, emits the single routes\' events', async (t) => {
  const beckon = await startBeckon();
  t.after(() => beckon.stop());
  await beckon.call('POST', '/v1/custom_fields', { body: { key: 'seats', label: 'Seats', type: 'number' } });
  const existing = (await beckon.call('POST', '/v1/contacts', { body: { phone: '+39 333 111 2222', name: 'Old', tags: ['a'] } })).json().contact;
  const byEmail = (await beckon.call('POST', '/v1/contacts', { body: { email: 'eve@example.com', name: 'Eve' } })).json().contact;
  const response = await beckon.call('POST', '/v1/contacts/batch', {
    body: {
      return_records: 'all',
      contacts: [
        { phone: '00393331112222', name: 'New name', custom_fields: { seats: '4' } },
        { email: 'EVE@example.com', name: 'Eve' },
        { phone: '+1 415 555 2671', email: 'zed@example.com', tags: ['x', ' x'] },
        { phone: 'not a phone' },
        { name: 42, colour: 'red' },
        { email: 'bob@example.org', custom_fields: { seats: 'many' } },
        { name: 'nobody' },
        { email: 'eve@example.com', phone: '+39 333 111 2222' },
      ],
    },
  });
  assert.equal(response.statusCode, 200);
  const { meta, results } = response.json();
  assert.deepEqual(meta, { received: 8, inserted: 1, updated: 1, unchanged: 1, skipped: 0, failed: 5 });
  assert.deepEqual(results.map((r: { status: string }) => r.status), ['updated', 'unchanged', 'inserted', 'failed', 'failed', 'failed', 'failed', 'failed']);
  assert.deepEqual(results.slice(0, 2).map((r: { uuid: string }) => r.uuid), [existing.uuid, byEmail.uuid]);
  assert.deepEqual(results[3].error.errors.map((e: { path: string }) => e.path), ['body.contacts.3.phone']);
  assert.deepEqual(results[4].error, {
    code: 'validation_failed', detail: 'body.contacts.4.colour is not a contact field; body.contacts.4.name must be string',
    errors: [{ path: 'body.contacts.4.colour', message: 'is not a contact field' }, { path: 'body.contacts.4.name', message: 'must be string' }],
  });
  assert.deepEqual(results[5].error.errors, [{ path: 'body.contacts.5.custom_fields.seats', message: 'must be a finite number (number field)' }]);
  assert.equal(results[6].error.code, 'validation_failed');
  assert.equal(results[7].error.code, 'duplicate_contact');
  assert.deepEqual(results[2].error, null);

  const updated = (await beckon.call('GET', `/v1/contacts/${existing.uuid}`)).json().contact;
  assert.deepEqual([updated.name, updated.tags, updated.custom_fields, updated.source], ['New name', ['a'], { seats: 4 }, 'api']);
  const inserted = (await beckon.call('GET', `/v1/contacts/${results[2].uuid}`)).json().contact;
  assert.deepEqual([inserted.phone, inserted.email, inserted.tags], ['+14155552671', 'zed@example.com', ['x']]);
  assert.deepEqual(await eventTypes(beckon), ['contact_created', 'contact_tag_added', 'contact_created', 'contact_updated', 'contact_created', 'contact_tag_added']);
  const list = (await beckon.call('GET', '/v1/contacts')).json().contacts;
  assert.equal(list.length, 3);
});

test('POST /v1/contacts/batch: allow_insert, allow_update, skip_duplicates and return_records', async (t) => {
  const beckon = await startBeckon();
  t.after(() => beckon.stop());
  const existing = (await beckon.call('POST', '/v1/contacts', { body: { email: 'ann@example.com', name: 'Ann' } })).json().contact;
  const records = [{ email: 'ann@example.com', name: 'Ann B' }, { email: 'new@example.com', name: 'First' }, { email: 'NEW@example.com', name: 'Second' }];

  const noInsert = await beckon.call('POST', '/v1/contacts/batch', { body: { contacts: records, allow_insert: false, return_records: 'all' } });
  assert.deepEqual(noInsert.json().meta, { received: 3, inserted: 0, updated: 1, unchanged: 0, skipped: 2, failed: 0 });
  assert.deepEqual(noInsert.json().results.map((r: { reason: string }) => r.reason), [null, 'insert_not_allowed', 'insert_not_allowed']);

  const noUpdate = await beckon.call('POST', '/v1/contacts/batch', { body: { contacts: records, allow_update: false, skip_duplicates: true, return_records: 'all' } });
  assert.deepEqual(noUpdate.json().meta, { received: 3, inserted: 1, updated: 0, unchanged: 0, skipped: 2, failed: 0 });
  assert.deepEqual(noUpdate.json().results.map((r: { status: string; reason: string; uuid: string }) => [r.status, r.reason, r.uuid === existing.uuid]),
    [['skipped', 'update_not_allowed', true], ['inserted', null, false], ['skipped', 'duplicate_in_batch', false]]);
  const created = await beckon.call('GET', '/v1/contacts?email=new@example.com');
  assert.equal(created.json().contacts[0].name, 'First');

  const inOrder = await beckon.call('POST', '/v1/contacts/batch', { body: { contacts: [...records, { phone: 'bad' }] } });
  assert.deepEqual(inOrder.json().meta, { received: 4, inserted: 0, updated: 1, unchanged: 2, skipped: 0, failed: 1 });
  assert.deepEqual(inOrder.json().results.map((r: { index: number }) => r.index), [3]);
  assert.equal((await beckon.call('GET', '/v1/contacts?email=new@example.com')).json().contacts[0].name, 'Second');

  const none = await beckon.call('POST', '/v1/contacts/batch', { body: { contacts: [{ phone: 'bad' }], return_records: 'none' } });
  assert.deepEqual(none.json(), { meta: { received: 1, inserted: 0, updated: 0, unchanged: 0, skipped: 0, failed: 1 }, results: [] });
});

test('POST /v1/contacts/batch: request limits, scope, and workspaces kept apart', async (t) => {
  const beckon = await startBeckon();
  t.after(() => beckon.stop());
  const tooMany = await beckon.call('POST', '/v1/contacts/batch', { body: { contacts: Array.from({ length: 1001 }, (_, i) => ({ email: `c${i}@example.com` })) } });
  assert.equal(tooMany.statusCode, 400);
  assert.equal(tooMany.json().errors[0].path, 'body.contacts');
  assert.equal((await beckon.call('POST', '/v1/contacts/batch', { body: { contacts: [] } })).statusCode, 400);
  assert.equal((await beckon.call('POST', '/v1/contacts/batch', { body: { contacts: [{}], return_records: 'some' } })).statusCode, 400);

  // a record with neither phone nor email fails with the same errors as POST /v1/contacts (paths under the record)
  const single = (await beckon.call('POST', '/v1/contacts', { body: { name: 'Nobody' } })).json();
  const noAddress = (await beckon.call('POST', '/v1/contacts/batch', { body: { contacts: [{ name: 'Nobody' }] } })).json().results[0];
  assert.deepEqual(noAddress.error.errors.map((e: { path: string }) => e.path), single.errors.map((e: { path: string }) => e.path.replace('body.', 'body.contacts.0.')));
  assert.equal(noAddress.error.errors.length, 2);

  const full = await beckon.call('POST', '/v1/contacts/batch', { body: { contacts: Array.from({ length: 1000 }, (_, i) => ({ email: `c${i}@example.com` })) } });
  assert.deepEqual(full.json().meta, { received: 1000, inserted: 1000, updated: 0, unchanged: 0, skipped: 0, failed: 0 });

  const ann = (await beckon.call('POST', '/v1/contacts', { body: { email: 'ann@example.com', name: 'Ann' } })).json().contact;
  const otherKey = await beckon.newWorkspace('other');
  const other = await beckon.call('POST', '/v1/contacts/batch', { key: otherKey, body: { contacts: [{ email: 'ann@example.com', name: 'Other Ann' }], return_records: 'all' } });
  assert.equal(other.json().results[0].status, 'inserted');
  assert.notEqual(other.json().results[0].uuid, ann.uuid);
  assert.equal((await beckon.call('GET', `/v1/contacts/${ann.uuid}`)).json().contact.name, 'Ann');

  const secret = (await beckon.call('POST', '/v1/api_keys', { body: { name: 'reader', scopes: ['read'] } })).json().api_key.key as string;
  const forbidden = await beckon.call('POST', '/v1/contacts/batch', { key: secret, body: { contacts: [{ email: 'x@example.com' }] } });
  assert.equal(forbidden.statusCode, 403);
});

test('POST /v1/contacts/batch applies records in order within one batch: a phone freed then taken, an insert then its update, a conflict; one delivery per subscribed event', async (t) => {
  const beckon = await startBeckon({}, { worker: false });
  t.after(() => beckon.stop());
  const hook = (await beckon.call('POST', '/v1/webhooks', { body: { url: 'http://127.0.0.1:9/hook', events: ['contact_created', 'contact_opted_in'] } })).json().webhook;
  const x = (await beckon.call('POST', '/v1/contacts', { body: { phone: '+39 333 111 2222', email: 'x@example.com', name: 'X' } })).json().contact;
  const response = await beckon.call('POST', '/v1/contacts/batch', {
    body: {
      return_records: 'all',
      contacts: [
        { email: 'x@example.com', phone: '+39 333 999 0000' },
        { phone: '+39 333 111 2222', name: 'Takes the old phone' },
        { email: 'new@example.com', name: 'N' },
        { email: 'new@example.com', phone: '+39 333 777 0000', consent: { sms: { status: 'opted_in' } } },
        { phone: '+39 333 999 0000', email: 'NEW@example.com' },
      ],
    },
  });
  const { meta, results } = response.json();
  assert.deepEqual(meta, { received: 5, inserted: 2, updated: 2, unchanged: 0, skipped: 0, failed: 1 });
  assert.deepEqual(results.map((r: { status: string }) => r.status), ['updated', 'inserted', 'inserted', 'updated', 'failed']);
  assert.equal(results[0].uuid, x.uuid);
  assert.equal(results[3].uuid, results[2].uuid);
  assert.deepEqual(results[4].error, {
    code: 'duplicate_contact', detail: `the phone belongs to contact ${x.uuid} and the email to contact ${results[2].uuid}`,
    errors: [{ path: 'body.contacts.4.email', message: `is already the email of contact ${results[2].uuid}` }],
  });
  const get = async (uuid: string) => (await beckon.call('GET', `/v1/contacts/${uuid}`)).json().contact;
  assert.deepEqual([(await get(x.uuid)).phone, (await get(x.uuid)).email], ['+393339990000', 'x@example.com']);
  const taker = await get(results[1].uuid);
  assert.deepEqual([taker.phone, taker.name], ['+393331112222', 'Takes the old phone']);
  const n = await get(results[2].uuid);
  assert.deepEqual([n.name, n.phone, n.email, n.consent.sms.status, n.consent.sms.source], ['N', '+393337770000', 'new@example.com', 'opted_in', 'api']);
  const db = beckon.runtime.deps.db;
  const events = await db.selectFrom('events').select(['id', 'type', 'payload']).orderBy('created_at').orderBy('id').execute();
  assert.deepEqual(events.map((e) => e.type), ['contact_created', 'contact_updated', 'contact_created', 'contact_created', 'contact_updated', 'contact_opted_in']);
  assert.deepEqual(JSON.parse(events[4].payload).changed_fields, ['phone', 'consent']);
  const deliveries = await db.selectFrom('webhook_deliveries').select(['event_id', 'endpoint_id']).where('endpoint_id', '=', hook.uuid).execute();
  assert.deepEqual(deliveries.map((d) => d.event_id).sort(), [events[0].id, events[2].id, events[3].id, events[5].id].sort());
});
