import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { once } from 'node:events';
import { startBeckon } from '../../test/helpers.ts';
import { runImport, type ImportProgress } from './runner.ts';
import { insertImport } from './queries.ts';
import { newImportRow } from './service.ts';

const OPTIONS = { allowInsert: true, allowUpdate: true, skipDuplicates: false };

async function writeCsv(file: string, rows: number, line: (i: number) => string): Promise<void> {
  const out = createWriteStream(file);
  out.write('Name,E-mail,plan\n');
  for (let i = 0; i < rows; i++) if (!out.write(line(i) + '\n')) await once(out, 'drain');
  out.end();
  await once(out, 'finish');
}

test('an import stopped after a committed batch resumes from it: every row once, counts continue', async (t) => {
  const beckon = await startBeckon({}, { worker: false });
  t.after(() => beckon.stop());
  const { db } = beckon.runtime.deps;
  const file = join(beckon.dataDir, 'resume.csv');
  await writeCsv(file, 2500, (i) => `C${i},c${i}@example.com,${i % 2 ? 'pro' : 'free'}`);
  const workspaceId = (await db.selectFrom('workspaces').select('id').executeTakeFirstOrThrow()).id;
  const row = newImportRow(workspaceId, file, 'csv', { 'E-mail': 'email', Name: 'name', plan: 'custom_fields.plan' }, OPTIONS);
  await insertImport(db, row);

  assert.equal(await runImport(db, beckon.runtime.deps, row.id, { sliceMs: 0 }), 'more');
  const partial = (await beckon.call('GET', `/v1/imports/${row.id}`)).json().import;
  assert.deepEqual([partial.status, partial.processed, partial.inserted, partial.completed_at], ['running', 1000, 1000, null]);

  assert.equal(await runImport(db, beckon.runtime.deps, row.id), 'done');
  const done = (await beckon.call('GET', `/v1/imports/${row.id}`)).json().import;
  assert.deepEqual([done.status, done.processed, done.inserted, done.updated, done.failed], ['completed', 2500, 2500, 0, 0]);
  const count = await db.selectFrom('contacts').select((eb) => eb.fn.countAll<number>().as('n')).where('workspace_id', '=', workspaceId).executeTakeFirstOrThrow();
  assert.equal(Number(count.n), 2500);
  assert.equal(await runImport(db, beckon.runtime.deps, row.id), 'done');
  assert.equal((await beckon.call('GET', `/v1/imports/${row.id}`)).json().import.processed, 2500);
});

// About 5 statements per row: in-process SQLite takes ~1 min on a busy machine, PostgreSQL (a round trip each) ~2-3 min.
test('a 50,000-row CSV streams through in batches: counts, first errors, progress per batch', { timeout: 400_000 }, async (t) => {
  const beckon = await startBeckon({}, { worker: false });
  t.after(() => beckon.stop());
  const { db } = beckon.runtime.deps;
  const file = join(beckon.dataDir, 'large.csv');
  const rows = 50_000;
  // every 5,000th row has an invalid email (10 rows); rows 49,990 to 49,998 repeat earlier emails (9 updates)
  await writeCsv(file, rows, (i) => (i % 5000 === 4999 ? `Bad ${i},not-an-email,free` : i >= 49_990 ? `Again ${i},c${i - 49_990}@example.com,pro` : `C${i},c${i}@example.com,free`));
  const workspaceId = (await db.selectFrom('workspaces').select('id').executeTakeFirstOrThrow()).id;
  const row = newImportRow(workspaceId, file, 'csv', { 'E-mail': 'email', Name: 'name', plan: 'custom_fields.plan' }, OPTIONS);
  await insertImport(db, row);
  const progress: ImportProgress[] = [];
  assert.equal(await runImport(db, beckon.runtime.deps, row.id, { onProgress: (p) => progress.push(p) }), 'done');
  assert.equal(progress.length, 50);
  assert.deepEqual(progress.map((p) => p.rowsDone), Array.from({ length: 50 }, (_, i) => (i + 1) * 1000));
  const done = (await beckon.call('GET', `/v1/imports/${row.id}`)).json().import;
  assert.deepEqual([done.status, done.processed, done.inserted, done.updated, done.failed], ['completed', 50_000, 49_981, 9, 10]);
  assert.deepEqual(done.errors.map((e: { line: number }) => e.line), Array.from({ length: 10 }, (_, i) => 5000 * (i + 1) + 1));
  const count = await db.selectFrom('contacts').select((eb) => eb.fn.countAll<number>().as('n')).where('workspace_id', '=', workspaceId).executeTakeFirstOrThrow();
  assert.equal(Number(count.n), 49_981);
  assert.equal((await beckon.call('GET', '/v1/contacts?email=c3@example.com')).json().contacts[0].custom_fields.plan, 'pro');
});
