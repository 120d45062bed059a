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
const [dataDir, uses] = process.argv.slice(1);
const root = ${JSON.stringify(ROOT.href)};
const { loadConfig } = await import(new URL('src/config.ts', root));
const { startRuntime } = await import(new URL('src/runtime.ts', root));
const runtime = await startRuntime(loadConfig({ BECKON_LOG_LEVEL: 'silent' }, { data: dataDir }));
await runtime.app.ready();
// an idle process answers its probes
const statuses = { readyz: (await runtime.app.inject({ method: 'GET', url: '/readyz' })).statusCode };
const idle = [...loaded];
for (const use of uses.split(',').filter(Boolean)) {
  if (use === 'phone') (await import(new URL('src/lib/phone.ts', root))).normalizePhone('+39 333 123 4567');
  if (use === 'docs') statuses.docs = (await runtime.app.inject({ method: 'GET', url: '/docs' })).statusCode;
  if (use === 'event') statuses.event = (await import(new URL('src/custom-events/check.ts', root))).checkEvent({}, 0, 'body').status;
  if (use === 'query' || use === 'list') {
    const url = use === 'query' ? '/v1/contacts?limit=0' : '/v1/contacts?limit=1';
    statuses[use] = (await runtime.app.inject({ method: 'GET', url, headers: { authorization: 'Bearer ' + runtime.createdKey } })).statusCode;
  }
}
await runtime.stop();
console.log(JSON.stringify({ idle, after: [...loaded], statuses }));
`;

/**
 * Packages a process needs only for PostgreSQL, a provider or transport, or a feature's first use: the reference UI
 * (/docs), and Ajv and Fastify's fast-json-stringify compiler, which compile a route's schemas on its first request (the
 * probes have none; Fastify itself loads two files of fast-json-stringify, so that package is not one of these).
 */
const DEFERRED = ['pg', 'graphile-worker', 'nodemailer', 'undici', 'liquidjs', 'html-to-text', 'csv-stringify', 'libphonenumber-js',
  '@fastify/swagger-ui', '@fastify/static', 'ajv', '@fastify/ajv-compiler', '@fastify/fast-json-stringify-compiler'];

/** TypeBox's compiler (and the schema engine and value operations it brings): only the batch and custom-event checks use it. */
const TYPEBOX_COMPILER = /\/node_modules\/typebox\/build\/(compile|value)\//;

function packagesOf(urls: string[]): Set<string> {
  return new Set(urls.flatMap((url) => /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url)?.[1] ?? []));
}

interface ChildRun {
  idle: Set<string>;
  after: Set<string>;
  /** Whether a TypeBox compiler file was loaded: at start, and by the end. */
  compilerIdle: boolean;
  compilerAfter: boolean;
  statuses: Record<string, number | string>;
}

async function runChild(uses: string[]): Promise<ChildRun> {
  const dataDir = mkdtempSync(join(tmpdir(), 'beckon-modules-'));
  try {
    const { stdout } = await promisify(execFile)(process.execPath, ['--disable-warning=ExperimentalWarning', '--input-type=module', '-e', CHILD, dataDir, uses.join(',')], { cwd: ROOT, env: { PATH: process.env.PATH ?? '' } });
    const { idle, after, statuses } = JSON.parse(stdout.trim().split('\n').at(-1)!) as { idle: string[]; after: string[]; statuses: ChildRun['statuses'] };
    return {
      idle: packagesOf(idle), after: packagesOf(after), statuses,
      compilerIdle: idle.some((url) => TYPEBOX_COMPILER.test(url)), compilerAfter: after.some((url) => TYPEBOX_COMPILER.test(url)),
    };
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

test('a process on the embedded store starts and answers its probes without the PostgreSQL, provider and first-use packages; they load when used', async () => {
  const run = await runChild(['phone', 'docs', 'event', 'query', 'list']);
  assert.deepEqual(run.statuses, { readyz: 200, docs: 200, event: 400, query: 400, list: 200 });
  // the hook sees what the runtime does load
  for (const name of ['fastify', 'kysely', 'typebox', '@fastify/swagger']) assert.ok(run.idle.has(name), `${name} is loaded at start`);
  assert.deepEqual(DEFERRED.filter((name) => run.idle.has(name)), []);
  assert.equal(run.compilerIdle, false, 'typebox/compile or typebox/value is loaded at start');
  assert.ok(run.after.has('libphonenumber-js'), 'the first phone number loads libphonenumber-js');
  for (const name of ['@fastify/swagger-ui', '@fastify/static']) assert.ok(run.after.has(name), `the first /docs loads ${name}`);
  for (const name of ['ajv', '@fastify/ajv-compiler']) assert.ok(run.after.has(name), `the first request with a query schema loads ${name}`);
  assert.ok(run.after.has('@fastify/fast-json-stringify-compiler'), 'the first answer with a response schema loads the serializer compiler');
  assert.equal(run.compilerAfter, true, 'the first custom-event check loads typebox/compile');
});
