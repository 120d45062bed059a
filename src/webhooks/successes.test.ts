import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startBeckon, type TestBeckon } from '../../test/helpers.ts';
import type { Db } from '../db/connect.ts';
import type { Writer } from '../db/group-commit.ts';
import { recordEvents } from '../events/service.ts';
import type { AttemptResult } from './deliver.ts';
import { DELIVER_WEBHOOK_TASK, type DeliveryJob } from './delivery-job.ts';
import { SuccessRecorder } from './successes.ts';
import { createHook, workspaceOf } from './test-support.ts';

const OK: AttemptResult = { outcome: 'success', statusCode: 204, latencyMs: 7, excerpt: '', error: null, retryAfterMs: null };

/** Three pending deliveries of one endpoint (one per message_created event), the endpoint marked failing; their jobs. */
async function threeDeliveries(beckon: TestBeckon): Promise<{ hook: string; jobs: DeliveryJob[] }> {
  const { deps } = beckon.runtime;
  const ws = await workspaceOf(beckon);
  const hook = await createHook(beckon, { url: 'http://127.0.0.1:9/hook', events: ['message_created'] });
  const at = new Date().toISOString();
  await deps.writer.run((trx) => recordEvents(trx, deps, ws, [0, 1, 2].map((n) => ({ type: 'message_created' as const, payload: { n }, created_at: at }))));
  await deps.db.updateTable('webhook_endpoints').set({ failing_since: at }).where('id', '=', hook.uuid).execute();
  const jobs = (await deps.queue.jobs(DELIVER_WEBHOOK_TASK)).map((j) => j.payload as DeliveryJob);
  assert.equal(jobs.length, 3);
  return { hook: hook.uuid, jobs };
}

/** The store's writer, counting the units it is given. */
function countingWriter(writer: Writer): { writer: Writer; units: () => number } {
  let units = 0;
  return { writer: { run: (work) => { units++; return writer.run(work); } }, units: () => units };
}

async function deliveryStates(beckon: TestBeckon, hook: string) {
  const rows = await beckon.runtime.deps.db.selectFrom('webhook_deliveries').select(['id', 'status', 'attempt_count', 'last_status_code', 'next_attempt_at'])
    .where('endpoint_id', '=', hook).orderBy('id').execute();
  return Object.fromEntries(rows.map((r) => [r.id, [r.status, r.attempt_count, r.last_status_code, r.next_attempt_at]]));
}

test('successes that finish together are recorded in one unit; a stale one among them records nothing and says so', async (t) => {
  const beckon = await startBeckon({}, { worker: false });
  t.after(() => beckon.stop());
  const { deps } = beckon.runtime;
  const { hook, jobs } = await threeDeliveries(beckon);
  // the third delivery's attempt count moved on while its attempt was in flight
  await deps.db.updateTable('webhook_deliveries').set({ attempt_count: 4 }).where('id', '=', jobs[2].delivery_id).execute();
  const counting = countingWriter(deps.writer);
  const recorder = new SuccessRecorder(counting.writer);
  const ended: string[] = [];
  const sentAt = new Date('2026-12-07T10:00:00.000Z');
  const recorded = await Promise.all(jobs.map((job) => recorder.record({ job, sentAt, result: OK, completeIn: async () => void ended.push(job.delivery_id) })));

  assert.deepEqual(recorded, [true, true, false]);
  assert.equal(counting.units(), 1);
  assert.deepEqual(ended, jobs.map((j) => j.delivery_id), 'every job of the unit ends in it, the stale one too');
  const states = await deliveryStates(beckon, hook);
  assert.deepEqual(states[jobs[0].delivery_id], ['succeeded', 1, 204, null]);
  assert.deepEqual(states[jobs[1].delivery_id], ['succeeded', 1, 204, null]);
  assert.deepEqual(states[jobs[2].delivery_id].slice(0, 3), ['pending', 4, null]);
  const attempts = await deps.db.selectFrom('webhook_attempts').select(['delivery_id', 'attempt', 'status_code', 'latency_ms', 'created_at']).orderBy('delivery_id').execute();
  assert.deepEqual(attempts.map((row) => ({ ...row })), [jobs[0], jobs[1]].map((j) => ({ delivery_id: j.delivery_id, attempt: 1, status_code: 204, latency_ms: 7, created_at: sentAt.toISOString() }))
    .sort((a, b) => a.delivery_id.localeCompare(b.delivery_id)));
  const endpoint = await deps.db.selectFrom('webhook_endpoints').select('failing_since').where('id', '=', hook).executeTakeFirstOrThrow();
  assert.equal(endpoint.failing_since, null);
});

test('a unit of successes that fails rejects each of them and writes nothing; the next success gets a unit of its own', async (t) => {
  const beckon = await startBeckon({}, { worker: false });
  t.after(() => beckon.stop());
  const { deps } = beckon.runtime;
  const { hook, jobs } = await threeDeliveries(beckon);
  const before = await deliveryStates(beckon, hook);
  const recorder = new SuccessRecorder(deps.writer);
  const sentAt = new Date();
  const failing = async (_trx: Db) => {
    throw new Error('the job could not be ended');
  };
  const outcomes = await Promise.allSettled([jobs[0], jobs[1]].map((job, i) => recorder.record({ job, sentAt, result: OK, ...(i === 1 ? { completeIn: failing } : {}) })));
  assert.deepEqual(outcomes.map((o) => (o.status === 'rejected' ? (o.reason as Error).message : o.value)), ['the job could not be ended', 'the job could not be ended']);
  assert.deepEqual(await deliveryStates(beckon, hook), before);
  assert.equal((await deps.db.selectFrom('webhook_attempts').select('id').execute()).length, 0);

  assert.equal(await recorder.record({ job: jobs[2], sentAt, result: OK }), true);
  assert.deepEqual((await deliveryStates(beckon, hook))[jobs[2].delivery_id], ['succeeded', 1, 204, null]);
});
