import type { Deps } from '../deps.ts';
import type { MessagesTable } from '../db/types.ts';
import { RetryLater, type TaskContext, type TaskRun, type TaskTable, type TasksOf } from '../jobs/queue.ts';
import { findChannel } from '../channels/queries.ts';
import { providerChannel } from '../channels/secrets.ts';
import { parseJson } from '../lib/json.ts';
import { buildProviders } from '../providers/index.ts';
import { ProviderError, type OutboundMessage, type OutboundTemplate, type ProviderAdapter, type ProviderChannel } from '../providers/types.ts';
import { publicConfigOf } from './rules.ts';
import { createThrottle, sendRateOf, type ChannelThrottle } from './throttle.ts';
import { createPgThrottle, type SharedChannelThrottle } from './throttle-pg.ts';
import { isPostgres } from '../db/dialect.ts';
import { applyStatus, applyStatuses, type MessageError, type StatusChange } from './status.ts';
import * as q from './queries.ts';
import { listUnsubscribeUrl } from '../tracking/tokens.ts';

/** The task that hands one outbound message to its channel's provider. */
export const SEND_MESSAGE_TASK = 'send_message';

/** A message the provider still refuses for throughput this long after it was accepted fails (with the provider's code). */
export const THROTTLED_GIVE_UP_MS = 24 * 3600_000;

/** Payload of a send_message job. */
export interface SendMessagePayload {
  message_id: string;
}

declare module '../jobs/queue.ts' {
  interface TaskPayloads {
    [SEND_MESSAGE_TASK]: SendMessagePayload;
  }
}

function toOutbound(row: MessagesTable): OutboundMessage {
  const outbound: OutboundMessage = {
    id: row.id, idempotencyKey: row.id, to: row.address ?? '', type: row.type as OutboundMessage['type'],
    content: parseJson(row.content, {}), metadata: parseJson(row.metadata, null), createdAt: row.created_at,
  };
  if (row.template !== null) outbound.template = parseJson<OutboundTemplate>(row.template, undefined as never);
  if (row.subject !== null) outbound.subject = row.subject;
  if (row.html !== null) outbound.html = row.html;
  return outbound;
}

function classify(err: unknown): ProviderError {
  if (err instanceof ProviderError) return err;
  return new ProviderError('provider_error', err instanceof Error ? err.message : String(err), true);
}

/** The channel pacer for the store: in memory on SQLite (one process), in the database on PostgreSQL (shared by every worker process). */
export function throttleFor(deps: Deps): ChannelThrottle | SharedChannelThrottle {
  return isPostgres(deps.db) ? createPgThrottle(deps.db) : createThrottle();
}

/**
 * Builds send_message: load the message, call the provider, then record `sent` (with the provider id, its event, the
 * statuses the provider reported with its answer and the provider's follow-up jobs) in one transaction, planned on the row
 * loaded first (compare-and-set on its status and deletion: read again only when either moved). A job that runs again finds the message no longer `enqueued`
 * and does nothing; a crash between the provider call and the commit re-sends with the same idempotency key (see
 * providers/types.ts for the guarantee). Permanent provider errors fail the message at once; retryable ones are
 * rethrown for a backoff retry and fail it on the last attempt. A deleted message is never sent.
 *
 * Throughput: each channel sends at most its rate (throttle.ts: `rate_per_second`, default by type; throttle-pg.ts
 * shares it between processes on PostgreSQL); a job over the rate is put back until its slot (RetryLater, no attempt counted). A provider's throughput error carrying
 * `retryAfterMs` pauses the whole channel that long and puts the job back the same way, until THROTTLED_GIVE_UP_MS
 * after the message was accepted.
 */
export function sendMessageTask(deps: Deps, providers: Record<string, ProviderAdapter>, throttle: ChannelThrottle | SharedChannelThrottle = throttleFor(deps)): TaskRun<typeof SEND_MESSAGE_TASK> {
  const fail = (messageId: string, error: MessageError) => applyStatus(deps, { id: messageId }, { status: 'failed', error });

  return async function sendMessage(payload: SendMessagePayload, context: TaskContext): Promise<void> {
    const message = await q.findMessageById(deps.db, payload.message_id);
    if (!message || message.deleted_at || message.status !== 'enqueued') return;
    const channelRow = await findChannel(deps.db, message.workspace_id, message.channel_id);
    if (!channelRow) {
      await fail(message.id, { code: 'channel_unavailable', reason: 'the channel no longer exists' });
      return;
    }
    const adapter = providers[channelRow.provider];
    if (!adapter) {
      await fail(message.id, { code: 'channel_unavailable', reason: `no adapter for provider "${channelRow.provider}"` });
      return;
    }
    const rate = sendRateOf({ type: channelRow.type, provider: channelRow.provider, config: publicConfigOf(channelRow) });
    const wait = await throttle.take(channelRow.id, rate, message.id);
    if (wait > 0) throw new RetryLater(wait, `channel ${channelRow.id} sends at most ${rate} messages per second`);
    const outbound = toOutbound(message);
    const unsubscribeUrl = listUnsubscribeUrl(deps.config.publicUrl, deps.secrets, message);
    if (unsubscribeUrl) outbound.unsubscribeUrl = unsubscribeUrl;
    let channel: ProviderChannel;
    let result;
    try {
      // the channel's config with its secrets decrypted (a retryable error when they cannot be: the key may come back)
      channel = providerChannel(deps.secrets, channelRow);
      result = await adapter.send(channel, outbound);
    } catch (err) {
      if (err instanceof RetryLater) throw err;
      const error = classify(err);
      if (error.retryable && error.retryAfterMs !== undefined) {
        await throttle.pause(channelRow.id, error.retryAfterMs);
        if (Date.now() - Date.parse(message.created_at) < THROTTLED_GIVE_UP_MS) {
          throw new RetryLater(error.retryAfterMs, `the provider asked to slow down (${error.code}: ${error.message})`);
        }
        await fail(message.id, { code: error.code, reason: `${error.message} (the provider kept refusing for throughput 24 hours after the message was accepted)` });
        return;
      }
      const last = context.attempt >= context.maxAttempts;
      if (error.retryable && !last) throw error;
      const reason = error.retryable ? `${error.message} (gave up after ${context.attempt} attempts)` : error.message;
      await fail(message.id, { code: error.code, reason });
      return;
    }
    // `sent` and the statuses the provider reported with it: one transaction, one write of the row, an event each
    const changes: StatusChange[] = [{ status: 'sent', providerMessageId: result.providerMessageId }, ...(result.statuses ?? [])];
    await applyStatuses(deps, { id: message.id }, changes, async (trx) => {
      if (adapter.afterSent) await adapter.afterSent(trx, deps.queue, channel, outbound, result);
      await context.completeIn?.(trx); // the job ends in the commit of `sent` (embedded queue)
    }, message);
  };
}

/** Every job task of the messages domain (the providers' own tasks are the providers module's: src/modules.ts). */
export function messageTasks(deps: Deps): TasksOf<typeof SEND_MESSAGE_TASK> {
  return { [SEND_MESSAGE_TASK]: sendMessageTask(deps, buildProviders(deps)) };
}
