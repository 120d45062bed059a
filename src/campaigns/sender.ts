import type { Deps } from '../deps.ts';
import type { Db } from '../db/connect.ts';
import type { CampaignRecipientsTable, CampaignsTable, ChannelsTable, ContactsTable, MessagesTable } from '../db/types.ts';
import { AppError } from '../errors.ts';
import { findChannel } from '../channels/queries.ts';
import { recordEvent } from '../events/service.ts';
import { newId } from '../lib/ids.ts';
import { parseJson } from '../lib/json.ts';
import { nowIso } from '../lib/time.ts';
import { enqueueMessages, messageRow, messagesCommitted } from '../messages/outbound.ts';
import { sendRuleRefusal, type SendKind } from '../messages/rules.ts';
import { MAX_TEXT_LENGTH } from '../messages/schema.ts';
import { TEXT_LIMITS } from '../messages/service.ts';
import { segmentMemberQuery } from '../segments/service.ts';
import { trackContent } from '../tracking/track-content.ts';
import { compileCampaign, renderFor, type CompiledCampaign, type RenderedMessage } from './content.ts';
import * as q from './queries.ts';
import { campaignView, settingsOf } from './view.ts';

/** The task that freezes a sending campaign's audience (once) and processes its next batch of recipients. */
export const CAMPAIGN_SEND_TASK = 'campaign_send';

/** Payload of a campaign_send job: the campaign, and the position its batch starts from. */
export interface CampaignSendPayload {
  campaign_id: string;
  from_position?: number;
}

declare module '../jobs/queue.ts' {
  interface TaskPayloads {
    [CAMPAIGN_SEND_TASK]: CampaignSendPayload;
  }
}

/** How many audience members one freeze transaction copies. */
export const FREEZE_CHUNK = 5000;
/** How many recipients one campaign_send job processes (one transaction). */
export const BATCH_SIZE = 500;

/** What campaign sending needs. */
export type SenderDeps = Deps;

/** The address a contact is reached at on a channel type: phone for whatsapp and sms, email for email; null when missing. */
export function addressFor(channelType: string, contact: ContactsTable): string | null {
  return channelType === 'email' ? contact.email : contact.phone;
}

/** The send-time rules a campaign message is checked with: a marketing send, a template send for template campaigns. */
export function campaignKind(campaign: CampaignsTable): SendKind {
  return { template: campaign.template_id !== null, marketing: true, optinContact: false };
}

/**
 * Freezes the audience of a sending campaign: copies the contacts of its included segments minus its excluded ones
 * (each once, in id order) into campaign_recipients, FREEZE_CHUNK rows per transaction (INSERT … SELECT, never held in
 * memory); a freeze cut short by a crash resumes after the last copied contact. Then, in one transaction, stamps
 * audience_frozen_at and emits campaign_started (with the recipient count). Segments deleted since are ignored.
 */
export async function freezeAudience(deps: SenderDeps, campaign: CampaignsTable): Promise<void> {
  const wanted = (ids: string) => parseJson<string[]>(ids, []);
  const existing = await q.existingSegmentIds(deps.db, campaign.workspace_id, [...wanted(campaign.segment_ids), ...wanted(campaign.exclude_segment_ids)]);
  const include = wanted(campaign.segment_ids).filter((id) => existing.has(id));
  const exclude = wanted(campaign.exclude_segment_ids).filter((id) => existing.has(id));
  if (include.length > 0) {
    for (;;) {
      const copied = await deps.writer.run(async (trx) => {
        const current = await q.findCampaignById(trx, campaign.id);
        if (!current || (current.status !== 'sending' && current.status !== 'paused')) return -1;
        const last = await q.lastRecipient(trx, campaign.id);
        const members = await segmentMemberQuery(trx, campaign.workspace_id, include, exclude);
        return q.freezeChunk(trx, campaign.id, campaign.workspace_id, members, last?.contact_id ?? null, last ? last.position + 1 : 0, FREEZE_CHUNK);
      });
      if (copied < 0) return;
      if (copied < FREEZE_CHUNK) break;
    }
  }
  await deps.writer.run(async (trx) => {
    const at = nowIso();
    if (!(await q.updateCampaignIf(trx, campaign.id, ['sending', 'paused'], { audience_frozen_at: at, updated_at: at }))) return;
    const row = await q.findCampaignById(trx, campaign.id);
    if (row) await recordEvent(trx, deps, campaign.workspace_id, 'campaign_started', { ...campaignView(row), recipients: await q.countRecipients(trx, campaign.id) });
  });
  deps.queue.notify();
}

/** Why a contact is not sent a message of this kind on this channel (contact_deleted, no_address, a send-rule code), or null. */
export async function skipOf(trx: Db, channel: ChannelsTable, kind: SendKind, contact: ContactsTable | null, now: string): Promise<string | null> {
  if (contact === null) return 'contact_deleted';
  if (addressFor(channel.type, contact) === null) return 'no_address';
  const refusal = await sendRuleRefusal(trx, channel, contact, kind, now);
  return refusal ? refusal.code : null;
}

/** The message row of one rendered campaign message (status enqueued); campaignId is null for test sends. */
export function campaignMessage(
  id: string, ids: { campaignId: string | null; templateId: string | null }, channel: ChannelsTable, contact: ContactsTable, rendered: RenderedMessage, now: string,
  metadata: Record<string, string> | null = null,
): MessagesTable {
  return messageRow({
    id, direction: 'outbound', channel, contactId: contact.id, address: addressFor(channel.type, contact), type: rendered.type,
    content: { url: rendered.url, text: rendered.text }, now, metadata, templateUuid: ids.templateId, templateValues: rendered.values,
    template: rendered.template, subject: rendered.subject, html: rendered.html, campaignId: ids.campaignId,
  });
}

/** The message rendered for one contact, or the skip reason when it cannot be (content_too_long, template_values_invalid, …). */
export function renderOrSkip(channel: ChannelsTable, compiled: CompiledCampaign, contact: ContactsTable): RenderedMessage | string {
  try {
    const rendered = renderFor(compiled, contact);
    if (rendered.text !== undefined && rendered.text.length > (TEXT_LIMITS[channel.type] ?? MAX_TEXT_LENGTH)) return 'content_too_long';
    return rendered;
  } catch (error) {
    if (error instanceof AppError) return error.status === 400 ? 'template_values_invalid' : 'template_unavailable';
    return 'render_failed';
  }
}

/** What processing one batch did. */
export interface BatchOutcome {
  /** Recipients processed (messaged or skipped). */
  processed: number;
  /** Recipients messaged. */
  messaged?: number;
  /** True when the campaign is no longer sending (paused, cancelled, completed, deleted): nothing was done. */
  stopped: boolean;
  /** True when this batch completed the campaign. */
  completed: boolean;
}

/**
 * Processes the next BATCH_SIZE pending recipients from `fromPosition`, in position order, in ONE transaction:
 * each recipient is skipped with a reason (contact_deleted, no_address, contact_blocked, contact_opted_out,
 * optin_required, outside_customer_service_window, template_unavailable, template_values_invalid, render_failed, content_too_long) or gets its rendered,
 * tracked message (enqueued, campaign_id set), its message_created event and its send_message job, and is marked
 * messaged with the message id. The same transaction enqueues the next batch, or completes the campaign (status
 * completed, campaign_completed) when no pending recipient is left. A crash before the commit leaves the batch
 * pending and the job runs again; after it, every recipient of the batch is already marked: none is sent twice.
 * A campaign that is no longer `sending` (paused, cancelled) is left alone.
 */
export async function processBatch(deps: SenderDeps, campaignId: string, fromPosition = 0): Promise<BatchOutcome> {
  const campaign = await q.findCampaignById(deps.db, campaignId);
  if (!campaign || campaign.status !== 'sending') return { processed: 0, stopped: true, completed: false };
  const channel = await findChannel(deps.db, campaign.workspace_id, campaign.channel_id);
  let compiled: CompiledCampaign | null = null;
  let unavailable: string | null = channel ? null : 'channel_unavailable';
  if (channel) {
    try {
      compiled = await compileCampaign(deps.db, campaign, channel);
    } catch {
      unavailable = 'template_unavailable';
    }
  }
  const settings = settingsOf(campaign);
  const kind = campaignKind(campaign);
  const outcome = await deps.writer.run(async (trx): Promise<BatchOutcome> => {
    const current = await q.findCampaignById(trx, campaignId);
    if (!current || current.status !== 'sending') return { processed: 0, stopped: true, completed: false };
    const now = nowIso();
    const batch = await q.pendingBatch(trx, campaignId, fromPosition, BATCH_SIZE);
    const marks: CampaignRecipientsTable[] = [];
    const messages: MessagesTable[] = [];
    for (const recipient of batch) {
      const mark: CampaignRecipientsTable = {
        campaign_id: campaignId, contact_id: recipient.contact_id, workspace_id: campaign.workspace_id, position: recipient.position,
        state: 'skipped', skip_reason: unavailable, message_id: null, processed_at: now,
      };
      marks.push(mark);
      if (unavailable !== null || !channel || !compiled) continue;
      const skip = await skipOf(trx, channel, kind, recipient.contact, now);
      if (skip !== null) {
        mark.skip_reason = skip;
        continue;
      }
      const contact = recipient.contact as ContactsTable;
      const rendered = renderOrSkip(channel, compiled, contact);
      if (typeof rendered === 'string') {
        mark.skip_reason = rendered;
        continue;
      }
      const id = newId();
      if (rendered.template === null) {
        const tracked = await trackContent(trx, deps, {
          workspaceId: campaign.workspace_id, campaignId, messageId: id, contactId: contact.id, channelType: channel.type as 'whatsapp' | 'sms' | 'email',
          text: rendered.text, html: rendered.html, trackLinks: settings.track_links, trackOpens: settings.track_opens,
        });
        rendered.text = tracked.text;
        rendered.html = tracked.html;
      }
      messages.push(campaignMessage(id, { campaignId, templateId: campaign.template_id }, channel, contact, rendered, now));
      Object.assign(mark, { state: 'messaged', skip_reason: null, message_id: id });
    }
    await enqueueMessages(trx, deps, messages);
    const marked = await q.markRecipients(trx, marks);
    if (marked !== marks.length) throw new Error(`campaign ${campaignId}: ${marks.length - marked} recipient(s) of this batch were processed concurrently; retrying`);
    if (batch.length === BATCH_SIZE) {
      await deps.queue.enqueue(trx, CAMPAIGN_SEND_TASK, { campaign_id: campaignId, from_position: batch[batch.length - 1].position + 1 } satisfies CampaignSendPayload);
      return { processed: batch.length, messaged: messages.length, stopped: false, completed: false };
    }
    await completeIn(trx, deps, campaignId, now);
    return { processed: batch.length, messaged: messages.length, stopped: false, completed: true };
  });
  messagesCommitted(deps, 'outbound', outcome.messaged ?? 0);
  return outcome;
}

async function completeIn(trx: Db, deps: SenderDeps, campaignId: string, now: string): Promise<void> {
  if (!(await q.updateCampaignIf(trx, campaignId, ['sending'], { status: 'completed', completed_at: now, updated_at: now }))) return;
  const row = await q.findCampaignById(trx, campaignId);
  if (row) await recordEvent(trx, deps, row.workspace_id, 'campaign_completed', campaignView(row));
}

/** Runs one campaign_send job: freezes the audience first when it is not frozen yet, then processes one batch. */
export async function runCampaignSend(deps: SenderDeps, payload: CampaignSendPayload): Promise<BatchOutcome> {
  const campaign = await q.findCampaignById(deps.db, payload.campaign_id);
  if (!campaign || campaign.status !== 'sending') return { processed: 0, stopped: true, completed: false };
  if (campaign.audience_frozen_at === null) await freezeAudience(deps, campaign);
  return processBatch(deps, payload.campaign_id, payload.from_position ?? 0);
}
