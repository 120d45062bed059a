import type { Db } from '../db/connect.ts';
import type { ImportsTable } from '../db/types.ts';
import { type Cursor, pastCursor } from '../lib/cursor.ts';

/** Inserts an import. */
export async function insertImport(db: Db, row: ImportsTable): Promise<void> {
  await db.insertInto('imports').values(row).execute();
}

/** One of a workspace's imports. */
export async function findImport(db: Db, workspaceId: string, id: string) {
  return db.selectFrom('imports').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst();
}

/** An import by id alone (for its job). */
export async function findImportById(db: Db, id: string) {
  return db.selectFrom('imports').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Writes an import's changed columns. */
export async function updateImport(db: Db, id: string, changes: Partial<Omit<ImportsTable, 'id' | 'workspace_id'>>): Promise<void> {
  await db.updateTable('imports').set(changes).where('id', '=', id).execute();
}

/** A page of a workspace's imports, newest first (limit + 1 rows). */
export async function listImports(db: Db, workspaceId: string, limit: number, cursor?: Cursor) {
  let query = db.selectFrom('imports').selectAll().where('workspace_id', '=', workspaceId);
  if (cursor) query = query.where(pastCursor(cursor));
  return query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit + 1).execute();
}

/** The id of the workspace with this name (for the CLI). */
export async function findWorkspaceIdByName(db: Db, name: string): Promise<string | undefined> {
  return (await db.selectFrom('workspaces').select('id').where('name', '=', name).executeTakeFirst())?.id;
}
