import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const ROOT = new URL('../', import.meta.url);

// Starts the runtime on a fresh SQLite store in a child process (its own module cache) with a load hook that records
// every module loaded, then prints them: before any request (idle), and after the given `use` step.
const CHILD = `
import { registerHooks } from 'node:module';
const loaded = new Set();
registerHooks({ load(url, context, next) { loaded.add(url); return next(url, context); } });
const [dataDir, use] = process.argv.slice(1);
const { loadConfig } = await import(new URL('src/config.ts', ${JSON.stringify(ROOT.href)}));
const { startRuntime } = await import(new URL('src/runtime.ts', ${JSON.stringify(ROOT.href)}));
const runtime = await startRuntime(loadConfig({ BECKON_LOG_LEVEL: 'silent' }, { data: dataDir }));
await runtime.app.ready();
const idle = [...loaded];
if (use === 'phone') (await import(new URL('src/lib/phone.ts', ${JSON.stringify(ROOT.href)}))).normalizePhone('+39 333 123 4567');
await runtime.stop();
console.log(JSON.stringify({ idle, after: [...loaded] }));
`;

/** Packages a process needs only for PostgreSQL, a provider or transport, or a feature's first use. */
const DEFERRED = ['pg', 'graphile-worker', 'nodemailer', 'undici', 'liquidjs', 'html-to-text', 'csv-stringify', 'libphonenumber-js'];

function packagesOf(urls: string[]): Set<string> {
  return new Set(urls.flatMap((url) => /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url)?.[1] ?? []));
}

async function runChild(use: string): Promise<{ idle: Set<string>; after: Set<string> }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'beckon-modules-'));
  try {
    const { stdout } = await promisify(execFile)(process.execPath, ['--disable-warning=ExperimentalWarning', '--input-type=module', '-e', CHILD, dataDir, use], { cwd: ROOT, env: { PATH: process.env.PATH ?? '' } });
    const { idle, after } = JSON.parse(stdout.trim().split('\n').at(-1)!) as { idle: string[]; after: string[] };
    return { idle: packagesOf(idle), after: packagesOf(after) };
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

test('a process on the embedded store starts without the PostgreSQL, provider and first-use packages; they load when used', async () => {
  const { idle, after } = await runChild('phone');
  // the hook sees what the runtime does load
  for (const name of ['fastify', 'kysely', 'typebox']) assert.ok(idle.has(name), `${name} is loaded at start`);
  assert.deepEqual(DEFERRED.filter((name) => idle.has(name)), []);
  assert.ok(after.has('libphonenumber-js'), 'the first phone number loads libphonenumber-js');
});
