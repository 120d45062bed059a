import type { CampaignStatus } from '../db/enums.ts';
import type { Deps } from '../deps.ts';
import type { Db } from '../db/connect.ts';
import type { CampaignsTable, ChannelsTable } from '../db/types.ts';
import { AppError, invalidField, notFound } from '../errors.ts';
import { findChannel } from '../channels/queries.ts';
import { decodeCursor } from '../lib/cursor.ts';
import { pageOf } from '../lib/cursor.ts';
import { newId } from '../lib/ids.ts';
import { parseJson, toJson } from '../lib/json.ts';
import { nowIso } from '../lib/time.ts';
import { checkCampaignContent, type StoredContent, type TemplateValues } from './content.ts';
import { resolveSendAt } from './schedule.ts';
import { CAMPAIGN_SEND_TASK } from './sender.ts';
import * as q from './queries.ts';
import { campaignView, type CampaignView } from './view.ts';


/** The task that starts a scheduled campaign at its send_at. */
export const CAMPAIGN_START_TASK = 'campaign_start';

/** Payload of a campaign_start job: the campaign and the send_at it was scheduled for (a later reschedule makes it stale). */
export interface CampaignStartPayload {
  campaign_id: string;
  send_at: string;
}

declare module '../jobs/queue.ts' {
  interface TaskPayloads {
    [CAMPAIGN_START_TASK]: CampaignStartPayload;
  }
}

/** A campaign as POST /v1/campaigns takes it. */
export interface CampaignInput {
  name: string;
  channel_uuid: string;
  segment_uuids: string[];
  exclude_segment_uuids?: string[];
  type?: string;
  subject?: string | null;
  content?: { text?: string; html?: string; url?: string } | null;
  template_uuid?: string | null;
  template_values?: TemplateValues | null;
  settings?: { track_links?: boolean; track_opens?: boolean };
}

/** PATCH /v1/campaigns/:uuid: any field of a campaign. */
export type CampaignPatch = Partial<CampaignInput>;

const EDITABLE: CampaignStatus[] = ['draft', 'scheduled'];
const DELETABLE: CampaignStatus[] = ['draft', 'scheduled', 'completed', 'cancelled'];

async function findOr404(db: Db, workspaceId: string, id: string): Promise<CampaignsTable> {
  const row = await q.findCampaign(db, workspaceId, id);
  if (!row) throw notFound('campaign');
  return row;
}

/** 409 for a lifecycle step the campaign's status does not allow, naming the status. */
export function illegalTransition(row: CampaignsTable, action: string, allowed: string[]): AppError {
  return new AppError(409, 'conflict', `cannot ${action} a campaign that is ${row.status} (only when ${allowed.join(' or ')})`, undefined, { campaign_status: row.status });
}

async function channelOf(db: Db, workspaceId: string, id: string): Promise<ChannelsTable> {
  const channel = await findChannel(db, workspaceId, id);
  if (!channel) throw invalidField('body.channel_uuid', 'is not a channel of this workspace');
  return channel;
}

async function checkSegments(db: Db, workspaceId: string, ids: string[], path: string): Promise<string[]> {
  const normalized = ids.map((id) => id.toLowerCase());
  const existing = await q.existingSegmentIds(db, workspaceId, normalized);
  normalized.forEach((id, i) => {
    if (!existing.has(id)) throw invalidField(`${path}.${i}`, 'is not a segment of this workspace');
  });
  return [...new Set(normalized)];
}

/** Checks a complete campaign definition and returns the columns it is stored as (400s naming the field). */
async function columnsOf(db: Db, workspaceId: string, input: CampaignInput): Promise<Pick<CampaignsTable, 'name' | 'channel_id' | 'segment_ids' | 'exclude_segment_ids' | 'subject' | 'content' | 'template_id' | 'template_values' | 'settings'>> {
  const channel = await channelOf(db, workspaceId, input.channel_uuid);
  const include = await checkSegments(db, workspaceId, input.segment_uuids, 'body.segment_uuids');
  const exclude = await checkSegments(db, workspaceId, input.exclude_segment_uuids ?? [], 'body.exclude_segment_uuids');
  const type = input.type ?? 'text';
  const content = input.content ?? null;
  const templateId = input.template_uuid ?? null;
  await checkCampaignContent(db, workspaceId, channel, { type, subject: input.subject ?? null, content, templateId, templateValues: input.template_values ?? null });
  const stored: StoredContent = { type, ...(content ?? {}) };
  const settings = { track_links: input.settings?.track_links ?? true, track_opens: channel.type === 'email' ? input.settings?.track_opens ?? true : false };
  return {
    name: input.name, channel_id: channel.id, segment_ids: toJson(include), exclude_segment_ids: toJson(exclude), subject: input.subject ?? null,
    content: toJson(stored), template_id: templateId, template_values: input.template_values ? toJson(input.template_values) : null, settings: toJson(settings),
  };
}

/** Creates a draft campaign; its content's Liquid is checked against a sample contact now (400 naming the field). */
export async function createCampaign(deps: Pick<Deps, 'db'>, workspaceId: string, input: CampaignInput): Promise<CampaignView> {
  const now = nowIso();
  const row: CampaignsTable = {
    id: newId(), workspace_id: workspaceId, status: 'draft', ...(await columnsOf(deps.db, workspaceId, input)),
    send_at: null, time_zone: null, audience_frozen_at: null, started_at: null, paused_at: null, completed_at: null, cancelled_at: null, created_at: now, updated_at: now,
  };
  await q.insertCampaign(deps.db, row);
  return campaignView(row);
}

/** One campaign; 404 when it is not in the workspace. */
export async function getCampaign(deps: Pick<Deps, 'db'>, workspaceId: string, id: string): Promise<CampaignView> {
  return campaignView(await findOr404(deps.db, workspaceId, id));
}

/** A page of the workspace's campaigns, newest first, optionally of one status. */
export async function listCampaigns(deps: Pick<Deps, 'db'>, workspaceId: string, query: { limit?: number; cursor?: string; status?: CampaignStatus }): Promise<{ campaigns: CampaignView[]; meta: { next_cursor: string | null } }> {
  const limit = query.limit ?? 20;
  const rows = await q.listCampaigns(deps.db, workspaceId, limit, decodeCursor(query.cursor), query.status);
  const page = pageOf(rows, limit, (row) => row.created_at);
  return { campaigns: page.items.map(campaignView), meta: { next_cursor: page.next_cursor } };
}

function inputOf(row: CampaignsTable): CampaignInput {
  const view = campaignView(row);
  return {
    name: view.name, channel_uuid: view.channel_uuid, segment_uuids: view.segment_uuids, exclude_segment_uuids: view.exclude_segment_uuids, type: view.type,
    subject: view.subject, content: view.content, template_uuid: view.template_uuid, template_values: view.template_values, settings: parseJson(row.settings, {}),
  };
}

/** Changes a draft or scheduled campaign (the whole result is checked again); 409 in any other status. */
export async function updateCampaign(deps: Pick<Deps, 'db'>, workspaceId: string, id: string, patch: CampaignPatch): Promise<CampaignView> {
  const row = await findOr404(deps.db, workspaceId, id);
  if (!EDITABLE.includes(row.status)) throw illegalTransition(row, 'change', EDITABLE);
  const current = inputOf(row);
  const merged: CampaignInput = { ...current, ...Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)), settings: { ...current.settings, ...patch.settings } };
  if (patch.channel_uuid !== undefined && patch.channel_uuid !== row.channel_id && patch.settings?.track_opens === undefined) delete merged.settings?.track_opens;
  const changes = { ...(await columnsOf(deps.db, workspaceId, merged)), updated_at: nowIso() };
  if (!(await q.updateCampaignIf(deps.db, row.id, EDITABLE, changes))) throw illegalTransition(await findOr404(deps.db, workspaceId, id), 'change', EDITABLE);
  return campaignView({ ...row, ...changes });
}

/** Deletes a campaign that is not sending nor paused (409 then: cancel it first); its messages stay. */
export async function deleteCampaign(deps: Pick<Deps, 'db'>, workspaceId: string, id: string): Promise<void> {
  const row = await findOr404(deps.db, workspaceId, id);
  if (!(await q.deleteCampaignIf(deps.db, workspaceId, id, DELETABLE))) throw illegalTransition(row, 'delete', DELETABLE);
}

async function transition(deps: Pick<Deps, 'db' | 'writer' | 'queue'>, workspaceId: string, id: string, action: string, from: CampaignStatus[],
  changes: (row: CampaignsTable, now: string) => Partial<CampaignsTable>, within?: (trx: Db, row: CampaignsTable) => Promise<void>): Promise<CampaignView> {
  const row = await findOr404(deps.db, workspaceId, id);
  if (!from.includes(row.status)) throw illegalTransition(row, action, from);
  const now = nowIso();
  const next = { ...changes(row, now), updated_at: now };
  const done = await deps.writer.run(async (trx) => {
    if (!(await q.updateCampaignIf(trx, row.id, from, next))) return false;
    if (within) await within(trx, { ...row, ...next });
    return true;
  });
  if (!done) throw illegalTransition(await findOr404(deps.db, workspaceId, id), action, from);
  deps.queue.notify();
  return campaignView({ ...row, ...next });
}

/**
 * Schedules a draft (or reschedules a scheduled) campaign: send_at with an offset, or a local wall time read in the
 * IANA time_zone; it must be in the future. A campaign_start job runs at that time (stored with the campaign, so it
 * survives restarts); an older job of the same campaign finds a different send_at and does nothing.
 */
export async function scheduleCampaign(deps: Pick<Deps, 'db' | 'writer' | 'queue'>, workspaceId: string, id: string, input: { send_at: string; time_zone?: string }): Promise<CampaignView> {
  const { at, timeZone } = resolveSendAt(input.send_at, input.time_zone);
  if (Date.parse(at) <= Date.now()) throw invalidField('body.send_at', `must be in the future (it is ${at})`);
  return transition(deps, workspaceId, id, 'schedule', ['draft', 'scheduled'], () => ({ status: 'scheduled', send_at: at, time_zone: timeZone }), async (trx, row) => {
    await deps.queue.enqueue(trx, CAMPAIGN_START_TASK, { campaign_id: row.id, send_at: at } satisfies CampaignStartPayload, { runAt: new Date(at) });
  });
}

/** Takes a scheduled campaign back to draft (its start job becomes a no-op). */
export async function unscheduleCampaign(deps: Pick<Deps, 'db' | 'writer' | 'queue'>, workspaceId: string, id: string): Promise<CampaignView> {
  return transition(deps, workspaceId, id, 'unschedule', ['scheduled'], () => ({ status: 'draft', send_at: null, time_zone: null }));
}

async function startIn(trx: Db, deps: Pick<Deps, 'queue'>, row: CampaignsTable): Promise<void> {
  await deps.queue.enqueue(trx, CAMPAIGN_SEND_TASK, { campaign_id: row.id, from_position: 0 });
}

/** Starts sending a draft or scheduled campaign now: status sending; a job freezes the audience and sends in batches. */
export async function sendCampaign(deps: Pick<Deps, 'db' | 'writer' | 'queue'>, workspaceId: string, id: string): Promise<CampaignView> {
  return transition(deps, workspaceId, id, 'send', ['draft', 'scheduled'], (_row, now) => ({ status: 'sending', started_at: now }), (trx, row) => startIn(trx, deps, row));
}

/** Starts a scheduled campaign from its campaign_start job, unless it was unscheduled, rescheduled, cancelled or deleted since. */
export async function startScheduled(deps: Pick<Deps, 'db' | 'writer' | 'queue'>, payload: CampaignStartPayload): Promise<boolean> {
  const started = await deps.writer.run(async (trx) => {
    const row = await q.findCampaignById(trx, payload.campaign_id);
    if (!row || row.status !== 'scheduled' || row.send_at !== payload.send_at) return false;
    const now = nowIso();
    if (!(await q.updateCampaignIf(trx, row.id, ['scheduled'], { status: 'sending', started_at: now, updated_at: now }))) return false;
    await startIn(trx, deps, row);
    return true;
  });
  if (started) deps.queue.notify();
  return started;
}

/** Pauses a sending campaign: the batch in progress finishes, no other starts. */
export async function pauseCampaign(deps: Pick<Deps, 'db' | 'writer' | 'queue'>, workspaceId: string, id: string): Promise<CampaignView> {
  return transition(deps, workspaceId, id, 'pause', ['sending'], (_row, now) => ({ status: 'paused', paused_at: now }));
}

/** Resumes a paused campaign from its first pending recipient. */
export async function resumeCampaign(deps: Pick<Deps, 'db' | 'writer' | 'queue'>, workspaceId: string, id: string): Promise<CampaignView> {
  return transition(deps, workspaceId, id, 'resume', ['paused'], () => ({ status: 'sending', paused_at: null }), (trx, row) => startIn(trx, deps, row));
}

/** Cancels a scheduled, sending or paused campaign: recipients not processed yet are skipped with reason `cancelled`. */
export async function cancelCampaign(deps: Pick<Deps, 'db' | 'writer' | 'queue'>, workspaceId: string, id: string): Promise<CampaignView> {
  return transition(deps, workspaceId, id, 'cancel', ['scheduled', 'sending', 'paused'], (_row, now) => ({ status: 'cancelled', cancelled_at: now }), async (trx, row) => {
    await q.skipPending(trx, row.id, 'cancelled', row.cancelled_at as string);
  });
}

/** The campaign row (404 when not in the workspace), for the other campaign services. */
export async function campaignRow(db: Db, workspaceId: string, id: string): Promise<CampaignsTable> {
  return findOr404(db, workspaceId, id);
}

