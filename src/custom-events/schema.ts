import { Type } from 'typebox';
import { nameSchema } from '../system/components.ts';

/** Events per POST /v1/events/batch call. */
export const MAX_EVENT_BATCH = 1000;

/** Limits on an event's `data`: its size as JSON (UTF-8 bytes) and how deep objects and arrays nest in it. */
export const MAX_DATA_BYTES = 16 * 1024;
/** How deep objects and arrays may nest in `data` (the object itself is level 1). */
export const MAX_DATA_DEPTH = 8;

const Timestamp = Type.String({ format: 'date-time' });

/** Who the event is about: a contact by uuid, phone or email, with optional values to upsert on it. */
export const ContactReference = Type.Object({
  uuid: Type.Optional(Type.String({ format: 'uuid', description: 'An existing contact (404 when it is not in the workspace); phone and email then update it' })),
  phone: Type.Optional(Type.String({ maxLength: 64, description: 'Any format; without uuid, the contact with this phone (else this email) is found, or created' })),
  email: Type.Optional(Type.String({ maxLength: 254 })),
  name: Type.Optional(Type.String({ maxLength: 200, description: 'Set on the contact' })),
  custom_fields: Type.Optional(Type.Record(Type.String(), Type.Unknown(), { description: 'Merged into the contact\'s values (checked against the definitions)' })),
  tags: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 100 }), { maxItems: 100, description: 'Added to the contact\'s tags (never removes one)' })),
}, { additionalProperties: false, description: 'uuid, phone or email (at least one); the other properties are written to the contact' });

/** Body of POST /v1/events (and each item of POST /v1/events/batch). */
export const CustomEventBody = Type.Object({
  name: Type.String({ description: 'snake_case, 1 to 64 characters (order_placed, cart_abandoned …), not a domain event type; stored and delivered as type custom.<name>' }),
  contact: ContactReference,
  data: Type.Optional(Type.Record(Type.String(), Type.Unknown(), {
    description: `Any JSON object (default {}): at most ${MAX_DATA_BYTES} bytes as JSON, nesting at most ${MAX_DATA_DEPTH} levels`,
  })),
  correlation_key: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'What ties events of one story together (a cart id, an order id); automations match on it' })),
  occurred_at: Type.Optional(Type.String({ description: 'When it happened (ISO 8601 date-time; default: now); segment conditions count by it' })),
}, { additionalProperties: false });

/** The contact of an event, as its view shows it. */
const EventContact = Type.Object({
  uuid: Type.String({ format: 'uuid' }),
  name: Type.Union([Type.String(), Type.Null()]),
  phone: Type.Union([Type.String(), Type.Null()]),
  email: Type.Union([Type.String(), Type.Null()]),
});

/** A stored custom event: what POST /v1/events answers, and the `payload` of its webhook deliveries and stream frames. */
export const CustomEventSchema = Type.Object({
  uuid: Type.String({ format: 'uuid', description: 'The event id (the id of its webhook body and of GET /v1/events)' }),
  type: Type.String({ description: 'custom.<name>' }),
  name: Type.String(),
  contact: EventContact,
  data: Type.Record(Type.String(), Type.Unknown()),
  correlation_key: Type.Union([Type.String(), Type.Null()]),
  occurred_at: Timestamp,
  created_at: Timestamp,
});
nameSchema('CustomEvent', CustomEventSchema);

/** Body of POST /v1/events/batch. */
export const CustomEventBatchBody = Type.Object({
  events: Type.Array(Type.Unknown(), {
    minItems: 1, maxItems: MAX_EVENT_BATCH,
    description: `1 to ${MAX_EVENT_BATCH} events, each shaped like the body of POST /v1/events; each is checked on its own, so a bad one fails alone`,
  }),
}, { additionalProperties: false });

const FieldErrorSchema = Type.Object({ path: Type.String(), message: Type.String() });

/** The answer of POST /v1/events/batch: counts, and one result per event in order. */
export const CustomEventBatchResponse = Type.Object({
  meta: Type.Object({ received: Type.Integer(), accepted: Type.Integer(), failed: Type.Integer() }),
  results: Type.Array(Type.Object({
    index: Type.Integer({ description: 'Position of the event in `events`' }),
    status: Type.Enum(['accepted', 'failed']),
    uuid: Type.Union([Type.String({ format: 'uuid' }), Type.Null()], { description: 'The stored event' }),
    contact_uuid: Type.Union([Type.String({ format: 'uuid' }), Type.Null()]),
    error: Type.Union([Type.Object({ status: Type.Integer(), code: Type.String(), detail: Type.String(), errors: Type.Array(FieldErrorSchema) }), Type.Null()]),
  })),
});
