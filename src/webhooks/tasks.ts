import type { Deps } from '../deps.ts';
import { RetryLater, type Task } from '../jobs/queue.ts';
import { engineFor, type DeliveryJob } from './engine.ts';
import { DELIVER_WEBHOOK_TASK } from './fanout.ts';

/** The webhook task: deliver_webhook makes one attempt of one delivery (fan-out happens when the event is recorded). */
export function webhookTasks(deps: Deps): Record<string, Task> {
  const engine = engineFor(deps);
  return {
    [DELIVER_WEBHOOK_TASK]: async (payload: DeliveryJob) => {
      const outcome = await engine.attempt(payload);
      if (outcome.run === 'busy') throw new RetryLater(outcome.retryInMs, 'endpoint at its limit of attempts in flight');
    },
  };
}
