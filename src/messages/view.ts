import type { InteractiveContent } from '../providers/types.ts';
import type { MessagesTable } from '../db/types.ts';
import { parseJson } from '../lib/json.ts';
import type { MessageError, StatusEntry } from './status.ts';

/** What a message carries: text, or a media URL with an optional caption. */
export interface MessageContent {
  text?: string;
  url?: string;
  /** Outbound interactive messages (automations' ask step): the buttons or list rows offered; text is the question. */
  interactive?: InteractiveContent;
}

/** A message as the API and webhook payloads show it. */
export interface MessageView {
  uuid: string;
  direction: 'inbound' | 'outbound';
  channel: string | null;
  channel_uuid: string;
  /** The contact and the address used: `phone` (null for email messages), or `email` on email messages. */
  contact: { uuid: string; phone: string | null; email?: string | null };
  to: string | null;
  from: string | null;
  type: string;
  content: MessageContent;
  status: string;
  status_history: StatusEntry[];
  error: MessageError | null;
  metadata: Record<string, string> | null;
  provider_message_id: string | null;
  template_uuid: string | null;
  template_values: string[] | Record<string, string> | null;
  /** Email only. */
  subject?: string;
  /** Email only, when sent with an HTML body. */
  html?: string;
  /** Campaign messages only: the campaign that sent it. */
  campaign_uuid?: string;
  created_at: string;
  updated_at: string;
}

/**
 * Maps a message row to its API view. `to` and `from` name each side as Callbell does: the contact by its address
 * (E.164 phone) and the business side by its channel type, so an outbound message reads
 * `{from: "whatsapp", to: "+39…"}` like the send request that created it.
 */
export function messageView(row: MessagesTable): MessageView {
  const outbound = row.direction === 'outbound';
  return {
    uuid: row.id,
    direction: outbound ? 'outbound' : 'inbound',
    channel: row.channel_type,
    channel_uuid: row.channel_id,
    contact: row.channel_type === 'email' ? { uuid: row.contact_id, phone: null, email: row.address } : { uuid: row.contact_id, phone: row.address },
    to: outbound ? row.address : row.channel_type,
    from: outbound ? row.channel_type : row.address,
    type: row.type,
    content: parseJson<MessageContent>(row.content, {}),
    status: row.status,
    status_history: parseJson<StatusEntry[]>(row.status_history, []),
    error: parseJson<MessageError | null>(row.error, null),
    metadata: parseJson<Record<string, string> | null>(row.metadata, null),
    provider_message_id: row.provider_message_id,
    template_uuid: row.template_uuid,
    template_values: parseJson<string[] | Record<string, string> | null>(row.template_values, null),
    ...(row.subject === null ? {} : { subject: row.subject }),
    ...(row.html === null ? {} : { html: row.html }),
    ...(row.campaign_id === null || row.campaign_id === undefined ? {} : { campaign_uuid: row.campaign_id }),
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}
