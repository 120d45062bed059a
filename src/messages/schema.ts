import { SCALARS_AS_STRINGS } from '../system/validation.ts';
import { Type } from 'typebox';
import { MESSAGE_STATUSES } from './status.ts';
import { MESSAGE_TYPES } from '../db/enums.ts';
import { PageMeta } from '../system/schemas.ts';
import { nameSchema } from '../system/components.ts';

/** The column values, declared with the table types (db/enums.ts). */
export { MESSAGE_TYPES };

/** Longest text body (and media caption) accepted on WhatsApp, in characters (service.ts's TEXT_LIMITS has every channel's). */
export const MAX_TEXT_LENGTH = 4096;

/** Longest text body on any channel (a plain-text email). */
const MAX_ANY_TEXT_LENGTH = 100_000;

/** Metadata limits, as Callbell documents them. */
export const METADATA_LIMITS = { pairs: 10, keyLength: 50, valueLength: 500 } as const;

const Uuid = Type.String({ format: 'uuid' });
const Timestamp = Type.String({ format: 'date-time' });

/** The content of a message: `{text}` for text, `{url, text?}` for media (text is then the caption). */
export const ContentSchema = Type.Object({
  text: Type.Optional(Type.String({ minLength: 1, maxLength: MAX_ANY_TEXT_LENGTH, description: `The text, or the caption of a media message, or an email's plain-text body: at most ${MAX_TEXT_LENGTH} characters on WhatsApp, 1600 on SMS, ${MAX_ANY_TEXT_LENGTH} in an email` })),
  url: Type.Optional(Type.String({ minLength: 1, maxLength: 2048, description: 'http(s) URL of the media (image, document, audio, video)' })),
}, { additionalProperties: false, description: 'Required, except for a text template send: content.text then becomes the rendered template body (a media template takes its header media as content.url)' });

/** Free string pairs attached to a message, echoed in reads and webhook payloads. */
export const MetadataSchema = Type.Record(Type.String(), Type.String({ maxLength: METADATA_LIMITS.valueLength }), {
  maxProperties: METADATA_LIMITS.pairs,
  [SCALARS_AS_STRINGS]: true,
  description: `At most ${METADATA_LIMITS.pairs} pairs; keys up to ${METADATA_LIMITS.keyLength} characters, string values up to ${METADATA_LIMITS.valueLength} `
    + '(numbers and booleans are kept as strings). Echoed in reads and webhook payloads.',
});

/** Body of POST /v1/messages/send (Callbell's fields). */
export const SendBody = Type.Object({
  to: Type.String({ minLength: 1, maxLength: 254, description: 'The recipient: a phone number in any format (normalized to E.164) for whatsapp and sms, an email address for email. An unknown recipient creates the contact (source "api").' }),
  from: Type.Enum(['whatsapp', 'sms', 'email'], { description: 'The channel type to send on' }),
  type: Type.Enum([...MESSAGE_TYPES], { description: 'text, or a media type with content.url' }),
  content: Type.Optional(ContentSchema),
  channel_uuid: Type.Optional(Type.String({ format: 'uuid', description: 'The channel to send on; default: the workspace\'s default channel of type `from`' })),
  template_uuid: Type.Optional(Type.String({ format: 'uuid', description: 'An approved template to send (allowed outside the WhatsApp 24-hour window; needs the contact\'s opt-in)' })),
  template_values: Type.Optional(Type.Union([
    Type.Array(Type.String({ maxLength: 1024 }), { maxItems: 100, description: 'Callbell\'s positional values: the first fills {{1}}, and so on' }),
    Type.Record(Type.String(), Type.String({ maxLength: 1024 }), { maxProperties: 100, description: 'Values of named variables ({{first_name}})' }),
  ], { description: 'Values for the template\'s variables' })),
  optin_contact: Type.Optional(Type.Boolean({ description: 'Confirms the contact opted in to this channel type: recorded on the contact (source "api", emitting contact_opted_in) and stored with the message' })),
  metadata: Type.Optional(MetadataSchema),
  subject: Type.Optional(Type.String({ minLength: 1, maxLength: 998, description: 'Email only, required there: the subject line' })),
  html: Type.Optional(Type.String({ minLength: 1, maxLength: 500_000, description: 'Email only: the HTML body (content.text is the plain-text alternative)' })),
  assigned_user: Type.Optional(Type.String({ description: 'Accepted for Callbell compatibility; ignored' })),
  team_uuid: Type.Optional(Type.String({ description: 'Accepted for Callbell compatibility; ignored' })),
  fields: Type.Optional(Type.String({ description: 'Accepted for Callbell compatibility; ignored' })),
  bot_status: Type.Optional(Type.String({ description: 'Accepted for Callbell compatibility; ignored' })),
}, { additionalProperties: false });

const StatusEntrySchema = Type.Object({ status: Type.String(), at: Timestamp });
const ErrorSchema = Type.Object({ code: Type.String(), reason: Type.String() });
nameSchema('MessageError', ErrorSchema);

/** Content fields only inbound messages carry: a provider's media id, a shared location, a button or list reply. */
const InboundContentFields = {
  media_id: Type.Optional(Type.String({ description: 'Inbound media: the provider\'s media id (WhatsApp: GET /{version}/{media_id} with the channel\'s token gives a short-lived download URL)' })),
  mime_type: Type.Optional(Type.String({ description: 'Inbound media: its MIME type' })),
  filename: Type.Optional(Type.String({ description: 'Inbound documents: the file name' })),
  location: Type.Optional(Type.Object({
    latitude: Type.Number(), longitude: Type.Number(), name: Type.Optional(Type.String()), address: Type.Optional(Type.String()), url: Type.Optional(Type.String()),
  }, { description: 'Inbound location messages' })),
  reply: Type.Optional(Type.Object({
    type: Type.String({ description: 'button_reply, list_reply, or button (a template quick-reply button)' }), id: Type.String(), title: Type.String(), description: Type.Optional(Type.String()),
  }, { description: 'Inbound interactive replies (text is then the chosen title)' })),
  interactive: Type.Optional(Type.Object({
    type: Type.Enum(['button', 'list']), button: Type.Optional(Type.String({ description: 'Lists: the label of the button that opens them' })),
    options: Type.Array(Type.Object({ id: Type.String(), title: Type.String(), description: Type.Optional(Type.String()) })),
  }, { description: 'Outbound interactive messages (type interactive, sent by an automation\'s ask step): the reply buttons or list rows offered; text is the question' })),
};

/** A message as every read and webhook payload shows it. */
export const MessageSchema = Type.Object({
  uuid: Uuid,
  direction: Type.Enum(['inbound', 'outbound']),
  channel: Type.Union([Type.String(), Type.Null()], { description: 'The channel type (whatsapp, sms, email)' }),
  channel_uuid: Uuid,
  contact: Type.Object({
    uuid: Uuid,
    phone: Type.Union([Type.String(), Type.Null()], { description: 'The phone the message went to or came from; null on email messages' }),
    email: Type.Optional(Type.Union([Type.String(), Type.Null()], { description: 'Email messages only: the address' })),
  }),
  to: Type.Union([Type.String(), Type.Null()], { description: 'Outbound: the contact\'s phone; inbound: the channel type' }),
  from: Type.Union([Type.String(), Type.Null()], { description: 'Outbound: the channel type; inbound: the contact\'s phone' }),
  type: Type.String(),
  content: Type.Object({ text: Type.Optional(Type.String()), url: Type.Optional(Type.String()), ...InboundContentFields }),
  status: Type.String({ description: `One of ${MESSAGE_STATUSES.join(', ')}` }),
  status_history: Type.Array(StatusEntrySchema, { description: 'Every status the message reached, oldest first' }),
  error: Type.Union([ErrorSchema, Type.Null()], { description: 'Why the message failed' }),
  metadata: Type.Union([Type.Record(Type.String(), Type.String()), Type.Null()]),
  provider_message_id: Type.Union([Type.String(), Type.Null()]),
  template_uuid: Type.Union([Type.String(), Type.Null()]),
  template_values: Type.Union([Type.Array(Type.String()), Type.Record(Type.String(), Type.String()), Type.Null()]),
  subject: Type.Optional(Type.String({ description: 'Email messages only' })),
  html: Type.Optional(Type.String({ description: 'Email messages only, when sent with an HTML body' })),
  campaign_uuid: Type.Optional(Type.String({ format: 'uuid', description: 'Campaign messages only: the campaign that sent it' })),
  created_at: Timestamp,
  updated_at: Timestamp,
});
nameSchema('Message', MessageSchema);

/** The answer to a send: Callbell's `{message: {uuid, status: "enqueued"}}`, with the full message. */
export const SendReply = Type.Object({ message: MessageSchema });

/** GET /v1/messages/status/:uuid: Callbell's status shape. */
export const StatusReply = Type.Object({
  message: Type.Object({
    uuid: Uuid,
    status: Type.String(),
    status_history: Type.Array(StatusEntrySchema),
    error: Type.Union([ErrorSchema, Type.Null()]),
    metadata: Type.Union([Type.Record(Type.String(), Type.String()), Type.Null()]),
    updated_at: Timestamp,
  }),
});

/** Query of GET /v1/messages. */
export const ListQuery = Type.Object({
  status: Type.Optional(Type.Enum([...MESSAGE_STATUSES])),
  direction: Type.Optional(Type.Enum(['inbound', 'outbound'])),
  channel_uuid: Type.Optional(Uuid),
  contact_uuid: Type.Optional(Uuid),
  created_after: Type.Optional(Type.String({ format: 'date-time', description: 'Only messages created strictly after this time' })),
  created_before: Type.Optional(Type.String({ format: 'date-time', description: 'Only messages created strictly before this time' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
  cursor: Type.Optional(Type.String({ description: 'meta.next_cursor of the previous page' })),
}, { additionalProperties: false });

/** A page of messages, newest first. */
export const ListReply = Type.Object({
  messages: Type.Array(MessageSchema),
  meta: PageMeta,
});

/** `:uuid` path parameter. */
