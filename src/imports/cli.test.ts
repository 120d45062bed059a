import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../test/cli-helpers.ts';
import { createTestDatabase, TEST_DATABASE_URL } from '../../test/helpers.ts';

// On the PostgreSQL suite every command of a test names its own fresh database with DATABASE_URL.
let storeEnv: Record<string, string> = {};
const run = (args: string[]) => runCli(args, { BECKON_LOG_LEVEL: 'silent', ...storeEnv });

test('beckon import contacts FILE --workspace NAME --map …: imports with a progress bar on stderr, a summary on stdout; keeps the file', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'beckon-cli-import-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  if (TEST_DATABASE_URL) {
    const database = await createTestDatabase();
    t.after(() => database.drop());
    storeEnv = { DATABASE_URL: database.url };
  }
  const data = join(dir, 'data');
  assert.equal((await run(['workspaces', 'create', 'acme', '--data', data])).code, 0);
  const file = join(dir, 'people.csv');
  writeFileSync(file, 'Name,Mail,Ignored\nAnn,ann@example.com,x\nBob,not-an-email,y\nCarl,carl@example.com,z\n');

  const first = await run(['import', 'contacts', file, '--workspace', 'acme', '--map', 'Mail=email,Ignored=-', '--data', data]);
  assert.equal(first.code, 0, first.stderr);
  assert.match(first.stdout, /^imported .*people\.csv: 3 rows, 2 inserted, 0 updated, 0 unchanged, 0 skipped, 1 failed \(import [0-9a-f-]{36}\)\n  line 3: line\.3\.email: "not-an-email" is not a valid email address\n$/);
  assert.ok(first.stderr.includes('\r[##############################] 100% 3 rows: 2 inserted, 0 updated, 1 failed\n'), first.stderr);
  assert.ok(existsSync(file));

  writeFileSync(file, 'Name,Mail\nAnn B,ann@example.com\nCarl,carl@example.com\n');
  const second = await run(['import', 'contacts', file, '--workspace', 'acme', '--map', 'Mail=email', '--data', data]);
  assert.match(second.stdout, /: 2 rows, 0 inserted, 1 updated, 1 unchanged, 0 skipped, 0 failed /);

  const unknown = await run(['import', 'contacts', file, '--workspace', 'nope', '--data', data]);
  assert.deepEqual([unknown.code, unknown.stderr], [2, 'beckon: no workspace named "nope"\n']);
  const badMap = await run(['import', 'contacts', file, '--workspace', 'acme', '--map', 'Mail=colour', '--data', data]);
  assert.equal(badMap.code, 2);
  assert.match(badMap.stderr, /^beckon: "Mail=colour" is not column=field/);
  const missing = await run(['import', 'contacts', join(dir, 'none.csv'), '--workspace', 'acme', '--data', data]);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /cannot read .*none\.csv/);
});
