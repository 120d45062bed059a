import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Webhook } from 'standardwebhooks';
import { startBeckon, type TestBeckon } from '../../test/helpers.ts';
import { Receiver } from '../../test/receiver.ts';
import { recordEvents } from '../events/service.ts';
import { RetryLater } from '../jobs/queue.ts';
import { BATCH_BUDGET_MS, DELIVER_WEBHOOK_TASK, DELIVERY_BATCH, type DeliveryJob } from './delivery-job.ts';
import { webhookTasks } from './tasks.ts';
import { disableEndpointIn } from './engine.ts';
import { createHook, deliveriesOf, workspaceOf } from './test-support.ts';

/** Records `count` message_created events in one transaction (one fan-out), numbered by `n`; returns their ids. */
async function recordTogether(beckon: TestBeckon, workspaceId: string, count: number): Promise<string[]> {
  const { deps } = beckon.runtime;
  const at = new Date().toISOString();
  const events = [...Array(count).keys()].map((n) => ({ type: 'message_created' as const, payload: { n }, created_at: at }));
  return deps.writer.run((trx) => recordEvents(trx, deps, workspaceId, events));
}

async function batchJobs(beckon: TestBeckon): Promise<DeliveryJob[]> {
  return (await beckon.runtime.queue.jobs(DELIVER_WEBHOOK_TASK)).map((j) => j.payload as DeliveryJob);
}

const context = { attempt: 1, maxAttempts: 10 };

/** Runs a job as the worker would until it is done: a batch that spent its time budget comes back (RetryLater, 0 ms). */
async function runToEnd(run: (job: DeliveryJob, ctx: typeof context) => Promise<void>, job: DeliveryJob): Promise<void> {
  for (;;) {
    try {
      return await run(job, context);
    } catch (err) {
      if (!(err instanceof RetryLater && err.delayMs === 0)) throw err;
    }
  }
}

test('a fan-out makes one job per endpoint for its deliveries, attempted in order; a job run again sends nothing twice', async (t) => {
  const beckon = await startBeckon({ BECKON_WEBHOOK_RETRY_SCHEDULE: '3600' }, { worker: false });
  const receiver = await Receiver.start();
  const other = await Receiver.start();
  t.after(async () => {
    await Promise.all([receiver.stop(), other.stop()]);
    await beckon.stop();
  });
  const ws = await workspaceOf(beckon);
  const hook = await createHook(beckon, { url: receiver.url(), events: ['message_created'] });
  const otherHook = await createHook(beckon, { url: other.url(), events: ['message_created'] });
  const eventIds = await recordTogether(beckon, ws, DELIVERY_BATCH + 2);

  // per endpoint: one job for the first DELIVERY_BATCH deliveries, one for the other two (no batch list for one delivery)
  const jobs = await batchJobs(beckon);
  assert.equal(jobs.length, 4);
  for (const h of [hook, otherHook]) {
    const deliveries = (await deliveriesOf(beckon, h.uuid)).sort((a, b) => eventIds.indexOf(a.event_uuid) - eventIds.indexOf(b.event_uuid));
    assert.equal(deliveries.length, DELIVERY_BATCH + 2);
    const at = (id: string) => deliveries.findIndex((d) => d.uuid === id);
    const mine = jobs.filter((j) => j.endpoint_id === h.uuid).sort((a, b) => at(a.delivery_id) - at(b.delivery_id));
    assert.deepEqual(mine.map((j) => j.batch), [deliveries.slice(0, DELIVERY_BATCH).map((d) => d.uuid), deliveries.slice(DELIVERY_BATCH).map((d) => d.uuid)]);
    assert.deepEqual(mine.map((j) => [j.delivery_id, j.attempt, j.retry]), [[deliveries[0].uuid, 1, 0], [deliveries[DELIVERY_BATCH].uuid, 1, 0]]);
  }

  // the first job of the endpoint: the receiver fails the second attempt; every delivery is attempted once, in order
  const run = webhookTasks(beckon.runtime.deps)[DELIVER_WEBHOOK_TASK];
  const first = jobs.find((j) => j.endpoint_id === hook.uuid && j.batch?.length === DELIVERY_BATCH)!;
  receiver.next({ status: 200 }, { status: 500 });
  await runToEnd(run, first);
  assert.equal(receiver.requests.length, DELIVERY_BATCH);
  const sent = receiver.requests.map((r) => new Webhook(hook.secret).verify(r.body, r.headers) as { id: string; payload: { n: number } });
  assert.deepEqual(sent.map((b) => b.payload.n), [...Array(DELIVERY_BATCH).keys()]);
  assert.deepEqual(sent.map((b) => b.id), eventIds.slice(0, DELIVERY_BATCH));
  const after = new Map((await deliveriesOf(beckon, hook.uuid)).map((d) => [d.uuid, d]));
  const states = first.batch!.map((id) => [after.get(id)!.status, after.get(id)!.attempt_count]);
  assert.deepEqual(states, [['succeeded', 1], ['pending', 1], ...Array(DELIVERY_BATCH - 2).fill(['succeeded', 1])]);
  // the failed one has its own retry job (attempt 2); the other endpoint was not touched
  const retry = (await batchJobs(beckon)).filter((j) => j.delivery_id === first.batch![1] && j.attempt === 2);
  assert.deepEqual(retry.map((j) => [j.retry, j.batch]), [[1, undefined]]);
  assert.equal(other.requests.length, 0);

  // the same job again (a crash before its completion): every delivery it carries is stale, nothing is sent
  await runToEnd(run, first);
  assert.equal(receiver.requests.length, DELIVERY_BATCH);
  const again = new Map((await deliveriesOf(beckon, hook.uuid)).map((d) => [d.uuid, d]));
  assert.deepEqual(first.batch!.map((id) => [again.get(id)!.status, again.get(id)!.attempt_count]), states);
});

test('a batch job stops after its time budget and comes back for the rest, which it then sends', async (t) => {
  const beckon = await startBeckon({ BECKON_WEBHOOK_RETRY_SCHEDULE: '3600' }, { worker: false });
  const receiver = await Receiver.start();
  t.after(async () => {
    await receiver.stop();
    await beckon.stop();
  });
  const ws = await workspaceOf(beckon);
  const hook = await createHook(beckon, { url: receiver.url(), events: ['message_created'] });
  await recordTogether(beckon, ws, 3);
  const [job] = await batchJobs(beckon);
  assert.equal(job.batch?.length, 3);
  const run = webhookTasks(beckon.runtime.deps)[DELIVER_WEBHOOK_TASK];

  receiver.next({ status: 200, delayMs: BATCH_BUDGET_MS + 100 });
  await assert.rejects(run(job, context), (err: unknown) => err instanceof RetryLater && err.delayMs === 0);
  assert.equal(receiver.requests.length, 1);
  const counts = async () => {
    const byId = new Map((await deliveriesOf(beckon, hook.uuid)).map((d) => [d.uuid, d.attempt_count]));
    return job.batch!.map((id) => byId.get(id));
  };
  assert.deepEqual(await counts(), [1, 0, 0]);

  await runToEnd(run, job);
  assert.equal(receiver.requests.length, 3, 'the first is not sent again');
  assert.deepEqual(await counts(), [1, 1, 1]);
});

test('a success recorded on a delivery failed meanwhile keeps it failed; one whose attempt moved on records nothing', async (t) => {
  const beckon = await startBeckon({ BECKON_WEBHOOK_RETRY_SCHEDULE: '3600' }, { worker: false });
  const receiver = await Receiver.start();
  t.after(async () => {
    receiver.release();
    await receiver.stop();
    await beckon.stop();
  });
  const { deps } = beckon.runtime;
  const ws = await workspaceOf(beckon);
  const hook = await createHook(beckon, { url: receiver.url(), events: ['message_created'] });
  await recordTogether(beckon, ws, 1);
  const [job] = await batchJobs(beckon);
  const run = webhookTasks(deps)[DELIVER_WEBHOOK_TASK];
  const attempts = async (id: string) => (await deps.db.selectFrom('webhook_attempts').select(['attempt', 'status_code']).where('delivery_id', '=', id).execute())
    .map((a) => [a.attempt, a.status_code]);

  // the endpoint is disabled while the attempt is in flight; the receiver then answers 200
  receiver.hold();
  const running = run(job, context);
  await receiver.waitForRequests(1);
  await deps.writer.run((trx) => disableEndpointIn(trx, hook.uuid, 'test', new Date().toISOString()));
  receiver.release();
  await running;
  const [failed] = await deliveriesOf(beckon, hook.uuid);
  assert.deepEqual([failed.status, failed.attempt_count, failed.last_status_code, failed.next_attempt_at], ['failed', 1, 200, null]);
  assert.deepEqual(await attempts(job.delivery_id), [[1, 200]]);

  // a second endpoint's delivery whose attempt count moved on while its attempt was in flight: stale, nothing recorded
  const other = await createHook(beckon, { url: receiver.url(), events: ['message_created'] });
  await recordTogether(beckon, ws, 1);
  const second = (await batchJobs(beckon)).find((j) => j.endpoint_id === other.uuid)!;
  receiver.hold();
  const again = run(second, context);
  await receiver.waitForRequests(2);
  await deps.db.updateTable('webhook_deliveries').set({ attempt_count: 5 }).where('id', '=', second.delivery_id).execute();
  receiver.release();
  await again;
  const [moved] = await deliveriesOf(beckon, other.uuid);
  assert.deepEqual([moved.status, moved.attempt_count, moved.last_status_code], ['pending', 5, null]);
  assert.deepEqual(await attempts(second.delivery_id), []);
});
