import { Type } from 'typebox';
import { EVENT_TYPES } from '../events/types.ts';
import { nameSchema } from '../system/components.ts';

/** Hook events that stand for several event types: one Zapier trigger, one subscription. */
export const HOOK_ALIASES: Record<string, readonly string[]> = {
  automation_run_finished: ['automation_run_completed', 'automation_run_exited', 'automation_run_failed', 'automation_run_converted'],
};

const aliasNames = Object.keys(HOOK_ALIASES);

/** What a hook subscribes to: an event type, an alias, or custom.<name>. */
export const HookEvent = Type.String({
  pattern: `^(${[...EVENT_TYPES, ...aliasNames].join('|')}|custom\\.[a-z][a-z0-9_]{0,63})$`,
  description: `An event type (${EVENT_TYPES.join(', ')}), custom.<name> for one custom event, or ${aliasNames.join(', ')} `
    + `(${aliasNames.map((a) => HOOK_ALIASES[a]?.join(' + ')).join('; ')})`,
});

/** Body of POST /v1/hooks (Zapier's performSubscribe). */
export const CreateHookBody = Type.Object({
  target_url: Type.String({ minLength: 1, maxLength: 2048, description: 'Where deliveries go (Zapier\'s bundle.targetUrl); passes the SSRF guard like any webhook URL' }),
  event: HookEvent,
}, { additionalProperties: false });

/** Answer of POST /v1/hooks: the id Zapier keeps for DELETE (it is the webhook endpoint's uuid). */
export const HookSchema = Type.Object({
  id: Type.String({ format: 'uuid', description: 'The webhook endpoint\'s uuid: listed in GET /v1/webhooks (origin "zapier") with its deliveries' }),
  event: Type.String(),
  target_url: Type.String(),
  secret: Type.String({ description: 'whsec_… signing secret of the deliveries (Standard Webhooks), shown once' }),
});
nameSchema('RestHook', HookSchema);

/** Path parameters of DELETE /v1/hooks/:id. */
export const HookParams = Type.Object({ id: Type.String({ format: 'uuid' }) });

/** Path parameters of GET /v1/hooks/samples/:event. */
export const SampleParams = Type.Object({ event: HookEvent });

/** Query of GET /v1/hooks/samples/:event. */
export const SampleQuery = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 3 })),
}, { additionalProperties: false });

/** A flat hook item: `id` (the event's), `event`, `event_created_at`, then the payload's fields with nested objects lifted (contact_uuid …). */
export const FlatItemSchema = Type.Object({
  id: Type.String(),
  event: Type.String(),
  event_created_at: Type.String({ format: 'date-time' }),
}, { additionalProperties: true });
nameSchema('RestHookItem', FlatItemSchema);
