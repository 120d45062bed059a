import type { Deps } from '../deps.ts';
import type { TaskLanes, TasksOf } from '../jobs/queue.ts';
import { WEBHOOK_LANE } from '../webhooks/delivery-job.ts';
import { AUTOMATION_STEP_TASK, runStepJob } from './engine.ts';
import { runWebhookJob } from './webhook-call.ts';
import { AUTOMATION_WEBHOOK_TASK } from './webhook-job.ts';
import { AUTOMATION_DATE_SCAN_TASK, AUTOMATION_TRIGGER_START_TASK, runDateScan, runTriggerStart } from './triggers/date.ts';

/** The automations' tasks: automation_step runs a run's current step; automation_webhook makes a webhook step's call; automation_trigger_start starts a scheduled run; automation_date_scan schedules a day's contact-date starts. */
export function automationTasks(deps: Deps): TasksOf<typeof AUTOMATION_STEP_TASK | typeof AUTOMATION_WEBHOOK_TASK | typeof AUTOMATION_TRIGGER_START_TASK | typeof AUTOMATION_DATE_SCAN_TASK> {
  return {
    [AUTOMATION_STEP_TASK]: (payload) => runStepJob(deps, payload),
    [AUTOMATION_WEBHOOK_TASK]: (payload, context) => runWebhookJob(deps, payload, context),
    [AUTOMATION_TRIGGER_START_TASK]: (payload) => runTriggerStart(deps, payload),
    [AUTOMATION_DATE_SCAN_TASK]: (payload) => runDateScan(deps, payload),
  };
}

/** Webhook steps' calls run in the webhooks lane (HTTP calls to outside receivers), so a slow receiver never holds up steps. */
export const AUTOMATION_TASK_LANES: TaskLanes = { [AUTOMATION_WEBHOOK_TASK]: WEBHOOK_LANE };
