import { Type } from 'typebox';
import { CAMPAIGN_STATUSES } from '../db/enums.ts';
import type { CampaignStatus } from '../db/enums.ts';

/** The column values, declared with the table types (db/enums.ts). */
export { CAMPAIGN_STATUSES, type CampaignStatus };
import { nameSchema } from '../system/components.ts';

const Uuid = Type.String({ format: 'uuid' });
const Timestamp = Type.String({ format: 'date-time' });
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);

const ContentBody = Type.Object({
  text: Type.Optional(Type.String({ minLength: 1, maxLength: 100_000, description: 'The text (a caption for media; the plain-text body of an email), a Liquid template' })),
  html: Type.Optional(Type.String({ minLength: 1, maxLength: 500_000, description: 'Email only: the HTML body, a Liquid template' })),
  url: Type.Optional(Type.String({ minLength: 1, maxLength: 2048, description: 'Media campaigns: the http(s) URL of the image, document, audio or video' })),
}, { additionalProperties: false });

const SettingsBody = Type.Object({
  track_links: Type.Optional(Type.Boolean({ description: 'Rewrite links to click redirects (default true)' })),
  track_opens: Type.Optional(Type.Boolean({ description: 'Add an open pixel to emails (default true for email; ignored on other channels)' })),
}, { additionalProperties: false });

const TemplateValues = Type.Union([
  Type.Array(Type.String({ maxLength: 1024 }), { maxItems: 100 }),
  Type.Record(Type.String(), Type.String({ maxLength: 1024 }), { maxProperties: 100 }),
], { description: 'Values of the template\'s variables (each a Liquid template rendered per contact)' });

const fields = {
  name: Type.String({ minLength: 1, maxLength: 200 }),
  channel_uuid: Uuid,
  segment_uuids: Type.Array(Uuid, { minItems: 1, maxItems: 50, description: 'The audience: contacts in any of these segments (each once)' }),
  exclude_segment_uuids: Type.Array(Uuid, { maxItems: 50, description: 'Contacts in any of these segments are left out' }),
  type: Type.Enum(['text', 'image', 'document', 'audio', 'video'], { description: 'The message type (default text; email campaigns are text)' }),
  subject: Type.String({ minLength: 1, maxLength: 998, description: 'Email only, required there: the subject line, a Liquid template' }),
  content: ContentBody,
  template_uuid: Uuid,
  template_values: TemplateValues,
  settings: SettingsBody,
};

/** Body of POST /v1/campaigns. */
export const CreateCampaignBody = Type.Object({
  name: fields.name,
  channel_uuid: fields.channel_uuid,
  segment_uuids: fields.segment_uuids,
  exclude_segment_uuids: Type.Optional(fields.exclude_segment_uuids),
  type: Type.Optional(fields.type),
  subject: Type.Optional(fields.subject),
  content: Type.Optional(fields.content),
  template_uuid: Type.Optional(fields.template_uuid),
  template_values: Type.Optional(fields.template_values),
  settings: Type.Optional(fields.settings),
}, { additionalProperties: false });

/** Body of PATCH /v1/campaigns/:uuid (null clears subject, content, template_uuid or template_values). */
export const UpdateCampaignBody = Type.Object({
  name: Type.Optional(fields.name),
  channel_uuid: Type.Optional(fields.channel_uuid),
  segment_uuids: Type.Optional(fields.segment_uuids),
  exclude_segment_uuids: Type.Optional(fields.exclude_segment_uuids),
  type: Type.Optional(fields.type),
  subject: Type.Optional(Nullable(fields.subject)),
  content: Type.Optional(Nullable(fields.content)),
  template_uuid: Type.Optional(Nullable(fields.template_uuid)),
  template_values: Type.Optional(Nullable(fields.template_values)),
  settings: Type.Optional(fields.settings),
}, { additionalProperties: false });

/** Body of POST /v1/campaigns/:uuid/schedule. */
export const ScheduleBody = Type.Object({
  send_at: Type.String({ minLength: 16, maxLength: 40, description: 'An ISO 8601 date-time with an offset (2030-01-15T14:00:00Z), or a local wall time (2030-01-15T09:00) read in time_zone' }),
  time_zone: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'An IANA time zone (America/Montreal); required for a local send_at' })),
}, { additionalProperties: false });

/** Body of POST /v1/campaigns/:uuid/test. */
export const TestSendBody = Type.Object({
  contact_uuids: Type.Array(Uuid, { minItems: 1, maxItems: 10 }),
}, { additionalProperties: false });

/** The API shape of a campaign. */
export const CampaignSchema = Type.Object({
  uuid: Uuid,
  name: Type.String(),
  status: Type.Enum([...CAMPAIGN_STATUSES]),
  channel_uuid: Uuid,
  segment_uuids: Type.Array(Uuid),
  exclude_segment_uuids: Type.Array(Uuid),
  type: Type.String(),
  subject: Nullable(Type.String()),
  content: Nullable(ContentBody),
  template_uuid: Nullable(Uuid),
  template_values: Nullable(TemplateValues),
  settings: Type.Object({ track_links: Type.Boolean(), track_opens: Type.Boolean() }),
  send_at: Nullable(Timestamp),
  time_zone: Nullable(Type.String()),
  audience_frozen_at: Nullable(Timestamp),
  started_at: Nullable(Timestamp),
  paused_at: Nullable(Timestamp),
  completed_at: Nullable(Timestamp),
  cancelled_at: Nullable(Timestamp),
  created_at: Timestamp,
  updated_at: Timestamp,
});
nameSchema('Campaign', CampaignSchema);

/** Query of GET /v1/campaigns. */
export const ListCampaignsQuery = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
  cursor: Type.Optional(Type.String({ description: 'meta.next_cursor of the previous page' })),
  status: Type.Optional(Type.Enum([...CAMPAIGN_STATUSES])),
}, { additionalProperties: false });

const Count = Type.Integer({ minimum: 0 });
const Rate = Type.Number({ minimum: 0, maximum: 1 });

/** The answer of GET /v1/campaigns/:uuid/stats (semantics in docs/campaigns.md). */
export const StatsSchema = Type.Object({
  recipients: Count,
  pending: Count,
  sent: Count,
  delivered: Count,
  read: Count,
  failed: Count,
  skipped: Type.Object({ total: Count, by_reason: Type.Record(Type.String(), Count) }),
  opens: Type.Object({ unique: Count, total: Count, machine: Count }),
  clicks: Type.Object({ unique: Count, total: Count, by_link: Type.Array(Type.Object({ url: Type.String(), unique: Count, total: Count })) }),
  unsubscribes: Count,
  rates: Type.Object({ delivery: Rate, open: Rate, click: Rate, unsubscribe: Rate }),
  timeline: Type.Array(Type.Object({ at: Timestamp, sent: Count, delivered: Count, read: Count, opened: Count, clicked: Count })),
});
nameSchema('CampaignStats', StatsSchema);

/** The answer of POST /v1/campaigns/:uuid/test: one result per contact. */
export const TestSendReply = Type.Object({
  results: Type.Array(Type.Object({
    contact_uuid: Uuid,
    message_uuid: Nullable(Uuid),
    skip_reason: Nullable(Type.String()),
  })),
});
