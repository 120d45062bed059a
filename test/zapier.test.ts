import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { startBeckon, type TestBeckon } from './helpers.ts';

const APP = join(import.meta.dirname, '..', 'integrations', 'zapier');

async function listen(beckon: TestBeckon): Promise<string> {
  await beckon.runtime.app.listen({ port: 0, host: '127.0.0.1' });
  const address = beckon.runtime.app.server.address();
  if (!address || typeof address === 'string') throw new Error('no address');
  return `http://127.0.0.1:${address.port}`;
}

/** Runs a command in the Zapier app's folder with this Node; answers its exit code and output. */
function run(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    // the child is a test runner of its own, not a subtest of this one
    const { NODE_TEST_CONTEXT: _context, ...parent } = process.env;
    const child = spawn(process.execPath, args, { cwd: APP, env: { ...parent, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c) => { out += c; });
    child.stderr.on('data', (c) => { out += c; });
    child.on('close', (code) => resolve({ code, out }));
  });
}

test('the Zapier app is installed (root npm ci runs npm ci in integrations/zapier)', () => {
  assert.ok(existsSync(join(APP, 'node_modules', 'zapier-platform-core', 'package.json')), 'run npm ci at the root');
});

test('the Zapier app\'s tests (zapier-platform-core createAppTester) pass against a real Beckon on loopback', async (t) => {
  const beckon = await startBeckon();
  t.after(() => beckon.stop());
  const base = await listen(beckon);
  const { code, out } = await run(['--test', '--test-reporter=spec', '--test-concurrency=1', 'test/*.test.js'], { BECKON_URL: base, BECKON_KEY: beckon.key, NODE_ENV: 'test' });
  assert.equal(code, 0, out);
  assert.match(out, /ℹ fail 0/);
});

test('zapier validate --without-style (zapier-platform-cli, offline part) finds no errors', async () => {
  const { code, out } = await run(['node_modules/zapier-platform-cli/src/bin/run', 'validate', '--without-style'], { DISABLE_ZAPIER_ANALYTICS: '1' });
  assert.equal(code, 0, out);
  assert.match(out, /This project is structurally sound!/);
});
