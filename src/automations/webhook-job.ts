/** The task that makes a webhook step's HTTP call, outside the step's transaction, then resumes the run. */
export const AUTOMATION_WEBHOOK_TASK = 'automation_webhook';

/** What a run waiting for its webhook step's call has in `waiting_for`. */
export const WAITING_WEBHOOK = 'webhook';

/** A webhook call job: the run, and the token the run got when it parked on the webhook step (a stale token does nothing). */
export interface AutomationWebhookPayload {
  run_id: string;
  token: number;
}

declare module '../jobs/queue.ts' {
  interface TaskPayloads {
    [AUTOMATION_WEBHOOK_TASK]: AutomationWebhookPayload;
  }
}
