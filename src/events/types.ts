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
