import type { CampaignStatus, EngagementType, ImportFormat, ImportStatus, RecipientState, SegmentType } from './enums.ts';
import type { Json, Timestamp } from './types.ts';

// The marketing tables (segments, imports, campaigns, tracking), part of the one Database interface of types.ts.

/** A segment: a static list of contacts or a dynamic rule tree (rules JSON, null for static lists). */
export interface SegmentsTable {
  id: string;
  workspace_id: string;
  name: string;
  type: SegmentType;
  rules: Json | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** A contact's membership of a static segment. */
export interface SegmentContactsTable {
  segment_id: string;
  contact_id: string;
  workspace_id: string;
  added_at: Timestamp;
}

/** A contact import: an uploaded file, its mapping and options (JSON), its progress and its first errors (JSON). */
export interface ImportsTable {
  id: string;
  workspace_id: string;
  status: ImportStatus;
  format: ImportFormat;
  file: string;
  mapping: Json;
  options: Json;
  rows_done: number;
  inserted: number;
  updated: number;
  unchanged: number;
  skipped: number;
  failed: number;
  errors: Json;
  error: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  completed_at: Timestamp | null;
}

/** A marketing send to one or more segments on one channel. */
export interface CampaignsTable {
  id: string;
  workspace_id: string;
  name: string;
  status: CampaignStatus;
  channel_id: string;
  segment_ids: Json;
  exclude_segment_ids: Json;
  subject: string | null;
  /** The message content with Liquid placeholders (text, html, media). */
  content: Json | null;
  template_id: string | null;
  template_values: Json | null;
  /** Options such as link tracking and open tracking. */
  settings: Json;
  send_at: Timestamp | null;
  time_zone: string | null;
  audience_frozen_at: Timestamp | null;
  started_at: Timestamp | null;
  paused_at: Timestamp | null;
  completed_at: Timestamp | null;
  cancelled_at: Timestamp | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** One contact of a campaign's frozen audience: pending until it is messaged or skipped (with a reason). */
export interface CampaignRecipientsTable {
  campaign_id: string;
  contact_id: string;
  workspace_id: string;
  /** Order of sending, 0-based; sending resumes after the last processed position. */
  position: number;
  state: RecipientState;
  skip_reason: string | null;
  message_id: string | null;
  processed_at: Timestamp | null;
}

/** A link found in a campaign's content; click tokens name it by (campaign, id). */
export interface CampaignLinksTable {
  id: number;
  campaign_id: string;
  workspace_id: string;
  url: string;
  created_at: Timestamp;
}

/** An open, click or unsubscribe recorded from a tracking link. */
export interface EngagementsTable {
  id: string;
  workspace_id: string;
  type: EngagementType;
  message_id: string;
  contact_id: string;
  campaign_id: string | null;
  link_id: number | null;
  url: string | null;
  /** 1 when the request came from a mail privacy proxy or scanner rather than a person. */
  machine: number;
  user_agent: string | null;
  created_at: Timestamp;
}
