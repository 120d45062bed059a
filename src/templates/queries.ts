import type { ChannelType, TemplateStatus } from '../db/enums.ts';
import type { Db } from '../db/connect.ts';
import type { TemplatesTable } from '../db/types.ts';
import { type Cursor, pastCursor } from '../lib/cursor.ts';

/** Columns of a template that may change after creation. */
export type TemplateChanges = Partial<Omit<TemplatesTable, 'id' | 'workspace_id' | 'created_at'>>;

/** Inserts a template. */
export async function insertTemplate(db: Db, row: TemplatesTable): Promise<void> {
  await db.insertInto('templates').values(row).execute();
}

/** Filters of a template list. */
export interface TemplateFilters {
  channelType?: ChannelType;
  channelId?: string;
  status?: TemplateStatus;
  category?: TemplatesTable['category'];
  name?: string;
}

/** A page (limit + 1 rows) of a workspace's templates, newest first, after the cursor. */
export async function listTemplates(db: Db, workspaceId: string, filters: TemplateFilters, limit: number, cursor?: Cursor) {
  let query = db.selectFrom('templates').selectAll().where('workspace_id', '=', workspaceId);
  if (filters.channelType) query = query.where('channel_type', '=', filters.channelType);
  if (filters.channelId) query = query.where('channel_id', '=', filters.channelId);
  if (filters.status) query = query.where('status', '=', filters.status);
  if (filters.category) query = query.where('category', '=', filters.category);
  if (filters.name) query = query.where('name', '=', filters.name);
  if (cursor) query = query.where(pastCursor(cursor));
  return query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit + 1).execute();
}

/** Finds one of a workspace's templates. */
export async function findTemplate(db: Db, workspaceId: string, id: string) {
  return db.selectFrom('templates').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst();
}

/** The workspace's template with this name and language for a channel type and channel (null: any channel of the type). */
export async function findTemplateByName(db: Db, workspaceId: string, key: { channelType: ChannelType; channelId: string | null; name: string; language: string }) {
  return db.selectFrom('templates').selectAll().where('workspace_id', '=', workspaceId).where('channel_type', '=', key.channelType)
    .where('channel_id', key.channelId === null ? 'is' : '=', key.channelId).where('name', '=', key.name).where('language', '=', key.language)
    .executeTakeFirst();
}

/** Writes a template's changed columns. */
export async function updateTemplate(db: Db, workspaceId: string, id: string, changes: TemplateChanges): Promise<void> {
  await db.updateTable('templates').set(changes).where('workspace_id', '=', workspaceId).where('id', '=', id).execute();
}

/** Deletes one template; returns how many rows went. */
export async function deleteTemplate(db: Db, workspaceId: string, id: string): Promise<number> {
  const r = await db.deleteFrom('templates').where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst();
  return Number(r.numDeletedRows);
}
