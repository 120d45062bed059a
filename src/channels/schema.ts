import { Type } from 'typebox';
import { CHANNEL_TYPES, describeProviders, PROVIDERS } from './config.ts';
import { PageMeta } from '../system/schemas.ts';
import { nameSchema } from '../system/components.ts';

const Timestamp = Type.String({ format: 'date-time' });

/** `:uuid` path parameter. */

/** The API shape of a channel (Callbell's uuid, title, type, main, plus Beckon's provider and settings). */
export const ChannelSchema = Type.Object({
  uuid: Type.String({ format: 'uuid' }),
  type: Type.String({ description: CHANNEL_TYPES.join(' | ') }),
  provider: Type.String({ description: PROVIDERS.join(' | ') }),
  title: Type.String(),
  main: Type.Boolean({ description: 'The default channel of its type: sends with `from` and no `channel_uuid` go out on it' }),
  config: Type.Record(Type.String(), Type.Unknown(), { description: 'The provider settings that are not secret' }),
  secrets: Type.Record(Type.String(), Type.String(), { description: 'Each secret setting that is set, with a hint ("…abcd": its last 4 characters when it has 12 or more); the values are never shown' }),
  secrets_error: Type.Union([Type.String(), Type.Null()], { description: 'Why the secrets cannot be read (they were sealed with another BECKON_SECRET_KEY): give them again with PATCH' }),
  callback_urls: Type.Record(Type.String(), Type.String(), { description: 'What to paste in the provider\'s console: whatsapp_cloud {webhook}; twilio {inbound, status}' }),
  created_at: Timestamp,
  updated_at: Timestamp,
});
nameSchema('Channel', ChannelSchema);

const Title = Type.String({ minLength: 1, maxLength: 100 });
const CONFIG_DOC = `The provider's settings (errors name body.config.<field>). ${describeProviders()}. Secret settings are stored encrypted and never shown again.`;

/** Body of POST /v1/channels. */
export const CreateChannelBody = Type.Object({
  type: Type.Enum([...CHANNEL_TYPES]),
  provider: Type.Enum([...PROVIDERS], { description: 'sandbox serves every type; whatsapp_cloud: whatsapp; twilio: sms; smtp: email' }),
  title: Title,
  main: Type.Optional(Type.Boolean({ description: 'Make it the default channel of its type (the first channel of a type is the default anyway)' })),
  config: Type.Optional(Type.Record(Type.String(), Type.Unknown(), { description: CONFIG_DOC })),
}, { additionalProperties: false });

/** Body of PATCH /v1/channels/:uuid (type and provider cannot change: create another channel). */
export const UpdateChannelBody = Type.Object({
  title: Type.Optional(Title),
  main: Type.Optional(Type.Boolean({ description: 'true makes it the default of its type; the default cannot be set to false (mark another channel instead)' })),
  config: Type.Optional(Type.Record(Type.String(), Type.Unknown(), {
    description: 'Merged into the current settings: a given field replaces it (secrets too), an omitted one is kept, null removes it',
  })),
}, { additionalProperties: false });

/** Query of GET /v1/channels. */
export const ListChannelsQuery = Type.Object({
  type: Type.Optional(Type.Enum([...CHANNEL_TYPES])),
  provider: Type.Optional(Type.Enum([...PROVIDERS])),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
  cursor: Type.Optional(Type.String({ description: 'meta.next_cursor of the previous page' })),
}, { additionalProperties: false });

/** A page of channels, oldest first. */
export const ChannelListReply = Type.Object({
  channels: Type.Array(ChannelSchema),
  meta: PageMeta,
});
