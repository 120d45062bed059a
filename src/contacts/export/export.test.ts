import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'csv-parse/sync';
import { startBeckon } from '../../../test/helpers.ts';
import { EXPORT_COLUMNS } from './export.ts';

test('GET /v1/contacts/export: every field as CSV, custom fields as columns, the list filters, workspaces apart', async (t) => {
  const beckon = await startBeckon();
  t.after(() => beckon.stop());
  await beckon.call('POST', '/v1/custom_fields', { body: { key: 'seats', label: 'Seats', type: 'number' } });
  await beckon.call('POST', '/v1/custom_fields', { body: { key: 'unused', label: 'Unused', type: 'text' } });
  const ann = (await beckon.call('POST', '/v1/contacts', {
    body: { name: 'Ann, "the" first', phone: '+39 333 123 4567', email: 'ann@example.com', tags: ['vip', 'lead'], custom_fields: { seats: 3, trial: true },
      source: 'web_form', consent: { email: { status: 'opted_in' } } },
  })).json().contact;
  const bob = (await beckon.call('POST', '/v1/contacts', { body: { email: 'bob@example.com', blocked: true } })).json().contact;

  const response = await beckon.call('GET', '/v1/contacts/export');
  assert.equal(response.statusCode, 200);
  assert.equal(response.headers['content-type'], 'text/csv; charset=utf-8');
  assert.equal(response.headers['content-disposition'], 'attachment; filename="contacts.csv"');
  const rows = parse(response.body) as string[][];
  assert.deepEqual(rows[0], [...EXPORT_COLUMNS, 'custom_fields.seats', 'custom_fields.unused', 'custom_fields.trial']);
  const record = (row: string[]) => Object.fromEntries(rows[0].map((h, i) => [h, row[i]]));
  assert.equal(rows.length, 3);
  assert.deepEqual(record(rows[1]), {
    uuid: bob.uuid, name: '', phone: '', email: 'bob@example.com', tags: '', source: 'api', blocked: 'true',
    'consent.whatsapp': 'unknown', 'consent.whatsapp.at': '', 'consent.whatsapp.source': '', 'consent.sms': 'unknown', 'consent.sms.at': '', 'consent.sms.source': '',
    'consent.email': 'unknown', 'consent.email.at': '', 'consent.email.source': '', last_inbound_at: '', created_at: bob.created_at, updated_at: bob.updated_at,
    'custom_fields.seats': '', 'custom_fields.unused': '', 'custom_fields.trial': '',
  });
  assert.deepEqual(record(rows[2]), {
    uuid: ann.uuid, name: 'Ann, "the" first', phone: '+393331234567', email: 'ann@example.com', tags: 'vip,lead', source: 'web_form', blocked: 'false',
    'consent.whatsapp': 'unknown', 'consent.whatsapp.at': '', 'consent.whatsapp.source': '', 'consent.sms': 'unknown', 'consent.sms.at': '', 'consent.sms.source': '',
    'consent.email': 'opted_in', 'consent.email.at': ann.created_at, 'consent.email.source': 'web_form', last_inbound_at: '', created_at: ann.created_at, updated_at: ann.updated_at,
    'custom_fields.seats': '3', 'custom_fields.unused': '', 'custom_fields.trial': 'true',
  });

  const filtered = parse((await beckon.call('GET', '/v1/contacts/export?tags=vip&custom_fields.seats=3')).body) as string[][];
  assert.deepEqual(filtered.slice(1).map((r) => r[0]), [ann.uuid]);
  const bad = await beckon.call('GET', '/v1/contacts/export?created_after=yesterday');
  assert.equal(bad.statusCode, 400);
  assert.equal(bad.json().errors[0].path, 'query.created_after');
  assert.equal((await beckon.call('GET', '/v1/contacts/export?limit=5')).statusCode, 400);

  const otherKey = await beckon.newWorkspace('other');
  const other = parse((await beckon.call('GET', '/v1/contacts/export', { key: otherKey })).body) as string[][];
  assert.deepEqual(other, [EXPORT_COLUMNS]);
});

test('GET /v1/contacts/export: pages through more rows than one keyset page, each contact once', async (t) => {
  const beckon = await startBeckon();
  t.after(() => beckon.stop());
  for (let start = 0; start < 1203; start += 1000) {
    const contacts = Array.from({ length: Math.min(1000, 1203 - start) }, (_, i) => ({ email: `c${start + i}@example.com`, tags: [(start + i) % 2 ? 'odd' : 'even'] }));
    assert.equal((await beckon.call('POST', '/v1/contacts/batch', { body: { contacts } })).json().meta.inserted, contacts.length);
  }
  const rows = parse((await beckon.call('GET', '/v1/contacts/export')).body) as string[][];
  assert.equal(rows.length, 1204);
  assert.equal(new Set(rows.slice(1).map((r) => r[0])).size, 1203);
  assert.deepEqual(new Set(rows.slice(1).map((r) => r[3])), new Set(Array.from({ length: 1203 }, (_, i) => `c${i}@example.com`)));
  const odd = parse((await beckon.call('GET', '/v1/contacts/export?tags=odd')).body) as string[][];
  assert.equal(odd.length, 1 + 601);
});

test('GET /v1/contacts/export: cells a spreadsheet would run as formulas are neutralised with a leading quote', async (t) => {
  const beckon = await startBeckon({}, { worker: false });
  t.after(() => beckon.stop());
  const evil = '=HYPERLINK("http://evil.example","x")';
  const made = await beckon.call('POST', '/v1/contacts', {
    body: { name: evil, phone: '+14155550100', tags: ['@SUM(1+1)', 'ok'], source: '-2+3', custom_fields: { note: '+cmd|/C calc', n: -3, tab: '\tx' } },
  });
  assert.equal(made.statusCode, 201, made.body);
  const rows = parse((await beckon.call('GET', '/v1/contacts/export')).body) as string[][];
  const record = Object.fromEntries(rows[0].map((h, i) => [h, rows[1][i]]));
  assert.equal(record.name, `'${evil}`);
  assert.equal(record.tags, "'@SUM(1+1),ok");
  assert.equal(record.source, "'-2+3");
  assert.equal(record['custom_fields.note'], "'+cmd|/C calc");
  assert.equal(record['custom_fields.tab'], "'\tx");
  assert.equal(record['custom_fields.n'], '-3', 'a plain number is not a formula');
  assert.equal(record.phone, '+14155550100', 'an E.164 number is not a formula');
});
