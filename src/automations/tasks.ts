import type { Deps } from '../deps.ts';
import type { TasksOf } from '../jobs/queue.ts';
import { AUTOMATION_STEP_TASK, runStepJob } from './engine.ts';

/** The automations' task: automation_step runs a run's current step. */
export function automationTasks(deps: Deps): TasksOf<typeof AUTOMATION_STEP_TASK> {
  return { [AUTOMATION_STEP_TASK]: (payload) => runStepJob(deps, payload) };
}
