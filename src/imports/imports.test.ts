import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { startBeckon, waitFor, type TestBeckon } from '../../test/helpers.ts';

async function finished(beckon: TestBeckon, uuid: string, key?: string) {
  return waitFor('the import to finish', async () => {
    const view = (await beckon.call('GET', `/v1/imports/${uuid}`, { key })).json().import;
    return view.status === 'completed' || view.status === 'failed' ? view : undefined;
  });
}

function upload(beckon: TestBeckon, body: string, contentType: string, query = '', key?: string) {
  return beckon.call('POST', `/v1/imports${query}`, { body, key, headers: { 'content-type': contentType } });
}

test('POST /v1/imports (CSV): mapped columns, per-row results with line numbers, counts; the stored file is removed', async (t) => {
  const beckon = await startBeckon();
  t.after(() => beckon.stop());
  await beckon.call('POST', '/v1/custom_fields', { body: { key: 'seats', label: 'Seats', type: 'number' } });
  const existing = (await beckon.call('POST', '/v1/contacts', { body: { phone: '+39 333 111 2222', name: 'Old' } })).json().contact;
  const csv = [
    'Full name,Mobile,email,tags,Seats,Notes,consent.email',
    'Ann,+1 415 555 2671,ann@example.com,"vip, lead",3,x,opted_in',
    'Updated,00393331112222,,,,,',
    '',
    'Bad phone,call me,,,,,',
    'Bad seats,,bob@example.com,,many,,',
    '"Multi',
    'line",,carl@example.com,,,,',
  ].join('\n');
  const created = await upload(beckon, csv, 'text/csv', '?map=Full%20name=name,Mobile=phone,Seats=custom_fields.seats,Notes=-');
  assert.equal(created.statusCode, 202);
  const accepted = created.json().import;
  assert.deepEqual([accepted.status, accepted.format, accepted.mapping, accepted.processed], ['queued', 'csv', { 'Full name': 'name', Mobile: 'phone', Seats: 'custom_fields.seats', Notes: '-' }, 0]);
  const done = await finished(beckon, accepted.uuid);
  assert.equal(done.status, 'completed');
  assert.deepEqual([done.processed, done.inserted, done.updated, done.unchanged, done.skipped, done.failed], [5, 2, 1, 0, 0, 2]);
  assert.deepEqual(done.errors.map((e: { line: number; errors: { path: string }[] }) => [e.line, e.errors.map((x) => x.path)]), [[5, ['line.5.phone']], [6, ['line.6.custom_fields.seats']]]);
  assert.equal(done.error, null);
  assert.ok(done.completed_at);

  const ann = (await beckon.call('GET', '/v1/contacts?email=ann@example.com')).json().contacts[0];
  assert.deepEqual([ann.name, ann.phone, ann.tags, ann.custom_fields, ann.consent.email.status], ['Ann', '+14155552671', ['vip', 'lead'], { seats: 3 }, 'opted_in']);
  assert.equal((await beckon.call('GET', `/v1/contacts/${existing.uuid}`)).json().contact.name, 'Updated');
  assert.equal((await beckon.call('GET', '/v1/contacts?email=carl@example.com')).json().contacts[0].name, 'Multi\nline');
  assert.deepEqual(readdirSync(join(beckon.dataDir, 'imports')), []);
});

test('POST /v1/imports (NDJSON): objects shaped like contacts, a bad JSON line fails alone; a broken CSV fails the import', async (t) => {
  const beckon = await startBeckon();
  t.after(() => beckon.stop());
  const ndjson = ['{"email":"a@example.com","tags":["x"],"custom_fields":{"n":1}}', '{not json', '', '[1]', '{"mail":"b@example.com"}', '{"email":"a@example.com","name":"A"}'].join('\n');
  const done = await finished(beckon, (await upload(beckon, ndjson, 'application/x-ndjson', '?map=mail=email&skip_duplicates=true')).json().import.uuid);
  assert.deepEqual([done.status, done.processed, done.inserted, done.skipped, done.failed], ['completed', 5, 2, 1, 2]);
  assert.deepEqual(done.errors.map((e: { line: number; code: string }) => [e.line, e.code]), [[2, 'invalid_json'], [4, 'validation_failed']]);
  const a = (await beckon.call('GET', '/v1/contacts?email=a@example.com')).json().contacts[0];
  assert.deepEqual([a.name, a.tags, a.custom_fields], [null, ['x'], { n: 1 }]);

  const broken = await finished(beckon, (await upload(beckon, 'email\n"unclosed@example.com\n', 'text/csv')).json().import.uuid);
  assert.equal(broken.status, 'failed');
  assert.match(broken.error, /^the file is not valid CSV: /);
});

test('POST /v1/imports: bad mapping, media type and options are 4xx; GET lists and shows only the workspace\'s imports', async (t) => {
  const beckon = await startBeckon();
  t.after(() => beckon.stop());
  const badMap = await upload(beckon, 'email\n', 'text/csv', '?map=email=favourite_colour');
  assert.equal(badMap.statusCode, 400);
  assert.equal(badMap.json().errors[0].path, 'query.map');
  assert.equal((await upload(beckon, 'email\n', 'text/plain')).statusCode, 415);
  assert.equal((await upload(beckon, 'email\n', 'text/csv', '?allow_insert=maybe')).statusCode, 400);
  const stored = () => (existsSync(join(beckon.dataDir, 'imports')) ? readdirSync(join(beckon.dataDir, 'imports')) : []);
  await waitFor('refused uploads to be removed', async () => stored().length === 0);

  const first = (await upload(beckon, 'email\none@example.com\n', 'text/csv')).json().import;
  const again = () => beckon.call('POST', '/v1/imports?allow_update=false', { body: 'email\ntwo@example.com\n', headers: { 'content-type': 'text/csv', 'idempotency-key': 'k1' } });
  const second = (await again()).json().import;
  const replayed = await again();
  assert.equal(replayed.headers['idempotent-replayed'], 'true');
  assert.equal(replayed.json().import.uuid, second.uuid);
  const otherFile = await beckon.call('POST', '/v1/imports?allow_update=false', { body: 'email\nthree@example.com\n', headers: { 'content-type': 'text/csv', 'idempotency-key': 'k1' } });
  assert.equal(otherFile.statusCode, 409);
  assert.equal(second.allow_update, false);
  const page = await beckon.call('GET', '/v1/imports?limit=1');
  assert.equal(page.statusCode, 200);
  assert.deepEqual(page.json().imports.map((i: { uuid: string }) => i.uuid), [second.uuid]);
  const next = await beckon.call('GET', `/v1/imports?limit=1&cursor=${page.json().meta.next_cursor}`);
  assert.deepEqual(next.json().imports.map((i: { uuid: string }) => i.uuid), [first.uuid]);
  assert.equal(next.json().meta.next_cursor, null);

  const otherKey = await beckon.newWorkspace('other');
  assert.equal((await beckon.call('GET', `/v1/imports/${first.uuid}`, { key: otherKey })).statusCode, 404);
  assert.deepEqual((await beckon.call('GET', '/v1/imports', { key: otherKey })).json().imports, []);
  const theirs = await finished(beckon, (await upload(beckon, 'email\none@example.com\n', 'text/csv', '', otherKey)).json().import.uuid, otherKey);
  assert.equal(theirs.inserted, 1);
  await finished(beckon, first.uuid);
  assert.equal((await beckon.call('GET', '/v1/contacts?email=one@example.com')).json().contacts.length, 1);
  await finished(beckon, second.uuid);
  await waitFor('every stored file to be removed', async () => stored().length === 0);
});
