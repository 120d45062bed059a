/** The task that makes one HTTP attempt of one delivery. */
export const DELIVER_WEBHOOK_TASK = 'deliver_webhook';

/** The lane deliver_webhook runs in: webhook workers of their own, so slow endpoints never hold back message work. */
export const WEBHOOK_LANE = 'webhooks';

/** Payload of a deliver_webhook job: which delivery, which attempt (1-based), which step of the retry schedule (0 = first try). */
export interface DeliveryJob {
  delivery_id: string;
  /** The delivery's endpoint, so a job for a full endpoint is turned away without reading the store (absent in older jobs). */
  endpoint_id?: string;
  attempt: number;
  retry: number;
  /** Attempt even when the endpoint is disabled (the test event). */
  force?: boolean;
  /**
   * The first attempts of deliveries created together for this endpoint (delivery_id is the first), made one after
   * another by one job (fanout.ts); each one done is stale when the job runs again. Absent for a single delivery.
   */
  batch?: string[];
}

/** Most deliveries one fan-out job carries. */
export const DELIVERY_BATCH = 16;

/** A batch job goes on to its next delivery only while it has run less than this (ms); the rest run again later, so a job lasts about as long as one attempt (its lease bounds it). */
export const BATCH_BUDGET_MS = 1000;

declare module '../jobs/queue.ts' {
  interface TaskPayloads {
    [DELIVER_WEBHOOK_TASK]: DeliveryJob;
  }
}
