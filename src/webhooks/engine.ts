import type { Agent } from 'undici';
import type { Db } from '../db/connect.ts';
import type { WebhookEndpointsTable } from '../db/types.ts';
import { DELIVER_WEBHOOK_TASK, type DeliveryJob } from './delivery-job.ts';
import type { Deps } from '../deps.ts';
import { deliveryBody, deliveryMessageId } from './formats.ts';
import { AllowList } from '../lib/ssrf.ts';
import { createWebhookAgent, postWebhook, type AttemptResult } from './deliver.ts';
import { nextAttemptDelayMs, scheduledDelayMs } from './retry.ts';
import { webhookHeaders } from './sign.ts';
import { withOpenSecrets } from './secrets.ts';
import { EndpointSlots } from './slots.ts';
import { CircuitBreakers } from './breaker.ts';
import { attemptRow, SuccessRecorder } from './successes.ts';
import * as q from './queries.ts';

export { ALL_EVENTS, subscribes } from './fanout.ts';
export { DELIVER_WEBHOOK_TASK, type DeliveryJob } from './delivery-job.ts';

/** How a call to DeliveryEngine.attempt ended: attempted (or cancelled), nothing to do, or the endpoint was full (come back in retryInMs). */
export type AttemptRun = { run: 'done' } | { run: 'stale' } | { run: 'busy'; retryInMs: number };

const DONE: AttemptRun = { run: 'done' };
const STALE: AttemptRun = { run: 'stale' };

class StaleDelivery extends Error {}

/** The secrets that sign a request now: the current one, then the previous one while its overlap lasts. */
export function signingSecrets(endpoint: Pick<WebhookEndpointsTable, 'secret' | 'previous_secret' | 'previous_secret_expires_at'>, now: Date): string[] {
  const live = endpoint.previous_secret && endpoint.previous_secret_expires_at && Date.parse(endpoint.previous_secret_expires_at) > now.getTime();
  return live ? [endpoint.secret, endpoint.previous_secret as string] : [endpoint.secret];
}

/** Disables an endpoint in `trx` and fails its pending deliveries, saying why. */
export async function disableEndpointIn(trx: Db, endpointId: string, reason: string, at: string): Promise<void> {
  await q.disableEndpoint(trx, endpointId, reason, at);
  await q.failPendingDeliveries(trx, endpointId, `endpoint disabled: ${reason}`, at);
}

/**
 * Fans events out and runs delivery attempts: one per process (see engineFor), holding the SSRF-guarded HTTP agent
 * and the attempts in flight per endpoint (EndpointSlots), so one slow endpoint can only occupy a few worker slots.
 */
export class DeliveryEngine {
  private readonly deps: Deps;
  readonly allow: AllowList;
  /** The SSRF-guarded HTTP agent, made by the first attempt (undici is loaded then, not at start). */
  private agent: Agent | null = null;
  /** Attempts in flight per endpoint in this thread: a quarter of the webhook slots it runs (at least 1). */
  readonly slots: EndpointSlots;
  /** Endpoints that stopped answering wait instead of being connected to for every delivery. */
  readonly breakers = new CircuitBreakers();
  /** Successful attempts that finish together are recorded in one unit of writes. */
  private readonly successes: SuccessRecorder;

  constructor(deps: Deps) {
    this.deps = deps;
    this.allow = new AllowList(deps.config.webhookAllowPrivate);
    this.slots = new EndpointSlots(Math.max(1, Math.floor((deps.webhookSlots ?? deps.config.webhookConcurrency) / 4)));
    this.successes = new SuccessRecorder(deps.writer);
  }

  /**
   * Makes one attempt of a delivery and records it; 'busy' when the endpoint already has its share of attempts in
   * flight. A job naming its endpoint is turned away before it touches the store. `completeIn` (the job's TaskContext
   * hook) is called at the end of the transaction that records the outcome, so the job ends with it.
   */
  async attempt(job: DeliveryJob, completeIn?: (trx: Db) => Promise<void>): Promise<AttemptRun> {
    const { db, config, metrics } = this.deps;
    let endpointId = job.endpoint_id;
    let slot: number | null = null;
    const wait = endpointId && !job.force ? this.breakers.waitMs(endpointId) : 0;
    if (wait > 0) return { run: 'busy', retryInMs: wait + Math.round(Math.random() * 250) };
    if (endpointId) {
      slot = await this.slots.acquire(endpointId);
      if (slot === null) return { run: 'busy', retryInMs: this.slots.comeBackInMs(endpointId) };
    }
    let result: AttemptResult;
    const sentAt = new Date();
    try {
      const row = await q.loadAttempt(db, job.delivery_id);
      if (!row || row.status !== 'pending' || row.attempt_count !== job.attempt - 1) return STALE;
      if (row.enabled !== 1 && !job.force) {
        const at = new Date().toISOString();
        await this.deps.writer.run(async (trx) => {
          await q.updateDelivery(trx, row.id, { status: 'failed', next_attempt_at: null, last_error: `endpoint disabled: ${row.disabled_reason ?? 'disabled'}`, updated_at: at });
          await completeIn?.(trx);
        });
        metrics.webhookOutcomes.inc({ outcome: 'disabled' });
        return DONE;
      }
      if (slot === null) {
        endpointId = row.endpoint_id;
        slot = await this.slots.acquire(endpointId);
        if (slot === null) return { run: 'busy', retryInMs: this.slots.comeBackInMs(endpointId) };
      }
      sentAt.setTime(Date.now());
      const body = await deliveryBody(this.deps, row.origin, row.format, row.workspace_id, { id: row.event_id, type: row.event_type, payload: row.event_payload, created_at: row.event_created_at }, row.part);
      const messageId = deliveryMessageId(row.event_id, row.part);
      result = await postWebhook(this.agent ??= createWebhookAgent(this.allow), this.allow, row.url, webhookHeaders(signingSecrets(withOpenSecrets(this.deps.secrets, row.endpoint_id, row), sentAt), messageId, sentAt, body), body, config.webhookTimeoutMs);
    } finally {
      if (slot !== null && endpointId) this.slots.release(endpointId, slot);
    }
    if (endpointId) this.breakers.record(endpointId, result.statusCode !== null);
    metrics.webhookOutcomes.inc({ outcome: result.outcome });
    if (result.outcome === 'success') return (await this.successes.record({ job, sentAt, result, completeIn })) ? DONE : STALE;
    try {
      const { rescheduled, disabled } = await this.deps.writer.run(async (trx) => {
        const recorded = await this.record(trx, job, sentAt, result);
        await completeIn?.(trx);
        return recorded;
      });
      if (disabled) metrics.webhookOutcomes.inc({ outcome: 'disabled' });
      if (rescheduled) this.deps.queue.notify();
    } catch (err) {
      if (err instanceof StaleDelivery) return STALE;
      throw err;
    }
    return DONE;
  }

  /** Records a failed attempt and moves the delivery on: rescheduled per the schedule and Retry-After, or failed (maybe disabling the endpoint). */
  private async record(trx: Db, job: DeliveryJob, sentAt: Date, result: AttemptResult): Promise<{ rescheduled: boolean; disabled: boolean }> {
    const delivery = await q.findDeliveryWithEndpoint(trx, job.delivery_id);
    if (!delivery || delivery.attempt_count !== job.attempt - 1) throw new StaleDelivery();
    const endpoint = { id: delivery.endpoint_id, failing_since: delivery.endpoint_failing_since, enabled: delivery.endpoint_enabled };
    const now = new Date();
    const at = now.toISOString();
    await q.insertAttempts(trx, [attemptRow(job, sentAt, result)]);
    const base = { attempt_count: job.attempt, last_status_code: result.statusCode, last_error: result.error, updated_at: at };
    // a delivery failed meanwhile (its endpoint was disabled) keeps that status; the attempt is still on record
    const stillPending = delivery.status === 'pending';
    const failingSince = endpoint.failing_since ?? at;
    await q.markEndpointFailing(trx, endpoint.id, at);
    if (!stillPending) {
      await q.updateDelivery(trx, delivery.id, base);
      return { rescheduled: false, disabled: false };
    }
    const enabled = endpoint.enabled === 1;
    if (result.statusCode === 410) {
      await q.updateDelivery(trx, delivery.id, { ...base, status: 'failed', next_attempt_at: null });
      if (!enabled) return { rescheduled: false, disabled: false };
      await disableEndpointIn(trx, endpoint.id, `the endpoint answered 410 Gone at ${at}`, at);
      return { rescheduled: false, disabled: true };
    }
    const scheduled = enabled ? scheduledDelayMs(this.deps.config.webhookRetrySchedule, job.retry) : null;
    if (scheduled !== null) {
      const runAt = new Date(now.getTime() + nextAttemptDelayMs(scheduled, result.retryAfterMs));
      await q.updateDelivery(trx, delivery.id, { ...base, next_attempt_at: runAt.toISOString() });
      await this.deps.queue.enqueue(trx, DELIVER_WEBHOOK_TASK, { delivery_id: delivery.id, endpoint_id: delivery.endpoint_id, attempt: job.attempt + 1, retry: job.retry + 1 } satisfies DeliveryJob, { runAt });
      return { rescheduled: true, disabled: false };
    }
    await q.updateDelivery(trx, delivery.id, { ...base, status: 'failed', next_attempt_at: null });
    const threshold = this.deps.config.webhookDisableAfterHours * 3600 * 1000;
    if (enabled && now.getTime() - Date.parse(failingSince) >= threshold) {
      await disableEndpointIn(trx, endpoint.id, `disabled after failing since ${failingSince}: ${result.error ?? 'no answer'}`, at);
      return { rescheduled: false, disabled: true };
    }
    return { rescheduled: false, disabled: false };
  }
}

const engines = new WeakMap<Deps, DeliveryEngine>();

/** The one DeliveryEngine of this set of dependencies (routes and tasks share it, and so its per-endpoint limits). */
export function engineFor(deps: Deps): DeliveryEngine {
  let engine = engines.get(deps);
  if (!engine) {
    engine = new DeliveryEngine(deps);
    engines.set(deps, engine);
  }
  return engine;
}
