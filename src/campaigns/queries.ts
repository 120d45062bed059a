import type { CampaignStatus, EngagementType } from '../db/enums.ts';
import { sql, type SelectQueryBuilder } from 'kysely';
import type { Db } from '../db/connect.ts';
import type { CampaignRecipientsTable, CampaignsTable, ContactsTable, Database } from '../db/types.ts';
import { type Cursor, pastCursor } from '../lib/cursor.ts';

/** Inserts a campaign. */
export async function insertCampaign(db: Db, row: CampaignsTable): Promise<void> {
  await db.insertInto('campaigns').values(row).execute();
}

/** Finds one of a workspace's campaigns. */
export async function findCampaign(db: Db, workspaceId: string, id: string): Promise<CampaignsTable | undefined> {
  return db.selectFrom('campaigns').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst();
}

/** Finds a campaign by id in any workspace (for workers). */
export async function findCampaignById(db: Db, id: string): Promise<CampaignsTable | undefined> {
  return db.selectFrom('campaigns').selectAll().where('id', '=', id).executeTakeFirst();
}

/** A page of the workspace's campaigns, newest first (limit + 1 rows), optionally of one status. */
export async function listCampaigns(db: Db, workspaceId: string, limit: number, cursor: Cursor | undefined, status?: CampaignStatus): Promise<CampaignsTable[]> {
  let query = db.selectFrom('campaigns').selectAll().where('workspace_id', '=', workspaceId);
  if (status) query = query.where('status', '=', status);
  if (cursor) query = query.where(pastCursor(cursor));
  return query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit + 1).execute();
}

/** Writes a campaign's changed columns only while its status is one of `fromStatuses`; true when written. */
export async function updateCampaignIf(db: Db, id: string, fromStatuses: readonly CampaignStatus[], changes: Partial<CampaignsTable>): Promise<boolean> {
  const result = await db.updateTable('campaigns').set(changes).where('id', '=', id).where('status', 'in', fromStatuses).executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Deletes a campaign only while its status is one of `fromStatuses` (recipients and links go with it); true when deleted. */
export async function deleteCampaignIf(db: Db, workspaceId: string, id: string, fromStatuses: readonly CampaignStatus[]): Promise<boolean> {
  const result = await db.deleteFrom('campaigns').where('workspace_id', '=', workspaceId).where('id', '=', id).where('status', 'in', fromStatuses).executeTakeFirst();
  return Number(result.numDeletedRows) === 1;
}

/** Which of these ids are segments of the workspace. */
export async function existingSegmentIds(db: Db, workspaceId: string, ids: string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await db.selectFrom('segments').select('id').where('workspace_id', '=', workspaceId).where('id', 'in', ids).execute();
  return new Set(rows.map((r) => r.id));
}

/** The workspace's contacts with these ids. */
export async function findContacts(db: Db, workspaceId: string, ids: string[]): Promise<ContactsTable[]> {
  if (ids.length === 0) return [];
  return db.selectFrom('contacts').selectAll().where('workspace_id', '=', workspaceId).where('id', 'in', ids).execute();
}

/** The recipient with the highest position so far (where a resumed freeze continues), if any. */
export async function lastRecipient(db: Db, campaignId: string): Promise<{ position: number; contact_id: string } | undefined> {
  return db.selectFrom('campaign_recipients').select(['position', 'contact_id']).where('campaign_id', '=', campaignId)
    .orderBy('position', 'desc').limit(1).executeTakeFirst();
}

/**
 * Copies the next `limit` audience members with an id above `afterId` (in id order) into the campaign's recipients,
 * positions from `base`, with one INSERT … SELECT; returns how many were copied.
 */
export async function freezeChunk(
  trx: Db, campaignId: string, workspaceId: string, members: SelectQueryBuilder<Database, 'contacts', { id: string }>,
  afterId: string | null, base: number, limit: number,
): Promise<number> {
  let chunk = members;
  if (afterId !== null) chunk = chunk.where('contacts.id', '>', afterId);
  const ordered = chunk.orderBy('contacts.id').limit(limit);
  const result = await trx.insertInto('campaign_recipients')
    .columns(['campaign_id', 'contact_id', 'workspace_id', 'position', 'state'])
    .expression(trx.selectFrom(ordered.as('m')).select([
      sql<string>`cast(${campaignId} as text)`.as('campaign_id'),
      'm.id',
      sql<string>`cast(${workspaceId} as text)`.as('workspace_id'),
      sql<number>`cast(${base} as integer) + row_number() over (order by m.id) - 1`.as('position'),
      sql<string>`'pending'`.as('state'),
    ]))
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0);
}

/** A pending recipient with its contact (null when the contact was deleted since the audience was frozen). */
export interface PendingRecipient {
  position: number;
  contact_id: string;
  contact: ContactsTable | null;
}

/** The next `limit` pending recipients at or after `fromPosition`, in position order, with their contacts. */
export async function pendingBatch(trx: Db, campaignId: string, fromPosition: number, limit: number): Promise<PendingRecipient[]> {
  const rows = await trx.selectFrom('campaign_recipients as r').leftJoin('contacts as c', 'c.id', 'r.contact_id')
    .select(['r.position', 'r.contact_id'])
    .select(['c.id', 'c.workspace_id', 'c.name', 'c.phone', 'c.email', 'c.tags', 'c.custom_fields', 'c.source', 'c.consent', 'c.blocked', 'c.last_inbound_at', 'c.created_at', 'c.updated_at'])
    .where('r.campaign_id', '=', campaignId).where('r.state', '=', 'pending').where('r.position', '>=', fromPosition)
    .orderBy('r.position').limit(limit).execute();
  return rows.map((row) => ({
    position: Number(row.position),
    contact_id: row.contact_id,
    contact: row.id === null ? null : {
      id: row.id, workspace_id: row.workspace_id as string, name: row.name, phone: row.phone, email: row.email, tags: row.tags as string,
      custom_fields: row.custom_fields as string, source: row.source, consent: row.consent as string, blocked: Number(row.blocked),
      last_inbound_at: row.last_inbound_at, created_at: row.created_at as string, updated_at: row.updated_at as string,
    },
  }));
}

/**
 * Records the outcome of processed recipients (messaged with message_id, or skipped with skip_reason) with one
 * multi-row upsert that only changes recipients still pending; returns how many changed.
 */
export async function markRecipients(trx: Db, rows: CampaignRecipientsTable[]): Promise<number> {
  if (rows.length === 0) return 0;
  const result = await trx.insertInto('campaign_recipients').values(rows)
    .onConflict((oc) => oc.columns(['campaign_id', 'contact_id']).doUpdateSet({
      state: (eb) => eb.ref('excluded.state'),
      skip_reason: (eb) => eb.ref('excluded.skip_reason'),
      message_id: (eb) => eb.ref('excluded.message_id'),
      processed_at: (eb) => eb.ref('excluded.processed_at'),
    }).where('campaign_recipients.state', '=', 'pending'))
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0);
}

/** Marks every still-pending recipient skipped with `reason`; returns how many. */
export async function skipPending(trx: Db, campaignId: string, reason: string, at: string): Promise<number> {
  const result = await trx.updateTable('campaign_recipients').set({ state: 'skipped', skip_reason: reason, processed_at: at })
    .where('campaign_id', '=', campaignId).where('state', '=', 'pending').executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** How many recipients the campaign has. */
export async function countRecipients(db: Db, campaignId: string): Promise<number> {
  const row = await db.selectFrom('campaign_recipients').select(sql<number>`count(*)`.as('n')).where('campaign_id', '=', campaignId).executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Recipients by state and skip reason. */
export async function recipientCounts(db: Db, campaignId: string): Promise<{ state: string; skip_reason: string | null; n: number }[]> {
  const rows = await db.selectFrom('campaign_recipients').select(['state', 'skip_reason', sql<number>`count(*)`.as('n')])
    .where('campaign_id', '=', campaignId).groupBy(['state', 'skip_reason']).execute();
  return rows.map((r) => ({ state: r.state, skip_reason: r.skip_reason, n: Number(r.n) }));
}

/** The campaign's messages by status. */
export async function messageStatusCounts(db: Db, campaignId: string): Promise<{ status: string; n: number }[]> {
  const rows = await db.selectFrom('messages').select(['status', sql<number>`count(*)`.as('n')]).where('campaign_id', '=', campaignId).groupBy('status').execute();
  return rows.map((r) => ({ status: r.status, n: Number(r.n) }));
}

/** Engagement counts of one type: human rows, distinct contacts among human rows, machine rows, and distinct contacts of all rows. */
export async function engagementCounts(db: Db, campaignId: string, type: EngagementType): Promise<{ total: number; unique: number; machine: number; contacts: number }> {
  const row = await db.selectFrom('engagements')
    .select([
      sql<number>`coalesce(sum(case when machine = 0 then 1 else 0 end), 0)`.as('total'),
      sql<number>`count(distinct case when machine = 0 then contact_id end)`.as('unique_contacts'),
      sql<number>`coalesce(sum(case when machine = 1 then 1 else 0 end), 0)`.as('machine'),
      sql<number>`count(distinct contact_id)`.as('contacts'),
    ])
    .where('campaign_id', '=', campaignId).where('type', '=', type).executeTakeFirstOrThrow();
  return { total: Number(row.total), unique: Number(row.unique_contacts), machine: Number(row.machine), contacts: Number(row.contacts) };
}

/** Human clicks per URL: total clicks and distinct contacts, most clicked first. */
export async function clicksByLink(db: Db, campaignId: string): Promise<{ url: string; unique: number; total: number }[]> {
  const rows = await db.selectFrom('engagements')
    .select([sql<string>`coalesce(url, '')`.as('url'), sql<number>`count(distinct contact_id)`.as('unique_contacts'), sql<number>`count(*)`.as('total')])
    .where('campaign_id', '=', campaignId).where('type', '=', 'click').where('machine', '=', 0)
    .groupBy(sql`coalesce(url, '')`).orderBy(sql`count(*)`, 'desc').orderBy(sql`coalesce(url, '')`).execute();
  return rows.map((r) => ({ url: r.url, unique: Number(r.unique_contacts), total: Number(r.total) }));
}

/** Human engagements of the campaign per hour (the ISO hour prefix `YYYY-MM-DDTHH`) and type. */
export async function engagementsByHour(db: Db, campaignId: string): Promise<{ hour: string; type: string; n: number }[]> {
  const hour = sql<string>`substr(created_at, 1, 13)`;
  const rows = await db.selectFrom('engagements').select([hour.as('hour'), 'type', sql<number>`count(*)`.as('n')])
    .where('campaign_id', '=', campaignId).where('machine', '=', 0).where('type', 'in', ['open', 'click'])
    .groupBy([hour, 'type']).execute();
  return rows.map((r) => ({ hour: r.hour, type: r.type, n: Number(r.n) }));
}
