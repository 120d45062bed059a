import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MALLOC_ARENAS, memoryRelaunch, SEMI_SPACE_MB } from '../bin/memory.mjs';
import { ROOT, cleanEnv } from './cli-helpers.ts';

const FLAG = `--max-semi-space-size=${SEMI_SPACE_MB}`;

/** A process as memoryRelaunch reads it: run as `node [execArgv] /app/bin/beckon.mjs ...args`. */
function proc(args: string[], options: { execArgv?: string[]; env?: Record<string, string>; execve?: boolean; platform?: string } = {}) {
  return {
    argv: ['/usr/bin/node', '/app/bin/beckon.mjs', ...args],
    execArgv: options.execArgv ?? ['--disable-warning=ExperimentalWarning'],
    execPath: '/usr/bin/node',
    platform: options.platform ?? 'linux',
    env: options.env ?? { PATH: '/usr/bin' },
    execve: options.execve === false ? undefined : () => {},
  };
}

test('start and import relaunch with the semi-space cap and a bound on malloc arenas, keeping their flags and arguments', () => {
  for (const args of [['start', '--port', '3000'], ['import', 'contacts', 'a.csv', '--workspace', 'w']]) {
    assert.deepEqual(memoryRelaunch(proc(args)), {
      file: '/usr/bin/node',
      args: ['/usr/bin/node', '--disable-warning=ExperimentalWarning', FLAG, '/app/bin/beckon.mjs', ...args],
      env: { PATH: '/usr/bin', MALLOC_ARENA_MAX: MALLOC_ARENAS },
    });
  }
});

test('the relaunched process, short commands, Node without execve and Windows run as they are', () => {
  assert.equal(memoryRelaunch(proc(['start'], { execArgv: [FLAG], env: { MALLOC_ARENA_MAX: '2' } })), null);
  for (const command of [[], ['--help'], ['migrate'], ['keys', 'create'], ['backup', 'x.db']]) assert.equal(memoryRelaunch(proc(command)), null);
  assert.equal(memoryRelaunch(proc(['start'], { execve: false })), null);
  assert.equal(memoryRelaunch(proc(['start'], { platform: 'win32' })), null);
});

test("the operator's own settings win: a semi-space flag (command line or NODE_OPTIONS) and MALLOC_ARENA_MAX are kept", () => {
  assert.deepEqual(memoryRelaunch(proc(['start'], { execArgv: ['--max-semi-space-size=32'] }))?.args, ['/usr/bin/node', '--max-semi-space-size=32', '/app/bin/beckon.mjs', 'start']);
  const viaOptions = memoryRelaunch(proc(['start'], { execArgv: [], env: { NODE_OPTIONS: '--max-semi-space-size=4' } }));
  assert.deepEqual(viaOptions, { file: '/usr/bin/node', args: ['/usr/bin/node', '/app/bin/beckon.mjs', 'start'], env: { NODE_OPTIONS: '--max-semi-space-size=4', MALLOC_ARENA_MAX: MALLOC_ARENAS } });
  assert.deepEqual(memoryRelaunch(proc(['start'], { execArgv: [], env: { MALLOC_ARENA_MAX: '4' } }))?.env, { MALLOC_ARENA_MAX: '4' });
  assert.equal(memoryRelaunch(proc(['start'], { execArgv: [], env: { MALLOC_ARENA_MAX: '4', NODE_OPTIONS: '--max-semi-space-size=16' } })), null);
});

test('`bin/beckon.mjs start` serves from the same pid, relaunched with the cap and the arenas', { skip: process.platform !== 'linux' && 'reads /proc' }, async (t) => {
  const data = mkdtempSync(join(tmpdir(), 'beckon-bin-'));
  t.after(() => rmSync(data, { recursive: true, force: true }));
  const child = spawn(process.execPath, ['--disable-warning=ExperimentalWarning', 'bin/beckon.mjs', 'start', '--port', '0', '--data', data], { cwd: ROOT, env: cleanEnv() });
  t.after(() => child.kill('SIGKILL'));
  const url = await new Promise<string>((ready, fail) => {
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const line = out.split('\n').find((l) => l.includes('"beckon is ready"'));
      if (line) ready(JSON.parse(line).url);
    });
    child.on('close', (code) => fail(new Error(`beckon exited with ${code}: ${out}`)));
  });
  assert.equal((await fetch(`${url}/readyz`)).status, 200);
  const cmdline = readFileSync(`/proc/${child.pid}/cmdline`, 'utf8').split('\0');
  assert.deepEqual(cmdline.slice(1, 6), ['--disable-warning=ExperimentalWarning', FLAG, join(ROOT, 'bin/beckon.mjs'), 'start', '--port']);
  assert.ok(readFileSync(`/proc/${child.pid}/environ`, 'utf8').split('\0').includes(`MALLOC_ARENA_MAX=${MALLOC_ARENAS}`));
});
