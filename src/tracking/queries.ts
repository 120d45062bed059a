import type { EngagementType } from '../db/enums.ts';
import { isPostgres } from '../db/dialect.ts';
import type { Db } from '../db/connect.ts';
import type { EngagementsTable } from '../db/types.ts';
import { insertRows } from '../db/prepared.ts';

/** A message as tracking reads it (any workspace: the token names it). */
export interface TrackedMessage {
  id: string;
  workspace_id: string;
  contact_id: string;
  campaign_id: string | null;
  channel_type: string | null;
  status_history: string;
}

/** The message a verified token names, or undefined when it no longer exists. */
export async function findTrackedMessage(db: Db, id: string): Promise<TrackedMessage | undefined> {
  return db.selectFrom('messages').select(['id', 'workspace_id', 'contact_id', 'campaign_id', 'channel_type', 'status_history'])
    .where('id', '=', id).executeTakeFirst();
}

/** The URL of one link of a campaign, or undefined. */
export async function findLinkUrl(db: Db, campaignId: string, linkId: number): Promise<string | undefined> {
  const row = await db.selectFrom('campaign_links').select('url').where('campaign_id', '=', campaignId).where('id', '=', linkId).executeTakeFirst();
  return row?.url;
}

/** Inserts one engagement row. */
export async function insertEngagement(db: Db, row: EngagementsTable): Promise<void> {
  await insertRows(db, 'engagements', [row]);
}

/**
 * Serializes engagement checks of one message until `trx` ends: on PostgreSQL the message row is locked (two processes
 * recording a first open at once would both see none); SQLite has a single writer already.
 */
export async function lockMessageEngagements(trx: Db, messageId: string): Promise<void> {
  if (isPostgres(trx)) await trx.selectFrom('messages').select('id').where('id', '=', messageId).forUpdate().execute();
}

/** True when the message already has an engagement of this type (human ones only when `humanOnly`). */
export async function hasEngagement(db: Db, messageId: string, type: EngagementType, humanOnly = false): Promise<boolean> {
  let query = db.selectFrom('engagements').select('id').where('message_id', '=', messageId).where('type', '=', type);
  if (humanOnly) query = query.where('machine', '=', 0);
  return (await query.limit(1).executeTakeFirst()) !== undefined;
}
