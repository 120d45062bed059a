import type { Db } from '../db/connect.ts';
import type { ContactsTable } from '../db/types.ts';

/** Inserts a contact. */
export async function insertContact(db: Db, row: ContactsTable): Promise<void> {
  await db.insertInto('contacts').values(row).execute();
}

/** Finds a workspace's contact by E.164 phone. */
export async function findContactByPhone(db: Db, workspaceId: string, phone: string) {
  return db.selectFrom('contacts').selectAll().where('workspace_id', '=', workspaceId).where('phone', '=', phone).executeTakeFirst();
}

/** Finds a workspace's contact by id. */
export async function findContact(db: Db, workspaceId: string, id: string) {
  return db.selectFrom('contacts').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst();
}

/** Sets when the contact last wrote in. */
export async function setLastInbound(db: Db, workspaceId: string, id: string, at: string): Promise<void> {
  await db.updateTable('contacts').set({ last_inbound_at: at, updated_at: at }).where('workspace_id', '=', workspaceId).where('id', '=', id).execute();
}
