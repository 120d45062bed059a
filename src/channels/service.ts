import type { Db } from '../db/connect.ts';
import type { ChannelsTable } from '../db/types.ts';
import { notFound } from '../errors.ts';
import { newId } from '../lib/ids.ts';
import { parseJson } from '../lib/json.ts';
import { nowIso } from '../lib/time.ts';
import * as q from './queries.ts';

/** Channel types Beckon sends on. */
export const CHANNEL_TYPES = ['whatsapp', 'sms', 'email'] as const;

/** A channel as the API shows it (secrets in config are never shown). */
export interface ChannelView {
  uuid: string;
  type: string;
  provider: string;
  title: string;
  main: boolean;
  config: Record<string, unknown>;
  created_at: string;
  updated_at: string;
}

/** Maps a channel row to its API view. */
export function channelView(row: ChannelsTable): ChannelView {
  return { uuid: row.id, type: row.type, provider: row.provider, title: row.title, main: row.is_default === 1, config: parseJson(row.config, {}), created_at: row.created_at, updated_at: row.updated_at };
}

/** Creates the sandbox WhatsApp channel every new workspace starts with; returns its id. */
export async function createDefaultSandboxChannel(db: Db, workspaceId: string): Promise<string> {
  const id = newId();
  const now = nowIso();
  await q.insertChannel(db, { id, workspace_id: workspaceId, type: 'whatsapp', provider: 'sandbox', title: 'Sandbox WhatsApp', config: JSON.stringify({ strict: false }), is_default: 1, created_at: now, updated_at: now });
  return id;
}

/** Lists a workspace's channels. */
export async function listChannels(db: Db, workspaceId: string): Promise<ChannelView[]> {
  return (await q.listChannels(db, workspaceId)).map(channelView);
}

/** One channel of the workspace, or 404. */
export async function getChannel(db: Db, workspaceId: string, id: string): Promise<ChannelView> {
  const row = await q.findChannel(db, workspaceId, id);
  if (!row) throw notFound('channel');
  return channelView(row);
}
