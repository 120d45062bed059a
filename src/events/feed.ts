import type { Db } from '../db/connect.ts';
import type { Deps } from '../deps.ts';
import { invalidField } from '../errors.ts';
import { decodeCursor, pageOf } from '../lib/cursor.ts';
import { parseJson } from '../lib/json.ts';
import { EVENT_TYPES } from './service.ts';
import { ALL_CUSTOM_EVENTS, CUSTOM_EVENT_TYPE } from './types.ts';
import * as q from './queries.ts';

/** An event as GET /v1/events lists it: exactly the JSON body a webhook delivery of it carries. */
export interface EventBody {
  event: string;
  payload: Record<string, unknown>;
  id: string;
  created_at: string;
}

/** Events deleted per statement by the retention purge (short write transactions). */
const PURGE_BATCH = 5000;

/**
 * The event types a `type` filter names (repeated and/or comma-separated: domain types, `custom.<name>`, or `custom.*`
 * for every custom event), all of EVENT_TYPES and `custom.*` when none; 400 naming `field` for an unknown one.
 */
export function eventTypesFilter(raw: readonly string[] | undefined, field: string): string[] {
  const names = (raw ?? []).flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean);
  if (names.length === 0) return [...EVENT_TYPES, ALL_CUSTOM_EVENTS];
  for (const name of names) {
    if ((EVENT_TYPES as readonly string[]).includes(name) || name === ALL_CUSTOM_EVENTS || CUSTOM_EVENT_TYPE.test(name)) continue;
    throw invalidField(field, `"${name}" is not an event type (one of ${EVENT_TYPES.join(', ')}, custom.<name> or ${ALL_CUSTOM_EVENTS})`);
  }
  return [...new Set(names)];
}

/** Turns a stored event row into the webhook body shape. */
export function eventBody(row: q.EventRow): EventBody {
  return { event: row.type, payload: parseJson<Record<string, unknown>>(row.payload, {}), id: row.id, created_at: row.created_at };
}

/** One page of a workspace's events, newest first, filtered by type and by created_after (an ISO 8601 date-time). */
export async function listEventsPage(db: Db, workspaceId: string, query: { type?: string[]; created_after?: string; limit?: number; cursor?: string }): Promise<{ events: EventBody[]; next_cursor: string | null }> {
  const types = eventTypesFilter(query.type, 'query.type');
  let createdAfter: string | undefined;
  if (query.created_after !== undefined) {
    const at = new Date(query.created_after);
    if (Number.isNaN(at.getTime())) throw invalidField('query.created_after', 'must be an ISO 8601 date-time');
    createdAfter = at.toISOString();
  }
  const limit = query.limit ?? 20;
  const rows = await q.listEvents(db, workspaceId, types, limit + 1, decodeCursor(query.cursor), createdAfter);
  const page = pageOf(rows, limit, (r) => r.created_at);
  return { events: page.items.map(eventBody), next_cursor: page.next_cursor };
}

/** Deletes every event created more than `days` days before `now`, workspace by workspace in short batches; returns how many. */
export async function purgeExpiredEvents(deps: Pick<Deps, 'db' | 'writer'>, days: number, now = new Date()): Promise<number> {
  const before = new Date(now.getTime() - days * 86_400_000).toISOString();
  let total = 0;
  for (const workspaceId of await q.workspaceIds(deps.db)) {
    for (;;) {
      const n = await deps.writer.run((trx) => q.purgeEvents(trx, workspaceId, before, PURGE_BATCH));
      total += n;
      if (n < PURGE_BATCH) break;
    }
  }
  return total;
}

/** Starts the hourly retention purge (BECKON_EVENT_RETENTION_DAYS), first run a minute after start; returns its stop function. */
export function startEventRetention(deps: Deps, everyMs = 60 * 60 * 1000, firstMs = 60 * 1000): () => void {
  const run = () => {
    purgeExpiredEvents(deps, deps.config.eventRetentionDays).then(
      (n) => { if (n > 0) deps.log.info({ deleted: n, retention_days: deps.config.eventRetentionDays }, 'expired events deleted'); },
      (err) => deps.log.warn({ err }, 'event retention cleanup failed'),
    );
  };
  let interval: NodeJS.Timeout | undefined;
  const first = setTimeout(() => {
    run();
    interval = setInterval(run, everyMs);
    interval.unref();
  }, firstMs);
  first.unref();
  return () => {
    clearTimeout(first);
    if (interval) clearInterval(interval);
  };
}
