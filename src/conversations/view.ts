import type { BotStatus, ConversationPriority, ConversationStatus } from '../db/enums.ts';
import type { ConversationNotesTable, ConversationsTable } from '../db/types.ts';
import { windowExpiry } from '../contacts/windows.ts';
import type { ConversationRow } from './queries.ts';

/** A conversation as the API, its events and the live stream show it. */
export interface ConversationView {
  uuid: string;
  contact: { uuid: string; name: string | null; phone: string | null; email: string | null };
  channel_uuid: string;
  channel_type: string;
  status: ConversationStatus;
  assignee_uuid: string | null;
  team_uuid: string | null;
  priority: ConversationPriority;
  funnel_stage_uuid: string | null;
  bot_status: BotStatus | null;
  /** Inbound messages since the reader last read the thread (null for a workspace key: no reader). */
  unread_count: number | null;
  waiting_since: string | null;
  first_response_at: string | null;
  resolved_at: string | null;
  /** When the WhatsApp 24-hour customer service window closes (null on other channels, or before the customer wrote). */
  window_expires_at: string | null;
  last_message_at: string;
  snoozed_until: string | null;
  created_at: string;
  updated_at: string;
}

/** An internal note as the API shows it. */
export interface NoteView {
  uuid: string;
  conversation_uuid: string;
  author_uuid: string | null;
  text: string;
  created_at: string;
}

/** The WhatsApp window's end for a thread (null off WhatsApp or before any inbound message). */
export function windowOf(row: Pick<ConversationsTable, 'channel_type' | 'last_inbound_at'>): string | null {
  return row.channel_type === 'whatsapp' && row.last_inbound_at ? windowExpiry(row.last_inbound_at) : null;
}

/** Maps a joined conversation row to its view; `reader` says whether there is a reader to count unread messages for. */
export function conversationView(row: ConversationRow, reader: boolean): ConversationView {
  return {
    uuid: row.id,
    contact: { uuid: row.contact_id, name: row.contact_name, phone: row.contact_phone, email: row.contact_email },
    channel_uuid: row.channel_id, channel_type: row.channel_type, status: row.status, assignee_uuid: row.assignee_id, team_uuid: row.team_id,
    priority: row.priority, funnel_stage_uuid: row.funnel_stage_id, bot_status: row.bot_status,
    unread_count: reader ? Math.max(0, Number(row.inbound_count) - Number(row.read_count ?? 0)) : null,
    waiting_since: row.waiting_since, first_response_at: row.first_response_at, resolved_at: row.resolved_at, window_expires_at: windowOf(row),
    last_message_at: row.last_message_at, snoozed_until: row.snoozed_until, created_at: row.created_at, updated_at: row.updated_at,
  };
}

/** Maps a note row to its view. */
export function noteView(row: ConversationNotesTable): NoteView {
  return { uuid: row.id, conversation_uuid: row.conversation_id, author_uuid: row.author_id, text: row.text, created_at: row.created_at };
}
