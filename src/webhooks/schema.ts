import { Type } from 'typebox';
import { ALL_CUSTOM_EVENTS, EVENT_TYPES } from '../events/types.ts';
import { ALL_EVENTS } from './engine.ts';
import { DELIVERY_STATUSES, WEBHOOK_FORMATS } from '../db/enums.ts';

/** The column values, declared with the table types (db/enums.ts). */
export { DELIVERY_STATUSES };
import { nameSchema } from '../system/components.ts';

/** The event type of the event POST /v1/webhooks/:uuid/test sends (to that endpoint only; not subscribable). */
export const TEST_EVENT_TYPE = 'webhook_test';

const Timestamp = Type.String({ format: 'date-time' });
const NullableTimestamp = Type.Union([Timestamp, Type.Null()]);

const EventName = Type.String({
  pattern: `^(${[...EVENT_TYPES, ALL_EVENTS, ALL_CUSTOM_EVENTS].map((t) => t.replace(/[.*]/g, '\\$&')).join('|')}|custom\\.[a-z][a-z0-9_]{0,63})$`,
  description: `An event type (${EVENT_TYPES.join(', ')}), custom.<name> for one custom event (POST /v1/events), "${ALL_CUSTOM_EVENTS}" for every custom event, `
    + `or "${ALL_EVENTS}" for every type (present and future)`,
});
const EventList = Type.Array(EventName, { minItems: 1, maxItems: 50, description: 'The event types the endpoint receives' });
const Url = Type.String({ minLength: 1, maxLength: 2048, description: 'An http(s) URL whose host resolves to public addresses (see BECKON_WEBHOOK_ALLOW_PRIVATE)' });
const Format = Type.Enum([...WEBHOOK_FORMATS], { description: 'The payload format: "beckon" (the native event body, the default) or "callbell" (Callbell\'s documented payloads, see docs/compat-callbell.md)' });
const Description = Type.Union([Type.Null(), Type.String({ maxLength: 500 })], { description: 'A note for people; null clears it' });

/** Path parameter of one endpoint or delivery. */

/** An endpoint as the API shows it (no secret). */
export const EndpointSchema = Type.Object({
  uuid: Type.String({ format: 'uuid' }),
  url: Type.String(),
  description: Type.Union([Type.String(), Type.Null()]),
  events: Type.Array(Type.String()),
  enabled: Type.Boolean(),
  disabled_reason: Type.Union([Type.String(), Type.Null()], { description: 'Why the endpoint was disabled (410 Gone, failing too long, or by the API)' }),
  disabled_at: NullableTimestamp,
  failing_since: Type.Union([Timestamp, Type.Null()], { description: 'Start of the current run of failed attempts; cleared by a success' }),
  previous_secret_expires_at: Type.Union([Timestamp, Type.Null()], { description: 'Until then the secret replaced by rotate_secret still signs, alongside the new one' }),
  origin: Type.String({ description: '"api", "callbell_subscribe" for the endpoint managed by /v1/webhooks/subscribe, or "zapier" for a REST hook (POST /v1/hooks, flat bodies)' }),
  format: Format,
  created_at: Timestamp,
  updated_at: Timestamp,
});
nameSchema('WebhookEndpoint', EndpointSchema);

/** An endpoint with its signing secret (answers of create and rotate_secret only). */
export const EndpointWithSecretSchema = Type.Intersect([EndpointSchema, Type.Object({ secret: Type.String({ description: 'whsec_… signing secret, shown once; verify with any Standard Webhooks library' }) })]);

/** Body of POST /v1/webhooks. */
export const CreateEndpointBody = Type.Object({
  url: Url,
  events: EventList,
  enabled: Type.Optional(Type.Boolean({ default: true })),
  description: Type.Optional(Description),
  format: Type.Optional(Format),
}, { additionalProperties: false });

/** Body of PATCH /v1/webhooks/:uuid; re-enabling clears disabled_reason and failing_since. */
export const UpdateEndpointBody = Type.Object({
  url: Type.Optional(Url),
  events: Type.Optional(EventList),
  enabled: Type.Optional(Type.Boolean()),
  description: Type.Optional(Description),
  format: Type.Optional(Format),
}, { additionalProperties: false });

/** Query of list endpoints: cursor pagination. */
export const PageQuery = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
  cursor: Type.Optional(Type.String({ description: 'meta.next_cursor of the previous page' })),
});

/** Query of an endpoint's delivery log. */
export const DeliveriesQuery = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
  cursor: Type.Optional(Type.String({ description: 'meta.next_cursor of the previous page' })),
  status: Type.Optional(Type.Enum([...DELIVERY_STATUSES])),
});

/** One HTTP attempt of a delivery. */
export const AttemptSchema = Type.Object({
  attempt: Type.Integer({ description: '1 for the first try' }),
  status_code: Type.Union([Type.Integer(), Type.Null()], { description: 'HTTP status answered, null when there was no answer' }),
  latency_ms: Type.Integer(),
  response_excerpt: Type.Union([Type.String(), Type.Null()], { description: 'The first KiB of the answer body' }),
  error: Type.Union([Type.String(), Type.Null()], { description: 'Why the attempt failed (HTTP status, timeout, connection error, SSRF guard)' }),
  created_at: Timestamp,
});
nameSchema('WebhookAttempt', AttemptSchema);

/** One event on its way to one endpoint, with its attempts. */
export const DeliverySchema = Type.Object({
  uuid: Type.String({ format: 'uuid' }),
  webhook_uuid: Type.String({ format: 'uuid' }),
  event_uuid: Type.String({ format: 'uuid', description: 'Also sent as the webhook-id header: stable across retries, dedupe on it' }),
  event_type: Type.String(),
  status: Type.Enum([...DELIVERY_STATUSES]),
  attempt_count: Type.Integer(),
  next_attempt_at: Type.Union([Timestamp, Type.Null()], { description: 'When the next attempt is due (pending deliveries)' }),
  last_status_code: Type.Union([Type.Integer(), Type.Null()]),
  last_error: Type.Union([Type.String(), Type.Null()]),
  created_at: Timestamp,
  updated_at: Timestamp,
  attempts: Type.Array(AttemptSchema),
});
nameSchema('WebhookDelivery', DeliverySchema);

/** Body of Callbell's POST /v1/webhooks/subscribe. */
export const SubscribeBody = Type.Object({
  url: Url,
  subscriptions: EventList,
});

/** Callbell's webhook shape (answer of subscribe), with Beckon's uuid and signing secret. */
export const CallbellWebhookSchema = Type.Object({
  uuid: Type.String({ format: 'uuid' }),
  url: Type.String(),
  subscriptions: Type.Array(Type.String()),
  createdAt: Timestamp,
  enabled: Type.Boolean(),
  secret: Type.String({ description: 'whsec_… signing secret (Standard Webhooks)' }),
});
