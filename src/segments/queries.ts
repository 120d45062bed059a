import { sql, type RawBuilder } from 'kysely';
import type { Db } from '../db/connect.ts';
import type { SegmentsTable } from '../db/types.ts';
import { type Cursor, pastCursor } from '../lib/cursor.ts';

/** Inserts a segment. */
export async function insertSegment(db: Db, row: SegmentsTable): Promise<void> {
  await db.insertInto('segments').values(row).execute();
}

/** Finds a workspace's segment by id. */
export async function findSegment(db: Db, workspaceId: string, id: string) {
  return db.selectFrom('segments').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst();
}

/** Finds several of a workspace's segments by id. */
export async function findSegments(db: Db, workspaceId: string, ids: string[]) {
  if (ids.length === 0) return [];
  return db.selectFrom('segments').selectAll().where('workspace_id', '=', workspaceId).where('id', 'in', ids).execute();
}

/** The workspace's dynamic segments whose stored rules mention this uuid (candidates for a reference; the caller checks). */
export async function findSegmentsMentioning(db: Db, workspaceId: string, id: string) {
  return db.selectFrom('segments').selectAll().where('workspace_id', '=', workspaceId).where('type', '=', 'dynamic')
    .where('id', '!=', id).where('rules', 'like', `%${id}%`).execute();
}

/** A page of the workspace's segments, newest first (limit + 1 rows). */
export async function listSegments(db: Db, workspaceId: string, limit: number, cursor?: Cursor) {
  let query = db.selectFrom('segments').selectAll().where('workspace_id', '=', workspaceId);
  if (cursor) query = query.where(pastCursor(cursor));
  return query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit + 1).execute();
}

/** Writes a segment's changed columns. */
export async function updateSegment(db: Db, workspaceId: string, id: string, changes: Partial<Pick<SegmentsTable, 'name' | 'rules' | 'updated_at'>>): Promise<void> {
  await db.updateTable('segments').set(changes).where('workspace_id', '=', workspaceId).where('id', '=', id).execute();
}

/** Deletes a segment (its static members go with it). */
export async function deleteSegment(db: Db, workspaceId: string, id: string): Promise<void> {
  await db.deleteFrom('segments').where('workspace_id', '=', workspaceId).where('id', '=', id).execute();
}

/** Which of these ids are contacts of the workspace. */
export async function existingContactIds(db: Db, workspaceId: string, ids: string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await db.selectFrom('contacts').select('id').where('workspace_id', '=', workspaceId).where('id', 'in', ids).execute();
  return new Set(rows.map((r) => r.id));
}

/** Which of these ids are campaigns of the workspace. */
export async function existingCampaignIds(db: Db, workspaceId: string, ids: string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await db.selectFrom('campaigns').select('id').where('workspace_id', '=', workspaceId).where('id', 'in', ids).execute();
  return new Set(rows.map((r) => r.id));
}

/** Adds contacts to a static segment (already members are left alone); returns how many were added. */
export async function addMembers(db: Db, workspaceId: string, segmentId: string, contactIds: string[], at: string): Promise<number> {
  if (contactIds.length === 0) return 0;
  const result = await db.insertInto('segment_contacts')
    .values(contactIds.map((contactId) => ({ segment_id: segmentId, contact_id: contactId, workspace_id: workspaceId, added_at: at })))
    .onConflict((oc) => oc.columns(['segment_id', 'contact_id']).doNothing()).executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0);
}

/** Removes contacts from a static segment; returns how many were members. */
export async function removeMembers(db: Db, workspaceId: string, segmentId: string, contactIds: string[]): Promise<number> {
  if (contactIds.length === 0) return 0;
  const result = await db.deleteFrom('segment_contacts').where('workspace_id', '=', workspaceId).where('segment_id', '=', segmentId)
    .where('contact_id', 'in', contactIds).executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** The workspace's contacts matching a compiled membership condition (a query to page, count or select ids from). */
export function contactsWhere(db: Db, workspaceId: string, condition: RawBuilder<boolean>) {
  return db.selectFrom('contacts').where('contacts.workspace_id', '=', workspaceId).where(condition);
}

/** How many of the workspace's contacts match the condition. */
export async function countContacts(db: Db, workspaceId: string, condition: RawBuilder<boolean>): Promise<number> {
  const row = await contactsWhere(db, workspaceId, condition).select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

/** A page of the workspace's contacts matching the condition, newest first (limit + 1 rows). */
export async function pageContacts(db: Db, workspaceId: string, condition: RawBuilder<boolean>, limit: number, cursor?: Cursor) {
  let query = contactsWhere(db, workspaceId, condition).selectAll('contacts');
  if (cursor) query = query.where(pastCursor(cursor, 'desc', 'contacts'));
  return query.orderBy('contacts.created_at', 'desc').orderBy('contacts.id', 'desc').limit(limit + 1).execute();
}

/** True when the one contact matches the compiled membership condition (an indexed look-up of that contact, never a scan). */
export async function contactMatches(db: Db, workspaceId: string, contactId: string, condition: RawBuilder<boolean>): Promise<boolean> {
  const row = await contactsWhere(db, workspaceId, condition).where('contacts.id', '=', contactId).select('contacts.id').executeTakeFirst();
  return row !== undefined;
}
