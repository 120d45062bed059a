import type { Deps } from '../deps.ts';
import { RetryLater, type TaskLanes, type TasksOf } from '../jobs/queue.ts';
import { engineFor } from './engine.ts';
import { DELIVER_WEBHOOK_TASK, WEBHOOK_LANE } from './delivery-job.ts';

/** The webhook task: deliver_webhook makes one attempt of one delivery (fan-out happens when the event is recorded). */
export function webhookTasks(deps: Deps): TasksOf<typeof DELIVER_WEBHOOK_TASK> {
  const engine = engineFor(deps);
  return {
    [DELIVER_WEBHOOK_TASK]: async (payload, context) => {
      const outcome = await engine.attempt(payload, context.completeIn);
      if (outcome.run === 'busy') throw new RetryLater(outcome.retryInMs, 'endpoint at its limit of attempts in flight');
    },
  };
}

/** deliver_webhook runs in the webhooks lane. */
export const WEBHOOK_TASK_LANES: TaskLanes = { [DELIVER_WEBHOOK_TASK]: WEBHOOK_LANE };
