import type { Db } from '../db/connect.ts';
import { type Cursor, pastCursor } from '../lib/cursor.ts';
import { ALL_CUSTOM_EVENTS, CUSTOM_EVENT_PREFIX } from './types.ts';

/** An event row as the list and the stream read it. */
export interface EventRow {
  id: string;
  type: string;
  payload: string;
  created_at: string;
}

/**
 * Up to `limit` events of a workspace, newest first, strictly before `before` when given, restricted to `types` (where
 * `custom.*` stands for every custom event) and to `createdAfter`.
 */
export async function listEvents(db: Db, workspaceId: string, types: readonly string[], limit: number, before?: Cursor, createdAfter?: string): Promise<EventRow[]> {
  const exact = types.filter((t) => t !== ALL_CUSTOM_EVENTS);
  const anyCustom = types.includes(ALL_CUSTOM_EVENTS);
  let query = db.selectFrom('events').select(['id', 'type', 'payload', 'created_at'])
    .where('workspace_id', '=', workspaceId)
    .where((eb) => {
      const parts = [];
      if (exact.length > 0) parts.push(eb('type', 'in', exact));
      if (anyCustom) parts.push(eb('type', 'like', `${CUSTOM_EVENT_PREFIX}%`));
      return eb.or(parts);
    });
  if (createdAfter) query = query.where('created_at', '>', createdAfter);
  if (before) query = query.where(pastCursor(before));
  return query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
}

/** Up to `limit` events of a workspace (every type) strictly after the position `after`, oldest first. */
export async function eventsAfter(db: Db, workspaceId: string, after: Cursor, limit: number): Promise<EventRow[]> {
  return db.selectFrom('events').select(['id', 'type', 'payload', 'created_at'])
    .where('workspace_id', '=', workspaceId)
    .where(pastCursor(after, 'asc'))
    .orderBy('created_at').orderBy('id').limit(limit).execute();
}

/** The position of a workspace's newest event (any type), or undefined when it has none. */
export async function latestPosition(db: Db, workspaceId: string): Promise<Cursor | undefined> {
  const row = await db.selectFrom('events').select(['created_at', 'id']).where('workspace_id', '=', workspaceId)
    .orderBy('created_at', 'desc').orderBy('id', 'desc').limit(1).executeTakeFirst();
  return row ? { at: row.created_at, id: row.id } : undefined;
}

/** The position of one event of a workspace, or undefined when it is not stored (never existed, another workspace's, or purged). */
export async function positionOf(db: Db, workspaceId: string, id: string): Promise<Cursor | undefined> {
  const row = await db.selectFrom('events').select(['created_at', 'id']).where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst();
  return row ? { at: row.created_at, id: row.id } : undefined;
}

/** Every workspace id (the retention purge walks them to use the (workspace_id, created_at) index). */
export async function workspaceIds(db: Db): Promise<string[]> {
  return (await db.selectFrom('workspaces').select('id').execute()).map((r) => r.id);
}

/** Deletes up to `limit` events of a workspace created before `before`; returns how many. */
export async function purgeEvents(trx: Db, workspaceId: string, before: string, limit: number): Promise<number> {
  const ids = trx.selectFrom('events').select('id').where('workspace_id', '=', workspaceId).where('created_at', '<', before).limit(limit);
  const result = await trx.deleteFrom('events').where('id', 'in', ids).executeTakeFirst();
  return Number(result.numDeletedRows);
}
