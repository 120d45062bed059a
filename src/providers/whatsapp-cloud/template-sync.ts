import type { Deps } from '../../deps.ts';
import type { ChannelsTable } from '../../db/types.ts';
import { findChannel, listChannels } from '../../channels/queries.ts';
import { providerChannel } from '../../channels/secrets.ts';
import { AppError } from '../../errors.ts';
import type { TemplateButton, TemplateHeader } from '../../templates/model.ts';
import { upsertProviderTemplate, type ProviderTemplateInput, type TemplateView } from '../../templates/service.ts';
import { ProviderError } from '../types.ts';
import { graphCall } from './client.ts';
import { graphUrl, readWhatsAppConfig, WHATSAPP_CLOUD } from './config.ts';

/** A template as GET /{waba_id}/message_templates lists it (the fields Beckon asks for). */
export interface GraphTemplate {
  id: string;
  name: string;
  language: string;
  status: string;
  category: string;
  rejected_reason?: string;
  components?: { type: string; format?: string; text?: string; buttons?: { type: string; text?: string; url?: string; phone_number?: string }[] }[];
}

/** A template the sync could not take, and why. */
export interface SkippedTemplate {
  channel_uuid: string;
  name: string;
  language: string;
  reason: string;
}

/** What a sync did. */
export interface SyncOutcome {
  templates: TemplateView[];
  created: number;
  updated: number;
  skipped: SkippedTemplate[];
}

const FIELDS = 'id,name,language,status,category,components,rejected_reason';
const PAGE_LIMIT = 100;
/** Most pages read per channel (WhatsApp Business Accounts hold at most a few thousand templates). */
const MAX_PAGES = 100;

const STATUS: Record<string, ProviderTemplateInput['status']> = {
  APPROVED: 'approved', PENDING: 'pending', IN_APPEAL: 'pending', REJECTED: 'rejected', PAUSED: 'paused',
  DISABLED: 'rejected', PENDING_DELETION: 'rejected', DELETED: 'rejected', ARCHIVED: 'paused', LIMIT_EXCEEDED: 'rejected',
};

function statusReason(template: GraphTemplate): string | null {
  const reason = template.rejected_reason && template.rejected_reason !== 'NONE' ? template.rejected_reason : null;
  if (template.status === 'APPROVED' || template.status === 'PENDING' || template.status === 'REJECTED' || template.status === 'PAUSED') return reason;
  return [`WhatsApp status ${template.status}`, reason].filter(Boolean).join(': ');
}

/** Maps a Graph template to Beckon's fields, or returns why it cannot be (a part Beckon does not send). */
export function toProviderTemplate(template: GraphTemplate): ProviderTemplateInput | { unsupported: string } {
  const status = STATUS[template.status];
  if (!status) return { unsupported: `unknown WhatsApp status ${template.status}` };
  if (!['MARKETING', 'UTILITY', 'AUTHENTICATION'].includes(template.category)) return { unsupported: `category ${template.category} is not MARKETING, UTILITY or AUTHENTICATION` };
  let body: string | undefined;
  let header: TemplateHeader | null = null;
  let footer: string | null = null;
  let buttons: TemplateButton[] = [];
  for (const component of template.components ?? []) {
    const type = component.type.toUpperCase();
    if (type === 'BODY') body = component.text;
    else if (type === 'FOOTER') footer = component.text ?? null;
    else if (type === 'HEADER') {
      const format = (component.format ?? 'TEXT').toUpperCase();
      if (format === 'TEXT') header = { format: 'TEXT', text: component.text ?? '' };
      else if (format === 'IMAGE' || format === 'VIDEO' || format === 'DOCUMENT') header = { format };
      else return { unsupported: `a ${format} header is not supported` };
    } else if (type === 'BUTTONS') {
      for (const button of component.buttons ?? []) {
        if (button.type === 'QUICK_REPLY') buttons.push({ type: 'QUICK_REPLY', text: button.text ?? '' });
        else if (button.type === 'URL') buttons.push({ type: 'URL', text: button.text ?? '', url: button.url ?? '' });
        else if (button.type === 'PHONE_NUMBER') buttons.push({ type: 'PHONE_NUMBER', text: button.text ?? '', phone_number: button.phone_number ?? '' });
        else return { unsupported: `a ${button.type} button is not supported` };
      }
    } else return { unsupported: `a ${type} component is not supported` };
  }
  if (body === undefined) return { unsupported: 'it has no BODY' };
  return {
    name: template.name, language: template.language, category: template.category as ProviderTemplateInput['category'], body, status,
    status_reason: statusReason(template), header, footer, buttons, provider_template_id: template.id,
  };
}

function providerFailure(err: unknown, channelId: string): never {
  if (!(err instanceof ProviderError)) throw err;
  throw new AppError(502, 'provider_error', `WhatsApp Cloud API refused the template list of channel ${channelId}: ${err.message}`, undefined, { provider_code: err.code });
}

/** Reads every template of the channel's WhatsApp Business Account, following the cursor pages. */
export async function fetchTemplates(channel: ChannelsTable, config: ReturnType<typeof readWhatsAppConfig>): Promise<GraphTemplate[]> {
  const out: GraphTemplate[] = [];
  let after: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const url = new URL(graphUrl(config, `/${encodeURIComponent(config.businessAccountId!)}/message_templates`));
    url.searchParams.set('fields', FIELDS);
    url.searchParams.set('limit', String(PAGE_LIMIT));
    if (after) url.searchParams.set('after', after);
    let answer: { data?: GraphTemplate[]; paging?: { cursors?: { after?: string }; next?: string } };
    try {
      answer = await graphCall(config, 'GET', url.toString());
    } catch (err) {
      providerFailure(err, channel.id);
    }
    out.push(...(answer.data ?? []));
    // `next` is present only while there are more pages; its cursor is followed on this channel's own base URL
    after = answer.paging?.next ? answer.paging.cursors?.after : undefined;
    if (!after) break;
  }
  return out;
}

async function syncChannel(deps: Pick<Deps, 'db' | 'writer' | 'secrets'>, workspaceId: string, row: ChannelsTable, outcome: SyncOutcome): Promise<void> {
  let config;
  try {
    config = readWhatsAppConfig(providerChannel(deps.secrets, row).config);
  } catch (err) {
    if (!(err instanceof ProviderError)) throw err;
    throw new AppError(422, 'channel_unavailable', `channel ${row.id} cannot reach WhatsApp: ${err.message}`);
  }
  if (!config.businessAccountId) {
    throw new AppError(422, 'channel_unavailable', `channel ${row.id} has no business_account_id: set it with PATCH /v1/channels/${row.id} (config.business_account_id, from WhatsApp Manager)`);
  }
  const templates = await fetchTemplates(row, config);
  await deps.writer.run(async (trx) => {
    for (const template of templates) {
      const input = toProviderTemplate(template);
      if ('unsupported' in input) {
        outcome.skipped.push({ channel_uuid: row.id, name: template.name, language: template.language, reason: input.unsupported });
        continue;
      }
      try {
        const { template: view, created } = await upsertProviderTemplate(trx, workspaceId, { id: row.id, type: row.type }, input);
        outcome.templates.push(view);
        if (created) outcome.created++;
        else outcome.updated++;
      } catch (err) {
        if (!(err instanceof AppError) || err.status !== 400) throw err;
        const reason = err.errors?.map((e) => `${e.path.replace(/^template\./, '')} ${e.message}`).join('; ') ?? err.message;
        outcome.skipped.push({ channel_uuid: row.id, name: template.name, language: template.language, reason });
      }
    }
  });
}

/**
 * POST /v1/templates/sync: reads the templates (and their review status) of one WhatsApp Cloud channel's business
 * account, or of every WhatsApp Cloud channel of the workspace, and creates or updates Beckon's copies. Templates
 * with parts Beckon cannot send (a LOCATION header, OTP or catalog buttons) are skipped with the reason.
 */
export async function syncWhatsAppTemplates(deps: Pick<Deps, 'db' | 'writer' | 'secrets'>, workspaceId: string, channelUuid?: string): Promise<SyncOutcome> {
  let channels: ChannelsTable[];
  if (channelUuid) {
    const row = await findChannel(deps.db, workspaceId, channelUuid);
    if (!row) throw new AppError(404, 'not_found', 'channel not found', [{ path: 'body.channel_uuid', message: 'no such channel in this workspace' }]);
    if (row.provider !== WHATSAPP_CLOUD) throw new AppError(422, 'channel_unavailable', `channel ${row.id} uses the ${row.provider} provider: only WhatsApp Cloud API channels have templates to sync`, [{ path: 'body.channel_uuid', message: 'is not a whatsapp_cloud channel' }]);
    channels = [row];
  } else {
    channels = (await listChannels(deps.db, workspaceId)).filter((c) => c.provider === WHATSAPP_CLOUD);
    if (channels.length === 0) throw new AppError(422, 'channel_unavailable', 'this workspace has no WhatsApp Cloud API channel to sync templates from: create one with POST /v1/channels');
  }
  const outcome: SyncOutcome = { templates: [], created: 0, updated: 0, skipped: [] };
  for (const row of channels) await syncChannel(deps, workspaceId, row, outcome);
  return outcome;
}
