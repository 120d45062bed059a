// The values of the enum-like columns, declared once next to the table types (db/types.ts) so that db/ imports no
// domain; the domains re-export the lists they validate or answer with.

/** Channel types Beckon sends on. */
export const CHANNEL_TYPES = ['whatsapp', 'sms', 'email'] as const;
/** One of CHANNEL_TYPES. */
export type ChannelType = (typeof CHANNEL_TYPES)[number];

/** Statuses of an outbound message, in the order they move (failed is reachable from any but read). */
export const OUTBOUND_STATUSES = ['enqueued', 'sent', 'delivered', 'read', 'failed'] as const;
/** Every status a message can have: the outbound ones, and `received` for inbound messages. */
export const MESSAGE_STATUSES = [...OUTBOUND_STATUSES, 'received'] as const;
/** One of OUTBOUND_STATUSES. */
export type OutboundStatus = (typeof OUTBOUND_STATUSES)[number];
/** One of MESSAGE_STATUSES. */
export type MessageStatus = (typeof MESSAGE_STATUSES)[number];
/** Which way a message went. */
export type MessageDirection = 'inbound' | 'outbound';
/** Message types Beckon sends and receives. */
export const MESSAGE_TYPES = ['text', 'image', 'document', 'audio', 'video'] as const;
/** One of MESSAGE_TYPES. */
export type MessageType = (typeof MESSAGE_TYPES)[number];

/** Custom field types. */
export const CUSTOM_FIELD_TYPES = ['text', 'email', 'number', 'date', 'dropdown', 'checkbox'] as const;
/** One of CUSTOM_FIELD_TYPES. */
export type CustomFieldType = (typeof CUSTOM_FIELD_TYPES)[number];

/** Template categories (WhatsApp's). */
export const TEMPLATE_CATEGORIES = ['MARKETING', 'UTILITY', 'AUTHENTICATION'] as const;
/** Template statuses: only approved templates send. */
export const TEMPLATE_STATUSES = ['approved', 'pending', 'rejected', 'paused'] as const;
/** One of TEMPLATE_STATUSES. */
export type TemplateStatus = (typeof TEMPLATE_STATUSES)[number];
/** How a template names its variables: positional `{{1}}`, `{{2}}`… or named `{{first_name}}` (Meta's parameter_format). */
export type ParameterFormat = 'positional' | 'named';

/** Delivery statuses: pending (attempts left), succeeded (a 2xx), failed (retries exhausted, 410, or endpoint disabled). */
export const DELIVERY_STATUSES = ['pending', 'succeeded', 'failed'] as const;
/** One of DELIVERY_STATUSES. */
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];
/** Who manages a webhook endpoint: the API, Callbell's subscribe/unsubscribe (its one endpoint), or Zapier's REST hooks (POST /v1/hooks). */
export type EndpointOrigin = 'api' | 'callbell_subscribe' | 'zapier';

/** The payload formats a webhook endpoint can receive. */
export const WEBHOOK_FORMATS = ['beckon', 'callbell'] as const;

/** One of WEBHOOK_FORMATS. */
export type WebhookFormat = (typeof WEBHOOK_FORMATS)[number];

/** A segment: a static list of contacts or a dynamic rule tree. */
export type SegmentType = 'static' | 'dynamic';

/** Where a contact import is. */
export type ImportStatus = 'queued' | 'running' | 'completed' | 'failed';
/** The format of an imported file. */
export type ImportFormat = 'csv' | 'ndjson';

/** Every status a campaign moves through. */
export const CAMPAIGN_STATUSES = ['draft', 'scheduled', 'sending', 'paused', 'completed', 'cancelled'] as const;
/** One of CAMPAIGN_STATUSES. */
export type CampaignStatus = (typeof CAMPAIGN_STATUSES)[number];
/** Where one recipient of a campaign's frozen audience is. */
export type RecipientState = 'pending' | 'messaged' | 'skipped';

/** What a tracking link recorded. */
export type EngagementType = 'open' | 'click' | 'unsubscribe';

/** Every status of an automation: draft (being written), active (takes new runs), paused (takes none; runs go on), archived (final). */
export const AUTOMATION_STATUSES = ['draft', 'active', 'paused', 'archived'] as const;
/** One of AUTOMATION_STATUSES. */
export type AutomationStatus = (typeof AUTOMATION_STATUSES)[number];
/** Every status of an automation run: active, then completed, exited (exit_on, cancelled), failed, or converted (its goal was reached). */
export const AUTOMATION_RUN_STATUSES = ['active', 'completed', 'exited', 'failed', 'converted'] as const;
/** One of AUTOMATION_RUN_STATUSES. */
export type AutomationRunStatus = (typeof AUTOMATION_RUN_STATUSES)[number];
/** What starts an automation's runs: an API call, a custom event, a new contact, a tag added, an inbound message, a date (of a contact field or in event data). */
export const AUTOMATION_TRIGGER_TYPES = ['api', 'event', 'contact_created', 'tag_added', 'inbound_message', 'date'] as const;
/** One of AUTOMATION_TRIGGER_TYPES. */
export type AutomationTriggerType = (typeof AUTOMATION_TRIGGER_TYPES)[number];

/** A user's role: admins manage the workspace; agents see and answer conversations, contacts and messages. */
export const USER_ROLES = ['admin', 'agent'] as const;
/** One of USER_ROLES. */
export type UserRole = (typeof USER_ROLES)[number];
/** Whether a user takes conversations now. */
export const USER_AVAILABILITIES = ['available', 'away', 'offline'] as const;
/** One of USER_AVAILABILITIES. */
export type UserAvailability = (typeof USER_AVAILABILITIES)[number];
/** What a one-time user token is for: an invitation to set a password, a password reset, or the first admin's bootstrap link. */
export const USER_TOKEN_KINDS = ['invitation', 'password_reset', 'bootstrap'] as const;
/** One of USER_TOKEN_KINDS. */
export type UserTokenKind = (typeof USER_TOKEN_KINDS)[number];

/** Every status of a conversation: open (an agent's turn), pending (a bot handles it), snoozed (until snoozed_until), resolved. */
export const CONVERSATION_STATUSES = ['open', 'pending', 'snoozed', 'resolved'] as const;
/** One of CONVERSATION_STATUSES. */
export type ConversationStatus = (typeof CONVERSATION_STATUSES)[number];
/** A conversation's priority. */
export const CONVERSATION_PRIORITIES = ['none', 'low', 'medium', 'high', 'urgent'] as const;
/** One of CONVERSATION_PRIORITIES. */
export type ConversationPriority = (typeof CONVERSATION_PRIORITIES)[number];
/** Whether a bot handles the conversation (Callbell's words): bot_start, or bot_end once it handed off or an agent replied. */
export const BOT_STATUSES = ['bot_start', 'bot_end'] as const;
/** One of BOT_STATUSES. */
export type BotStatus = (typeof BOT_STATUSES)[number];
