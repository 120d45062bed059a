import { AppError } from '../../errors.ts';
import type { FetchedTemplate, ProviderTemplate, TemplateSource } from '../module.ts';
import type { ProviderNet } from '../net.ts';
import { ProviderError } from '../types.ts';
import { graphCall } from './client.ts';
import { graphUrl, readWhatsAppConfig } from './config.ts';

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

const FIELDS = 'id,name,language,status,category,components,rejected_reason';
const PAGE_LIMIT = 100;
/** Most pages read per channel (WhatsApp Business Accounts hold at most a few thousand templates). */
const MAX_PAGES = 100;

const STATUS: Record<string, ProviderTemplate['status']> = {
  APPROVED: 'approved', PENDING: 'pending', IN_APPEAL: 'pending', REJECTED: 'rejected', PAUSED: 'paused',
  DISABLED: 'rejected', PENDING_DELETION: 'rejected', DELETED: 'rejected', ARCHIVED: 'paused', LIMIT_EXCEEDED: 'rejected',
};

function statusReason(template: GraphTemplate): string | null {
  const reason = template.rejected_reason && template.rejected_reason !== 'NONE' ? template.rejected_reason : null;
  if (template.status === 'APPROVED' || template.status === 'PENDING' || template.status === 'REJECTED' || template.status === 'PAUSED') return reason;
  return [`WhatsApp status ${template.status}`, reason].filter(Boolean).join(': ');
}

/** Maps a Graph template to Beckon's fields, or returns why it cannot be (a part Beckon does not send). */
export function toProviderTemplate(template: GraphTemplate): ProviderTemplate | { unsupported: string } {
  const status = STATUS[template.status];
  if (!status) return { unsupported: `unknown WhatsApp status ${template.status}` };
  if (!['MARKETING', 'UTILITY', 'AUTHENTICATION'].includes(template.category)) return { unsupported: `category ${template.category} is not MARKETING, UTILITY or AUTHENTICATION` };
  let body: string | undefined;
  let header: ProviderTemplate['header'] = null;
  let footer: string | null = null;
  const buttons: NonNullable<ProviderTemplate['buttons']> = [];
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
    name: template.name, language: template.language, category: template.category as ProviderTemplate['category'], body, status,
    status_reason: statusReason(template), header, footer, buttons, provider_template_id: template.id,
  };
}

function providerFailure(err: unknown, channelId: string): never {
  if (!(err instanceof ProviderError)) throw err;
  throw new AppError(502, 'provider_error', `WhatsApp Cloud API refused the template list of channel ${channelId}: ${err.message}`, undefined, { provider_code: err.code });
}

/** Reads every template of the channel's WhatsApp Business Account, following the cursor pages. */
export async function fetchTemplates(net: ProviderNet, channelId: string, config: ReturnType<typeof readWhatsAppConfig>): Promise<GraphTemplate[]> {
  const out: GraphTemplate[] = [];
  let after: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const url = new URL(graphUrl(config, `/${encodeURIComponent(config.businessAccountId!)}/message_templates`));
    url.searchParams.set('fields', FIELDS);
    url.searchParams.set('limit', String(PAGE_LIMIT));
    if (after) url.searchParams.set('after', after);
    let answer: { data?: GraphTemplate[]; paging?: { cursors?: { after?: string }; next?: string } };
    try {
      answer = await graphCall(net, config, 'GET', url.toString());
    } catch (err) {
      providerFailure(err, channelId);
    }
    out.push(...(answer.data ?? []));
    // `next` is present only while there are more pages; its cursor is followed on this channel's own base URL
    after = answer.paging?.next ? answer.paging.cursors?.after : undefined;
    if (!after) break;
  }
  return out;
}

/**
 * WhatsApp Cloud channels' templates (POST /v1/templates/sync): every template of the channel's WhatsApp Business
 * Account, with its review status, mapped to Beckon's fields; templates with parts Beckon cannot send (a LOCATION
 * header, OTP or catalog buttons) come back with the reason. A channel without credentials or business_account_id is a 422.
 */
export const whatsappTemplateSource: TemplateSource = {
  label: 'WhatsApp Cloud API',
  async fetch(net, channelId, openConfig) {
    let config;
    try {
      config = readWhatsAppConfig(openConfig());
    } catch (err) {
      if (!(err instanceof ProviderError)) throw err;
      throw new AppError(422, 'channel_unavailable', `channel ${channelId} cannot reach WhatsApp: ${err.message}`);
    }
    if (!config.businessAccountId) {
      throw new AppError(422, 'channel_unavailable', `channel ${channelId} has no business_account_id: set it with PATCH /v1/channels/${channelId} (config.business_account_id, from WhatsApp Manager)`);
    }
    return (await fetchTemplates(net, channelId, config)).map((template): FetchedTemplate => {
      const input = toProviderTemplate(template);
      return 'unsupported' in input ? { name: template.name, language: template.language, unsupported: input.unsupported } : { input };
    });
  },
};
