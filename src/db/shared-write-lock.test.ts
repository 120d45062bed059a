import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Worker } from 'node:worker_threads';
import { SharedWriteLock, TAKEOVER_MS } from './shared-write-lock.ts';

const LOCK_MODULE = new URL('./shared-write-lock.ts', import.meta.url).href;

test('a thread whose only work is waiting for the write lock stays alive until it gets it', async () => {
  const buffer = SharedWriteLock.buffer();
  const release = await new SharedWriteLock(buffer, 1).acquire();
  // the job thread at its start: a top-level await on its first write while the API thread holds the lock
  const source = `import { workerData, parentPort } from 'node:worker_threads';
    const { SharedWriteLock } = await import(${JSON.stringify(LOCK_MODULE)});
    parentPort.postMessage('waiting');
    const release = await new SharedWriteLock(workerData, 2).acquire();
    parentPort.postMessage('acquired');
    release();`;
  const worker = new Worker(new URL(`data:text/javascript,${encodeURIComponent(source)}`), { workerData: buffer });
  const messages: string[] = [];
  worker.on('message', (message: string) => messages.push(message));
  const exited = new Promise<number>((resolve) => worker.once('exit', resolve));
  await new Promise<void>((resolve) => worker.once('message', () => resolve()));
  await new Promise((resolve) => setTimeout(resolve, 200));
  assert.deepEqual(messages, ['waiting']);
  release();
  assert.equal(await exited, 0);
  assert.deepEqual(messages, ['waiting', 'acquired']);
  assert.equal(SharedWriteLock.holder(buffer), 0, 'the lock is free');
});

/** Keeps this thread busy for `ms`: a hand-off to a party of this thread cannot be taken up meanwhile. */
function busy(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end);
}

/** `lock.acquire()`, noting `name` in `order` when it resolves. */
function turn(lock: SharedWriteLock, name: string, order: string[]): Promise<() => void> {
  return lock.acquire().then((release) => {
    order.push(name);
    return release;
  });
}

test('a party that asks again right after its release waits for the party it handed the lock to', async () => {
  const buffer = SharedWriteLock.buffer();
  const [api, jobs] = [new SharedWriteLock(buffer, 1), new SharedWriteLock(buffer, 2)];
  const order: string[] = [];
  const releaseApi = await api.acquire();
  const jobsTurn = turn(jobs, 'jobs', order);
  releaseApi();
  assert.equal(SharedWriteLock.holder(buffer), 2, 'handed to the waiting party');
  const apiAgain = turn(api, 'api again', order);
  (await jobsTurn)();
  (await apiAgain)();
  assert.deepEqual(order, ['jobs', 'api again']);
  assert.equal(SharedWriteLock.holder(buffer), 0);
});

test('a lock handed to a party that does not take it up within TAKEOVER_MS is taken over once, then handed back for good', async () => {
  const buffer = SharedWriteLock.buffer();
  const [api, jobs] = [new SharedWriteLock(buffer, 1), new SharedWriteLock(buffer, 2)];
  const order: string[] = [];
  const releaseJobs = await jobs.acquire();
  const apiTurn = turn(api, 'api', order);
  await new Promise((resolve) => setImmediate(resolve));
  releaseJobs();
  // the API party's event loop is busy: it has not taken the lock up when the job party asks again
  busy(TAKEOVER_MS + 1);
  const jobsAgain = turn(jobs, 'jobs took over', order);
  const releaseJobsAgain = await jobsAgain;
  assert.deepEqual(order, ['jobs took over']);
  assert.equal(SharedWriteLock.holder(buffer), 2);
  releaseJobsAgain();
  assert.equal(SharedWriteLock.holder(buffer), 1, 'handed back to the API party');
  // handed back for good: the job party cannot take it over again, however long the API party takes
  busy(TAKEOVER_MS + 1);
  const jobsThird = turn(jobs, 'jobs third', order);
  (await apiTurn)();
  (await jobsThird)();
  assert.deepEqual(order, ['jobs took over', 'api', 'jobs third']);
  assert.equal(SharedWriteLock.holder(buffer), 0);
});
