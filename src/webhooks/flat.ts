import { parseJson } from '../lib/json.ts';

/** Origin of the endpoints POST /v1/hooks makes (Zapier's REST hooks): their deliveries carry flat bodies. */
export const ORIGIN_ZAPIER = 'zapier';

/** How deep nested objects are lifted to the top level (contact.custom_fields.plan → contact_custom_fields_plan). */
const MAX_DEPTH = 3;

function lift(into: Record<string, unknown>, prefix: string, value: Record<string, unknown>, depth: number): void {
  for (const [key, v] of Object.entries(value)) {
    const name = prefix ? `${prefix}_${key}` : key;
    if (v !== null && typeof v === 'object' && !Array.isArray(v) && depth < MAX_DEPTH) lift(into, name, v as Record<string, unknown>, depth + 1);
    else if (!(name in into)) into[name] = v;
  }
}

/** A flat hook item: the event's id, type and time, then the payload's fields. */
export type FlatItem = { id: string; event: string; event_created_at: string } & Record<string, unknown>;

/**
 * An event as one flat object that reads well in Zapier's field mapper: `id` is the event's id (Zapier dedupes on
 * it, so two updates of one contact are two items), `event` and `event_created_at` say what and when, and the
 * payload's fields follow at the top level, nested objects lifted with their key as prefix (contact_uuid, content_text).
 */
export function flatEvent(event: { id: string; type: string; payload: Record<string, unknown>; created_at: string }): FlatItem {
  const out: FlatItem = { id: event.id, event: event.type, event_created_at: event.created_at };
  lift(out, '', event.payload, 0);
  return out;
}

/** The flat body a delivery to a Zapier hook carries (formats.ts deliveryBody picks it by the endpoint's origin). */
export function flatBody(event: { id: string; type: string; payload: string; created_at: string }): string {
  return JSON.stringify(flatEvent({ ...event, payload: parseJson<Record<string, unknown>>(event.payload, {}) }));
}
