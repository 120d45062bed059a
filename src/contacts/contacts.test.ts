import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startBeckon, type TestBeckon } from '../../test/helpers.ts';

const PROBLEM = 'application/problem+json; charset=utf-8';

async function events(beckon: TestBeckon, type?: string) {
  let query = beckon.runtime.deps.db.selectFrom('events').select(['type', 'payload', 'workspace_id']).orderBy('created_at').orderBy('id');
  if (type) query = query.where('type', '=', type);
  return (await query.execute()).map((e) => ({ type: e.type, workspace_id: e.workspace_id, payload: JSON.parse(e.payload) }));
}

function paths(response: { json(): { errors?: { path: string }[] } }): string[] {
  return (response.json().errors ?? []).map((e) => e.path).sort();
}

test('POST /v1/contacts: normalizes phone and email, keeps every field, emits contact_created', async (t) => {
  const beckon = await startBeckon();
  t.after(() => beckon.stop());
  const created = await beckon.call('POST', '/v1/contacts', {
    body: {
      name: '  Ann Smith ', phone: '+39 333 123 4567', email: ' Ann@Example.COM ', tags: ['vip', ' vip', 'lead'], custom_fields: { plan: 'pro', seats: 3, trial: false },
      source: 'web_form', consent: { whatsapp: { status: 'opted_in' }, email: { status: 'opted_out', source: 'unsubscribe_link' } }, blocked: false,
      assigned_user: 'agent@example.com', note: 'Callbell fields are accepted and ignored',
    },
  });
  assert.equal(created.statusCode, 201);
  const contact = created.json().contact;
  assert.match(contact.uuid, /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-/);
  assert.equal(contact.created_at, contact.updated_at);
  assert.deepEqual({ ...contact, uuid: 0, created_at: 0, updated_at: 0, consent: 0 }, {
    uuid: 0, name: 'Ann Smith', phone: '+393331234567', email: 'ann@example.com', tags: ['vip', 'lead'], custom_fields: { plan: 'pro', seats: 3, trial: false },
    source: 'web_form', consent: 0, blocked: false, last_inbound_at: null, whatsapp_window_expires_at: null, whatsapp_windows: [], created_at: 0, updated_at: 0,
  });
  assert.deepEqual(contact.consent, {
    whatsapp: { status: 'opted_in', at: contact.created_at, source: 'web_form' },
    sms: { status: 'unknown', at: null, source: null },
    email: { status: 'opted_out', at: contact.created_at, source: 'unsubscribe_link' },
  });
  const recorded = await events(beckon, 'contact_created');
  assert.equal(recorded.length, 1);
  assert.deepEqual(recorded[0].payload, contact);

  const callbell = await beckon.call('POST', '/v1/contacts', { body: { identifier: '14155552671', name: 'Callbell style' } });
  assert.equal(callbell.statusCode, 201);
  assert.equal(callbell.json().contact.phone, '+14155552671');
  assert.equal(callbell.json().contact.source, 'api');
  assert.equal(callbell.json().contact.email, null);
  assert.deepEqual(callbell.json().contact.tags, []);

  const emailOnly = await beckon.call('POST', '/v1/contacts', { body: { email: 'bob@example.org', blocked: true } });
  assert.equal(emailOnly.statusCode, 201);
  assert.equal(emailOnly.json().contact.phone, null);
  assert.equal(emailOnly.json().contact.blocked, true);

  const fetched = await beckon.call('GET', `/v1/contacts/${contact.uuid}`);
  assert.equal(fetched.statusCode, 200);
  assert.deepEqual(fetched.json(), { contact });
});

test('POST /v1/contacts: 400 naming the field, 409 duplicate_contact with the existing uuid', async (t) => {
  const beckon = await startBeckon();
  t.after(() => beckon.stop());
  const cases: [unknown, string[]][] = [
    [{ name: 'nobody' }, ['body.email', 'body.phone']],
    [{ phone: '12345' }, ['body.phone']],
    [{ phone: '+39 333 ABC' }, ['body.phone']],
    [{ identifier: 'not a phone' }, ['body.identifier']],
    [{ phone: '+39 333 123 4567', identifier: '+14155552671' }, ['body.identifier']],
    [{ email: 'not-an-email' }, ['body.email']],
    [{ email: 'a@b' }, ['body.email']],
    [{ phone: '+14155552671', tags: ['ok', '  '] }, ['body.tags.1']],
    [{ phone: '+14155552671', colour: 'red' }, ['body.colour']],
    [{ phone: '+14155552671', consent: { whatsapp: { status: 'maybe' } } }, ['body.consent.whatsapp.status']],
    [{ phone: '+14155552671', custom_fields: { nested: { a: 1 } } }, ['body.custom_fields.nested']],
    [{ phone: '+14155552671', custom_fields: { long: 'x'.repeat(1001) } }, ['body.custom_fields.long']],
  ];
  for (const [body, expected] of cases) {
    const response = await beckon.call('POST', '/v1/contacts', { body });
    assert.equal(response.statusCode, 400, JSON.stringify(body));
    assert.equal(response.headers['content-type'], PROBLEM);
    assert.equal(response.json().code, 'validation_failed');
    assert.deepEqual(paths(response), expected, JSON.stringify(body));
  }
  assert.equal((await events(beckon)).length, 0);

  const first = (await beckon.call('POST', '/v1/contacts', { body: { phone: '+39 333 123 4567', email: 'ann@example.com' } })).json().contact;
  const byPhone = await beckon.call('POST', '/v1/contacts', { body: { identifier: '0039 333 1234567' } });
  assert.equal(byPhone.statusCode, 409);
  assert.equal(byPhone.json().code, 'duplicate_contact');
  assert.equal(byPhone.json().existing_uuid, first.uuid);
  assert.deepEqual(paths(byPhone), ['body.phone']);
  const byEmail = await beckon.call('POST', '/v1/contacts', { body: { phone: '+14155552671', email: 'ANN@example.com' } });
  assert.equal(byEmail.statusCode, 409);
  assert.equal(byEmail.json().existing_uuid, first.uuid);
  assert.deepEqual(paths(byEmail), ['body.email']);
  assert.equal((await events(beckon, 'contact_created')).length, 1);
});

test('GET /v1/contacts/phone/:number finds the contact whatever the format; 400 and 404 otherwise', async (t) => {
  const beckon = await startBeckon();
  t.after(() => beckon.stop());
  const uuid = (await beckon.call('POST', '/v1/contacts', { body: { phone: '+39 333 123 4567' } })).json().contact.uuid;
  for (const typed of ['+393331234567', '%2B393331234567', '393331234567', '%2B39%20333%20123%204567', '0039-333-123-4567', '(39)%20333.123.4567', 'tel:%2B393331234567']) {
    const response = await beckon.call('GET', `/v1/contacts/phone/${typed}`);
    assert.equal(response.statusCode, 200, typed);
    assert.equal(response.json().contact.uuid, uuid, typed);
  }
  const invalid = await beckon.call('GET', '/v1/contacts/phone/12ab');
  assert.equal(invalid.statusCode, 400);
  assert.deepEqual(paths(invalid), ['params.number']);
  const missing = await beckon.call('GET', '/v1/contacts/phone/%2B14155552671');
  assert.equal(missing.statusCode, 404);
  assert.equal(missing.json().code, 'not_found');
});

test('PATCH /v1/contacts/:uuid: replaces tags, merges custom fields and consent, emits contact_updated with changed_fields', async (t) => {
  const beckon = await startBeckon();
  t.after(() => beckon.stop());
  const before = (await beckon.call('POST', '/v1/contacts', {
    body: { name: 'Ann', phone: '+393331234567', tags: ['a', 'b'], custom_fields: { plan: 'pro', seats: 3 }, consent: { whatsapp: { status: 'opted_in' } } },
  })).json().contact;

  const patched = await beckon.call('PATCH', `/v1/contacts/${before.uuid}`, {
    body: { name: 'Ann B.', tags: ['c'], custom_fields: { seats: null, city: 'Rome' }, consent: { whatsapp: { status: 'opted_in' }, sms: { status: 'opted_out', source: 'STOP' } }, email: 'ANN@x.io' },
  });
  assert.equal(patched.statusCode, 200);
  const after = patched.json().contact;
  assert.equal(after.name, 'Ann B.');
  assert.equal(after.email, 'ann@x.io');
  assert.deepEqual(after.tags, ['c']);
  assert.deepEqual(after.custom_fields, { plan: 'pro', city: 'Rome' });
  assert.deepEqual(after.consent.whatsapp, before.consent.whatsapp, 'an unchanged status keeps its time and source');
  assert.equal(after.consent.sms.status, 'opted_out');
  assert.equal(after.consent.sms.source, 'STOP');
  assert.equal(after.consent.sms.at, after.updated_at);
  assert.equal(after.created_at, before.created_at);
  const updated = await events(beckon, 'contact_updated');
  assert.equal(updated.length, 1);
  assert.deepEqual(updated[0].payload, { ...after, changed_fields: ['name', 'email', 'tags', 'custom_fields', 'consent'] });

  const same = await beckon.call('PATCH', `/v1/contacts/${before.uuid}`, { body: { name: 'Ann B.', tags: ['c'], custom_fields: { city: 'Rome', gone: null }, blocked: false, consent: { whatsapp: { status: 'opted_in' } } } });
  assert.equal(same.statusCode, 200);
  assert.deepEqual(same.json().contact, after);
  assert.equal((await beckon.call('PATCH', `/v1/contacts/${before.uuid}`, { body: {} })).statusCode, 200);
  assert.equal((await events(beckon, 'contact_updated')).length, 1, 'a PATCH that changes nothing emits nothing');

  const phone = await beckon.call('PATCH', `/v1/contacts/${before.uuid}`, { body: { phone: '1 415 555 2671', blocked: true, name: null } });
  assert.equal(phone.statusCode, 200);
  assert.equal(phone.json().contact.phone, '+14155552671');
  assert.equal(phone.json().contact.name, null);
  assert.equal(phone.json().contact.blocked, true);
  assert.deepEqual((await events(beckon, 'contact_updated'))[1].payload.changed_fields, ['name', 'phone', 'blocked']);
  const noPhone = await beckon.call('PATCH', `/v1/contacts/${before.uuid}`, { body: { phone: null } });
  assert.equal(noPhone.json().contact.phone, null);
  const nothingLeft = await beckon.call('PATCH', `/v1/contacts/${before.uuid}`, { body: { email: null } });
  assert.equal(nothingLeft.statusCode, 400);
  assert.deepEqual(paths(nothingLeft), ['body.email']);
});

test('PATCH /v1/contacts/:uuid: 400 naming the field, 409 with the existing uuid, 404', async (t) => {
  const beckon = await startBeckon();
  t.after(() => beckon.stop());
  const ann = (await beckon.call('POST', '/v1/contacts', { body: { phone: '+393331234567', email: 'ann@example.com' } })).json().contact;
  const bob = (await beckon.call('POST', '/v1/contacts', { body: { phone: '+14155552671' } })).json().contact;
  const cases: [unknown, string[]][] = [
    [{ phone: '555' }, ['body.phone']],
    [{ email: 'ann at example' }, ['body.email']],
    [{ tags: 'x'.repeat(101) }, ['body.tags']], // a JSON body is never coerced: a string is not an array
    [{ blocked: 'perhaps' }, ['body.blocked']],
    [{ custom_fields: { ok: 'fine', bad: [1] } }, ['body.custom_fields.bad']],
    [{ uuid: bob.uuid }, ['body.uuid']],
  ];
  for (const [body, expected] of cases) {
    const response = await beckon.call('PATCH', `/v1/contacts/${bob.uuid}`, { body });
    assert.equal(response.statusCode, 400, JSON.stringify(body));
    assert.deepEqual(paths(response), expected, JSON.stringify(body));
  }
  const duplicate = await beckon.call('PATCH', `/v1/contacts/${bob.uuid}`, { body: { phone: '+39 333 123 4567', email: 'ANN@example.com' } });
  assert.equal(duplicate.statusCode, 409);
  assert.equal(duplicate.json().code, 'duplicate_contact');
  assert.equal(duplicate.json().existing_uuid, ann.uuid);
  assert.deepEqual(paths(duplicate), ['body.email', 'body.phone']);
  const own = await beckon.call('PATCH', `/v1/contacts/${ann.uuid}`, { body: { phone: '+393331234567', email: 'ann@example.com' } });
  assert.equal(own.statusCode, 200, 'a contact does not conflict with itself');
  assert.equal((await beckon.call('GET', `/v1/contacts/${bob.uuid}`)).json().contact.phone, '+14155552671');
  assert.equal((await events(beckon, 'contact_updated')).length, 0);

  const missing = await beckon.call('PATCH', '/v1/contacts/01900000-0000-7000-8000-000000000000', { body: { name: 'x' } });
  assert.equal(missing.statusCode, 404);
  const badUuid = await beckon.call('GET', '/v1/contacts/not-a-uuid');
  assert.equal(badUuid.statusCode, 400);
  assert.deepEqual(paths(badUuid), ['params.uuid']);
});

test('DELETE /v1/contacts/:uuid: answers like Callbell, deletes the contact\'s messages, emits contact_deleted', async (t) => {
  const beckon = await startBeckon();
  t.after(() => beckon.stop());
  const db = beckon.runtime.deps.db;
  const ann = (await beckon.call('POST', '/v1/contacts', { body: { phone: '+393331234567', name: 'Ann' } })).json().contact;
  const bob = (await beckon.call('POST', '/v1/contacts', { body: { phone: '+14155552671' } })).json().contact;
  const sent: Record<string, string> = {};
  for (const [name, to] of [['ann', '+39 333 123 4567'], ['bob', '+14155552671']]) {
    const send = await beckon.call('POST', '/v1/messages/send', { body: { to, from: 'whatsapp', type: 'text', content: { text: `hi ${name}` } } });
    assert.equal(send.statusCode, 200, send.body);
    sent[name] = send.json().message.uuid;
  }
  const listed = await beckon.call('GET', `/v1/contacts/${ann.uuid}/messages`);
  assert.deepEqual(listed.json().messages.map((m: { uuid: string; contact: { uuid: string } }) => [m.uuid, m.contact.uuid]), [[sent.ann, ann.uuid]]);
  const deleted = await beckon.call('DELETE', `/v1/contacts/${ann.uuid}`);
  assert.equal(deleted.statusCode, 200);
  assert.deepEqual(deleted.json(), { status: 'contact was destroyed' });
  assert.equal((await beckon.call('GET', `/v1/contacts/${ann.uuid}`)).statusCode, 404);
  assert.equal((await beckon.call('GET', '/v1/contacts/phone/%2B393331234567')).statusCode, 404);
  assert.deepEqual((await db.selectFrom('messages').select('contact_id').execute()).map((m) => m.contact_id), [bob.uuid]);
  assert.equal((await beckon.call('GET', `/v1/messages/${sent.ann}`)).statusCode, 404);
  assert.equal((await beckon.call('GET', `/v1/messages/${sent.bob}`)).statusCode, 200);
  const gone = await events(beckon, 'contact_deleted');
  assert.equal(gone.length, 1);
  assert.deepEqual(gone[0].payload, ann);
  assert.equal((await beckon.call('DELETE', `/v1/contacts/${ann.uuid}`)).statusCode, 404);
  const again = await beckon.call('POST', '/v1/contacts', { body: { phone: '+393331234567' } });
  assert.equal(again.statusCode, 201, 'the phone is free again');
});

test('contacts: a read key cannot create, update or delete (403); no key is a 401', async (t) => {
  const beckon = await startBeckon();
  t.after(() => beckon.stop());
  const readKey = (await beckon.call('POST', '/v1/api_keys', { body: { name: 'reader', scopes: ['read'] } })).json().api_key.key;
  const uuid = (await beckon.call('POST', '/v1/contacts', { body: { phone: '+393331234567' } })).json().contact.uuid;
  for (const [method, url, body] of [['POST', '/v1/contacts', { phone: '+14155552671' }], ['PATCH', `/v1/contacts/${uuid}`, { name: 'x' }], ['DELETE', `/v1/contacts/${uuid}`, undefined]] as const) {
    const response = await beckon.call(method, url, { body, key: readKey });
    assert.equal(response.statusCode, 403, `${method} ${url}`);
    assert.equal(response.json().code, 'forbidden');
  }
  for (const url of ['/v1/contacts', `/v1/contacts/${uuid}`, '/v1/contacts/phone/393331234567', `/v1/contacts/${uuid}/messages`]) {
    assert.equal((await beckon.call('GET', url, { key: readKey })).statusCode, 200, url);
    assert.equal((await beckon.call('GET', url, { key: null })).statusCode, 401, url);
  }
  assert.equal((await beckon.call('GET', `/v1/contacts/${uuid}`)).json().contact.name, null);
  assert.equal((await events(beckon)).length, 1);
});
