/** Every event type Beckon records (and a webhook endpoint may subscribe to); the lowest layer of events, imported by any domain. */
export const EVENT_TYPES = [
  'message_created',
  'message_status_updated',
  'contact_created',
  'contact_updated',
  'contact_deleted',
  'contact_opted_in',
  'contact_opted_out',
  'message_opened',
  'link_clicked',
  'campaign_started',
  'campaign_completed',
] as const;

/** One of EVENT_TYPES. */
export type EventType = (typeof EVENT_TYPES)[number];

/** An event's JSON body, as webhook deliveries and the live stream send it: Callbell's envelope {event, payload} plus the event's id and created_at. */
export function eventBody(event: { id: string; type: string; payload: string; created_at: string }): string {
  return `{"event":${JSON.stringify(event.type)},"payload":${event.payload},"id":${JSON.stringify(event.id)},"created_at":${JSON.stringify(event.created_at)}}`;
}
