// `npm test`: type-check, the whole suite on SQLite, then the whole suite again on PostgreSQL when
// BECKON_TEST_DATABASE_URL is set or a server answers on 127.0.0.1:5432 (BECKON_TEST_DATABASE_URL=off skips it).
// The two passes run side by side (most tests wait on timers, sockets and the database rather than the CPU): the
// SQLite pass prints as it goes, the PostgreSQL pass's output follows once it ends. BECKON_TEST_SERIAL=1 runs them one
// after the other. Arguments after `npm test --` go to both `node --test` runs: flags (e.g. --test-only), and files
// instead of the whole suite.
import { spawn } from 'node:child_process';
import { createConnection } from 'node:net';
import { resolve } from 'node:path';
import pg from 'pg';

const ROOT = resolve(import.meta.dirname, '..');
const DEFAULT_URL = 'postgres://postgres@127.0.0.1:5432/postgres';
const FILES = ['src/**/*.test.ts', 'test/**/*.test.ts'];

/** Runs a command with its output on the terminal; resolves true when it exited 0. */
function run(label: string, command: string, args: string[], env: NodeJS.ProcessEnv): Promise<boolean> {
  process.stdout.write(`\n== ${label}\n`);
  return new Promise((done) => {
    const child = spawn(command, args, { cwd: ROOT, env, stdio: 'inherit' });
    child.on('close', (code) => done(code === 0));
  });
}

/** Runs a pass in the background with its output kept, to print once it ends; resolves true when it passed. */
function runBuffered(label: string, command: string, args: string[], env: NodeJS.ProcessEnv): Promise<boolean> {
  return new Promise((done) => {
    const chunks: Buffer[] = [];
    const child = spawn(command, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.on('close', (code) => {
      process.stdout.write(`\n== ${label}\n`);
      process.stdout.write(Buffer.concat(chunks));
      done(code === 0);
    });
  });
}

function answers(host: string, port: number): Promise<boolean> {
  return new Promise((done) => {
    const socket = createConnection({ host, port });
    const finish = (ok: boolean) => {
      socket.destroy();
      done(ok);
    };
    socket.setTimeout(1000, () => finish(false));
    socket.once('connect', () => finish(true));
    socket.once('error', () => finish(false));
  });
}

/** The server URL of the PostgreSQL suite, null to skip it, or an Error saying why it cannot run. */
async function postgresUrl(): Promise<string | null | Error> {
  const given = process.env.BECKON_TEST_DATABASE_URL;
  if (given === 'off') return null;
  if (!given && !(await answers('127.0.0.1', 5432))) return null;
  const url = given || DEFAULT_URL;
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
    await client.query('select 1');
    return url;
  } catch (err) {
    return new Error(`PostgreSQL at ${url} refused the test suite (${(err as Error).message}): set BECKON_TEST_DATABASE_URL to a server URL whose user may create databases, or to "off"`);
  } finally {
    await client.end().catch(() => {});
  }
}

const node = process.execPath;
const flags = process.argv.slice(2).filter((arg) => arg.startsWith('-'));
const files = process.argv.slice(2).filter((arg) => !arg.startsWith('-'));
const testArgs = ['--disable-warning=ExperimentalWarning', '--test', '--test-concurrency=2', '--test-timeout=120000', ...flags, ...(files.length > 0 ? files : FILES)];
const results: [string, boolean | 'skipped' | string][] = [];

const typecheck = await run('type-check (tsc --noEmit)', node, [resolve(ROOT, 'node_modules/typescript/bin/tsc'), '--noEmit'], process.env);
results.push(['type-check', typecheck]);
// the web app: type-checked as the browser sees it, and built into web/dist when stale (the browser tests and
// every test starting Beckon serve it)
results.push(['web app type-check', await run('web app type-check (tsc -p web/tsconfig.json)', node, [resolve(ROOT, 'node_modules/typescript/bin/tsc'), '-p', resolve(ROOT, 'web/tsconfig.json')], process.env)]);
results.push(['web app build', await run('web app build (scripts/web.ts, when web/dist is stale)', node, [resolve(ROOT, 'scripts/web.ts')], process.env)]);

// Every test file is its own process that loads the whole app: Node's compile cache (kept under node_modules/.cache)
// lets the processes after the first reuse V8's compiled code instead of compiling every module again.
const testEnv: NodeJS.ProcessEnv = { ...process.env, NODE_COMPILE_CACHE: process.env.NODE_COMPILE_CACHE ?? resolve(ROOT, 'node_modules/.cache/beckon-test-compile') };
const sqliteEnv = { ...testEnv };
delete sqliteEnv.BECKON_TEST_DATABASE_URL;
const url = await postgresUrl();
const pgLabel = `suite on PostgreSQL (${url}, a database per test)`;
const pgEnv = { ...testEnv, BECKON_TEST_DATABASE_URL: url as string };
if (typeof url === 'string' && process.env.BECKON_TEST_SERIAL !== '1') {
  const postgres = runBuffered(pgLabel, node, testArgs, pgEnv);
  results.push(['suite on SQLite', await run('suite on SQLite (the PostgreSQL pass runs alongside; its output follows)', node, testArgs, sqliteEnv)]);
  results.push(['suite on PostgreSQL', await postgres]);
} else {
  results.push(['suite on SQLite', await run('suite on SQLite', node, testArgs, sqliteEnv)]);
  if (url instanceof Error) results.push(['suite on PostgreSQL', url.message]);
  else if (url === null) results.push(['suite on PostgreSQL', 'skipped']);
  else results.push(['suite on PostgreSQL', await run(pgLabel, node, testArgs, pgEnv)]);
}

process.stdout.write('\n== summary\n');
for (const [label, outcome] of results) {
  const text = outcome === true ? 'passed' : outcome === false ? 'FAILED' : outcome === 'skipped' ? 'skipped (no server on 127.0.0.1:5432 and no BECKON_TEST_DATABASE_URL)' : `FAILED: ${outcome}`;
  process.stdout.write(`${label}: ${text}\n`);
}
process.exit(results.every(([, outcome]) => outcome === true || outcome === 'skipped') ? 0 : 1);
