import type { Deps } from '../deps.ts';
import type { TasksOf } from '../jobs/queue.ts';
import { AUTOMATION_STEP_TASK, runStepJob } from './engine.ts';
import { AUTOMATION_DATE_SCAN_TASK, AUTOMATION_TRIGGER_START_TASK, runDateScan, runTriggerStart } from './triggers/date.ts';

/** The automations' tasks: automation_step runs a run's current step; automation_trigger_start starts a scheduled run; automation_date_scan schedules a day's contact-date starts. */
export function automationTasks(deps: Deps): TasksOf<typeof AUTOMATION_STEP_TASK | typeof AUTOMATION_TRIGGER_START_TASK | typeof AUTOMATION_DATE_SCAN_TASK> {
  return {
    [AUTOMATION_STEP_TASK]: (payload) => runStepJob(deps, payload),
    [AUTOMATION_TRIGGER_START_TASK]: (payload) => runTriggerStart(deps, payload),
    [AUTOMATION_DATE_SCAN_TASK]: (payload) => runDateScan(deps, payload),
  };
}
