import type { Deps } from '../deps.ts';
import { RetryLater, type TaskLanes, type TasksOf } from '../jobs/queue.ts';
import { engineFor } from './engine.ts';
import { BATCH_BUDGET_MS, DELIVER_WEBHOOK_TASK, WEBHOOK_LANE } from './delivery-job.ts';

/**
 * The webhook task: deliver_webhook makes one attempt of one delivery, or the first attempts of a fan-out's batch in
 * order (fan-out happens when the event is recorded). A batch that finds its endpoint full, or has run its budget,
 * comes back later whole: the deliveries it already attempted are stale then and skipped.
 */
export function webhookTasks(deps: Deps): TasksOf<typeof DELIVER_WEBHOOK_TASK> {
  const engine = engineFor(deps);
  return {
    [DELIVER_WEBHOOK_TASK]: async (payload) => {
      const { batch, ...job } = payload;
      const started = Date.now();
      for (const [i, id] of (batch ?? [job.delivery_id]).entries()) {
        if (i > 0 && Date.now() - started >= BATCH_BUDGET_MS) throw new RetryLater(0, 'batch budget spent; the rest of the batch comes back');
        const outcome = await engine.attempt({ ...job, delivery_id: id });
        if (outcome.run === 'busy') throw new RetryLater(outcome.retryInMs, 'endpoint at its limit of attempts in flight');
      }
    },
  };
}

/** deliver_webhook runs in the webhooks lane. */
export const WEBHOOK_TASK_LANES: TaskLanes = { [DELIVER_WEBHOOK_TASK]: WEBHOOK_LANE };
