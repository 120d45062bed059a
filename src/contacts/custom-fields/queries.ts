import type { Db } from '../../db/connect.ts';
import type { CustomFieldsTable } from '../../db/types.ts';

/** Inserts a custom field definition. */
export async function insertCustomField(db: Db, row: CustomFieldsTable): Promise<void> {
  await db.insertInto('custom_fields').values(row).execute();
}

/** Lists a workspace's custom field definitions, oldest first. */
export async function listCustomFields(db: Db, workspaceId: string) {
  return db.selectFrom('custom_fields').selectAll().where('workspace_id', '=', workspaceId).orderBy('created_at').orderBy('id').execute();
}

/** Finds one of a workspace's custom field definitions by id. */
export async function findCustomField(db: Db, workspaceId: string, id: string) {
  return db.selectFrom('custom_fields').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst();
}

/** Finds one of a workspace's custom field definitions by key. */
export async function findCustomFieldByKey(db: Db, workspaceId: string, key: string) {
  return db.selectFrom('custom_fields').selectAll().where('workspace_id', '=', workspaceId).where('key', '=', key).executeTakeFirst();
}

/** Updates a definition's label, options and updated_at. */
export async function updateCustomField(db: Db, workspaceId: string, id: string, changes: Pick<CustomFieldsTable, 'label' | 'options' | 'updated_at'>): Promise<void> {
  await db.updateTable('custom_fields').set(changes).where('workspace_id', '=', workspaceId).where('id', '=', id).execute();
}

/** Deletes a definition (contacts keep their values, which become free values). */
export async function deleteCustomField(db: Db, workspaceId: string, id: string): Promise<void> {
  await db.deleteFrom('custom_fields').where('workspace_id', '=', workspaceId).where('id', '=', id).execute();
}
