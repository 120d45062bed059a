/** The task that brings a snoozed conversation back (status open) when its snooze ends: one job per snooze, run at snoozed_until. */
export const SNOOZE_END_TASK = 'conversation_snooze_end';

/** The snooze-end job's payload: the conversation and the snooze it ends (a job of an earlier snooze finds nothing to do). */
export interface SnoozeEndPayload {
  workspace_id: string;
  conversation_id: string;
  snoozed_until: string;
}

declare module '../jobs/queue.ts' {
  interface TaskPayloads {
    [SNOOZE_END_TASK]: SnoozeEndPayload;
  }
}
