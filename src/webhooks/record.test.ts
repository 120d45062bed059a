import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startBeckon, type TestBeckon } from '../../test/helpers.ts';
import { Receiver } from '../../test/receiver.ts';
import { recordEvents } from '../events/service.ts';
import { DELIVER_WEBHOOK_TASK, type DeliveryJob } from './delivery-job.ts';
import { webhookTasks } from './tasks.ts';
import { disableEndpointIn } from './engine.ts';
import { createHook, deliveriesOf, workspaceOf } from './test-support.ts';

/** Records `count` message_created events in one transaction, numbered by `n`; returns their ids. */
async function recordTogether(beckon: TestBeckon, workspaceId: string, count: number): Promise<string[]> {
  const { deps } = beckon.runtime;
  const at = new Date().toISOString();
  const events = [...Array(count).keys()].map((n) => ({ type: 'message_created' as const, payload: { n }, created_at: at }));
  return deps.writer.run((trx) => recordEvents(trx, deps, workspaceId, events));
}

async function deliveryJobs(beckon: TestBeckon): Promise<DeliveryJob[]> {
  return (await beckon.runtime.queue.jobs(DELIVER_WEBHOOK_TASK)).map((j) => j.payload as DeliveryJob);
}

const context = { attempt: 1, maxAttempts: 10 };

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
  const [job] = await deliveryJobs(beckon);
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
  const second = (await deliveryJobs(beckon)).find((j) => j.endpoint_id === other.uuid)!;
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
