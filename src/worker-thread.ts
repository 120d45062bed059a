// The job thread of `beckon start` on the embedded store: its own SQLite connections to the same WAL file, its own
// queue, tasks, providers and throttles, and the job runners; the API thread (worker-thread-host.ts) migrated the
// store before sending it `start`. It runs the lanes the host gives it (JOB_THREAD_LANES); the API thread runs the others.
// Messages: in {start, wake, stop}; out {wake, counters, stopped}. The host may start the thread before it opens the
// store (preloadJobThread), so its modules load meanwhile: the thread waits for `start` before it touches the store.
import { parentPort, threadId } from 'node:worker_threads';
import pino from 'pino';
import type { Config } from './config.ts';
import { connectStore } from './db/connect.ts';
import { taskLanes } from './modules.ts';
import { closeProviders } from './providers/index.ts';
import { createMetrics, relayJobCounters } from './system/metrics.ts';
import { SqliteQueue } from './jobs/sqlite-queue.ts';
import { buildDeps, jobThreadSpread, sqliteRunners, threadWebhookSlots } from './worker-thread-shared.ts';
import { JOB_PARTY, type ThreadData, type ToHost, type ToThread } from './jobs/worker-thread-host.ts';
import { SharedWriteLock } from './db/shared-write-lock.ts';
import { publishLoad } from './jobs/thread-load.ts';

const port = parentPort!;
let received!: (data: ThreadData) => void;
const started = new Promise<ThreadData>((resolve) => {
  received = resolve;
});
// wakes that come before the runners start are not needed: starting, they take every due job
let wake = (): void => {};
let stopAsked = false;
let stop = (): void => {
  stopAsked = true;
};
port.on('message', (message: ToThread) => {
  if (message.type === 'start') received(message.data);
  else if (message.type === 'wake') wake();
  else if (message.type === 'stop') stop();
});
const data = await started;
const post = (message: ToHost) => port.postMessage(message);
const config: Config = Object.freeze({ ...data.config, secretKey: data.config.secretKey ? Buffer.from(data.config.secretKey) : undefined });
const log = pino({ level: config.logLevel }).child({ thread: 'jobs' });
const store = await connectStore(config, { writeLock: new SharedWriteLock(data.lockBuffer, JOB_PARTY) });
const stopPublishing = publishLoad(data.loadBuffer, JOB_PARTY);
const queue = new SqliteQueue(store.db, store.writer, taskLanes(), jobThreadSpread(data.loadBuffer));
wake = () => queue.wake.emit('wake');
const metrics = createMetrics({ processMetrics: false });
const counters = relayJobCounters(metrics, (batch) => post({ type: 'counters', batch }));
const deps = buildDeps({ store, queue, config, log, secretKey: Buffer.from(data.secretKey), metrics, webhookSlots: threadWebhookSlots(config) });

// Signals committed here (events, new jobs) wake this thread's runners at once and, once per turn, the API thread.
let relaying = false;
queue.relay = () => {
  if (relaying) return;
  relaying = true;
  queueMicrotask(() => {
    relaying = false;
    post({ type: 'wake' });
  });
};

const runners = sqliteRunners(deps, queue, data.lanes);
// This thread is its lanes' only runner: whatever of them is locked was left by a crashed thread (the API thread
// released every lock at the process's start, and runs the other lanes: their locks are not ours to release).
await queue.releaseAll(data.lanes);
runners.start();

let stopping = false;
stop = () => {
  if (stopping) return;
  stopping = true;
  void (async () => {
    await runners.stop();
    stopPublishing();
    counters.flush();
    await closeProviders(deps);
    await queue.signals.close();
    await store.close();
    post({ type: 'stopped' });
    port.close();
  })();
};
log.info({ threadId }, 'job runners started on a thread of their own');
if (stopAsked) stop();
