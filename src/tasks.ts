import type { Deps } from './deps.ts';
import type { Task } from './jobs/queue.ts';

/** Every job task by name; each domain contributes its own. */
export function buildTasks(_deps: Deps): Record<string, Task> {
  return {
  };
}
