import type { Generated } from 'kysely';
import type { ChannelType, CustomFieldType, DeliveryStatus, EndpointOrigin, MessageDirection, MessageStatus, ParameterFormat, TEMPLATE_CATEGORIES, TemplateStatus, WebhookFormat } from './enums.ts';
import type { CampaignLinksTable, CampaignRecipientsTable, CampaignsTable, EngagementsTable, ImportsTable, SegmentContactsTable, SegmentsTable } from './types-marketing.ts';
import type { AutomationRunsTable, AutomationRunStepsTable, AutomationsTable, AutomationStepCountersTable, AutomationTriggerFiresTable, AutomationVersionsTable } from './types-automations.ts';
import type { CustomStatusesTable, SessionsTable, TeamMembersTable, TeamsTable, UsersTable, UserTokensTable } from './types-people.ts';
import type { ConversationCountsTable, ConversationNotesTable, ConversationReadsTable, ConversationsTable, FunnelStagesTable, FunnelsTable, TeamRotationsTable } from './types-inbox.ts';

export type * from './types-marketing.ts';
export type * from './types-automations.ts';
export type * from './types-people.ts';
export type * from './types-inbox.ts';

/** JSON values are stored as text on every store; queries parse them with lib/json.ts. */
export type Json = string;
/** Timestamps are ISO 8601 UTC strings (lexically sortable). */
export type Timestamp = string;

/** A tenant: its own contacts, channels, keys and webhooks. */
export interface WorkspacesTable {
  id: string;
  name: string;
  /** The workspace's default IANA time zone (date triggers of automations read dates in it), null: UTC. */
  time_zone: string | null;
  created_at: Timestamp;
}

/** An API key, stored as a SHA-256 hash; the secret is shown once. */
export interface ApiKeysTable {
  id: string;
  workspace_id: string;
  name: string;
  prefix: string;
  key_hash: string;
  scopes: Json;
  created_at: Timestamp;
  last_used_at: Timestamp | null;
  revoked_at: Timestamp | null;
  /** The user the key belongs to (it acts with that user's rights), null for a workspace key. */
  user_id: string | null;
}

/** A customer of the workspace. */
export interface ContactsTable {
  id: string;
  workspace_id: string;
  name: string | null;
  phone: string | null;
  email: string | null;
  tags: Json;
  custom_fields: Json;
  source: string | null;
  consent: Json;
  blocked: number;
  last_inbound_at: Timestamp | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** A typed custom field definition that validates contacts' custom_fields values. */
export interface CustomFieldsTable {
  id: string;
  workspace_id: string;
  key: string;
  label: string;
  type: CustomFieldType;
  options: Json;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** A sender identity (WhatsApp number, SMS number, email sender, sandbox). */
export interface ChannelsTable {
  id: string;
  workspace_id: string;
  type: ChannelType;
  provider: string;
  title: string;
  config: Json;
  is_default: number;
  created_at: Timestamp;
  updated_at: Timestamp;
  /** The secret config fields as one sealed JSON object (lib/secret-box.ts, context = the channel id); added by 0006. */
  secrets?: string | null;
}

/** Pre-approved content with variables (WhatsApp templates, SMS and email texts); added by 0006. */
export interface TemplatesTable {
  id: string;
  workspace_id: string;
  channel_type: ChannelType;
  /** The channel it belongs to (a template synced from a WhatsApp Business Account), or null for any channel of its type. */
  channel_id: string | null;
  name: string;
  language: string;
  category: (typeof TEMPLATE_CATEGORIES)[number];
  parameter_format: ParameterFormat;
  header: Json | null;
  body: string;
  footer: string | null;
  buttons: Json;
  status: TemplateStatus;
  status_reason: string | null;
  provider_template_id: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** An inbound or outbound message with its status history. */
export interface MessagesTable {
  id: string;
  workspace_id: string;
  channel_id: string;
  contact_id: string;
  direction: MessageDirection;
  /** One of MESSAGE_TYPES (db/enums.ts) for what Beckon sends; inbound messages keep the provider's type. */
  type: string;
  content: Json;
  status: MessageStatus;
  status_history: Json;
  provider_message_id: string | null;
  error: Json | null;
  metadata: Json | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  deleted_at: Timestamp | null;
  /** The channel's type when the message was created (whatsapp, sms, email). */
  channel_type: ChannelType | null;
  /** The contact-side address: the E.164 phone (or email) the message went to or came from. */
  address: string | null;
  template_uuid: string | null;
  template_values: Json | null;
  optin_contact: number | null;
  /** Template sends: the resolved template (name, language, category, values, rendered text) as the provider gets it (added by 0007_send_rules). */
  template: Json | null;
  /** Email sends: the subject line (0007_send_rules). */
  subject: string | null;
  /** Email sends: the HTML body; content.text is the plain-text body (0007_send_rules). */
  html: string | null;
  /** The campaign this message was sent for (0011_campaigns). */
  campaign_id: string | null;
}

/** When a contact last wrote in on one channel: opens the WhatsApp 24-hour customer service window there. */
export interface ContactChannelWindowsTable {
  contact_id: string;
  channel_id: string;
  workspace_id: string;
  last_inbound_at: Timestamp;
}

/** The sandbox provider's own log of accepted sends, keyed by the idempotency key Beckon passes (the message id). */
export interface SandboxSendsTable {
  idempotency_key: string;
  provider_message_id: string;
  recipient: string;
  calls: number;
  accepted_at: Timestamp | null;
  created_at: Timestamp;
}

/** A stored domain fact, fanned out to webhooks. */
export interface EventsTable {
  id: string;
  workspace_id: string;
  type: string;
  payload: Json;
  created_at: Timestamp;
}

/** A custom event of a contact (POST /v1/events); `id` is its row in `events`. */
export interface CustomEventsTable {
  id: string;
  workspace_id: string;
  contact_id: string;
  /** The event's name (snake_case), without the `custom.` prefix of its type. */
  name: string;
  /** The event's data: a JSON object. */
  data: Json;
  correlation_key: string | null;
  occurred_at: Timestamp;
  created_at: Timestamp;
}

/** A URL subscribed to events. */
export interface WebhookEndpointsTable {
  id: string;
  workspace_id: string;
  url: string;
  description: string | null;
  events: Json;
  enabled: number;
  secret: string;
  previous_secret: string | null;
  previous_secret_expires_at: Timestamp | null;
  disabled_reason: string | null;
  disabled_at: Timestamp | null;
  failing_since: Timestamp | null;
  origin: EndpointOrigin;
  /** The payload format of its deliveries: Beckon's event body or Callbell's documented payloads. */
  format: WebhookFormat;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** One event on its way to one endpoint (the chain of attempts). */
export interface WebhookDeliveriesTable {
  id: string;
  workspace_id: string;
  endpoint_id: string;
  event_id: string;
  event_type: string;
  /** Which body of the event this delivery carries: 0, or 1… for a format that sends an event as several (formats.ts). */
  part: number;
  status: DeliveryStatus;
  attempt_count: number;
  next_attempt_at: Timestamp | null;
  last_status_code: number | null;
  last_error: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** One HTTP attempt of a delivery. */
export interface WebhookAttemptsTable {
  id: Generated<number>;
  delivery_id: string;
  attempt: number;
  status_code: number | null;
  latency_ms: number;
  response_excerpt: string | null;
  error: string | null;
  created_at: Timestamp;
}

/** A row of work for the embedded queue. */
export interface JobsTable {
  id: Generated<number>;
  task: string;
  /** Which worker pool claims it: 'default' or 'webhooks'. */
  lane: Generated<string>;
  payload: Json;
  run_at: Timestamp;
  attempts: number;
  max_attempts: number;
  locked_until: Timestamp | null;
  last_error: string | null;
  failed_at: Timestamp | null;
  created_at: Timestamp;
}

/** The first answer to a POST carrying an Idempotency-Key, replayed for the same key and body. */
export interface IdempotencyKeysTable {
  workspace_id: string;
  key: string;
  request_hash: string;
  status_code: number | null;
  response_body: string | null;
  /** Content type of the stored answer (added by 0002_idempotency_replay). */
  response_type: string | null;
  created_at: Timestamp;
}

/** A fixed-window request counter per API key (PostgreSQL only: the SQLite store keeps it in memory; 0012_shared_limits). */
export interface RateLimitCountersTable {
  key: string;
  count: number;
  /** Milliseconds since the epoch (bigint); node-postgres returns bigint as a string. */
  window_ends: number | string;
}

/** The GCRA state of one channel's send pacing, in milliseconds (PostgreSQL only; 0012_shared_limits). */
export interface ChannelSendPacingTable {
  channel_id: string;
  tat: number;
  paused_until: Generated<number>;
  tolerance: Generated<number>;
}

/** A send slot handed to a send that was told to come back (PostgreSQL only; 0012_shared_limits). */
export interface ChannelSendSlotsTable {
  key: string;
  channel_id: string;
  slot: number;
}

/** Every table Beckon stores, for Kysely's typed queries. */
export interface Database {
  workspaces: WorkspacesTable;
  api_keys: ApiKeysTable;
  contacts: ContactsTable;
  custom_fields: CustomFieldsTable;
  channels: ChannelsTable;
  messages: MessagesTable;
  events: EventsTable;
  custom_events: CustomEventsTable;
  webhook_endpoints: WebhookEndpointsTable;
  webhook_deliveries: WebhookDeliveriesTable;
  webhook_attempts: WebhookAttemptsTable;
  jobs: JobsTable;
  idempotency_keys: IdempotencyKeysTable;
  sandbox_sends: SandboxSendsTable;
  templates: TemplatesTable;
  contact_channel_windows: ContactChannelWindowsTable;
  segments: SegmentsTable;
  segment_contacts: SegmentContactsTable;
  imports: ImportsTable;
  campaigns: CampaignsTable;
  campaign_recipients: CampaignRecipientsTable;
  campaign_links: CampaignLinksTable;
  engagements: EngagementsTable;
  rate_limit_counters: RateLimitCountersTable;
  channel_send_pacing: ChannelSendPacingTable;
  channel_send_slots: ChannelSendSlotsTable;
  automations: AutomationsTable;
  automation_versions: AutomationVersionsTable;
  automation_runs: AutomationRunsTable;
  automation_run_steps: AutomationRunStepsTable;
  automation_step_counters: AutomationStepCountersTable;
  automation_trigger_fires: AutomationTriggerFiresTable;
  users: UsersTable;
  sessions: SessionsTable;
  user_tokens: UserTokensTable;
  custom_statuses: CustomStatusesTable;
  teams: TeamsTable;
  team_members: TeamMembersTable;
  conversations: ConversationsTable;
  conversation_reads: ConversationReadsTable;
  conversation_notes: ConversationNotesTable;
  conversation_counts: ConversationCountsTable;
  funnels: FunnelsTable;
  funnel_stages: FunnelStagesTable;
  team_rotations: TeamRotationsTable;
}
