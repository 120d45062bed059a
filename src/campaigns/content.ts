import type { Db } from '../db/connect.ts';
import type { CampaignsTable, ChannelsTable, ContactsTable } from '../db/types.ts';
import { textFromHtml } from '../lib/html-text.ts';
import { invalidField } from '../errors.ts';
import { parseJson } from '../lib/json.ts';
import { TEXT_LIMITS, validateContent } from '../messages/service.ts';
import type { OutboundTemplate } from '../providers/types.ts';
import { resolveTemplateSend, templateSender } from '../templates/service.ts';
import { checkTemplate, hasLiquid, parseTemplate, renderTemplate, SAMPLE_SCOPE, scopeOf, type LiquidScope, type ParsedTemplate } from './liquid.ts';

/** A campaign's message as stored in campaigns.content: the type and the Liquid sources. */
export interface StoredContent {
  type: string;
  text?: string;
  html?: string;
  url?: string;
}

/** Template values: Callbell's positional array or named values, each a Liquid template. */
export type TemplateValues = string[] | Record<string, string>;

/** What a campaign sends, before it is stored: checked by checkCampaignContent. */
export interface ContentDraft {
  type: string;
  subject: string | null;
  content: { text?: string; html?: string; url?: string } | null;
  templateId: string | null;
  templateValues: TemplateValues | null;
}

function valuesEntries(values: TemplateValues): [string, string][] {
  return Array.isArray(values) ? values.map((v, i) => [String(i), v]) : Object.entries(values);
}

function renderValues(values: TemplateValues, parsed: Map<string, ParsedTemplate>, scope: LiquidScope): TemplateValues {
  const render = (key: string, value: string) => {
    const template = parsed.get(key);
    return template ? renderTemplate(template, scope) : value;
  };
  if (Array.isArray(values)) return values.map((v, i) => render(String(i), v));
  return Object.fromEntries(Object.entries(values).map(([k, v]) => [k, render(k, v)]));
}

/**
 * Checks what a campaign sends against its channel (400s naming the field): email campaigns are text with a
 * single-line subject (and optional html); other channels take no subject nor html; either content or an approved
 * template of the channel (template_uuid, template_values), not both; media needs an http(s) content.url. Every
 * Liquid source (subject, content.text, content.html, each template value) is parsed and rendered against a sample
 * contact, so a syntax error or an unknown filter is reported now (body.subject, body.content.text, …).
 */
export async function checkCampaignContent(db: Db, workspaceId: string, channel: ChannelsTable, draft: ContentDraft): Promise<void> {
  const email = channel.type === 'email';
  const content = draft.content;
  if (email) {
    if (draft.type !== 'text') throw invalidField('body.type', 'must be "text" for an email campaign (content.text is the plain-text body, content.html the HTML body)');
    if (draft.subject === null) throw invalidField('body.subject', 'is required for an email campaign');
    if (/[\r\n]/.test(draft.subject)) throw invalidField('body.subject', 'must be a single line');
    if (draft.templateId !== null) throw invalidField('body.template_uuid', 'templates are for WhatsApp and SMS campaigns; an email campaign has content');
  } else {
    if (draft.subject !== null) throw invalidField('body.subject', 'is only for email campaigns');
    if (content?.html !== undefined) throw invalidField('body.content.html', 'is only for email campaigns');
  }
  if (draft.templateId !== null) {
    if (content !== null) throw invalidField('body.content', 'a template campaign takes its content from the template (template_values personalize it)');
    const values = draft.templateValues ?? [];
    const parsed = new Map(valuesEntries(values).map(([k, v]) => [k, checkTemplate(v, `body.template_values.${k}`)]));
    // the sample contact has no custom fields: a personalized value that renders empty for it stands for a real value
    const sample = renderValues(values, parsed, SAMPLE_SCOPE);
    const filled = Array.isArray(sample)
      ? sample.map((v, i) => (v === '' && hasLiquid((values as string[])[i]) ? 'sample' : v))
      : Object.fromEntries(Object.entries(sample).map(([k, v]) => [k, v === '' && hasLiquid((values as Record<string, string>)[k]) ? 'sample' : v]));
    await resolveTemplateSend(db, workspaceId, draft.templateId, filled, {
      channel: { id: channel.id, type: channel.type }, paths: { uuid: 'body.template_uuid', values: 'body.template_values' },
    });
    return;
  }
  if (draft.templateValues !== null) throw invalidField('body.template_values', 'is only for template campaigns (with template_uuid)');
  if (content === null) throw invalidField('body.content', 'is required (or template_uuid for a template campaign)');
  // an email campaign with only content.html gets its text part derived from the HTML when sending
  const derived = email && content.text === undefined && content.html !== undefined;
  validateContent(draft.type, { text: derived ? 'derived from content.html' : content.text, url: content.url }, 'body.content', TEXT_LIMITS[channel.type]);
  if (draft.subject !== null) checkTemplate(draft.subject, 'body.subject');
  if (content.text !== undefined) checkTemplate(content.text, 'body.content.text');
  if (content.html !== undefined) checkTemplate(content.html, 'body.content.html');
}

/** A campaign's message compiled once for a batch: Liquid parsed, the template resolved when it does not vary per contact. */
export interface CompiledCampaign {
  type: string;
  subject: ParsedTemplate | null;
  text: ParsedTemplate | null;
  html: ParsedTemplate | null;
  url: string | null;
  templateId: string | null;
  templateValues: TemplateValues | null;
  parsedValues: Map<string, ParsedTemplate>;
  /** The template, found and checked once: fills it with one contact's values (null without a template). */
  fillTemplate: ((values: TemplateValues) => OutboundTemplate) | null;
  /** The resolved template when no value holds Liquid (the same for every contact). */
  fixedTemplate: OutboundTemplate | null;
}

/** Compiles a stored campaign's message (its sources were checked when it was saved). */
export async function compileCampaign(db: Db, campaign: CampaignsTable, channel: ChannelsTable): Promise<CompiledCampaign> {
  const content = parseJson<StoredContent | null>(campaign.content, null);
  const values = parseJson<TemplateValues | null>(campaign.template_values, null);
  const parsedValues = new Map(valuesEntries(values ?? []).filter(([, v]) => hasLiquid(v)).map(([k, v]) => [k, parseTemplate(v, `template_values.${k}`)]));
  const compiled: CompiledCampaign = {
    type: content?.type ?? 'text',
    subject: campaign.subject === null ? null : parseTemplate(campaign.subject, 'subject'),
    text: content?.text === undefined ? null : parseTemplate(content.text, 'content.text'),
    html: content?.html === undefined ? null : parseTemplate(content.html, 'content.html'),
    url: content?.url ?? null,
    templateId: campaign.template_id,
    templateValues: values,
    parsedValues,
    fillTemplate: null,
    fixedTemplate: null,
  };
  if (campaign.template_id !== null) {
    compiled.fillTemplate = await templateSender(db, campaign.workspace_id, campaign.template_id, { channel: { id: channel.id, type: channel.type } });
    if (parsedValues.size === 0) compiled.fixedTemplate = compiled.fillTemplate(values ?? []);
  }
  return compiled;
}

/** One contact's message: rendered subject, text, html, media URL and template. */
export interface RenderedMessage {
  type: string;
  subject: string | null;
  text: string | undefined;
  html: string | undefined;
  url: string | undefined;
  template: OutboundTemplate | null;
  /** The template values rendered for this contact (template campaigns). */
  values: TemplateValues | null;
}

/** The rendered text and html parts; without a text source, the text is derived from the rendered HTML. */
function textAndHtml(compiled: CompiledCampaign, scope: LiquidScope): { text: string | undefined; html: string | undefined } {
  const html = compiled.html === null ? undefined : renderTemplate(compiled.html, scope);
  if (compiled.text !== null) return { text: renderTemplate(compiled.text, scope), html };
  return { text: html === undefined ? undefined : textFromHtml(html), html };
}

/** Renders a compiled campaign for one contact (a template with personalized values is filled per contact; 400 on a bad value). */
export function renderFor(compiled: CompiledCampaign, contact: ContactsTable): RenderedMessage {
  const scope = scopeOf(contact);
  let template = compiled.fixedTemplate;
  let values = compiled.templateValues;
  if (compiled.fillTemplate !== null && template === null) {
    values = renderValues(compiled.templateValues ?? [], compiled.parsedValues, scope);
    template = compiled.fillTemplate(values);
  }
  if (template !== null) {
    const header = template.components?.header;
    const link = header && 'link' in header ? header.link : undefined;
    return { type: compiled.type, subject: null, text: template.renderedText, html: undefined, url: link, template, values };
  }
  return {
    type: compiled.type,
    subject: compiled.subject === null ? null : renderTemplate(compiled.subject, scope).replace(/[\r\n]+/g, ' ').trim(),
    ...textAndHtml(compiled, scope),
    url: compiled.url ?? undefined,
    template: null,
    values: null,
  };
}
