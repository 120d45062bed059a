import type { ChannelType } from '../db/enums.ts';
import { AppError, type FieldError } from '../errors.ts';
import { normalizePhone } from '../lib/phone.ts';
import { checkPlaceholders, keysOf, type ParameterFormat, type TextPart } from './variables.ts';
import { isHttpUrl } from '../lib/url.ts';
import { TEMPLATE_CATEGORIES, TEMPLATE_STATUSES } from '../db/enums.ts';

/** The column values, declared with the table types (db/enums.ts). */
export { TEMPLATE_CATEGORIES, TEMPLATE_STATUSES };

/** Header formats of a WhatsApp template. */
export const HEADER_FORMATS = ['TEXT', 'IMAGE', 'VIDEO', 'DOCUMENT'] as const;

/** Button types of a WhatsApp template. */
export const BUTTON_TYPES = ['QUICK_REPLY', 'URL', 'PHONE_NUMBER'] as const;

/** A WhatsApp template's header: a text (with at most one variable) or a media, whose link is given at send time or defaults to media_url. */
export interface TemplateHeader {
  format: (typeof HEADER_FORMATS)[number];
  text?: string;
  media_url?: string;
}

/** A WhatsApp template's button; a URL button's url may end with one variable. */
export interface TemplateButton {
  type: (typeof BUTTON_TYPES)[number];
  text: string;
  url?: string;
  phone_number?: string;
}

/** A template's content and state, as created or after a PATCH is merged. */
export interface TemplateFields {
  name: string;
  language: string;
  category: (typeof TEMPLATE_CATEGORIES)[number];
  channel_type: ChannelType;
  body: string;
  header: TemplateHeader | null;
  footer: string | null;
  buttons: TemplateButton[];
  status: (typeof TEMPLATE_STATUSES)[number];
  status_reason: string | null;
  provider_template_id: string | null;
}

/** WhatsApp's limits on template parts. */
export const LIMITS = { whatsappBody: 1024, otherBody: 4096, header: 60, footer: 60, buttonText: 25, buttons: 10, urlButtons: 2, phoneButtons: 1 } as const;

function checkHeader(header: TemplateHeader, path: string, errors: FieldError[], parts: TextPart[]): TemplateHeader {
  if (header.format === 'TEXT') {
    const text = header.text?.trim() ?? '';
    if (header.media_url !== undefined) errors.push({ path: `${path}.media_url`, message: 'is only for IMAGE, VIDEO and DOCUMENT headers' });
    if (text === '') errors.push({ path: `${path}.text`, message: 'is required for a TEXT header' });
    else if (text.length > LIMITS.header) errors.push({ path: `${path}.text`, message: `must be at most ${LIMITS.header} characters` });
    else parts.push({ text, path: `${path}.text`, maxVariables: 1 });
    return { format: 'TEXT', text };
  }
  if (header.text !== undefined) errors.push({ path: `${path}.text`, message: `is only for TEXT headers (a ${header.format} header shows a media)` });
  if (header.media_url !== undefined && !isHttpUrl(header.media_url)) errors.push({ path: `${path}.media_url`, message: 'must be an http or https URL' });
  return header.media_url === undefined ? { format: header.format } : { format: header.format, media_url: header.media_url };
}

function checkButtons(buttons: TemplateButton[], path: string, errors: FieldError[], parts: TextPart[]): TemplateButton[] {
  if (buttons.length > LIMITS.buttons) errors.push({ path, message: `may have at most ${LIMITS.buttons} buttons` });
  if (buttons.filter((b) => b.type === 'URL').length > LIMITS.urlButtons) errors.push({ path, message: `may have at most ${LIMITS.urlButtons} URL buttons` });
  if (buttons.filter((b) => b.type === 'PHONE_NUMBER').length > LIMITS.phoneButtons) errors.push({ path, message: `may have at most ${LIMITS.phoneButtons} PHONE_NUMBER button` });
  return buttons.map((button, i) => {
    const at = `${path}.${i}`;
    const text = button.text.trim();
    if (text === '' || text.length > LIMITS.buttonText) errors.push({ path: `${at}.text`, message: `must be 1 to ${LIMITS.buttonText} characters` });
    if (button.type !== 'URL' && button.url !== undefined) errors.push({ path: `${at}.url`, message: 'is only for URL buttons' });
    if (button.type !== 'PHONE_NUMBER' && button.phone_number !== undefined) errors.push({ path: `${at}.phone_number`, message: 'is only for PHONE_NUMBER buttons' });
    if (button.type === 'URL') {
      const url = button.url?.trim() ?? '';
      if (!isHttpUrl(url.replace(/\{\{[^{}]*\}\}/g, 'x'))) errors.push({ path: `${at}.url`, message: 'is required: an http or https URL, which may end with one variable ({{1}})' });
      else parts.push({ text: url, path: `${at}.url`, maxVariables: 1, suffixOnly: true });
      return { type: 'URL', text, url };
    }
    if (button.type === 'PHONE_NUMBER') {
      let phone = '';
      try {
        phone = normalizePhone(button.phone_number ?? '', `${at}.phone_number`);
      } catch (err) {
        errors.push(...((err as AppError).errors ?? []));
      }
      return { type: 'PHONE_NUMBER', text, phone_number: phone };
    }
    return { type: 'QUICK_REPLY', text };
  });
}

/**
 * Checks a template as a whole (paths under `base`, e.g. `body`): WhatsApp's name and size rules, one kind of
 * variables throughout, header, footer and buttons only on WhatsApp templates. Returns the normalized fields and
 * the parameter format, or throws one 400 listing every problem.
 */
export function checkTemplate(fields: TemplateFields, base = 'body'): { fields: TemplateFields; format: ParameterFormat } {
  const errors: FieldError[] = [];
  const parts: TextPart[] = [];
  const whatsapp = fields.channel_type === 'whatsapp';
  const name = fields.name.trim();
  if (whatsapp && !/^[a-z0-9_]{1,512}$/.test(name)) errors.push({ path: `${base}.name`, message: 'must be lowercase letters, digits and underscores (WhatsApp template names), e.g. order_update' });
  if (name === '') errors.push({ path: `${base}.name`, message: 'must not be empty' });
  const language = fields.language.trim().replace('-', '_');
  if (!/^[a-z]{2,3}(_[A-Za-z0-9]{2,4})?$/.test(language)) errors.push({ path: `${base}.language`, message: 'must be a language code such as en, en_US or pt_BR' });
  const body = fields.body.trim();
  const maxBody = whatsapp ? LIMITS.whatsappBody : LIMITS.otherBody;
  if (body === '' || body.length > maxBody) errors.push({ path: `${base}.body`, message: `must be 1 to ${maxBody} characters` });
  parts.push({ text: body, path: `${base}.body` });

  let header: TemplateHeader | null = null;
  let footer: string | null = null;
  let buttons: TemplateButton[] = [];
  if (!whatsapp) {
    for (const [field, set] of [['header', fields.header !== null], ['footer', fields.footer !== null], ['buttons', fields.buttons.length > 0]] as const) {
      if (set) errors.push({ path: `${base}.${field}`, message: `is only for WhatsApp templates (channel_type whatsapp), not ${fields.channel_type}` });
    }
  } else {
    if (fields.header) header = checkHeader(fields.header, `${base}.header`, errors, parts);
    if (fields.footer !== null) {
      footer = fields.footer.trim();
      if (footer === '' || footer.length > LIMITS.footer) errors.push({ path: `${base}.footer`, message: `must be 1 to ${LIMITS.footer} characters` });
      if (keysOf(footer).length > 0 || footer.includes('{{')) errors.push({ path: `${base}.footer`, message: 'cannot have variables' });
    }
    buttons = checkButtons(fields.buttons, `${base}.buttons`, errors, parts);
  }
  const checked = checkPlaceholders(parts);
  errors.push(...checked.errors);
  if (errors.length > 0) throw new AppError(400, 'validation_failed', errors.map((e) => `${e.path} ${e.message}`).join('; '), errors);
  return { fields: { ...fields, name, language, body, header, footer, buttons }, format: checked.format };
}

/** Where one variable of a template is, and what the API calls it. */
export interface TemplateVariable {
  /** Its label in `variables` and in named values: "1", "header.1", "buttons.0.1" (positional) or "first_name" (named). */
  label: string;
  /** The key between its braces ("1", "first_name"). */
  key: string;
  part: 'body' | 'header' | 'button';
  /** For a button variable: the button's index. */
  button?: number;
}

/**
 * The variables a send must give values for, in the order `template_values[]` lists them: the body's ({{1}}, {{2}}…),
 * then the header's, then each URL button's. Named templates share one name across parts (a name is asked once).
 */
export function templateVariables(fields: Pick<TemplateFields, 'body' | 'header' | 'buttons'>, format: ParameterFormat): TemplateVariable[] {
  const out: TemplateVariable[] = [];
  const seen = new Set<string>();
  const add = (key: string, part: TemplateVariable['part'], prefix: string, button?: number) => {
    const label = format === 'named' ? key : `${prefix}${key}`;
    if (seen.has(label)) return;
    seen.add(label);
    out.push(button === undefined ? { label, key, part } : { label, key, part, button });
  };
  const bodyKeys = keysOf(fields.body);
  for (const key of format === 'named' ? bodyKeys : bodyKeys.sort((a, b) => Number(a) - Number(b))) add(key, 'body', '');
  if (fields.header?.format === 'TEXT') for (const key of keysOf(fields.header.text)) add(key, 'header', 'header.');
  fields.buttons.forEach((button, i) => {
    if (button.type === 'URL') for (const key of keysOf(button.url)) add(key, 'button', `buttons.${i}.`, i);
  });
  return out;
}
