// TypeBox schemas of the Callbell-compatible inbox routes (component names prefixed Callbell).
import { Type } from 'typebox';
import { nameSchema } from '../../../system/components.ts';

const Str = Type.String();
const NullableStr = Type.Union([Type.String(), Type.Null()]);

/** Callbell's `meta {page, pages}`. */
export const CallbellPageMeta = nameSchema('CallbellPageMeta', Type.Object({ page: Type.Integer({ minimum: 1 }), pages: Type.Integer({ minimum: 1 }) }));

/** `?page=` (from 1). */
export const PageQuery = Type.Object({ page: Type.Optional(Type.Integer({ minimum: 1 })) });

/** A path id: Beckon's uuids are opaque strings to Callbell's clients. */
export const IdParams = Type.Object({ uuid: Type.String({ format: 'uuid' }) });

/** A custom status id (Callbell names it `id`). */
export const StatusIdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });

/** Callbell's Team. */
export const CallbellTeam = nameSchema('CallbellTeam', Type.Object({
  uuid: Str, name: Str, createdAt: Str, default: Type.Boolean({ description: 'Always false: Beckon has no default team' }), members: Type.Integer({ description: 'How many members' }),
}));

/** Callbell's user custom status. */
export const CallbellUserCustomStatus = nameSchema('CallbellUserCustomStatus', Type.Object({
  id: Type.Union([Str, Type.Null()], { description: 'The preset of that name; null when the user typed free text' }), name: Str, emoji: Str, updatedAt: Str,
}));

/** Callbell's TeamMember. */
export const CallbellTeamMember = nameSchema('CallbellTeamMember', Type.Object({
  email: Str, name: Str, available: Type.Boolean(), lastUpdatedAt: Str, userCustomStatus: Type.Optional(CallbellUserCustomStatus),
}));

/** Callbell's CustomStatus. */
export const CallbellCustomStatus = nameSchema('CallbellCustomStatus', Type.Object({ id: Str, name: Str, emoji: Str, createdAt: Str, updatedAt: Str }));

/** Callbell's Funnel: one stage of a Beckon funnel. */
export const CallbellFunnel = nameSchema('CallbellFunnel', Type.Object({
  uuid: Str, name: Str, emoji: Str, createdAt: Str, position: Type.Integer({ description: 'The stage\'s position in its Beckon funnel, from 1' }),
}));

/** Callbell's Bot. */
export const CallbellBot = nameSchema('CallbellBot', Type.Object({
  uuid: Str, name: Str, status: Type.Enum(['in_progress', 'started', 'ended']), conversationStartedAt: NullableStr, version: Type.Integer(), latestBotVersion: Type.Boolean(),
}));

/** PUT /v1/users/:uuid/status. */
export const UserStatusBody = Type.Object({
  available: Type.Optional(Type.Boolean()),
  custom_status_uuid: Type.Optional(Type.Union([Type.String({ format: 'uuid' }), Type.Null()], { description: 'A preset custom status; null unassigns' })),
}, { additionalProperties: false });

/** PUT /v1/users/:uuid/status's answer (snake_case, as Callbell's page describes). */
export const UserStatusAnswer = nameSchema('CallbellUserStatus', Type.Object({
  user_status: Type.Object({
    custom_status: Type.Union([Type.Object({ id: NullableStr, name: Str, last_updated_at: Str }), Type.Null()]),
    appearance: Type.Object({ available: Type.Boolean(), last_updated_at: Str }),
  }),
}));

/** A custom status's name. */
export const NameBody = Type.Object({ name: Type.String({ minLength: 1, maxLength: 100, pattern: '\\S' }) }, { additionalProperties: false });

/** PATCH /v1/teams/:uuid. */
export const TeamBody = Type.Object({ name: Type.Optional(Type.String({ minLength: 1, maxLength: 100, pattern: '\\S' })) }, { additionalProperties: false });

/** POST /v1/contacts/:uuid/conversation/note. */
export const NoteBody = Type.Object({ text: Type.String({ minLength: 1, maxLength: 10000, pattern: '\\S' }) }, { additionalProperties: false });

/** update_funnel: `funnel_id` (the snippet's name; `funnel_uuid` accepted too). */
export const FunnelBody = Type.Object({
  funnel_id: Type.Optional(Type.String({ format: 'uuid' })),
  funnel_uuid: Type.Optional(Type.String({ format: 'uuid' })),
}, { additionalProperties: false });

/** POST /v1/contacts/:uuid/bot. */
export const BotBody = Type.Object({ status: Type.Enum(['bot_start', 'bot_end']) }, { additionalProperties: false });

/** GET /v1/plan's answer. */
export const CallbellPlan = nameSchema('CallbellPlan', Type.Object({
  plan: Str, includedChannels: Type.Integer(), licenses: Type.Integer(), activeUsers: Type.Integer(), teams: Type.Array(CallbellTeam),
}));
