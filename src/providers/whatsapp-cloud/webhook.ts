import type { MessageFailure as MessageError, StatusReport } from '../port.ts';
import { statusError, type WebhookError } from './errors.ts';

/** Media message types WhatsApp delivers by media id (the file is fetched from the media endpoint with the token). */
export const INBOUND_MEDIA_TYPES = ['image', 'document', 'audio', 'video', 'sticker'] as const;

/** A customer message from a `messages` webhook, in Beckon's terms. */
export interface InboundItem {
  /** The wamid: inbound messages are deduplicated on it per channel. */
  wamid: string;
  /** The sender's WhatsApp id (digits of their phone number, no +). */
  from: string;
  at: string;
  /** text, image, document, audio, video, sticker, location, interactive, or WhatsApp's own type for other kinds. */
  type: string;
  content: Record<string, unknown>;
  profileName: string | null;
}

/** A status update from a `messages` webhook. */
export interface StatusItem {
  wamid: string;
  status: StatusReport['status'];
  at: string;
  error?: MessageError;
  /** biz_opaque_callback_data, which Beckon sets to its message uuid. */
  callbackData: string | null;
}

/** What one `changes[]` entry of field `messages` carries for one business phone number. */
export interface ParsedChange {
  phoneNumberId: string | null;
  messages: InboundItem[];
  statuses: StatusItem[];
}

type Json = Record<string, any>;

const STATUSES = new Set(['sent', 'delivered', 'read', 'failed']);

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function isoOf(timestamp: unknown): string {
  const seconds = Number(timestamp);
  return Number.isFinite(seconds) && seconds > 0 ? new Date(seconds * 1000).toISOString() : new Date().toISOString();
}

function compact(value: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined));
}

function mediaContent(media: Json | undefined): Record<string, unknown> {
  return compact({ media_id: str(media?.id), mime_type: str(media?.mime_type), text: str(media?.caption), filename: str(media?.filename) });
}

function locationContent(location: Json | undefined): Record<string, unknown> {
  const latitude = Number(location?.latitude);
  const longitude = Number(location?.longitude);
  return {
    location: compact({ latitude, longitude, name: str(location?.name), address: str(location?.address), url: str(location?.url) }),
  };
}

function replyContent(message: Json): Record<string, unknown> | undefined {
  if (message.type === 'button') {
    const title = str(message.button?.text);
    return title ? { text: title, reply: compact({ type: 'button', id: str(message.button?.payload) ?? title, title }) } : undefined;
  }
  const kind = message.interactive?.type;
  if (kind !== 'button_reply' && kind !== 'list_reply') return undefined;
  const reply = message.interactive[kind] as Json | undefined;
  const title = str(reply?.title);
  if (!title) return undefined;
  return { text: title, reply: compact({ type: kind, id: str(reply?.id) ?? title, title, description: str(reply?.description) }) };
}

/** Maps one Cloud API message to Beckon's type and content; other kinds (reaction, contacts, order…) keep WhatsApp's type with empty content. */
function inboundOf(message: Json): Pick<InboundItem, 'type' | 'content'> {
  const type = message.type as string;
  if (type === 'text' && str(message.text?.body)) return { type: 'text', content: { text: message.text.body } };
  if ((INBOUND_MEDIA_TYPES as readonly string[]).includes(type) && str(message[type]?.id)) return { type, content: mediaContent(message[type]) };
  if (type === 'location' && Number.isFinite(Number(message.location?.latitude)) && Number.isFinite(Number(message.location?.longitude))) {
    return { type: 'location', content: locationContent(message.location) };
  }
  const reply = type === 'button' || type === 'interactive' ? replyContent(message) : undefined;
  if (reply) return { type: 'interactive', content: reply };
  return { type: str(type) ?? 'unsupported', content: {} };
}

function profileNames(value: Json): Map<string, string> {
  const names = new Map<string, string>();
  for (const contact of Array.isArray(value.contacts) ? value.contacts : []) {
    if (str(contact?.wa_id) && str(contact?.profile?.name)) names.set(contact.wa_id, contact.profile.name);
  }
  return names;
}

function parseValue(value: Json): ParsedChange {
  const names = profileNames(value);
  const messages: InboundItem[] = [];
  for (const message of Array.isArray(value.messages) ? value.messages : []) {
    // system messages (a customer changed number) are notices, not something the customer wrote
    if (!str(message?.id) || !str(message?.from) || message.type === 'system') continue;
    messages.push({ wamid: message.id, from: message.from, at: isoOf(message.timestamp), ...inboundOf(message), profileName: names.get(message.from) ?? null });
  }
  const statuses: StatusItem[] = [];
  for (const status of Array.isArray(value.statuses) ? value.statuses : []) {
    if (!str(status?.id) || !STATUSES.has(status.status)) continue;
    const item: StatusItem = { wamid: status.id, status: status.status, at: isoOf(status.timestamp), callbackData: str(status.biz_opaque_callback_data) ?? null };
    if (status.status === 'failed') item.error = statusError(status.errors as WebhookError[] | undefined);
    statuses.push(item);
  }
  return { phoneNumberId: str(value.metadata?.phone_number_id) ?? null, messages, statuses };
}

/**
 * Reads a verified `whatsapp_business_account` webhook body into its message changes, one per `entry[].changes[]`
 * of field `messages` (other fields, such as template status updates, are skipped). Returns null when the body is
 * not such a notification at all.
 */
export function parseWebhook(body: unknown): ParsedChange[] | null {
  const root = body as Json | null;
  if (!root || typeof root !== 'object' || root.object !== 'whatsapp_business_account' || !Array.isArray(root.entry)) return null;
  const changes: ParsedChange[] = [];
  for (const entry of root.entry) {
    for (const change of Array.isArray(entry?.changes) ? entry.changes : []) {
      if (change?.field === 'messages' && change.value && typeof change.value === 'object') changes.push(parseValue(change.value));
    }
  }
  return changes;
}
