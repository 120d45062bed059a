import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI, ROOT, cleanEnv, runCli as run } from './cli-helpers.ts';
import { createTestDatabase, TEST_DATABASE_URL } from './helpers.ts';

/** Starts `beckon start` and resolves once it logged that it is ready, with its URL and everything it printed so far. */
function startServer(args: string[], env: Record<string, string> = {}): Promise<{ child: ChildProcess; url: string; stdout: () => string; exit: Promise<number | null> }> {
  return new Promise((ready, fail) => {
    const child = spawn(process.execPath, [...CLI, 'start', '--port', '0', ...args], { cwd: ROOT, env: cleanEnv(env) });
    let stdout = '';
    let stderr = '';
    const exit = new Promise<number | null>((done) => child.on('close', done));
    child.stderr!.on('data', (chunk) => (stderr += chunk));
    child.stdout!.on('data', (chunk) => {
      stdout += chunk;
      for (const line of stdout.split('\n')) {
        if (!line.startsWith('{')) continue;
        const entry = JSON.parse(line);
        if (entry.msg === 'beckon is ready') ready({ child, url: entry.url, stdout: () => stdout, exit });
      }
    });
    void exit.then((code) => fail(new Error(`beckon start exited with ${code}: ${stderr}${stdout}`)));
  });
}

async function me(url: string, key: string): Promise<{ status: number; body: any }> {
  const res = await fetch(`${url}/v1/auth/me`, { headers: { authorization: `Bearer ${key}` } });
  return { status: res.status, body: await res.json() };
}

function tempDir(t: { after: (fn: () => void) => void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'beckon-cli-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A data directory, and on the PostgreSQL suite a fresh database named by `env` (DATABASE_URL), both removed after the test. */
async function tempStore(t: { after: (fn: () => void | Promise<void>) => void }): Promise<{ data: string; env: Record<string, string> }> {
  const data = tempDir(t);
  if (!TEST_DATABASE_URL) return { data, env: {} };
  const database = await createTestDatabase();
  t.after(() => database.drop());
  return { data, env: { DATABASE_URL: database.url } };
}

test('cli: --help and unknown commands', async () => {
  const help = await run(['--help']);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /beckon start \[--port N\] \[--host H\] \[--data DIR\]/);
  assert.match(help.stdout, /BECKON_WEBHOOK_ALLOW_PRIVATE/);
  const unknown = await run(['launch']);
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /unknown command "launch"/);
  const badFlag = await run(['start', '--colour']);
  assert.equal(badFlag.code, 2);
  assert.match(badFlag.stderr, /--colour/);
});

test('cli: a bad configuration value exits 2 naming the variable (every variable: system-config.test.ts)', async (t) => {
  const data = tempDir(t);
  const cases: [string[], Record<string, string>, RegExp][] = [
    [['start', '--data', data], { BECKON_PORT: 'abc' }, /BECKON_PORT/],
    [['start', '--data', data, '--port', '70000'], {}, /--port/],
    [['start', '--data', data], { BECKON_LOG_LEVEL: 'loud' }, /BECKON_LOG_LEVEL/],
    [['keys', 'create', '--data', data, '--workspace', 'default', '--name', 'x', '--scopes', 'root'], {}, /unknown scope "root"/],
  ];
  for (const [args, env, message] of cases) {
    const res = await run(args, env);
    assert.equal(res.code, 2, `${args.join(' ')} ${JSON.stringify(env)}: ${res.stderr}`);
    assert.match(res.stderr, message);
    assert.equal(res.stdout, '');
  }
});

test('cli: migrate is idempotent; workspaces create and keys create print one key that authenticates', async (t) => {
  const { data, env } = await tempStore(t);
  // on PostgreSQL the first command names the database with the flag, the others with DATABASE_URL
  const first = await run(['migrate', '--data', data, ...(env.DATABASE_URL ? ['--database-url', env.DATABASE_URL] : [])]);
  assert.equal(first.code, 0, first.stderr);
  assert.match(first.stdout, /^applied: 0001_core, /);
  const second = await run(['migrate'], { BECKON_DATA_DIR: data, ...env });
  assert.equal(second.code, 0);
  assert.equal(second.stdout, 'schema is up to date\n');

  const ws = await run(['workspaces', 'create', 'acme', '--data', data], env);
  assert.equal(ws.code, 0, ws.stderr);
  assert.match(ws.stdout, /^bk_\S+\n$/);
  const adminKey = ws.stdout.trim();
  const dup = await run(['workspaces', 'create', 'acme', '--data', data], env);
  assert.equal(dup.code, 2);
  assert.match(dup.stderr, /already exists/);

  const key = await run(['keys', 'create', '--workspace', 'acme', '--name', 'reporting', '--scopes', 'read', '--data', data], env);
  assert.equal(key.code, 0, key.stderr);
  assert.match(key.stdout, /^bk_\S+\n$/);
  const readKey = key.stdout.trim();
  const missing = await run(['keys', 'create', '--workspace', 'nope', '--name', 'x', '--data', data], env);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /no workspace named "nope"/);

  const server = await startServer(['--data', data], env);
  t.after(() => server.child.kill('SIGKILL'));
  assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+$/);
  assert.doesNotMatch(server.url, /:0$/);
  const admin = await me(server.url, adminKey);
  assert.equal(admin.status, 200);
  assert.deepEqual([admin.body.workspace.name, admin.body.api_key.scopes], ['acme', ['admin']]);
  const reader = await me(server.url, readKey);
  assert.deepEqual([reader.body.workspace.name, reader.body.api_key.scopes], ['acme', ['read']]);
  const forbidden = await fetch(`${server.url}/v1/api_keys`, { headers: { authorization: `Bearer ${readKey}` } });
  assert.equal(forbidden.status, 403);
  server.child.kill('SIGTERM');
  assert.equal(await server.exit, 0);
});

test('cli: start prints the admin key on the first start only; SIGTERM exits 0', async (t) => {
  const { data, env } = await tempStore(t);
  const first = await startServer(['--data', data], env);
  t.after(() => first.child.kill('SIGKILL'));
  const printed = /Admin API key \(shown once, keep it\): (bk_\S+)/.exec(first.stdout());
  assert.ok(printed, first.stdout());
  assert.equal((await me(first.url, printed[1])).body.workspace.name, 'default');
  assert.equal((await fetch(`${first.url}/healthz`)).status, 200);
  first.child.kill('SIGTERM');
  assert.equal(await first.exit, 0);
  assert.match(first.stdout(), /"msg":"draining in-flight work"/);

  const second = await startServer([], { BECKON_DATA_DIR: data, ...env });
  t.after(() => second.child.kill('SIGKILL'));
  assert.doesNotMatch(second.stdout(), /Admin API key/);
  assert.equal((await me(second.url, printed[1])).status, 200);
  second.child.kill('SIGTERM');
  assert.equal(await second.exit, 0);
});
