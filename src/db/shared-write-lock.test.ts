import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Worker } from 'node:worker_threads';
import { SharedWriteLock } from './shared-write-lock.ts';

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
  assert.equal(SharedWriteLock.holder(buffer), 0);
});

test('the lock counts, per party, how long it waited for the lock and held it', async () => {
  const buffer = SharedWriteLock.buffer();
  const [api, jobs] = [new SharedWriteLock(buffer, 1), new SharedWriteLock(buffer, 2)];
  assert.deepEqual(SharedWriteLock.usage(buffer), [{ waitedSeconds: 0, heldSeconds: 0 }, { waitedSeconds: 0, heldSeconds: 0 }]);
  const releaseApi = await api.acquire();
  const jobsTurn = jobs.acquire();
  const end = performance.now() + 30;
  while (performance.now() < end); // the API party holds the lock 30 ms while the job party waits
  releaseApi();
  (await jobsTurn)();
  const [apiUse, jobsUse] = SharedWriteLock.usage(buffer);
  assert.equal(apiUse.waitedSeconds, 0, 'the API party found the lock free');
  assert.ok(apiUse.heldSeconds >= 0.03 && apiUse.heldSeconds < 1, String(apiUse.heldSeconds));
  assert.ok(jobsUse.waitedSeconds >= 0.03 && jobsUse.waitedSeconds < 1, String(jobsUse.waitedSeconds));
  assert.ok(jobsUse.heldSeconds < 0.03, String(jobsUse.heldSeconds));
});
