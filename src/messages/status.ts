import type { Deps } from '../deps.ts';
import type { Db } from '../db/connect.ts';
import type { MessagesTable } from '../db/types.ts';
import { recordEvents } from '../events/service.ts';
import type { EventBus } from '../events/subscribers.ts';
import { parseJson, toJson } from '../lib/json.ts';
import { nowIso } from '../lib/time.ts';
import * as q from './queries.ts';
import { messageView, type MessageView } from './view.ts';
import { isPostgres } from '../db/dialect.ts';
import { primeEnabledEndpoints } from '../webhooks/queries.ts';
import { OUTBOUND_STATUSES, MESSAGE_STATUSES } from '../db/enums.ts';
import type { OutboundStatus, MessageStatus } from '../db/enums.ts';
import type { MessageFailure, MessageLocator, StatusResult, WithinStatus } from '../providers/port.ts';

/** The column values, declared with the table types (db/enums.ts). */
export { OUTBOUND_STATUSES, MESSAGE_STATUSES, type OutboundStatus, type MessageStatus };

/** Why a message failed: a stable code and a sentence for people. */
export type MessageError = MessageFailure;

/** One entry of a message's status history. */
export interface StatusEntry {
  status: MessageStatus;
  at: string;
}

const RANK: Record<string, number> = { enqueued: 0, sent: 1, delivered: 2, read: 3 };

/**
 * True when a message in `from` may move to `to`: statuses only move forward (enqueued → sent → delivered → read,
 * skipping allowed), `failed` is reachable from enqueued, sent and delivered, and read and failed are final.
 * A repeat of the current status is not a move.
 */
export function canTransition(from: string, to: string): boolean {
  if (from === to || !(from in RANK)) return false;
  if (to === 'failed') return from !== 'read';
  return to in RANK && RANK[to] > RANK[from];
}

/** True when a message in this status will not change any more. */
export function isFinal(status: string): boolean {
  return status === 'read' || status === 'failed' || status === 'received';
}

/** A requested status change, as a worker or a provider callback reports it. */
export interface StatusChange {
  status: OutboundStatus;
  /** When it happened (default now); history entries keep the order they were applied in. */
  at?: string;
  providerMessageId?: string;
  error?: MessageError;
}

/** What applying a status change did (the provider port's StatusResult). */
export type StatusOutcome = StatusResult;

/** What status changes need: the store, the event bus (queue and subscribers), and metrics. */
export type StatusDeps = Pick<Deps, 'db' | 'writer' | 'queue' | 'subscribers' | 'metrics'>;

/** Runs extra work in the same transaction as a real status change (e.g. a provider scheduling its next callback). */
export type WithinChange = WithinStatus;

type Locator = MessageLocator;

async function locate(trx: Db, where: Locator): Promise<MessagesTable | undefined> {
  return 'id' in where ? q.findMessageById(trx, where.id) : q.findMessageByProviderId(trx, where.providerMessageId);
}

/**
 * Applies a status change to one message in one (group-committed) transaction. A real forward move appends to status_history,
 * stores the provider id and error, emits exactly one `message_status_updated` (payload: the message view; none
 * for a deleted message) and runs `within` in the same transaction. Duplicates and backward moves are absorbed
 * (outcome `ignored`, nothing written). The update is a compare-and-set on the previous status, so concurrent
 * callbacks for the same message never both apply.
 */
export async function applyStatus(deps: StatusDeps, where: Locator, change: StatusChange, within?: WithinChange): Promise<StatusOutcome> {
  return (await applyStatuses(deps, where, [change], within))[0];
}

/**
 * applyStatus for several changes of one message in order (`sent` with the statuses a provider reported with it),
 * in one transaction: each real move has its history entry and its own `message_status_updated`, and the row is
 * written once. Returns one outcome per change; `within` runs once if any moved. `read` is the message as the caller
 * read it (the send task): on SQLite the changes are planned on it and written compare-and-set on its status and
 * deletion, and the message is read again only when they moved meanwhile.
 */
export async function applyStatuses(deps: StatusDeps, where: Locator, changes: StatusChange[], within?: WithinChange, read?: MessagesTable): Promise<StatusOutcome[]> {
  const results = isPostgres(deps.db) ? await applyStatusesPg(deps, where, changes, within) : await applyStatusesSqlite(deps, where, changes, within, read);
  changes.forEach((change, i) => statusCommitted(deps, change.status, results[i]));
  return results;
}

/** applyStatuses on SQLite: planned on `read` before the write lock is taken, so the unit holds it for the writes alone. */
function applyStatusesSqlite(deps: StatusDeps, where: Locator, changes: StatusChange[], within?: WithinChange, read?: MessagesTable): Promise<StatusOutcome[]> {
  const planned = read && plan(read, changes);
  return deps.writer.run((trx) => applyStatusesIn(trx, deps, where, changes, within, read, planned));
}

/**
 * applyStatuses on PostgreSQL in two round trips: one statement reads the message and its workspace's webhook
 * endpoints, then the transaction (the update, compare-and-set on the status read, failing the transaction when it
 * moved meanwhile; the events; their deliveries and jobs; `within`) goes out in one pipelined round trip with its commit.
 * A status that moved meanwhile is read again and the changes planned again.
 */
async function applyStatusesPg(deps: StatusDeps, where: Locator, changes: StatusChange[], within?: WithinChange): Promise<StatusOutcome[]> {
  for (let tries = 0; tries < 5; tries++) {
    const { message: current, endpoints } = await q.statusContext(deps.db, where);
    if (!current) return changes.map(() => ({ outcome: 'unknown' }));
    const { outcomes, views, next } = plan(current, changes);
    if (views.length === 0) return outcomes;
    try {
      await deps.writer.run(async (trx) => {
        primeEnabledEndpoints(trx, next.workspace_id, endpoints);
        await q.updateStatusOrFail(trx, current.id, current.status, next);
        await written(trx, deps, next, views, within);
      });
    } catch (err) {
      if (q.isStatusMoved(err)) continue;
      throw err;
    }
    return outcomes;
  }
  throw new Error(`message status kept changing under us; giving up on ${changes.map((c) => c.status).join(', ')}`);
}

/** What `changes` do to a message: one outcome each, the views of the real moves, and the row after them. */
type Plan = { outcomes: StatusOutcome[]; views: unknown[]; next: MessagesTable };

/**
 * The outcomes of `changes` played on `current` in order, the views of the real moves, and the message after them. The
 * history is parsed once, the time read once, and the view built once and given each move's status columns.
 */
function plan(current: MessagesTable, changes: StatusChange[]): Plan {
  const outcomes: StatusOutcome[] = [];
  const views: unknown[] = [];
  let next = current;
  let history: StatusEntry[] | null = null;
  let base: MessageView | null = null;
  let baseError: string | null = null;
  const now = nowIso();
  for (const change of changes) {
    if (!canTransition(next.status, change.status)) {
      outcomes.push({ outcome: 'ignored', message: next });
      continue;
    }
    history ??= parseJson<StatusEntry[]>(current.status_history, []);
    history.push({ status: change.status, at: change.at ?? now });
    const error = change.error ? toJson(change.error) : next.error;
    next = {
      ...next, status: change.status, status_history: toJson(history),
      provider_message_id: change.providerMessageId ?? next.provider_message_id, error, updated_at: now,
    };
    outcomes.push({ outcome: 'applied', message: next });
    const view: MessageView = base === null ? messageView(next) : {
      ...base, status: next.status, status_history: history.slice(), provider_message_id: next.provider_message_id,
      error: error === baseError ? base.error : parseJson<MessageError | null>(error, null), updated_at: next.updated_at,
    };
    if (base === null) [base, baseError] = [view, error];
    views.push(view);
  }
  return { outcomes, views, next };
}

/** After the row was written: one message_status_updated per move (none for a deleted message), then `within`. */
async function written(trx: Db, bus: EventBus, next: MessagesTable, views: unknown[], within?: WithinChange): Promise<void> {
  if (!next.deleted_at) {
    const at = nowIso();
    await recordEvents(trx, bus, next.workspace_id, views.map((payload) => ({ type: 'message_status_updated' as const, payload, created_at: at })));
  }
  if (within) await within(trx, next);
}

/**
 * applyStatus inside the caller's transaction `trx` (e.g. a second status played in the same commit as the first);
 * the caller calls statusCommitted with the outcome once the transaction committed.
 */
export async function applyStatusIn(trx: Db, bus: EventBus, where: Locator, change: StatusChange, within?: WithinChange): Promise<StatusOutcome> {
  return (await applyStatusesIn(trx, bus, where, [change], within))[0];
}

/**
 * applyStatuses inside the caller's transaction `trx` (planned first on `read` when given, as applyStatuses says;
 * `planned` is that plan when the caller made it before the transaction); the caller calls statusCommitted for each
 * outcome after the commit.
 */
export async function applyStatusesIn(trx: Db, bus: EventBus, where: Locator, changes: StatusChange[], within?: WithinChange, read?: MessagesTable, planned?: Plan): Promise<StatusOutcome[]> {
  for (let tries = 0; tries < 5; tries++) {
    const current = tries === 0 && read ? read : await locate(trx, where);
    if (!current) return changes.map(() => ({ outcome: 'unknown' }));
    const { outcomes, views, next } = tries === 0 && planned ? planned : plan(current, changes);
    if (views.length === 0) return outcomes;
    const updated = await q.updateStatusIf(trx, current.id, current.status, next);
    if (!updated) continue;
    await written(trx, bus, next, views, within);
    return outcomes;
  }
  throw new Error(`message status kept changing under us; giving up on ${changes.map((c) => c.status).join(', ')}`);
}

/** After the commit of an applied status change: counts it in the metrics and wakes the workers for the jobs it enqueued. */
export function statusCommitted(deps: Pick<StatusDeps, 'queue' | 'metrics'>, status: OutboundStatus, result: StatusOutcome): void {
  if (result.outcome !== 'applied') return;
  deps.metrics.messagesByStatus.inc({ status, direction: result.message.direction });
  deps.queue.notify();
}

/**
 * Applies a status reported by a provider (a delivery receipt, a read receipt, a failure) to the message that the
 * provider knows by `providerMessageId`. Provider callbacks call this: it absorbs duplicates and out-of-order
 * updates, and returns `unknown` when no message carries that id (yet).
 */
export async function applyProviderStatus(deps: StatusDeps, providerMessageId: string, change: Omit<StatusChange, 'providerMessageId'>, within?: WithinChange): Promise<StatusOutcome> {
  return applyStatus(deps, { providerMessageId }, change, within);
}
