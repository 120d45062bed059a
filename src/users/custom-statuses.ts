import type { Db } from '../db/connect.ts';
import { AppError, notFound } from '../errors.ts';
import { newId } from '../lib/ids.ts';
import { nowIso } from '../lib/time.ts';
import * as q from './queries.ts';

/** A preset custom status as the API shows it. */
export interface CustomStatusView {
  uuid: string;
  name: string;
  created_at: string;
}

function view(row: { id: string; name: string; created_at: string }): CustomStatusView {
  return { uuid: row.id, name: row.name, created_at: row.created_at };
}

/** The workspace's preset custom statuses, by name. */
export async function listCustomStatuses(db: Db, workspaceId: string): Promise<CustomStatusView[]> {
  return (await q.listCustomStatuses(db, workspaceId)).map(view);
}

/** Adds a preset custom status; 409 when the name is taken. */
export async function createCustomStatus(db: Db, workspaceId: string, rawName: string): Promise<CustomStatusView> {
  const name = rawName.trim();
  if (await q.findCustomStatusByName(db, workspaceId, name)) {
    throw new AppError(409, 'conflict', `a custom status named "${name}" already exists`, [{ path: 'body.name', message: 'is taken' }]);
  }
  const row = { id: newId(), workspace_id: workspaceId, name, created_at: nowIso() };
  await q.insertCustomStatus(db, row);
  return view(row);
}

/** Renames a preset custom status (users showing the old text keep it); 404 when unknown, 409 when the name is taken. */
export async function renameCustomStatus(db: Db, workspaceId: string, id: string, rawName: string): Promise<CustomStatusView> {
  const name = rawName.trim();
  const other = await q.findCustomStatusByName(db, workspaceId, name);
  if (other && other.id !== id) throw new AppError(409, 'conflict', `a custom status named "${name}" already exists`, [{ path: 'body.name', message: 'is taken' }]);
  const row = await q.renameCustomStatus(db, workspaceId, id, name);
  if (!row) throw notFound('custom status');
  return view(row);
}

/** Deletes a preset custom status (users showing its text keep it); 404 when unknown. */
export async function deleteCustomStatus(db: Db, workspaceId: string, id: string): Promise<CustomStatusView> {
  const row = await q.deleteCustomStatus(db, workspaceId, id);
  if (!row) throw notFound('custom status');
  return view(row);
}
