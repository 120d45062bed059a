import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI, ROOT, cleanEnv, runCli as run } from './cli-helpers.ts';
import { createTestDatabase, TEST_DATABASE_URL } from './helpers.ts';

/** Runs `beckon start` until it is ready; answers its URL, what it printed, and a stop function. */
function startServer(args: string[], env: Record<string, string>): Promise<{ url: string; stdout: string; stop(): Promise<void> }> {
  return new Promise((ready, fail) => {
    const child = spawn(process.execPath, [...CLI, 'start', '--port', '0', ...args], { cwd: ROOT, env: cleanEnv(env) });
    let stdout = '';
    const exit = new Promise<void>((done) => child.on('close', () => done()));
    child.stdout!.on('data', (chunk) => {
      stdout += chunk;
      for (const line of stdout.split('\n')) {
        if (line.startsWith('{') && JSON.parse(line).msg === 'beckon is ready') {
          ready({ url: JSON.parse(line).url, stdout, stop: () => (child.kill('SIGTERM'), exit) });
        }
      }
    });
    void exit.then(() => fail(new Error(`beckon start exited: ${stdout}`)));
  });
}

test('cli: the first start prints the first admin\'s link; users create makes users who sign in', async (t) => {
  const data = mkdtempSync(join(tmpdir(), 'beckon-cli-users-'));
  t.after(() => rmSync(data, { recursive: true, force: true }));
  const env: Record<string, string> = { BECKON_PUBLIC_URL: 'https://beckon.example.com' };
  if (TEST_DATABASE_URL) {
    const database = await createTestDatabase();
    t.after(() => database.drop());
    env.DATABASE_URL = database.url;
  }
  const first = await startServer(['--data', data], env);
  const link = /First admin user: open this one-time link to choose your email and password \(valid 72 h\):\n(https:\/\/beckon\.example\.com\/invite\/\S+)\n/.exec(first.stdout);
  assert.ok(link, first.stdout);
  const accepted = await fetch(`${first.url}/v1/auth/invitations/accept`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ token: link[1].split('/invite/')[1], password: 'first admin pass', email: 'root@example.com', name: 'Root' }),
  });
  assert.equal(accepted.status, 200);
  await first.stop();

  const withPassword = await run(['users', 'create', '--data', data, '--email', 'Kim@Example.com', '--name', 'Kim', '--role', 'agent', '--password', 'kim password'], env);
  assert.equal(withPassword.code, 0, withPassword.stderr);
  assert.match(withPassword.stdout, /^[0-9a-f-]{36}\n$/);
  const invited = await run(['users', 'create', '--data', data, '--email', 'lee@example.com', '--name', 'Lee', '--role', 'admin'], env);
  assert.equal(invited.code, 0, invited.stderr);
  assert.match(invited.stdout, /^[0-9a-f-]{36}\ninvitation link \(valid until \S+\): https:\/\/beckon\.example\.com\/invite\/[A-Za-z0-9_-]+\n$/);
  const dup = await run(['users', 'create', '--data', data, '--email', 'kim@example.com', '--name', 'Kim 2'], env);
  assert.equal(dup.code, 2);
  assert.match(dup.stderr, /a user with the email kim@example.com already exists/);
  const badRole = await run(['users', 'create', '--data', data, '--email', 'x@example.com', '--name', 'X', '--role', 'owner'], env);
  assert.equal(badRole.code, 2);
  assert.match(badRole.stderr, /--role must be admin or agent, got "owner"/);

  const second = await startServer(['--data', data], env);
  t.after(() => second.stop());
  assert.doesNotMatch(second.stdout, /First admin user/);
  const login = await fetch(`${second.url}/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'kim@example.com', password: 'kim password' }) });
  assert.equal(login.status, 200);
  const body = await login.json() as { user: { role: string; uuid: string } };
  assert.equal(body.user.role, 'agent');
  assert.equal(body.user.uuid, withPassword.stdout.trim());
});
