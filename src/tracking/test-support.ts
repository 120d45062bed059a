import type { TestBeckon } from '../../test/helpers.ts';
import { newId } from '../lib/ids.ts';
import { nowIso } from '../lib/time.ts';
import { trackingUrl, type TrackingToken } from './tokens.ts';

/** A campaign message made for a test: its ids. */
export interface CampaignMessage {
  messageId: string;
  contactId: string;
  campaignId: string;
  workspaceId: string;
}

/** The workspace id behind a key (the default admin key when omitted). */
export async function workspaceOf(beckon: TestBeckon, key?: string): Promise<string> {
  return (await beckon.call('GET', '/v1/auth/me', key ? { key } : {})).json().workspace.uuid as string;
}

/** Inserts a draft campaign row in a workspace (the campaigns API lives on another branch) and returns its id. */
export async function insertCampaign(beckon: TestBeckon, workspaceId: string, channelId = newId()): Promise<string> {
  const id = newId();
  const at = nowIso();
  await beckon.runtime.deps.db.insertInto('campaigns').values({
    id, workspace_id: workspaceId, name: `Campaign ${id.slice(-4)}`, status: 'sending', channel_id: channelId,
    segment_ids: '[]', exclude_segment_ids: '[]', settings: '{}', created_at: at, updated_at: at,
  }).execute();
  return id;
}

/** Creates a sandbox channel of `type` through the API (once per workspace and type) and returns its uuid. */
export async function sandboxChannel(beckon: TestBeckon, type: 'email' | 'sms', key?: string): Promise<string> {
  const res = await beckon.call('POST', '/v1/channels', { key, body: { type, provider: 'sandbox', title: `Sandbox ${type}` } });
  if (res.statusCode !== 201) throw new Error(`creating a channel answered ${res.statusCode}: ${res.body}`);
  return res.json().channel.uuid;
}

/**
 * Sends a message through the API (`body` is a POST /v1/messages/send body) and tags it with a new campaign, as a
 * campaign send would; with `sentAt`, marks it sent at that time. Run Beckon with `worker: false` so it stays put.
 */
export async function campaignMessage(beckon: TestBeckon, body: Record<string, unknown>, options: { key?: string; sentAt?: string } = {}): Promise<CampaignMessage> {
  const res = await beckon.call('POST', '/v1/messages/send', { key: options.key, body });
  if (res.statusCode !== 200) throw new Error(`sending answered ${res.statusCode}: ${res.body}`);
  const message = res.json().message;
  const workspaceId = await workspaceOf(beckon, options.key);
  const campaignId = await insertCampaign(beckon, workspaceId, message.channel_uuid);
  const set: Record<string, string> = { campaign_id: campaignId };
  if (options.sentAt) {
    set.status = 'sent';
    set.status_history = JSON.stringify([{ status: 'enqueued', at: message.created_at }, { status: 'sent', at: options.sentAt }]);
  }
  await beckon.runtime.deps.db.updateTable('messages').set(set).where('id', '=', message.uuid).execute();
  return { messageId: message.uuid, contactId: message.contact.uuid, campaignId, workspaceId };
}

/** The path (`/c/…`, `/o/…`, `/u/…`) of a token signed with the running Beckon's key. */
export function tokenPath(beckon: TestBeckon, token: TrackingToken): string {
  return new URL(trackingUrl('http://x.test', beckon.runtime.deps.secrets, token)).pathname;
}

/** ISO time `ms` milliseconds ago. */
export function ago(ms: number): string {
  return new Date(Date.now() - ms).toISOString();
}
