import { Type } from 'typebox';
import { CUSTOM_FIELD_TYPES } from '../db/enums.ts';

/** The column values, declared with the table types (db/enums.ts). */
export { CUSTOM_FIELD_TYPES };
import { PageMeta } from '../system/schemas.ts';
import { nameSchema } from '../system/components.ts';

const Timestamp = Type.String({ format: 'date-time' });

/** Consent statuses a contact can have for one channel type. */
export const ConsentStatusSchema = Type.Enum(['opted_in', 'opted_out', 'unknown']);

const ConsentSchema = Type.Object({
  status: ConsentStatusSchema,
  at: Type.Union([Timestamp, Type.Null()], { description: 'When the status was last set' }),
  source: Type.Union([Type.String(), Type.Null()], { description: 'Where the consent was given or withdrawn (e.g. web_form, api)' }),
});

/** The API shape of a contact. */
export const ContactSchema = Type.Object({
  uuid: Type.String({ format: 'uuid' }),
  name: Type.Union([Type.String(), Type.Null()]),
  phone: Type.Union([Type.String({ description: 'E.164' }), Type.Null()]),
  email: Type.Union([Type.String(), Type.Null()]),
  tags: Type.Array(Type.String()),
  custom_fields: Type.Record(Type.String(), Type.Unknown()),
  source: Type.Union([Type.String(), Type.Null()]),
  consent: Type.Object({ whatsapp: ConsentSchema, sms: ConsentSchema, email: ConsentSchema }),
  blocked: Type.Boolean(),
  last_inbound_at: Type.Union([Timestamp, Type.Null()]),
  whatsapp_window_expires_at: Type.Union([Timestamp, Type.Null()], {
    description: 'When the 24-hour customer service window of the workspace\'s default WhatsApp channel closes (the contact\'s last message there + 24 h; '
      + 'in the past once closed); null when the contact never wrote on it. Outside the window only templates can be sent',
  }),
  whatsapp_windows: Type.Array(Type.Object({ channel_uuid: Type.String({ format: 'uuid' }), expires_at: Timestamp }), {
    description: 'The window of every WhatsApp channel the contact wrote in on',
  }),
  created_at: Timestamp,
  updated_at: Timestamp,
});
nameSchema('Contact', ContactSchema);

const ConsentInput = Type.Object({
  status: ConsentStatusSchema,
  source: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'Default: the request\'s source, or "api"' })),
}, { additionalProperties: false });

const ConsentInputs = Type.Object({
  whatsapp: Type.Optional(ConsentInput),
  sms: Type.Optional(ConsentInput),
  email: Type.Optional(ConsentInput),
}, { additionalProperties: false, description: 'Consent per channel type; a status that changes gets a new `at`' });

const Tags = Type.Array(Type.String({ minLength: 1, maxLength: 100 }), { maxItems: 100, description: 'Trimmed and de-duplicated' });
const CustomFieldValues = Type.Record(Type.String(), Type.Unknown(), {
  description: 'Values checked against the workspace\'s custom field definitions (see /v1/custom_fields); a key without a definition takes a string (≤ 1000 characters), number or boolean',
});
const Ignored = (what: string) => Type.Optional(Type.Unknown({ description: `${what}: accepted for Callbell compatibility and ignored` }));

/** Body of POST /v1/contacts. */
export const CreateContactBody = Type.Object({
  name: Type.Optional(Type.String({ maxLength: 200 })),
  phone: Type.Optional(Type.String({ maxLength: 64, description: 'Any format a person types; stored in E.164. At least one of phone and email is required' })),
  identifier: Type.Optional(Type.String({ maxLength: 64, description: 'Callbell\'s name for the phone number; an alias of `phone`' })),
  email: Type.Optional(Type.String({ maxLength: 254, description: 'Stored lower-cased' })),
  tags: Type.Optional(Tags),
  custom_fields: Type.Optional(CustomFieldValues),
  source: Type.Optional(Type.String({ minLength: 1, maxLength: 100, default: 'api' })),
  consent: Type.Optional(ConsentInputs),
  blocked: Type.Optional(Type.Boolean()),
  assigned_user: Ignored('assigned_user'),
  team_uuid: Ignored('team_uuid'),
  channel_uuid: Ignored('channel_uuid'),
  bot_status: Ignored('bot_status'),
  note: Ignored('note'),
}, { additionalProperties: false });

/** Body of PATCH /v1/contacts/:uuid (every field optional; null or "" clears name, phone or email; null removes a custom field). */
export const UpdateContactBody = Type.Object({
  name: Type.Optional(Type.Union([Type.Null(), Type.String({ maxLength: 200 })])),
  phone: Type.Optional(Type.Union([Type.Null(), Type.String({ maxLength: 64 })], { description: 'Beckon lets the phone change (Callbell does not); it is normalized and must stay unique' })),
  email: Type.Optional(Type.Union([Type.Null(), Type.String({ maxLength: 254 })])),
  tags: Type.Optional(Tags),
  custom_fields: Type.Optional(Type.Record(Type.String(), Type.Unknown(), { description: 'Merged into the contact\'s values; a null value removes the key' })),
  consent: Type.Optional(ConsentInputs),
  blocked: Type.Optional(Type.Boolean()),
  assigned_user: Ignored('assigned_user'),
  unassign_user: Ignored('unassign_user'),
  team_uuid: Ignored('team_uuid'),
  bot_status: Ignored('bot_status'),
  note: Ignored('note'),
}, { additionalProperties: false });

/** Query of GET /v1/contacts; custom field equality is `custom_fields.<key>=<value>` (or `custom_fields[<key>]=<value>`). */
export const ListContactsQuery = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
  cursor: Type.Optional(Type.String({ description: 'meta.next_cursor of the previous page' })),
  tags: Type.Optional(Type.Array(Type.String(), { description: 'Comma-separated (or repeated): contacts having all of these tags' })),
  source: Type.Optional(Type.String({ minLength: 1 })),
  q: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'Case-insensitive substring of name, email or phone' })),
  phone: Type.Optional(Type.String({ description: 'Exact phone, any format (normalized to E.164)' })),
  email: Type.Optional(Type.String({ description: 'Exact email, case-insensitive' })),
  created_after: Type.Optional(Type.String({ description: 'ISO 8601 date or date-time; exclusive' })),
  created_before: Type.Optional(Type.String({ description: 'ISO 8601 date or date-time; exclusive' })),
}, {
  additionalProperties: false,
  patternProperties: { '^custom_fields(\\.[^.\\[\\]]+|\\[[^\\[\\]]+\\])$': Type.String({ description: 'custom_fields.<key>=<value>: contacts whose custom field equals the value' }) },
});

/** A list of contacts with its pagination. */
export const ContactListSchema = Type.Object({ contacts: Type.Array(ContactSchema), meta: PageMeta });

const CustomFieldType = Type.Enum(['text', 'email', 'number', 'date', 'dropdown', 'checkbox']);
const Options = Type.Array(Type.String({ minLength: 1, maxLength: 200 }), { maxItems: 500, uniqueItems: true, description: 'The allowed values of a dropdown (required, non-empty); empty for other types' });

/** The API shape of a custom field definition. */
export const CustomFieldSchema = Type.Object({
  uuid: Type.String({ format: 'uuid' }),
  key: Type.String(),
  label: Type.String(),
  type: CustomFieldType,
  options: Type.Array(Type.String()),
  created_at: Timestamp,
  updated_at: Timestamp,
});
nameSchema('CustomField', CustomFieldSchema);

/** Body of POST /v1/custom_fields. */
export const CreateCustomFieldBody = Type.Object({
  key: Type.String({ pattern: '^[a-z][a-z0-9_]{0,63}$', description: 'snake_case identifier, unique in the workspace; immutable' }),
  label: Type.String({ minLength: 1, maxLength: 200 }),
  type: CustomFieldType,
  options: Type.Optional(Options),
}, { additionalProperties: false });

/** Body of PATCH /v1/custom_fields/:uuid (key and type are immutable). */
export const UpdateCustomFieldBody = Type.Object({
  label: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  options: Type.Optional(Options),
}, { additionalProperties: false });
