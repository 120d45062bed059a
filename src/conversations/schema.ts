import { Type } from 'typebox';
import { BOT_STATUSES, CONVERSATION_PRIORITIES, CONVERSATION_STATUSES } from '../db/enums.ts';
import { MAX_TEXT_LENGTH, MessageSchema } from '../messages/schema.ts';
import { nameSchema } from '../system/components.ts';

const Uuid = Type.String({ format: 'uuid' });
const Time = Type.String({ format: 'date-time' });
const NullableTime = Type.Union([Time, Type.Null()]);
const NullableUuid = Type.Union([Uuid, Type.Null()]);
const Status = Type.Enum([...CONVERSATION_STATUSES]);

/** A conversation as the API answers it. */
export const ConversationSchema = nameSchema('Conversation', Type.Object({
  uuid: Uuid,
  contact: Type.Object({ uuid: Uuid, name: Type.Union([Type.String(), Type.Null()]), phone: Type.Union([Type.String(), Type.Null()]), email: Type.Union([Type.String(), Type.Null()]) }),
  channel_uuid: Uuid,
  channel_type: Type.String(),
  status: Status,
  assignee_uuid: NullableUuid,
  team_uuid: NullableUuid,
  priority: Type.Enum([...CONVERSATION_PRIORITIES]),
  funnel_stage_uuid: NullableUuid,
  bot_status: Type.Union([Type.Enum([...BOT_STATUSES]), Type.Null()]),
  unread_count: Type.Union([Type.Integer(), Type.Null()], { description: 'Inbound messages since the caller last read the thread (POST .../read); null for a workspace key' }),
  waiting_since: NullableTime,
  first_response_at: NullableTime,
  resolved_at: NullableTime,
  window_expires_at: Type.Union([Time, Type.Null()], { description: 'When the WhatsApp 24-hour customer service window closes (null off WhatsApp or before the customer wrote)' }),
  last_message_at: Time,
  snoozed_until: NullableTime,
  created_at: Time,
  updated_at: Time,
}));

/** An internal note as the API answers it. */
export const NoteSchema = nameSchema('ConversationNote', Type.Object({ uuid: Uuid, conversation_uuid: Uuid, author_uuid: NullableUuid, text: Type.String(), created_at: Time }));

/** GET /v1/conversations. */
export const ListConversationsQuery = Type.Object({
  status: Type.Optional(Status),
  assignee: Type.Optional(Type.String({ description: '"me", "unassigned" or a user uuid' })),
  team_uuid: Type.Optional(Uuid),
  channel_uuid: Type.Optional(Uuid),
  funnel_stage_uuid: Type.Optional(Uuid),
  q: Type.Optional(Type.String({ maxLength: 100, description: 'Part of the contact\'s name, phone or email' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
  cursor: Type.Optional(Type.String({ description: 'meta.next_cursor of the previous page' })),
}, { additionalProperties: false });

/** GET /v1/conversations/counts. */
export const CountsQuery = Type.Object({ status: Type.Optional(Status) }, { additionalProperties: false });

/** The inbox's counters. */
export const CountsSchema = nameSchema('ConversationCounts', Type.Object({
  mine: Type.Integer(),
  unassigned: Type.Integer(),
  all: Type.Integer(),
  by_status: Type.Object(Object.fromEntries(CONVERSATION_STATUSES.map((s) => [s, Type.Integer()]))),
}));

/** POST /v1/conversations. */
export const StartConversationBody = Type.Object({ contact_uuid: Uuid, channel_uuid: Uuid, team_uuid: Type.Optional(Uuid) }, { additionalProperties: false });

/** PATCH /v1/conversations/:uuid. */
export const PatchConversationBody = Type.Object({
  priority: Type.Optional(Type.Enum([...CONVERSATION_PRIORITIES])),
  funnel_stage_uuid: Type.Optional(NullableUuid),
  team_uuid: Type.Optional(NullableUuid),
  bot_status: Type.Optional(Type.Enum([...BOT_STATUSES])),
}, { additionalProperties: false, minProperties: 1 });

/** POST /v1/conversations/:uuid/assign. */
export const AssignBody = Type.Object({ user_uuid: Type.Optional(NullableUuid), team_uuid: Type.Optional(NullableUuid) }, { additionalProperties: false });

/** POST /v1/conversations/:uuid/status. */
export const StatusBody = Type.Object({ status: Status, snoozed_until: Type.Optional(Time) }, { additionalProperties: false });

/** POST /v1/conversations/:uuid/messages. */
export const ReplyBody = Type.Object({
  text: Type.Optional(Type.String({ minLength: 1, maxLength: MAX_TEXT_LENGTH })),
  private: Type.Optional(Type.Boolean({ description: 'true: an internal note, never sent' })),
  template_uuid: Type.Optional(Uuid),
  template_values: Type.Optional(Type.Union([Type.Array(Type.String()), Type.Record(Type.String(), Type.String())])),
  subject: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'Email channels only (default "Re: your message")' })),
}, { additionalProperties: false });

/** What a reply answers: the message sent, or the note stored. */
export const ReplyResult = Type.Object({ message: Type.Optional(MessageSchema), note: Type.Optional(NoteSchema) });

/** One entry of a thread. */
export const ThreadItemSchema = nameSchema('ThreadItem', Type.Object({
  type: Type.Enum(['message', 'note']),
  at: Time,
  message: Type.Optional(MessageSchema),
  note: Type.Optional(NoteSchema),
}));
