import type { Deps } from '../deps.ts';
import type { Task } from '../jobs/queue.ts';

/** Placeholder until this domain's tasks land. */
export function messageTasks(_deps: Deps): Record<string, Task> {
  return {};
}
