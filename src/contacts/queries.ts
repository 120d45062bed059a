import { CompiledQuery, sql } from 'kysely';
import type { Db } from '../db/connect.ts';
import type { ContactsTable } from '../db/types.ts';
import { type Cursor, pastCursor } from '../lib/cursor.ts';
import { insertRows, overwriteRows, prepared } from '../db/prepared.ts';
import { escapeLike, jsonSql, likeEscape } from '../db/dialect.ts';

/** A custom field value to match: a string, number or boolean, or (for keys without a definition) any of them. */
export interface CustomFieldMatch {
  key: string;
  text?: string;
  number?: number;
  bool?: boolean;
}

/** Filters of the contact list; every one present must hold. */
export interface ContactFilters {
  tags?: string[];
  source?: string;
  /** Lower-cased substring of name, email or phone. */
  q?: string;
  /** The digits of `q` when it looks like a phone number: inside phone numbers, or at their start when `q` began with + or 00 ("+39 333" finds +39333…). */
  qPhone?: { digits: string; prefix: boolean };
  phone?: string;
  email?: string;
  createdAfter?: string;
  createdBefore?: string;
  customFields?: CustomFieldMatch[];
}

/** Inserts a contact. */
export async function insertContact(db: Db, row: ContactsTable): Promise<void> {
  await insertRows(db, 'contacts', [row]);
}

/**
 * Inserts a contact unless its phone or email is already taken in the workspace; true when inserted. On PostgreSQL a
 * concurrent transaction inserting the same address first makes this wait for it and insert nothing (no error).
 */
export async function insertContactIfAbsent(db: Db, row: ContactsTable): Promise<boolean> {
  const inserted = await contactIfAbsent(db, row.id, row.workspace_id, row.name, row.phone, row.email, row.tags, row.custom_fields, row.source, row.consent, row.blocked, row.last_inbound_at, row.created_at, row.updated_at);
  return inserted.length === 1;
}
const contactIfAbsent = prepared((db, id: string, workspace_id: string, name: string | null, phone: string | null, email: string | null, tags: string, custom_fields: string,
  source: string | null, consent: string, blocked: number, last_inbound_at: string | null, created_at: string, updated_at: string) =>
  db.insertInto('contacts').values({ id, workspace_id, name, phone, email, tags, custom_fields, source, consent, blocked, last_inbound_at, created_at, updated_at })
    .onConflict((oc) => oc.doNothing()).returning('id'));

/** Inserts contacts (multi-row statements). */
export async function insertContacts(db: Db, rows: ContactsTable[]): Promise<void> {
  await insertRows(db, 'contacts', rows);
}

/** Writes whole contact rows over the stored ones with the same id (multi-row statements; each id at most once). */
export async function overwriteContacts(db: Db, rows: ContactsTable[]): Promise<void> {
  await overwriteRows(db, 'contacts', 'id', rows);
}

const IN_CHUNK = 1000;
const whereInSql = new Map<string, string>();

// the SQL of `workspace_id = ? and <column> in (?, …)` for n values, compiled once per dialect, column and n
function whereIn(db: Db, column: 'phone' | 'email', n: number): string | null {
  const key = `${db.getExecutor().adapter.constructor.name}|${column}|${n}`;
  let text = whereInSql.get(key);
  if (text === undefined) {
    const values = Array.from({ length: n }, (_, i) => `\u0000v${i}`);
    const { sql: compiled, parameters } = db.selectFrom('contacts').selectAll().where('workspace_id', '=', '\u0000w').where(column, 'in', values).compile();
    text = parameters.length === n + 1 && parameters[0] === '\u0000w' && parameters.every((p, i) => i === 0 || p === values[i - 1]) ? compiled : '';
    whereInSql.set(key, text);
  }
  return text || null;
}

/** A workspace's contacts holding any of these phones (column `phone`) or emails (column `email`), in statements of at most 1,000 values. */
export async function findContactsWhereIn(db: Db, workspaceId: string, column: 'phone' | 'email', values: string[]): Promise<ContactsTable[]> {
  const out: ContactsTable[] = [];
  for (let start = 0; start < values.length; start += IN_CHUNK) {
    const chunk = values.slice(start, start + IN_CHUNK);
    const text = whereIn(db, column, chunk.length);
    const rows = text
      ? (await db.executeQuery<ContactsTable>(CompiledQuery.raw(text, [workspaceId, ...chunk]))).rows
      : await db.selectFrom('contacts').selectAll().where('workspace_id', '=', workspaceId).where(column, 'in', chunk).execute();
    for (const row of rows) out.push(row);
  }
  return out;
}

/** Finds a workspace's contact by E.164 phone. */
export async function findContactByPhone(db: Db, workspaceId: string, phone: string) {
  return (await contactByPhone(db, workspaceId, phone))[0];
}
const contactByPhone = prepared((db, workspaceId: string, phone: string) =>
  db.selectFrom('contacts').selectAll().where('workspace_id', '=', workspaceId).where('phone', '=', phone));

/** Finds a workspace's contact by (normalized) email. */
export async function findContactByEmail(db: Db, workspaceId: string, email: string) {
  return (await contactByEmail(db, workspaceId, email))[0];
}
const contactByEmail = prepared((db, workspaceId: string, email: string) =>
  db.selectFrom('contacts').selectAll().where('workspace_id', '=', workspaceId).where('email', '=', email));

/** Finds a workspace's contact by id. */
export async function findContact(db: Db, workspaceId: string, id: string) {
  return db.selectFrom('contacts').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst();
}

/** Finds a workspace's contact (other than `exceptId`) holding this phone or this email. */
export async function findContactWithPhoneOrEmail(db: Db, workspaceId: string, phone: string | null, email: string | null, exceptId?: string) {
  if (!phone && !email) return undefined;
  let query = db.selectFrom('contacts').selectAll().where('workspace_id', '=', workspaceId).where((eb) => eb.or([
    ...(phone ? [eb('phone', '=', phone)] : []),
    ...(email ? [eb('email', '=', email)] : []),
  ]));
  if (exceptId) query = query.where('id', '!=', exceptId);
  return query.executeTakeFirst();
}

/** Writes a contact's changed columns. */
export async function updateContact(db: Db, workspaceId: string, id: string, changes: Partial<Omit<ContactsTable, 'id' | 'workspace_id'>>): Promise<void> {
  await db.updateTable('contacts').set(changes).where('workspace_id', '=', workspaceId).where('id', '=', id).execute();
}

/** Deletes a contact. */
export async function deleteContact(db: Db, workspaceId: string, id: string): Promise<void> {
  await db.deleteFrom('contacts').where('workspace_id', '=', workspaceId).where('id', '=', id).execute();
}

/** Deletes every message of a contact (inbound and outbound); returns how many. */
export async function deleteContactMessages(db: Db, workspaceId: string, contactId: string): Promise<number> {
  const result = await db.deleteFrom('messages').where('workspace_id', '=', workspaceId).where('contact_id', '=', contactId).executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** Sets when the contact last wrote in. */
export async function setLastInbound(db: Db, workspaceId: string, id: string, at: string): Promise<void> {
  await db.updateTable('contacts').set({ last_inbound_at: at, updated_at: at }).where('workspace_id', '=', workspaceId).where('id', '=', id).execute();
}

/** A page of a workspace's contacts matching the filters, newest first (limit + 1 rows, to know if more follow). */
export async function listContacts(db: Db, workspaceId: string, filters: ContactFilters, limit: number, cursor?: Cursor) {
  let query = db.selectFrom('contacts').selectAll().where('workspace_id', '=', workspaceId);
  const json = jsonSql(db);
  for (const tag of filters.tags ?? []) query = query.where(json.arrayHas('contacts.tags', tag));
  if (filters.source !== undefined) query = query.where('source', '=', filters.source);
  if (filters.phone !== undefined) query = query.where('phone', '=', filters.phone);
  if (filters.email !== undefined) query = query.where('email', '=', filters.email);
  if (filters.createdAfter !== undefined) query = query.where('created_at', '>', filters.createdAfter);
  if (filters.createdBefore !== undefined) query = query.where('created_at', '<', filters.createdBefore);
  if (filters.q !== undefined) {
    const pattern = `%${escapeLike(filters.q)}%`;
    const digits = filters.qPhone ? `${filters.qPhone.prefix ? '+' : '%'}${filters.qPhone.digits}%` : null;
    const escape = likeEscape();
    query = query.where(sql<boolean>`(lower(coalesce(contacts.name, '')) like ${pattern} ${escape} or lower(coalesce(contacts.email, '')) like ${pattern} ${escape}
      or coalesce(contacts.phone, '') like ${pattern} ${escape}${digits ? sql` or coalesce(contacts.phone, '') like ${digits}` : sql``})`);
  }
  for (const match of filters.customFields ?? []) query = query.where(json.objectHasEntry('contacts.custom_fields', match.key, match));
  if (cursor) query = query.where(pastCursor(cursor));
  return query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit + 1).execute();
}

/** Records that the contact wrote in on the channel at `at` (a later time wins; an earlier one changes nothing). */
export async function touchChannelWindow(db: Db, workspaceId: string, contactId: string, channelId: string, at: string): Promise<void> {
  await touchWindow(db, contactId, channelId, workspaceId, at);
}
const touchWindow = prepared((db, contactId: string, channelId: string, workspaceId: string, at: string) =>
  db.insertInto('contact_channel_windows').values({ contact_id: contactId, channel_id: channelId, workspace_id: workspaceId, last_inbound_at: at })
    .onConflict((oc) => oc.columns(['contact_id', 'channel_id']).doUpdateSet({ last_inbound_at: (eb) => eb.ref('excluded.last_inbound_at') })
      .where('contact_channel_windows.last_inbound_at', '<', (eb) => eb.ref('excluded.last_inbound_at'))));

/** When the contact last wrote in on the channel, or undefined when never. */
export async function findChannelWindow(db: Db, contactId: string, channelId: string): Promise<string | undefined> {
  return (await channelWindow(db, contactId, channelId))[0]?.last_inbound_at;
}
const channelWindow = prepared((db, contactId: string, channelId: string) =>
  db.selectFrom('contact_channel_windows').select('last_inbound_at').where('contact_id', '=', contactId).where('channel_id', '=', channelId));

/** The WhatsApp channels each of these contacts wrote in on, with when and whether the channel is its type's default. */
export async function listWhatsappWindows(db: Db, workspaceId: string, contactIds: string[]) {
  if (contactIds.length === 0) return [];
  return db.selectFrom('contact_channel_windows as w').innerJoin('channels as c', 'c.id', 'w.channel_id')
    .select(['w.contact_id', 'w.channel_id', 'w.last_inbound_at', 'c.is_default'])
    .where('w.workspace_id', '=', workspaceId).where('w.contact_id', 'in', contactIds).where('c.type', '=', 'whatsapp')
    .orderBy('w.contact_id').orderBy('w.channel_id').execute();
}

/** Forgets every channel window of a contact. */
export async function deleteChannelWindows(db: Db, workspaceId: string, contactId: string): Promise<void> {
  await db.deleteFrom('contact_channel_windows').where('workspace_id', '=', workspaceId).where('contact_id', '=', contactId).execute();
}

/** A workspace's contacts with these ids (ids of other workspaces or unknown ones are left out), in no particular order. */
export async function findContactsByIds(db: Db, workspaceId: string, ids: string[]): Promise<ContactsTable[]> {
  if (ids.length === 0) return [];
  return db.selectFrom('contacts').selectAll().where('workspace_id', '=', workspaceId).where('id', 'in', ids).execute();
}
