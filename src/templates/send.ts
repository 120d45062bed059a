import { AppError, type FieldError } from '../errors.ts';
import type { OutboundTemplate, TemplateComponents, TemplateParameter } from '../providers/types.ts';
import { templateVariables, type TemplateFields, type TemplateVariable } from './model.ts';
import { fill, type ParameterFormat } from './variables.ts';
import { isHttpUrl } from '../lib/url.ts';

/** Where the errors of a template send point. */
export interface SendPaths {
  uuid: string;
  values: string;
  mediaUrl: string;
}

/** What a send gives a template besides its values. */
export interface SendExtras {
  /** Callbell's one-variable form: content.text fills the template's only variable when no values are given. */
  text?: string;
  /** The link of a media header for this send (Callbell: content.url); default: the template's header.media_url. */
  mediaUrl?: string;
}

function describe(variable: TemplateVariable, format: ParameterFormat): string {
  const braces = `{{${variable.key}}}`;
  if (format === 'named') return braces;
  if (variable.part === 'header') return `${braces} of the header`;
  if (variable.part === 'button') return `${braces} of button ${(variable.button ?? 0) + 1}'s URL`;
  return `${braces} of the body`;
}

/** WhatsApp refuses variables with new lines, tabs or more than 4 consecutive spaces. */
const WHATSAPP_UNSENDABLE = /[\n\r\t]| {5,}/;

/**
 * Matches a send's values to a template's variables (an array in the order of `variables`, or an object keyed by their
 * labels), refusing missing, empty, unknown or extra values with one 400 naming each (`<values path>.<index or label>`).
 */
export function matchValues(fields: TemplateFields, format: ParameterFormat, given: string[] | Record<string, unknown>, paths: SendPaths, extras: SendExtras = {}): Map<string, string> {
  const variables = templateVariables(fields, format);
  const labels = variables.map((v) => v.label);
  let values = given;
  if (Array.isArray(values) && values.length === 0 && extras.text !== undefined && variables.length === 1) values = [extras.text];
  const errors: FieldError[] = [];
  const out = new Map<string, string>();
  const take = (variable: TemplateVariable, value: unknown, path: string) => {
    if (value === undefined || value === null) errors.push({ path, message: `is missing: the value of ${describe(variable, format)}` });
    else if (typeof value !== 'string') errors.push({ path, message: 'must be a string' });
    else if (value.trim() === '') errors.push({ path, message: `must not be empty (the value of ${describe(variable, format)})` });
    else if (fields.channel_type === 'whatsapp' && WHATSAPP_UNSENDABLE.test(value)) errors.push({ path, message: 'must not contain new lines, tabs or more than 4 consecutive spaces (WhatsApp refuses them in variables)' });
    else out.set(variable.label, value);
  };
  if (Array.isArray(values)) {
    variables.forEach((variable, i) => take(variable, values[i], `${paths.values}.${i}`));
    if (values.length > variables.length) {
      errors.push({ path: `${paths.values}.${variables.length}`, message: `is one value too many: the template has ${variables.length} variable${variables.length === 1 ? '' : 's'} (${labels.join(', ') || 'none'})` });
    }
  } else {
    for (const variable of variables) take(variable, values[variable.label], `${paths.values}.${variable.label}`);
    for (const key of Object.keys(values)) {
      if (!labels.includes(key)) errors.push({ path: `${paths.values}.${key}`, message: `is not a variable of this template (its variables: ${labels.join(', ') || 'none'})` });
    }
  }
  if (errors.length > 0) throw new AppError(400, 'validation_failed', errors.map((e) => `${e.path} ${e.message}`).join('; '), errors);
  return out;
}

function parameters(variables: TemplateVariable[], values: Map<string, string>, format: ParameterFormat): TemplateParameter[] {
  return variables.map((v) => (format === 'named' ? { name: v.key, value: values.get(v.label) ?? '' } : { value: values.get(v.label) ?? '' }));
}

/** The parameters of each part of a WhatsApp template, for the provider's `components`. */
function components(fields: TemplateFields, format: ParameterFormat, values: Map<string, string>, paths: SendPaths, extras: SendExtras): TemplateComponents {
  // named templates share names across parts: each part lists the names it uses, in its own order
  const inPart = (text: string | undefined, part: TemplateVariable['part'], prefix: string): TemplateVariable[] => {
    const keys = [...new Set([...(text ?? '').matchAll(/\{\{([^{}]*)\}\}/g)].map((m) => m[1].trim()))];
    const ordered = format === 'named' ? keys : keys.sort((a, b) => Number(a) - Number(b));
    return ordered.map((key) => ({ key, part, label: format === 'named' ? key : `${prefix}${key}` }));
  };
  const out: TemplateComponents = { body: parameters(inPart(fields.body, 'body', ''), values, format), buttons: [] };
  const header = fields.header;
  if (header?.format === 'TEXT') {
    const vars = inPart(header.text, 'header', 'header.');
    if (vars.length > 0) out.header = { format: 'text', parameters: parameters(vars, values, format) };
  } else if (header) {
    const link = extras.mediaUrl ?? header.media_url;
    if (link === undefined || !isHttpUrl(link)) {
      const message = link === undefined
        ? `is required: the template has a ${header.format} header (give the media's http(s) link, or set header.media_url on the template)`
        : 'must be an http or https URL';
      throw new AppError(400, 'validation_failed', `${paths.mediaUrl} ${message}`, [{ path: paths.mediaUrl, message }]);
    }
    out.header = { format: header.format.toLowerCase() as 'image' | 'video' | 'document', link };
  }
  fields.buttons.forEach((button, index) => {
    if (button.type !== 'URL') return;
    const vars = inPart(button.url, 'button', `buttons.${index}.`);
    if (vars.length > 0) out.buttons.push({ index, subType: 'url', parameters: parameters(vars, values, format) });
  });
  return out;
}

/** Builds what an adapter sends for a template: name, language, category, body values, the rendered body and WhatsApp's components. */
export function outboundTemplate(fields: TemplateFields, format: ParameterFormat, given: string[] | Record<string, unknown>, paths: SendPaths, extras: SendExtras = {}): OutboundTemplate {
  const values = matchValues(fields, format, given, paths, extras);
  const parts = components(fields, format, values, paths, extras);
  const bodyValue = (key: string) => values.get(key) ?? '';
  const out: OutboundTemplate = {
    name: fields.name,
    language: fields.language,
    category: fields.category,
    values: format === 'named'
      ? Object.fromEntries(parts.body.map((p) => [p.name as string, p.value]))
      : parts.body.map((p) => p.value),
    renderedText: fill(fields.body, bodyValue),
  };
  if (fields.channel_type === 'whatsapp') out.components = parts;
  return out;
}
