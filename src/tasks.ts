import type { Deps } from './deps.ts';
import type { Task } from './jobs/queue.ts';
import { messageTasks } from './messages/tasks.ts';
import { webhookTasks } from './webhooks/tasks.ts';
import { importTasks } from './imports/tasks.ts';
import { campaignTasks } from './campaigns/tasks.ts';

/** Every job task by name; each domain contributes its own. */
export function buildTasks(deps: Deps): Record<string, Task> {
  return {
    ...messageTasks(deps),
    ...webhookTasks(deps),
    ...importTasks(deps),
    ...campaignTasks(deps),
  };
}
