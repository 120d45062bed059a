import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { DatabaseSync } from 'node:sqlite';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { CLI, ROOT, cleanEnv, runCli } from './cli-helpers.ts';
import { sqliteOnly } from './helpers.ts';
import { loadConfig } from '../src/config.ts';
import { startRuntime } from '../src/runtime.ts';

function tempDir(t: { after: (fn: () => void) => void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'beckon-backup-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Starts `beckon start` on `data` and resolves with its URL once it logged that it is ready. */
function startServer(data: string, env: Record<string, string>): Promise<{ child: ChildProcess; url: string; exit: Promise<number | null> }> {
  return new Promise((ready, fail) => {
    const child = spawn(process.execPath, [...CLI, 'start', '--port', '0', '--data', data], { cwd: ROOT, env: cleanEnv(env) });
    let stdout = '';
    let stderr = '';
    const exit = new Promise<number | null>((done) => child.on('close', done));
    child.stderr!.on('data', (chunk) => (stderr += chunk));
    child.stdout!.on('data', (chunk) => {
      stdout += chunk;
      for (const line of stdout.split('\n')) {
        if (line.startsWith('{') && JSON.parse(line).msg === 'beckon is ready') ready({ child, url: JSON.parse(line).url, exit });
      }
    });
    void exit.then((code) => fail(new Error(`beckon start exited with ${code}: ${stderr}${stdout}`)));
  });
}

/** A migrated, stopped store in a new data directory, and a backup of it. */
async function storeAndBackup(t: { after: (fn: () => void) => void }): Promise<{ dir: string; data: string; backup: string }> {
  const dir = tempDir(t);
  const data = join(dir, 'data');
  // a workspace with its default sandbox channel (the schema alone has no rows)
  assert.equal((await runCli(['workspaces', 'create', 'acme', '--data', data])).code, 0);
  const backup = join(dir, 'store.backup');
  const made = await runCli(['backup', backup, '--data', data]);
  assert.equal(made.code, 0, made.stderr);
  return { dir, data, backup };
}

test('backup: taken under write load, restored into a new data directory, holds every message and contact accepted before it began', sqliteOnly, async (t) => {
  const dir = tempDir(t);
  const data = join(dir, 'data');
  const key = 'bk_backup_test_' + Math.random().toString(36).slice(2);
  const server = await startServer(data, { BECKON_BOOTSTRAP_KEY: key, BECKON_SANDBOX_DELAYS: '0,0,0' });
  t.after(() => {
    if (server.child.exitCode === null) server.child.kill('SIGKILL');
  });
  const headers = { authorization: `Bearer ${key}`, 'content-type': 'application/json' };
  const accepted: { message: string; to: string }[] = [];
  let next = 0;
  let loading = true;
  const sender = async () => {
    while (loading) {
      const to = `+39333${String(1_000_000 + next++)}`;
      const res = await fetch(`${server.url}/v1/messages/send`, { method: 'POST', headers, body: JSON.stringify({ to, from: 'whatsapp', type: 'text', content: { text: `hello ${to}` } }) });
      assert.equal(res.status, 200, await res.clone().text());
      accepted.push({ message: ((await res.json()) as { message: { uuid: string } }).message.uuid, to });
    }
  };
  const senders = Array.from({ length: 6 }, sender);
  while (accepted.length < 60) await new Promise((r) => setTimeout(r, 20));

  // everything answered before the backup starts was committed before it
  const before = [...accepted];
  const file = join(dir, 'beckon.backup');
  const made = await runCli(['backup', file, '--data', data]);
  loading = false;
  await Promise.all(senders);
  assert.equal(made.code, 0, made.stderr);
  assert.match(made.stdout, /backup written: .*beckon\.backup/);
  assert.match(made.stderr, /secret\.key/);
  assert.match(made.stderr, /without that key/);
  assert.ok(accepted.length > before.length, 'no send was accepted while the backup ran');

  // the running store cannot be restored over
  const refused = await runCli(['restore', file, '--data', data]);
  assert.equal(refused.code, 2);
  assert.match(refused.stderr, /has the store .* open: stop Beckon/);

  const restored = join(dir, 'restored');
  const restore = await runCli(['restore', file, '--data', restored]);
  assert.equal(restore.code, 0, restore.stderr);
  assert.match(restore.stdout, /restored .* into .*restored\/beckon\.db/);
  copyFileSync(join(data, 'secret.key'), join(restored, 'secret.key'));
  server.child.kill('SIGTERM');
  assert.equal(await server.exit, 0);

  const config = loadConfig({ BECKON_DATA_DIR: restored, BECKON_LOG_LEVEL: 'silent', BECKON_SANDBOX_DELAYS: '0,0,0' });
  const runtime = await startRuntime(config, { logger: pino({ level: 'silent' }), worker: false });
  t.after(() => runtime.stop());
  assert.equal(runtime.createdKey, null, 'the restored store was taken for a new one');
  const auth = { authorization: `Bearer ${key}` };
  for (const { message, to } of before) {
    const status = await runtime.app.inject({ method: 'GET', url: `/v1/messages/status/${message}`, headers: auth });
    assert.equal(status.statusCode, 200, `message ${message} is missing from the restored store`);
    const contact = await runtime.app.inject({ method: 'GET', url: `/v1/contacts/phone/${encodeURIComponent(to)}`, headers: auth });
    assert.equal(contact.statusCode, 200, `contact ${to} is missing from the restored store`);
  }
  const ready = await runtime.app.inject({ method: 'GET', url: '/readyz' });
  assert.equal(ready.statusCode, 200);

  // restoring over the stopped original keeps it aside, with its WAL
  const over = await runCli(['restore', file, '--data', data]);
  assert.equal(over.code, 0, over.stderr);
  const aside = readdirSync(data).filter((name) => /^beckon-before-restore-\d{8}T\d{6}Z\.db$/.test(name));
  assert.equal(aside.length, 1, readdirSync(data).join(', '));
  const old = new DatabaseSync(join(data, aside[0]), { readOnly: true });
  assert.equal(Number(old.prepare('select count(*) as n from messages').get()!.n), accepted.length);
  old.close();
});

test('backup: restore checks the file and refuses what is not a sound Beckon store of a known schema', async (t) => {
  const { dir, backup } = await storeAndBackup(t);
  const target = join(dir, 'target');
  const refuse = async (file: string, pattern: RegExp) => {
    const result = await runCli(['restore', file, '--data', target]);
    assert.equal(result.code, 2, result.stdout + result.stderr);
    assert.match(result.stderr, pattern);
    assert.equal(existsSync(join(target, 'beckon.db')), false);
  };
  await refuse(join(dir, 'missing.db'), /is not a file/);
  writeFileSync(join(dir, 'text.db'), 'not a database at all, just text\n'.repeat(200));
  await refuse(join(dir, 'text.db'), /not a sound SQLite database/);
  const other = new DatabaseSync(join(dir, 'other.db'));
  other.exec('create table notes (body text)');
  other.close();
  await refuse(join(dir, 'other.db'), /not a Beckon store/);
  const truncated = join(dir, 'truncated.db');
  copyFileSync(backup, truncated);
  truncateSync(truncated, Math.floor(statSync(backup).size / 2));
  await refuse(truncated, /integrity check|not a sound SQLite database|malformed/);
  const newer = join(dir, 'newer.db');
  copyFileSync(backup, newer);
  const db = new DatabaseSync(newer);
  db.prepare('insert into kysely_migration (name, timestamp) values (?, ?)').run('9999_from_the_future', new Date().toISOString());
  db.close();
  await refuse(newer, /newer Beckon .*9999_from_the_future/);

  const ok = await runCli(['restore', backup, '--data', target]);
  assert.equal(ok.code, 0, ok.stderr);
  assert.ok(existsSync(join(target, 'beckon.db')));
});

test('backup: refuses to overwrite a file or to back up a store that does not exist', async (t) => {
  const { dir, data, backup } = await storeAndBackup(t);
  const again = await runCli(['backup', backup, '--data', data]);
  assert.equal(again.code, 2);
  assert.match(again.stderr, /already exists/);
  const none = await runCli(['backup', join(dir, 'x.backup'), '--data', join(dir, 'nothing-here')]);
  assert.equal(none.code, 2);
  assert.match(none.stderr, /no Beckon store at/);
  assert.equal(existsSync(join(dir, 'x.backup')), false);
});

test('backup: restore warns when the configured secret key is not the one that sealed the backup\'s channel secrets', async (t) => {
  const { dir, data } = await storeAndBackup(t);
  const sealed = new DatabaseSync(join(data, 'beckon.db'));
  sealed.prepare("update channels set secrets = 'v1.abcd1234.iv.body.tag' where id = (select min(id) from channels)").run();
  sealed.close();
  const file = join(dir, 'sealed.backup');
  const made = await runCli(['backup', file, '--data', data]);
  assert.equal(made.code, 0, made.stderr);
  assert.match(made.stderr, /sealed with the key id abcd1234/);
  const restored = await runCli(['restore', file, '--data', join(dir, 'fresh')]);
  assert.equal(restored.code, 0, restored.stderr);
  assert.match(restored.stderr, /warning: .*abcd1234.*there is no .*secret\.key/);
});

test('backup: both commands refuse on PostgreSQL, naming pg_dump and PITR, without echoing the URL', async (t) => {
  const dir = tempDir(t);
  const env = { DATABASE_URL: 'postgres://beckon:hunter2@127.0.0.1:1/beckon' };
  for (const command of ['backup', 'restore']) {
    const result = await runCli([command, join(dir, 'file.backup')], env);
    assert.equal(result.code, 2, result.stderr);
    assert.match(result.stderr, new RegExp(`beckon ${command} works on the embedded SQLite store only`));
    assert.match(result.stderr, /pg_dump/);
    assert.match(result.stderr, /PITR/);
    assert.match(result.stderr, /BECKON_SECRET_KEY/);
    assert.doesNotMatch(result.stderr, /hunter2/);
  }
});
