/** The task that makes one HTTP attempt of one delivery. */
export const DELIVER_WEBHOOK_TASK = 'deliver_webhook';

/** The lane deliver_webhook runs in: webhook workers of their own, so slow endpoints never hold back message work. */
export const WEBHOOK_LANE = 'webhooks';

/**
 * With the embedded store's job thread on, the webhook calls it runs: the job thread deals those of the events it
 * records half to this lane and half to WEBHOOK_LANE, which the API thread runs (each thread holds half the slots).
 */
export const JOB_THREAD_WEBHOOK_LANE = 'webhooks-job-thread';

/** Payload of a deliver_webhook job: which delivery, which attempt (1-based), which step of the retry schedule (0 = first try). */
export interface DeliveryJob {
  delivery_id: string;
  /** The delivery's endpoint, so a job for a full endpoint is turned away without reading the store (absent in older jobs). */
  endpoint_id?: string;
  attempt: number;
  retry: number;
  /** Attempt even when the endpoint is disabled (the test event). */
  force?: boolean;
}

declare module '../jobs/queue.ts' {
  interface TaskPayloads {
    [DELIVER_WEBHOOK_TASK]: DeliveryJob;
  }
}
