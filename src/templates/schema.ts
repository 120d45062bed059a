import { Type } from 'typebox';
import { CHANNEL_TYPES } from '../channels/config.ts';
import { BUTTON_TYPES, HEADER_FORMATS, LIMITS, TEMPLATE_CATEGORIES, TEMPLATE_STATUSES } from './model.ts';
import { PageMeta } from '../system/schemas.ts';
import { nameSchema } from '../system/components.ts';

const Timestamp = Type.String({ format: 'date-time' });
const Uuid = Type.String({ format: 'uuid' });

/** `:uuid` path parameter. */

const Header = Type.Object({
  format: Type.Enum([...HEADER_FORMATS]),
  text: Type.Optional(Type.String({ maxLength: 1000, description: `TEXT headers: up to ${LIMITS.header} characters, at most one variable` })),
  media_url: Type.Optional(Type.String({ maxLength: 2048, description: 'IMAGE, VIDEO, DOCUMENT headers: the default link of the media (a send may give its own in content.url)' })),
}, { additionalProperties: false, description: 'WhatsApp only' });

const Button = Type.Object({
  type: Type.Enum([...BUTTON_TYPES]),
  text: Type.String({ maxLength: 200, description: `The label, up to ${LIMITS.buttonText} characters` }),
  url: Type.Optional(Type.String({ maxLength: 2048, description: 'URL buttons: an http(s) URL that may end with one variable, e.g. https://shop.example/orders/{{1}}' })),
  phone_number: Type.Optional(Type.String({ maxLength: 64, description: 'PHONE_NUMBER buttons: the number to call' })),
}, { additionalProperties: false });

// null first: with Ajv's type coercion a string branch tried first would turn null into ""
const Nullable = <T extends ReturnType<typeof Type.String>>(schema: T, description: string) => Type.Union([Type.Null(), schema], { description });

const fields = {
  name: Type.String({ minLength: 1, maxLength: 512, description: 'WhatsApp templates: lowercase letters, digits and underscores, as registered with Meta' }),
  language: Type.String({ minLength: 2, maxLength: 16, description: 'A language code such as en, en_US, pt_BR' }),
  category: Type.Enum([...TEMPLATE_CATEGORIES]),
  channel_type: Type.Enum([...CHANNEL_TYPES]),
  channel_uuid: Type.Optional(Type.Union([Type.Null(), Uuid], { description: 'Restrict it to one channel of its type (synced templates belong to the channel they came from); null: any channel of the type' })),
  body: Type.String({ minLength: 1, maxLength: 8192, description: `The text, with variables {{1}}, {{2}}… or {{first_name}} (one kind per template); WhatsApp: up to ${LIMITS.whatsappBody} characters` }),
  header: Type.Optional(Type.Union([Type.Null(), Header])),
  footer: Type.Optional(Nullable(Type.String({ maxLength: 1000 }), `WhatsApp only: up to ${LIMITS.footer} characters, no variables`)),
  buttons: Type.Optional(Type.Array(Button, { maxItems: 20, description: `WhatsApp only: up to ${LIMITS.buttons} buttons, ${LIMITS.urlButtons} URL, ${LIMITS.phoneButtons} PHONE_NUMBER` })),
  status: Type.Optional(Type.Enum([...TEMPLATE_STATUSES], { description: 'Only approved templates send (default approved; POST /v1/templates/sync sets WhatsApp Cloud templates\' status from Meta)' })),
  status_reason: Type.Optional(Nullable(Type.String({ maxLength: 500 }), 'Why it is rejected or paused')),
  provider_template_id: Type.Optional(Nullable(Type.String({ maxLength: 128 }), 'The provider\'s id of the template (Meta\'s template id)')),
};

/** Body of POST /v1/templates. */
export const CreateTemplateBody = Type.Object(fields, { additionalProperties: false });

/** Body of PATCH /v1/templates/:uuid: any field; the result is checked as a whole. */
export const UpdateTemplateBody = Type.Object({
  name: Type.Optional(fields.name),
  language: Type.Optional(fields.language),
  category: Type.Optional(fields.category),
  channel_type: Type.Optional(fields.channel_type),
  channel_uuid: fields.channel_uuid,
  body: Type.Optional(fields.body),
  header: fields.header,
  footer: fields.footer,
  buttons: fields.buttons,
  status: fields.status,
  status_reason: fields.status_reason,
  provider_template_id: fields.provider_template_id,
}, { additionalProperties: false });

/** A template as the API shows it (with Callbell's title, text, templateType and createdAt). */
export const TemplateSchema = Type.Object({
  uuid: Uuid,
  name: Type.String(),
  language: Type.String(),
  category: Type.String(),
  channel_type: Type.String(),
  channel_uuid: Type.Union([Uuid, Type.Null()]),
  parameter_format: Type.Enum(['positional', 'named']),
  variables: Type.Array(Type.String(), {
    description: 'What a send gives values for, in the order template_values[] lists them: the body\'s ("1", "2"…), then the header\'s ("header.1") and URL buttons\' ("buttons.0.1"); named templates list each name once',
  }),
  header: Type.Union([Type.Object({ format: Type.String(), text: Type.Optional(Type.String()), media_url: Type.Optional(Type.String()) }), Type.Null()]),
  body: Type.String(),
  footer: Type.Union([Type.String(), Type.Null()]),
  buttons: Type.Array(Type.Object({ type: Type.String(), text: Type.String(), url: Type.Optional(Type.String()), phone_number: Type.Optional(Type.String()) })),
  status: Type.String({ description: TEMPLATE_STATUSES.join(' | ') }),
  status_reason: Type.Union([Type.String(), Type.Null()]),
  provider_template_id: Type.Union([Type.String(), Type.Null()]),
  created_at: Timestamp,
  updated_at: Timestamp,
  title: Type.String({ description: 'Callbell: the name' }),
  text: Type.String({ description: 'Callbell: the body' }),
  templateType: Type.String({ description: 'Callbell: text, image, video or document (the header\'s media)' }),
  createdAt: Type.String({ description: 'Callbell: created_at' }),
});
nameSchema('Template', TemplateSchema);

/** Query of GET /v1/templates. */
export const ListTemplatesQuery = Type.Object({
  channel_type: Type.Optional(Type.Enum([...CHANNEL_TYPES])),
  channel_uuid: Type.Optional(Uuid),
  status: Type.Optional(Type.Enum([...TEMPLATE_STATUSES])),
  category: Type.Optional(Type.Enum([...TEMPLATE_CATEGORIES])),
  name: Type.Optional(Type.String({ minLength: 1, maxLength: 512 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
  cursor: Type.Optional(Type.String({ description: 'meta.next_cursor of the previous page' })),
}, { additionalProperties: false });

/** A page of templates, newest first. */
export const TemplateListReply = Type.Object({
  templates: Type.Array(TemplateSchema),
  meta: PageMeta,
});
