import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import pg from 'pg';
import { ConfigError, loadConfig } from '../config.ts';
import { startRuntime, type Runtime } from '../runtime.ts';
import { waitFor } from '../../test/helpers.ts';
import { runCli } from '../../test/cli-helpers.ts';
import { createPgDatabase, pgUnavailable } from '../../test/pg-fresh.ts';
import { openSse } from '../events/sse-client.ts';
import { STREAM_SETTINGS } from '../events/stream.ts';

const skip = (await pgUnavailable()) ?? false;
const KEY = 'bk_test_roles_' + randomBytes(6).toString('hex');

/** Starts processes (runtimes) of the given roles on one fresh PostgreSQL database; all stopped, then the database dropped, after the test. */
async function cluster(t: { after(fn: () => Promise<void>): void }) {
  const { url, drop } = await createPgDatabase('beckon_q');
  const secret = randomBytes(32).toString('base64');
  const runtimes: Runtime[] = [];
  const dirs: string[] = [];
  t.after(async () => {
    for (const runtime of runtimes) await runtime.stop();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
    await drop();
  });
  const start = async (role: 'api' | 'worker' | 'all') => {
    const dataDir = mkdtempSync(join(tmpdir(), `beckon-role-${role}-`));
    dirs.push(dataDir);
    const config = loadConfig({
      DATABASE_URL: url, BECKON_ROLE: role, BECKON_DATA_DIR: dataDir, BECKON_BOOTSTRAP_KEY: KEY, BECKON_SECRET_KEY: secret,
      BECKON_SANDBOX_DELAYS: '0,0,0', BECKON_LOG_LEVEL: 'silent',
    });
    const runtime = await startRuntime(config, { logger: pino({ level: 'silent' }) });
    runtimes.push(runtime);
    return runtime;
  };
  const sql = async (text: string, values: unknown[] = []) => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      return (await client.query(text, values)).rows;
    } finally {
      await client.end();
    }
  };
  return { url, start, sql };
}

function call(runtime: Runtime, method: 'GET' | 'POST', url: string, body?: unknown) {
  return runtime.app.inject({ method, url, headers: { authorization: `Bearer ${KEY}` }, ...(body === undefined ? {} : { payload: body as object }) });
}

test('on SQLite only role all is accepted: api and worker need DATABASE_URL', async () => {
  assert.equal(loadConfig({}).role, 'all');
  assert.equal(loadConfig({ BECKON_ROLE: 'all' }).role, 'all');
  assert.throws(() => loadConfig({ BECKON_ROLE: 'api' }), (err: Error) => err instanceof ConfigError
    && err.message === 'BECKON_ROLE=api needs DATABASE_URL: the embedded SQLite store belongs to one process, which runs the API and the jobs together (role all)');
  assert.throws(() => loadConfig({}, { role: 'worker' }), /--role=worker needs DATABASE_URL/);
  assert.throws(() => loadConfig({ BECKON_ROLE: 'cron', DATABASE_URL: 'postgres://x@h/db' }), /BECKON_ROLE must be one of api, worker, all, got "cron"/);
  assert.equal(loadConfig({ BECKON_ROLE: 'worker', DATABASE_URL: 'postgres://x@h/db' }).role, 'worker');
  assert.equal(loadConfig({ DATABASE_URL: 'postgres://x@h/db' }, { role: 'api' }).role, 'api');
  assert.throws(() => loadConfig({ BECKON_WORKER_SCHEMA: 'Bad-Name' }), /BECKON_WORKER_SCHEMA must be a lowercase PostgreSQL identifier/);

  const dir = mkdtempSync(join(tmpdir(), 'beckon-role-cli-'));
  try {
    const { code, stderr } = await runCli(['start', '--role', 'api', '--data', dir, '--port', '0']);
    assert.equal(code, 2);
    assert.match(stderr, /^beckon: --role=api needs DATABASE_URL: the embedded SQLite store belongs to one process/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a worker process answers /healthz, /readyz and /metrics only', { skip }, async (t) => {
  const { start } = await cluster(t);
  const worker = await start('worker');
  const get = (url: string) => worker.app.inject({ method: 'GET', url });
  assert.deepEqual((await get('/healthz')).json(), { status: 'ok' });
  const ready = await get('/readyz');
  assert.equal(ready.statusCode, 200);
  assert.deepEqual(ready.json(), { status: 'ok' });
  const metrics = await get('/metrics');
  assert.equal(metrics.statusCode, 200);
  assert.match(metrics.body, /^beckon_queue_depth 0$/m);
  assert.match(metrics.body, /^beckon_http_requests_total\{method="GET",route="\/readyz",status="200"\} 1$/m);
  for (const url of ['/v1/messages', '/v1/events/stream', '/', '/openapi.json', '/docs']) {
    const response = await worker.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${KEY}` } });
    assert.equal(response.statusCode, 404, url);
    assert.equal(response.headers['content-type'], 'application/problem+json; charset=utf-8');
    assert.equal(response.json().detail, `no route for GET ${url} on a worker process (it serves /healthz, /readyz and /metrics)`);
  }
});

test('an api process runs no jobs; a worker process on the same database sends the message to delivered', { skip }, async (t) => {
  const { start, sql } = await cluster(t);
  const api = await start('api');
  const sent = await call(api, 'POST', '/v1/messages/send', { to: '+393331234567', from: 'whatsapp', type: 'text', content: { text: 'hi from the api' } });
  assert.equal(sent.statusCode, 200, sent.body);
  const uuid = sent.json().message.uuid;
  // the job is committed with the message, and nobody took it: the api process has no worker pool at all
  const jobs = await sql(`select t.identifier, j.attempts, j.locked_by from beckon_worker._private_jobs j join beckon_worker._private_tasks t on t.id = j.task_id`);
  assert.deepEqual(jobs, [{ identifier: 'send_message', attempts: 0, locked_by: null }]);
  assert.deepEqual(await sql(`select application_name from pg_stat_activity where datname = current_database() and application_name like 'beckon-pool:%'`), []);
  assert.equal((await call(api, 'GET', `/v1/messages/${uuid}`)).json().message.status, 'enqueued');
  const apiMetrics = await api.app.inject({ method: 'GET', url: '/metrics' });
  assert.match(apiMetrics.body, /^beckon_queue_depth 1$/m);

  const worker = await start('worker');
  assert.equal((await sql(`select count(*)::int as n from pg_stat_activity where datname = current_database() and application_name like 'beckon-pool:%'`))[0].n, 2, 'one pool per lane');
  const message = await waitFor('the message to be delivered', async () => {
    const m = (await call(api, 'GET', `/v1/messages/${uuid}`)).json().message;
    return ['delivered', 'read'].includes(m.status) && m;
  });
  assert.deepEqual(message.status_history.map((h: { status: string }) => h.status).slice(0, 3), ['enqueued', 'sent', 'delivered']);
  await waitFor('the queue to drain', async () => (await sql('select count(*)::int as n from beckon_worker._private_jobs'))[0].n === 0);
  assert.match((await worker.app.inject({ method: 'GET', url: '/metrics' })).body, /^beckon_queue_depth 0$/m);
});

test('an event stream on one api process receives the events another process records (LISTEN/NOTIFY)', { skip }, async (t) => {
  // no fallback poll: the events must arrive through the beckon_events notification
  const savedPoll = STREAM_SETTINGS.pollMs;
  STREAM_SETTINGS.pollMs = 3_600_000;
  t.after(() => { STREAM_SETTINGS.pollMs = savedPoll; });
  const { start } = await cluster(t);
  const streaming = await start('api');
  const writing = await start('api');
  await streaming.app.listen({ port: 0, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${(streaming.app.server.address() as AddressInfo).port}`;
  const stream = await openSse(`${base}/v1/events/stream`, { authorization: `Bearer ${KEY}` });
  t.after(() => stream.close());
  assert.equal(stream.status, 200);

  const created = await call(writing, 'POST', '/v1/contacts', { email: 'far@example.com' });
  assert.equal(created.statusCode, 201, created.body);
  const [frame] = await stream.waitFrames(1);
  assert.equal(frame.event, 'contact_created');
  assert.equal(JSON.parse(frame.data).payload.uuid, created.json().contact.uuid);
  assert.equal(JSON.parse(frame.data).payload.email, 'far@example.com');

  // events recorded in a batch (POST /v1/contacts/batch, imports, campaigns) signal too
  const batch = await call(writing, 'POST', '/v1/contacts/batch', { contacts: [{ email: 'one@example.com' }, { email: 'two@example.com' }] });
  assert.equal(batch.statusCode, 200, batch.body);
  const frames = await stream.waitFrames(3);
  assert.deepEqual(frames.slice(1).map((f) => [f.event, JSON.parse(f.data).payload.email]), [['contact_created', 'one@example.com'], ['contact_created', 'two@example.com']]);
});
