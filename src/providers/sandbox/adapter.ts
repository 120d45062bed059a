import type { Deps } from '../../deps.ts';
import { RetryLater, type Task } from '../../jobs/queue.ts';
import { newId } from '../../lib/ids.ts';
import { nowIso } from '../../lib/time.ts';
import type { MessageFailure, ProviderPort, StatusResult } from '../port.ts';
import { ProviderError, type ProviderAdapter, type SendResult } from '../types.ts';
import { SANDBOX_PROVIDER } from './service.ts';
import { markSandboxAccepted, recordSandboxCall } from './queries.ts';

/** The task that plays one simulated status callback of the sandbox phone. */
export const SANDBOX_STATUS_TASK = 'sandbox_status';

/** Test numbers with a scripted outcome, like a payment sandbox's test cards (NANP fictional 555-01XX numbers). */
export const SANDBOX_MAGIC_NUMBERS = {
  '+12025550101': 'invalid_recipient',
  '+12025550102': 'not_on_whatsapp',
  '+12025550103': 'never_read',
  '+12025550104': 'flaky',
  '+12025550105': 'rejected',
  '+12025550106': 'unavailable',
} as const;

/**
 * The sandbox provider, as documented in docs/sandbox.md.
 *
 * The sandbox simulates a phone on the other end. With `BECKON_SANDBOX_DELAYS=s,d,r` (ms; default 1000,2000,3000)
 * a message is accepted (status `sent`) `s` ms after it was enqueued (waiting in the queue, not in a worker slot), `delivered` `d` ms after that and
 * `read` `r` ms after delivery (a zero `d`, and then a zero `r`, comes with the provider's answer and is recorded with
 * `sent` in one transaction, with no callback job). Every other number behaves that way; these test numbers do not:
 *
 * | to               | what happens                                                                            |
 * |------------------|-----------------------------------------------------------------------------------------|
 * | +1 202 555 0101  | sent, then `failed` with error `invalid_recipient` (the number does not exist)          |
 * | +1 202 555 0102  | sent, then `failed` with error `not_on_whatsapp` (the number has no WhatsApp account)   |
 * | +1 202 555 0103  | sent, delivered, never read                                                             |
 * | +1 202 555 0104  | the provider answers a retryable error twice (`provider_unavailable`), then accepts it; |
 * |                  | the job retries with backoff (about 2 s, then 4 s) and the message goes on to read      |
 * | +1 202 555 0105  | refused at send: `failed` with error `provider_rejected`, never sent (permanent error)   |
 * | +1 202 555 0106  | always a retryable error: `failed` with `provider_unavailable` once the send attempts   |
 * |                  | run out (10 attempts, about 17 minutes of backoff)                                      |
 *
 * The sandbox deduplicates on the idempotency key (the message id): a repeated send after a crash answers with
 * the first provider id and never reaches the phone twice.
 */
export const SANDBOX_DOC = `Sandbox test numbers (to):
+1 202 555 0101  sent, then failed: invalid_recipient
+1 202 555 0102  sent, then failed: not_on_whatsapp
+1 202 555 0103  sent, delivered, never read
+1 202 555 0104  retryable provider error twice (provider_unavailable), then sent, delivered, read
+1 202 555 0105  failed at send: provider_rejected (permanent error)
+1 202 555 0106  retryable provider error every time: failed with provider_unavailable once attempts run out
Any other number: sent, delivered, read after BECKON_SANDBOX_DELAYS (ms until sent, delivered, read).`;

type Magic = (typeof SANDBOX_MAGIC_NUMBERS)[keyof typeof SANDBOX_MAGIC_NUMBERS];

type MessageError = MessageFailure;

function magicOf(to: string): Magic | undefined {
  return (SANDBOX_MAGIC_NUMBERS as Record<string, Magic>)[to];
}

const ASYNC_FAILURES: Partial<Record<Magic, MessageError>> = {
  invalid_recipient: { code: 'invalid_recipient', reason: 'the recipient number does not exist (sandbox test number +1 202 555 0101)' },
  not_on_whatsapp: { code: 'not_on_whatsapp', reason: 'the recipient has no WhatsApp account (sandbox test number +1 202 555 0102)' },
};

/** Payload of a sandbox_status job: the simulated callback to play. */
export interface SandboxStatusPayload {
  provider_message_id: string;
  status: 'delivered' | 'read' | 'failed';
  error?: MessageError;
}

declare module '../../jobs/queue.ts' {
  interface TaskPayloads {
    [SANDBOX_STATUS_TASK]: SandboxStatusPayload;
  }
}

/**
 * What the simulated phone reports with the provider's answer when its delivered delay is 0: the failure of a failing
 * test number, or delivered, then read too when the read delay is also 0 (and the number reads).
 */
function reportedAtOnce(to: string, readDelay: number): NonNullable<SendResult['statuses']> {
  const magic = magicOf(to);
  const error = ASYNC_FAILURES[magic as Magic];
  if (error) return [{ status: 'failed', error }];
  return readDelay > 0 || magic === 'never_read' ? [{ status: 'delivered' }] : [{ status: 'delivered' }, { status: 'read' }];
}

/** Builds the sandbox adapter: it remembers every idempotency key in its own table, as an outside provider would. */
export function createSandboxProvider(deps: Pick<Deps, 'writer' | 'config'>): ProviderAdapter {
  const [sentDelay, deliveredDelay, readDelay] = deps.config.sandboxDelays;
  const answer = (to: string, providerMessageId: string): SendResult => (deliveredDelay === 0
    ? { providerMessageId, statuses: reportedAtOnce(to, readDelay) }
    : { providerMessageId });
  return {
    name: SANDBOX_PROVIDER,
    deduplicates: true,
    async send(_channel, message) {
      // the simulated provider answers `sentDelay` ms after the message was accepted; until then the job waits in the queue, not in a worker slot
      const wait = Date.parse(message.createdAt) + sentDelay - Date.now();
      if (wait > 0) throw new RetryLater(wait, 'the sandbox provider has not answered yet');
      const magic = magicOf(message.to);
      const refuses = (calls: number) => magic === 'rejected' || magic === 'unavailable' || (magic === 'flaky' && calls <= 2);
      // the call is recorded, and accepted when the number does not refuse it, in one (group-committed) transaction
      const record = await deps.writer.run(async (trx) => {
        // a number that never refuses is accepted by the statement that records the call
        const call = await recordSandboxCall(trx, message.idempotencyKey, message.to, `sbx_${newId()}`, nowIso(), magic ? null : nowIso());
        if (!call.accepted_at && !refuses(call.calls)) await markSandboxAccepted(trx, message.idempotencyKey, nowIso());
        return call;
      });
      if (record.accepted_at) return answer(message.to, record.provider_message_id);
      if (magic === 'rejected') {
        throw new ProviderError('provider_rejected', 'the provider refused the message (sandbox test number +1 202 555 0105)', false);
      }
      if (refuses(record.calls)) {
        throw new ProviderError('provider_unavailable', `the provider is unavailable, try again (sandbox test number ${message.to}, call ${record.calls})`, true);
      }
      return answer(message.to, record.provider_message_id);
    },
    async afterSent(trx, queue, _channel, message, result) {
      if (deliveredDelay === 0) {
        // delivered (or failed) came with the answer; only a read still to come is a later callback
        const delivered = result.statuses?.some((s) => s.status === 'delivered') ?? false;
        if (delivered && readDelay > 0 && magicOf(message.to) !== 'never_read') {
          const next: SandboxStatusPayload = { provider_message_id: result.providerMessageId, status: 'read' };
          await queue.enqueue(trx, SANDBOX_STATUS_TASK, next, { runAt: new Date(Date.now() + readDelay) });
        }
        return;
      }
      const error = ASYNC_FAILURES[magicOf(message.to) as Magic];
      const payload: SandboxStatusPayload = error
        ? { provider_message_id: result.providerMessageId, status: 'failed', error }
        : { provider_message_id: result.providerMessageId, status: 'delivered' };
      await queue.enqueue(trx, SANDBOX_STATUS_TASK, payload, { runAt: new Date(Date.now() + deliveredDelay) });
    },
  };
}

/** The sandbox's simulated callbacks: each applies one status (through the port) and schedules the next (delivered → read). */
export function sandboxTasks(deps: Pick<Deps, 'config' | 'queue'>, port: ProviderPort): Record<string, Task> {
  const readDelay = deps.config.sandboxDelays[2];
  return {
    async [SANDBOX_STATUS_TASK](payload: SandboxStatusPayload) {
      const getsRead = (address: string | null) => payload.status === 'delivered' && magicOf(address ?? '') !== 'never_read';
      let read = null as StatusResult | null;
      const outcome = await port.applyStatus({ providerMessageId: payload.provider_message_id }, { status: payload.status, error: payload.error }, async (trx, message) => {
        if (!getsRead(message.address)) return;
        // a read receipt due at once is played right after delivery, in the same transaction, without a trip through the queue
        if (readDelay === 0) {
          read = await port.applyStatusIn(trx, { id: message.id }, { status: 'read' });
          return;
        }
        const next: SandboxStatusPayload = { provider_message_id: payload.provider_message_id, status: 'read' };
        await deps.queue.enqueue(trx, SANDBOX_STATUS_TASK, next, { runAt: new Date(Date.now() + readDelay) });
      });
      if (read) port.statusCommitted('read', read);
      // this job ran before (delivered was already applied): play the read again (a repeated read is absorbed)
      if (readDelay === 0 && outcome.outcome === 'ignored' && getsRead(outcome.message.address)) {
        await port.applyStatus({ providerMessageId: payload.provider_message_id }, { status: 'read' });
      }
    },
  };
}
