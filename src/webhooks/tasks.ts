import type { Deps } from '../deps.ts';
import { DISPATCH_EVENT_TASK } from '../events/service.ts';
import { RetryLater, type Task } from '../jobs/queue.ts';
import { DELIVER_WEBHOOK_TASK, engineFor, type DeliveryJob } from './engine.ts';

/** The webhook tasks: dispatch_event fans an event out to matching endpoints, deliver_webhook makes one attempt of one delivery. */
export function webhookTasks(deps: Deps): Record<string, Task> {
  const engine = engineFor(deps);
  return {
    [DISPATCH_EVENT_TASK]: async (payload: { event_id: string }) => {
      await engine.dispatch(payload.event_id);
    },
    [DELIVER_WEBHOOK_TASK]: async (payload: DeliveryJob) => {
      const outcome = await engine.attempt(payload);
      if (outcome.run === 'busy') throw new RetryLater(outcome.retryInMs, 'endpoint at its limit of attempts in flight');
    },
  };
}
