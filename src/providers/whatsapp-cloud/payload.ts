import type { InteractiveContent, OutboundMessage, OutboundTemplate, TemplateComponents, TemplateParameter } from '../types.ts';

/** The body of POST /{version}/{phone_number_id}/messages, as the Cloud API documents it. */
export interface SendPayload {
  messaging_product: 'whatsapp';
  recipient_type: 'individual';
  to: string;
  type: string;
  biz_opaque_callback_data?: string;
  [content: string]: unknown;
}

/** One template parameter: positional (`{type, text}`) or named (`{type, parameter_name, text}`). */
interface TextParameter {
  type: 'text';
  text: string;
  parameter_name?: string;
}

function textParameters(parameters: TemplateParameter[]): TextParameter[] {
  return parameters.map((p) => (p.name === undefined ? { type: 'text', text: p.value } : { type: 'text', parameter_name: p.name, text: p.value }));
}

/** The template's components as the Cloud API takes them: header (text parameter or media link), body, URL buttons. */
function templateComponents(template: OutboundTemplate): Record<string, unknown>[] {
  const parts: TemplateComponents = template.components ?? {
    body: Array.isArray(template.values)
      ? template.values.map((value) => ({ value }))
      : Object.entries(template.values).map(([name, value]) => ({ name, value })),
    buttons: [],
  };
  const components: Record<string, unknown>[] = [];
  const header = parts.header;
  if (header?.format === 'text' && header.parameters.length > 0) components.push({ type: 'header', parameters: textParameters(header.parameters) });
  if (header && header.format !== 'text') components.push({ type: 'header', parameters: [{ type: header.format, [header.format]: { link: header.link } }] });
  if (parts.body.length > 0) components.push({ type: 'body', parameters: textParameters(parts.body) });
  for (const button of parts.buttons) {
    components.push({ type: 'button', sub_type: button.subType, index: String(button.index), parameters: textParameters(button.parameters) });
  }
  return components;
}

function templateObject(template: OutboundTemplate): Record<string, unknown> {
  const body: Record<string, unknown> = { name: template.name, language: { code: template.language } };
  const components = templateComponents(template);
  if (components.length > 0) body.components = components;
  return body;
}

function fileName(url: string): string | undefined {
  try {
    const last = decodeURIComponent(new URL(url).pathname.split('/').pop() ?? '');
    return last.includes('.') ? last : undefined;
  } catch {
    return undefined;
  }
}

function mediaObject(message: OutboundMessage): Record<string, unknown> {
  const media: Record<string, unknown> = { link: message.content.url };
  // WhatsApp takes a caption on images, videos and documents; audio has none (the text is not sent).
  if (message.content.text && message.type !== 'audio') media.caption = message.content.text;
  if (message.type === 'document') {
    const name = fileName(message.content.url ?? '');
    if (name) media.filename = name;
  }
  return media;
}

/** The Cloud API's `interactive` object: reply buttons (`{type: reply, reply: {id, title}}`) or a list of one section of rows. */
function interactiveObject(body: string, question: InteractiveContent): Record<string, unknown> {
  if (question.type === 'button') {
    return { type: 'button', body: { text: body }, action: { buttons: question.options.map((o) => ({ type: 'reply', reply: { id: o.id, title: o.title } })) } };
  }
  const rows = question.options.map((o) => (o.description ? { id: o.id, title: o.title, description: o.description } : { id: o.id, title: o.title }));
  return { type: 'list', body: { text: body }, action: { button: question.button ?? 'Choose', sections: [{ rows }] } };
}

/**
 * Builds the Cloud API send body for a message: a template send by name, language and its components' parameters; text with
 * link previews on; interactive reply buttons or a list; image, document, audio and video by public link with their caption. The Beckon message id
 * rides along as `biz_opaque_callback_data`, which Meta echoes in status webhooks.
 */
export function buildSendPayload(message: OutboundMessage): SendPayload {
  const base = { messaging_product: 'whatsapp' as const, recipient_type: 'individual' as const, to: message.to, biz_opaque_callback_data: message.id };
  if (message.template) return { ...base, type: 'template', template: templateObject(message.template) };
  if (message.type === 'interactive' && message.content.interactive) return { ...base, type: 'interactive', interactive: interactiveObject(message.content.text ?? '', message.content.interactive) };
  if (message.type === 'text') return { ...base, type: 'text', text: { preview_url: true, body: message.content.text ?? '' } };
  return { ...base, type: message.type, [message.type]: mediaObject(message) };
}
