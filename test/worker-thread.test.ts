import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { DatabaseSync } from 'node:sqlite';
import pino from 'pino';
import { ConfigError, loadConfig } from '../src/config.ts';
import { openSse, type SseClient } from '../src/events/sse-client.ts';
import { STREAM_SETTINGS } from '../src/events/stream.ts';
import { API_PARTY, JOB_PARTY, ThreadRunners } from '../src/jobs/worker-thread-host.ts';
import { SqliteQueue } from '../src/jobs/sqlite-queue.ts';
import { loadSecretKey } from '../src/lib/secret-box.ts';
import { SharedWriteLock } from '../src/db/shared-write-lock.ts';
import { loadBuffer, LOAD_WINDOW_MS, readLoad } from '../src/jobs/thread-load.ts';
import { API_THREAD_LANES, JOB_THREAD_LANES, sqliteRunners, threadWebhookSlots } from '../src/worker-thread-shared.ts';
import { DeliveryEngine, engineFor } from '../src/webhooks/engine.ts';
import { startRuntime } from '../src/runtime.ts';
import { JOB_THREAD_WEBHOOK_LANE, WEBHOOK_LANE } from '../src/webhooks/delivery-job.ts';
import { sqliteOnly, startBeckon, waitFor, type TestBeckon } from './helpers.ts';
import { killProcess, startProcess, type BeckonProcess } from './multiprocess-harness.ts';
import { Receiver } from './receiver.ts';

const KEY = 'bk_worker_thread_test_key_0123456789';
const THREAD_LINE = 'job runners started on a thread of their own';
const auth = { authorization: `Bearer ${KEY}` };

async function api(p: BeckonProcess, method: string, path: string, body?: unknown): Promise<{ status: number; json: any }> {
  const res = await fetch(`${p.base}${path}`, { method, headers: { ...auth, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: res.status, json: await res.json().catch(() => null) };
}

const send = (to: string) => ({ to, from: 'whatsapp', type: 'text', content: { text: 'hello' } });

/** The statuses of the message_status_updated frames of `uuid` among `frames`. */
function statusesOf(frames: { event?: string; data: string }[], uuid: string): string[] {
  return frames.filter((f) => f.event === 'message_status_updated' && JSON.parse(f.data).payload.uuid === uuid).map((f) => JSON.parse(f.data).payload.status);
}

/** The value of one sample of /metrics (0 when absent). */
async function metric(p: BeckonProcess, sample: string): Promise<number> {
  const text = await (await fetch(`${p.base}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(sample + ' '));
  return line ? Number(line.slice(sample.length + 1)) : 0;
}

test('BECKON_WORKER_THREAD is 1 (default) or 0', () => {
  assert.equal(loadConfig({}).workerThread, true);
  assert.equal(loadConfig({ BECKON_WORKER_THREAD: '0' }).workerThread, false);
  assert.equal(loadConfig({ BECKON_WORKER_THREAD: '1' }).workerThread, true);
  assert.throws(() => loadConfig({ BECKON_WORKER_THREAD: 'yes' }), (err: Error) => err instanceof ConfigError && err.message.startsWith('BECKON_WORKER_THREAD '));
});

test('with the job thread on, each thread makes half of BECKON_WEBHOOK_CONCURRENCY and gives one endpoint a quarter of its half', async (t) => {
  assert.deepEqual([128, 7, 1].map((n) => threadWebhookSlots(loadConfig({ BECKON_WEBHOOK_CONCURRENCY: String(n) }))), [64, 4, 1]);
  const beckon = await startBeckon({}, { worker: false });
  t.after(() => beckon.stop());
  const { deps } = beckon.runtime;
  assert.equal(new DeliveryEngine(deps).slots.limit, 32, 'one thread: a quarter of the process\'s 128');
  assert.equal(new DeliveryEngine({ ...deps, webhookSlots: threadWebhookSlots(deps.config) }).slots.limit, 16, 'each of two threads: a quarter of its 64');
});

test('startRuntime with the job thread on gives the API thread half the webhook slots: its engine a quarter of that per endpoint', { ...sqliteOnly, timeout: 60_000 }, async (t) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'beckon-thread-slots-'));
  const runtime = await startRuntime(loadConfig({ BECKON_DATA_DIR: dataDir, BECKON_LOG_LEVEL: 'silent' }), { thread: true, logger: pino({ level: 'silent' }) });
  t.after(async () => {
    await runtime.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });
  assert.ok(runtime.worker instanceof ThreadRunners, 'the runners are on a thread of their own');
  assert.equal(runtime.deps.webhookSlots, 64);
  assert.equal(engineFor(runtime.deps).slots.limit, 16);
});

test('beckon start on SQLite runs the jobs on their own thread: delivered with its webhook, streamed, counted, drained on SIGTERM; BECKON_WORKER_THREAD=0 runs them on one', { ...sqliteOnly, timeout: 180_000 }, async (t) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'beckon-thread-'));
  const receiver = await Receiver.start();
  const procs: BeckonProcess[] = [];
  let stream: SseClient | null = null;
  t.after(async () => {
    stream?.close();
    for (const p of procs) await killProcess(p, 'SIGKILL');
    await receiver.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });
  const env = { BECKON_DATA_DIR: dataDir, BECKON_BOOTSTRAP_KEY: KEY, BECKON_SANDBOX_DELAYS: '0,0,0', BECKON_WEBHOOK_ALLOW_PRIVATE: '127.0.0.0/8', BECKON_LOG_LEVEL: 'info', BECKON_WORKER_THREAD: '1' };
  const first = await startProcess('all', env);
  procs.push(first);
  // the API answers before the thread has loaded; the thread reports once it runs jobs
  await waitFor('the job thread to start', async () => first.output().includes(THREAD_LINE));

  const hook = await api(first, 'POST', '/v1/webhooks', { url: receiver.url(), events: ['message_status_updated'] });
  assert.equal(hook.status, 201, JSON.stringify(hook.json));
  stream = await openSse(`${first.base}/v1/events/stream`, auth);
  assert.equal(stream.status, 200);
  const sent = await api(first, 'POST', '/v1/messages/send', send('+39 333 7000001'));
  assert.equal(sent.status, 200, JSON.stringify(sent.json));
  const uuid: string = sent.json.message.uuid;

  // the thread sends through the sandbox (sent, delivered, read: three status changes) and delivers their webhooks
  const deliveries = await receiver.waitForRequests(3);
  assert.deepEqual(deliveries.map((d) => [JSON.parse(d.body).event ?? JSON.parse(d.body).type, JSON.parse(d.body).payload.uuid, JSON.parse(d.body).payload.status]).sort((a, b) => a[2].localeCompare(b[2])),
    [['message_status_updated', uuid, 'delivered'], ['message_status_updated', uuid, 'read'], ['message_status_updated', uuid, 'sent']]);
  // the API thread's event stream receives the events the job thread recorded
  await waitFor('the stream to carry the three status changes', async () => statusesOf(stream!.frames, uuid).length >= 3);
  assert.deepEqual(statusesOf(stream.frames, uuid), ['sent', 'delivered', 'read']);
  // /metrics counts what the thread did: the statuses it recorded and the webhook attempts it made
  await waitFor('the thread\'s counters in /metrics', async () => (await metric(first, 'beckon_webhook_attempts_total{outcome="success"}')) === 3);
  assert.equal(await metric(first, 'beckon_messages_total{status="enqueued",direction="outbound"}'), 1);
  for (const status of ['sent', 'delivered', 'read']) assert.equal(await metric(first, `beckon_messages_total{status="${status}",direction="outbound"}`), 1, status);
  // and how long each thread held the store's write lock: the API thread stored the send, the job thread its statuses
  for (const thread of ['api', 'jobs']) assert.ok(await metric(first, `beckon_sqlite_write_lock_held_seconds_total{thread="${thread}"}`) > 0, thread);
  assert.match(await (await fetch(`${first.base}/metrics`)).text(), /^beckon_sqlite_write_lock_waited_seconds_total\{thread="jobs"\} \d/m);
  // and how busy each thread's event loop was over its last window (both publish it once it has ended)
  const metricsText = await (await fetch(`${first.base}/metrics`)).text();
  for (const thread of ['api', 'jobs']) {
    const utilization = new RegExp(`^beckon_thread_utilization\\{thread="${thread}"\\} ([\\d.e-]+)$`, 'm').exec(metricsText)?.[1];
    assert.ok(utilization !== undefined && Number(utilization) >= 0 && Number(utilization) <= 1, `${thread}: ${utilization}`);
  }

  // SIGTERM: the server stops, the thread drains and exits, the process exits 0 with nothing left locked
  stream.close();
  stream = null;
  first.child.kill('SIGTERM');
  assert.deepEqual(await first.exited, { code: 0, signal: null }, first.output());
  assert.match(first.output(), /"msg":"stopped"/);
  const db = new DatabaseSync(join(dataDir, 'beckon.db'));
  try {
    assert.equal((db.prepare('SELECT count(*) AS n FROM jobs WHERE locked_until IS NOT NULL').get() as { n: number }).n, 0);
    // a webhook call the job thread's lane still held (a delivery already made: it ends without a post)
    const delivery = db.prepare('SELECT id FROM webhook_deliveries LIMIT 1').get() as { id: string };
    const now = new Date().toISOString();
    db.prepare('INSERT INTO jobs (task, lane, payload, run_at, attempts, max_attempts, created_at) VALUES (?, ?, ?, ?, 0, 10, ?)')
      .run('deliver_webhook', JOB_THREAD_WEBHOOK_LANE, JSON.stringify({ delivery_id: delivery.id, attempt: 1, retry: 0 }), now, now);
  } finally {
    db.close();
  }

  // the switch: BECKON_WORKER_THREAD=0 runs the jobs on the API's thread, as before
  const single = await startProcess('all', { ...env, BECKON_WORKER_THREAD: '0' });
  procs.push(single);
  assert.ok(!single.output().includes(THREAD_LINE), single.output());
  assert.doesNotMatch(await (await fetch(`${single.base}/metrics`)).text(), /beckon_sqlite_write_lock|beckon_thread_utilization/, 'one thread: no lock between threads, no load to deal by');
  const again = await api(single, 'POST', '/v1/messages/send', send('+39 333 7000002'));
  assert.equal(again.status, 200, JSON.stringify(again.json));
  await waitFor('the second message to be read', async () => (await api(single, 'GET', `/v1/messages/${again.json.message.uuid}`)).json?.message?.status === 'read');
  await receiver.waitForRequests(6);
  await killProcess(single, 'SIGTERM');
  assert.equal((await single.exited).code, 0);
  // one thread runs the job thread's webhook lane too: its job was filed into the webhook lane at start, and ran
  const after = new DatabaseSync(join(dataDir, 'beckon.db'));
  try {
    assert.deepEqual(after.prepare('SELECT lane, task FROM jobs').all().map((r) => ({ ...r })), []);
  } finally {
    after.close();
  }
  assert.equal(receiver.requests.length, 6, 'the made delivery was not posted again');
});

/**
 * The runners `beckon start` builds with the thread on, over an in-process runtime started without its own: the job
 * thread's lanes there, the webhook lane here. The in-process store takes no shared lock: these runners get a lock of
 * their own (SQLite's busy wait covers the rest).
 */
function splitRunners(beckon: TestBeckon, apiLoad = loadBuffer()): ThreadRunners {
  const { deps } = beckon.runtime;
  const queue = beckon.runtime.queue as SqliteQueue;
  return new ThreadRunners({
    config: deps.config, secretKey: loadSecretKey(deps.config.secretKey, deps.config.dataDir).key, queue, metrics: deps.metrics, log: pino({ level: 'silent' }),
    // nothing publishes into the load buffer here: unless the test writes it, the API thread reads as idle
    lockBuffer: SharedWriteLock.buffer(), loadBuffer: apiLoad, lanes: JOB_THREAD_LANES, local: sqliteRunners(deps, queue, API_THREAD_LANES),
  });
}

/** An in-process runtime with splitRunners (over `loads`) started and an endpoint subscribed to message statuses at a receiver; all stopped after `t`. */
async function startSplitWithHook(t: TestContext, loads?: SharedArrayBuffer) {
  const beckon = await startBeckon({}, { worker: false });
  const receiver = await Receiver.start();
  const runners = splitRunners(beckon, loads);
  t.after(async () => {
    await receiver.stop();
    await runners.stop();
    await beckon.stop();
  });
  const hook = await beckon.call('POST', '/v1/webhooks', { body: { url: receiver.url(), events: ['message_status_updated'] } });
  assert.equal(hook.statusCode, 201, hook.body);
  await runners.start();
  return { beckon, receiver, runners, db: beckon.runtime.deps.db };
}

test('the job thread: its signals wake the API thread\'s streams without polling, and a crashed thread is restarted and finishes the work', { ...sqliteOnly, timeout: 120_000 }, async (t) => {
  // no fallback poll: the thread's events must reach the stream through its wake message
  const savedPoll = STREAM_SETTINGS.pollMs;
  STREAM_SETTINGS.pollMs = 3_600_000;
  const beckon = await startBeckon({}, { worker: false });
  const { metrics } = beckon.runtime.deps;
  const runners = splitRunners(beckon);
  let stream: SseClient | null = null;
  t.after(async () => {
    STREAM_SETTINGS.pollMs = savedPoll;
    stream?.close();
    await runners.stop();
    await beckon.stop();
  });
  await runners.start();
  assert.equal(runners.generation, 1);
  await beckon.runtime.app.listen({ port: 0, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${(beckon.runtime.app.server.address() as AddressInfo).port}`;
  stream = await openSse(`${base}/v1/events/stream`, { authorization: `Bearer ${beckon.key}` });

  const first = await beckon.call('POST', '/v1/messages/send', { body: send('+39 333 7100001') });
  assert.equal(first.statusCode, 200, first.body);
  const uuid = first.json().message.uuid;
  await waitFor('the thread\'s status events on the stream', async () => statusesOf(stream!.frames, uuid).length >= 3);
  assert.deepEqual(statusesOf(stream.frames, uuid), ['sent', 'delivered', 'read']);

  const reads = async () => (await metrics.messagesByStatus.get()).values.find((v) => v.labels.status === 'read')?.value ?? 0;
  await waitFor('the thread\'s read counted in the API thread\'s registry', async () => (await reads()) === 1);

  // the thread dies unasked: it is started again, and the work accepted meanwhile is done
  const crashed = runners.thread!;
  await crashed.terminate();
  const second = await beckon.call('POST', '/v1/messages/send', { body: send('+39 333 7100002') });
  assert.equal(second.statusCode, 200, second.body);
  await waitFor('a second thread', async () => runners.generation === 2 && runners.thread !== null && runners.thread !== crashed);
  const uuid2 = second.json().message.uuid;
  await waitFor('the message sent during the crash to be read', async () => (await beckon.call('GET', `/v1/messages/${uuid2}`)).json().message.status === 'read');
  await waitFor('the second thread\'s read counted too', async () => (await reads()) === 2);
  await runners.stop();
  assert.equal(runners.thread, null);
});

test('with the thread on, the job thread deals its webhook calls half to the API thread: a restarted job thread posts again what it held, never what the API thread holds', { ...sqliteOnly, timeout: 120_000 }, async (t) => {
  const { beckon, receiver, runners, db } = await startSplitWithHook(t);
  const statusOf = async (uuid: string) => (await beckon.call('GET', `/v1/messages/${uuid}`)).json().message.status;

  // the thread sends (sent, delivered, read) and deals the three deliveries over both lanes; both threads post theirs, held by the receiver
  receiver.hold();
  const first = await beckon.call('POST', '/v1/messages/send', { body: send('+39 333 7200001') });
  assert.equal(first.statusCode, 200, first.body);
  await receiver.waitForRequests(3);
  // a claim's lock is committed by a unit of its own, which may still be on its way when the call goes out
  const heldJobs = () => db.selectFrom('jobs').select(['lane', 'payload']).where('task', '=', 'deliver_webhook').where('locked_until', 'is not', null).orderBy('id').execute();
  await waitFor('the three delivery jobs to be held', async () => (await heldJobs()).length === 3);
  const held = await heldJobs();
  const lanes = held.map((job) => job.lane);
  assert.deepEqual([...new Set(lanes)].sort(), [WEBHOOK_LANE, JOB_THREAD_WEBHOOK_LANE].sort(), `dealt over both lanes: ${lanes}`);
  assert.ok(lanes.every((lane, i) => i === 0 || lane !== lanes[i - 1]), `round-robin: ${lanes}`);
  const eventIdOf = async (job: { payload: string }) => (await db.selectFrom('webhook_deliveries').select('event_id').where('id', '=', JSON.parse(job.payload).delivery_id).executeTakeFirstOrThrow()).event_id;
  const apiEvents = await Promise.all(held.filter((job) => job.lane === WEBHOOK_LANE).map(eventIdOf));
  const threadEvents = await Promise.all(held.filter((job) => job.lane === JOB_THREAD_WEBHOOK_LANE).map(eventIdOf));

  // the job thread dies and a new one starts: it releases the locks of its own lanes only, and posts those again
  const crashed = runners.thread!;
  await crashed.terminate();
  await waitFor('a second thread', async () => runners.generation === 2 && runners.thread !== null && runners.thread !== crashed);
  await receiver.waitForRequests(3 + threadEvents.length);
  // a released delivery of the API thread's lane would be claimed again within its poll (250 ms): give it four
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  const posts = (eventId: string) => receiver.requests.filter((r) => r.headers['webhook-id'] === eventId).length;
  assert.deepEqual(apiEvents.map(posts), apiEvents.map(() => 1), 'the API thread\'s deliveries were posted once');
  assert.deepEqual(threadEvents.map(posts), threadEvents.map(() => 2), 'the crashed thread\'s deliveries were posted again');

  receiver.release();
  const second = await beckon.call('POST', '/v1/messages/send', { body: send('+39 333 7200002') });
  assert.equal(second.statusCode, 200, second.body);
  await waitFor('the second thread to send the second message', async () => (await statusOf(second.json().message.uuid)) === 'read');
  await waitFor('every delivery to succeed', async () => {
    const rows = await db.selectFrom('webhook_deliveries').select('status').execute();
    return rows.length === 6 && rows.every((r) => r.status === 'succeeded');
  });
  const attempts = (await db.selectFrom('webhook_attempts as a').innerJoin('webhook_deliveries as d', 'd.id', 'a.delivery_id').select('d.id').execute()).length;
  assert.equal(attempts, 6, 'one recorded attempt per delivery');
  await runners.stop();
  assert.equal((await db.selectFrom('jobs').select('id').where('locked_until', 'is not', null).execute()).length, 0, 'stop() drained both threads');
});

test('with the thread on, while the API thread is the busier one the job thread makes all of its webhook calls itself', { ...sqliteOnly, timeout: 60_000 }, async (t) => {
  const loads = loadBuffer();
  // the API thread reads as fully busy, as in its cold start (nothing publishes its slot here); the job thread publishes its own
  Atomics.store(new Int32Array(loads), API_PARTY, 1000);
  const { beckon, receiver, db } = await startSplitWithHook(t, loads);
  const deliveries = async (n: number) => {
    const rows = await db.selectFrom('webhook_deliveries').select('status').execute();
    return rows.length === n && rows.every((r) => r.status === 'succeeded');
  };
  // a first message shows the thread is up; once it has been idle a few windows it reads as nearly idle
  const first = await beckon.call('POST', '/v1/messages/send', { body: send('+39 333 7300001') });
  assert.equal(first.statusCode, 200, first.body);
  await waitFor('the first message\'s three deliveries', () => deliveries(3));
  await new Promise((resolve) => setTimeout(resolve, 3 * LOAD_WINDOW_MS));
  assert.ok(readLoad(loads, JOB_PARTY) < 0.2, `the job thread is nearly idle: ${readLoad(loads, JOB_PARTY)}`);
  receiver.hold();
  const sent = await beckon.call('POST', '/v1/messages/send', { body: send('+39 333 7300002') });
  assert.equal(sent.statusCode, 200, sent.body);
  await receiver.waitForRequests(6);
  const heldJobs = () => db.selectFrom('jobs').select('lane').where('task', '=', 'deliver_webhook').where('locked_until', 'is not', null).execute();
  await waitFor('the three delivery jobs to be held', async () => (await heldJobs()).length === 3);
  assert.deepEqual((await heldJobs()).map((job) => job.lane), [JOB_THREAD_WEBHOOK_LANE, JOB_THREAD_WEBHOOK_LANE, JOB_THREAD_WEBHOOK_LANE]);
  receiver.release();
  await waitFor('the six deliveries to succeed', () => deliveries(6));
  assert.equal(receiver.requests.length, 6, 'each posted once');
});

test('a job thread that fails to load is logged and started again, not waited for', { ...sqliteOnly, timeout: 60_000 }, async (t) => {
  const beckon = await startBeckon({}, { worker: false });
  const { config, metrics } = beckon.runtime.deps;
  const lines: string[] = [];
  const log = pino({ level: 'error' }, { write: (line: string) => lines.push(line) });
  const runners = new ThreadRunners({
    config, secretKey: loadSecretKey(config.secretKey, config.dataDir).key, queue: beckon.runtime.queue as SqliteQueue, metrics, log,
    lockBuffer: SharedWriteLock.buffer(), loadBuffer: loadBuffer(), lanes: JOB_THREAD_LANES, entry: new URL('data:text/javascript,throw new Error("the thread cannot load")'),
  });
  t.after(async () => {
    await runners.stop();
    await beckon.stop();
  });
  await runners.start();
  assert.equal(runners.generation, 1);
  await waitFor('the failed thread to be started again', async () => runners.generation >= 2);
  const failures = lines.map((line) => JSON.parse(line)).filter((record) => record.msg === 'the job thread failed');
  assert.ok(failures.length >= 1, lines.join(''));
  assert.equal(failures[0].err.message, 'the thread cannot load');
  assert.ok(lines.some((line) => JSON.parse(line).msg.startsWith('the job thread stopped unexpectedly; restarting it')), lines.join(''));
});

test('the shared write lock: a waiting party is handed the lock on release; a dead party\'s hold is released', async () => {
  const buffer = SharedWriteLock.buffer();
  const api = new SharedWriteLock(buffer, 1);
  const jobs = new SharedWriteLock(buffer, 2);
  const order = [] as string[];
  const releaseApi = await api.acquire();
  const jobsTurn = jobs.acquire().then((release) => {
    order.push('jobs');
    return release;
  });
  await new Promise((r) => setImmediate(r));
  assert.equal(order.length, 0, 'the job party waits while the API party holds the lock');
  releaseApi();
  const releaseJobs = await jobsTurn;
  assert.deepEqual(order, ['jobs']);
  // the API asks again while the job party holds it; the job party dies without releasing
  const apiTurn = api.acquire().then((release) => {
    order.push('api');
    return release;
  });
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(order, ['jobs']);
  SharedWriteLock.releaseParty(buffer, 2);
  (await apiTurn)();
  assert.deepEqual(order, ['jobs', 'api']);
  assert.equal(SharedWriteLock.holder(buffer), 0, 'free once the API released it');
  void releaseJobs;
});
