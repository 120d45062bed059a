import type { Db } from '../db/connect.ts';
import type { FunnelStagesTable, FunnelsTable } from '../db/types.ts';
import { type Cursor, pastCursor } from '../lib/cursor.ts';

/** Inserts a funnel. */
export async function insertFunnel(db: Db, row: FunnelsTable): Promise<void> {
  await db.insertInto('funnels').values(row).execute();
}

/** A workspace's funnel, or undefined. */
export async function findFunnel(db: Db, workspaceId: string, id: string): Promise<FunnelsTable | undefined> {
  return db.selectFrom('funnels').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst();
}

/** A page (limit + 1 rows) of a workspace's funnels, newest first, past the cursor. */
export async function listFunnels(db: Db, workspaceId: string, limit: number, cursor?: Cursor): Promise<FunnelsTable[]> {
  let query = db.selectFrom('funnels').selectAll().where('workspace_id', '=', workspaceId);
  if (cursor) query = query.where(pastCursor(cursor));
  return query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit + 1).execute();
}

/** Writes a funnel's name and updated_at. */
export async function updateFunnel(db: Db, workspaceId: string, id: string, changes: Partial<Pick<FunnelsTable, 'name' | 'updated_at'>>): Promise<void> {
  await db.updateTable('funnels').set(changes).where('workspace_id', '=', workspaceId).where('id', '=', id).execute();
}

/** Deletes a funnel (its stages go with it; conversations at one of them lose their stage). */
export async function deleteFunnel(db: Db, workspaceId: string, id: string): Promise<number> {
  const result = await db.deleteFrom('funnels').where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** The stages of these funnels, in position order. */
export async function stagesOf(db: Db, funnelIds: string[]): Promise<FunnelStagesTable[]> {
  if (funnelIds.length === 0) return [];
  return db.selectFrom('funnel_stages').selectAll().where('funnel_id', 'in', funnelIds).orderBy('funnel_id').orderBy('position').execute();
}

/** Inserts stages. */
export async function insertStages(db: Db, rows: FunnelStagesTable[]): Promise<void> {
  if (rows.length > 0) await db.insertInto('funnel_stages').values(rows).execute();
}

/** Renames and moves one stage. */
export async function updateStage(db: Db, id: string, changes: Pick<FunnelStagesTable, 'name' | 'position'>): Promise<void> {
  await db.updateTable('funnel_stages').set(changes).where('id', '=', id).execute();
}

/** Deletes stages by id (conversations at them lose their stage). */
export async function deleteStages(db: Db, ids: string[]): Promise<void> {
  if (ids.length > 0) await db.deleteFrom('funnel_stages').where('id', 'in', ids).execute();
}

/** A workspace's stage, or undefined. */
export async function findStage(db: Db, workspaceId: string, id: string): Promise<FunnelStagesTable | undefined> {
  return db.selectFrom('funnel_stages').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst();
}
