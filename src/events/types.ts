/** Every event type Beckon records (and a webhook endpoint may subscribe to); the lowest layer of events, imported by any domain. */
export const EVENT_TYPES = [
  'message_created',
  'message_status_updated',
  'contact_created',
  'contact_updated',
  'contact_deleted',
  'contact_tag_added',
  'contact_opted_in',
  'contact_opted_out',
  'message_opened',
  'link_clicked',
  'campaign_started',
  'campaign_completed',
  'automation_run_started',
  'automation_run_completed',
  'automation_run_exited',
  'automation_run_failed',
  'automation_run_converted',
  'agent_status_updated',
  'agent_session_updated',
  'team_membership_updated',
  'conversation_opened',
  'conversation_closed',
  'conversation_assigned',
  'conversation_status_updated',
  'conversation_updated',
  'conversation_funnel_stage_updated',
  'note_created',
] as const;

/** One of EVENT_TYPES. */
export type EventType = (typeof EVENT_TYPES)[number];

/** An event's JSON body, as webhook deliveries and the live stream send it: Callbell's envelope {event, payload} plus the event's id and created_at. */
export function eventBody(event: { id: string; type: string; payload: string; created_at: string }): string {
  return `{"event":${JSON.stringify(event.type)},"payload":${event.payload},"id":${JSON.stringify(event.id)},"created_at":${JSON.stringify(event.created_at)}}`;
}

/** Custom events (POST /v1/events) are stored with the type `custom.<name>`, so they never collide with a domain event type, present or future. */
export const CUSTOM_EVENT_PREFIX = 'custom.';

/** Subscribing (or filtering) to this matches every custom event, whatever its name. */
export const ALL_CUSTOM_EVENTS = 'custom.*';

/** The stored type of a custom event. */
export type CustomEventType = `custom.${string}`;

/** A custom event's name: snake_case, 1 to 64 characters, starting with a letter. */
export const CUSTOM_EVENT_NAME = /^[a-z][a-z0-9_]{0,63}$/;

/** A custom event type as a webhook subscription or a `type` filter names it: `custom.<name>`. */
export const CUSTOM_EVENT_TYPE = /^custom\.[a-z][a-z0-9_]{0,63}$/;

/** True when `type` is the stored type of a custom event. */
export function isCustomEventType(type: string): type is CustomEventType {
  return type.startsWith(CUSTOM_EVENT_PREFIX);
}

/** True when a list of event types (an endpoint's subscriptions, a subscriber's types) covers `type`: by exact type, or `custom.*` for a custom event. */
export function typeListCovers(types: readonly string[], type: string): boolean {
  return types.includes(type) || (isCustomEventType(type) && types.includes(ALL_CUSTOM_EVENTS));
}
