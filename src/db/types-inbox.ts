import type { BotStatus, ChannelType, ConversationPriority, ConversationStatus } from './enums.ts';
import type { Timestamp } from './types.ts';

// The team inbox tables (0017_conversations), part of the one Database interface of types.ts.

/** A contact's thread on one channel. */
export interface ConversationsTable {
  id: string;
  workspace_id: string;
  contact_id: string;
  channel_id: string;
  channel_type: ChannelType;
  status: ConversationStatus;
  assignee_id: string | null;
  team_id: string | null;
  priority: ConversationPriority;
  funnel_stage_id: string | null;
  bot_status: BotStatus | null;
  /** How many inbound messages the thread has had: a reader's unread count is this minus their read marker's. */
  inbound_count: number;
  /** Since when the customer waits for an answer (the first unanswered inbound message); null when answered. */
  waiting_since: Timestamp | null;
  first_response_at: Timestamp | null;
  resolved_at: Timestamp | null;
  /** The customer's last message in the thread (the WhatsApp 24-hour window runs from it). */
  last_inbound_at: Timestamp | null;
  /** The thread's last inbound message or inbox reply: the list's order. */
  last_message_at: Timestamp;
  snoozed_until: Timestamp | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** A user's read marker on a conversation: the thread's inbound_count when they last read it. */
export interface ConversationReadsTable {
  conversation_id: string;
  user_id: string;
  inbound_count: number;
  read_at: Timestamp;
}

/** An internal note of a conversation (never sent to the contact). */
export interface ConversationNotesTable {
  id: string;
  workspace_id: string;
  conversation_id: string;
  author_id: string | null;
  text: string;
  created_at: Timestamp;
}

/** A funnel (pipeline) of ordered stages conversations move through. */
export interface FunnelsTable {
  id: string;
  workspace_id: string;
  name: string;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** One stage of a funnel, at its position (0 first). */
export interface FunnelStagesTable {
  id: string;
  workspace_id: string;
  funnel_id: string;
  name: string;
  position: number;
  created_at: Timestamp;
}

/** A team's round-robin rotation: the member who got the last conversation. */
export interface TeamRotationsTable {
  team_id: string;
  last_user_id: string | null;
  updated_at: Timestamp;
}

/** How many of a workspace's conversations have a status and an assignee ('' = unassigned); kept by triggers on conversations. */
export interface ConversationCountsTable {
  workspace_id: string;
  status: ConversationStatus;
  assignee_id: string;
  n: number;
}
