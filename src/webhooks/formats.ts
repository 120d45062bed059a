import { flatBody, ORIGIN_ZAPIER } from './flat.ts';
import type { Deps } from '../deps.ts';
import type { WebhookFormat } from '../db/enums.ts';
import { eventBody } from '../events/types.ts';

/** A stored event as a delivery sends it. */
export interface StoredEvent {
  id: string;
  type: string;
  /** The event's payload, as stored (JSON text). */
  payload: string;
  created_at: string;
}

/**
 * Builds the JSON body of one event (its part `part`, see PartCounter) for an endpoint of another format (Callbell's …),
 * reading what it needs from the store; null when it has no shape for that event type (the delivery then carries
 * Beckon's own body).
 */
export type PayloadFormatter = (deps: Pick<Deps, 'db' | 'config'>, workspaceId: string, event: StoredEvent, part: number) => Promise<string | null>;

/** How many bodies (deliveries) a format sends for one event, from its type and stored payload; 1 for most. */
export type PartCounter = (event: { type: string; payload: string }) => number;

const formatters = new Map<WebhookFormat, { formatter: PayloadFormatter; parts: PartCounter }>();

/**
 * Registers the formatter of a non-native format (compat/callbell does it when loaded), and how many parts it makes of
 * an event (one delivery each; one part by default); webhooks/ never imports a compat surface.
 */
export function registerWebhookFormat(format: Exclude<WebhookFormat, 'beckon'>, formatter: PayloadFormatter, parts: PartCounter = () => 1): void {
  formatters.set(format, { formatter, parts });
}

/** How many deliveries an event makes to an endpoint of this format and origin (at least one; a Zapier hook gets one). */
export function deliveryParts(origin: string, format: WebhookFormat, event: { type: string; payload?: string }): number {
  const registered = format === 'beckon' || origin === ORIGIN_ZAPIER || event.payload === undefined ? undefined : formatters.get(format);
  return registered ? Math.max(1, registered.parts({ type: event.type, payload: event.payload! })) : 1;
}

/**
 * The body a delivery carries: flat for a Zapier hook (by its origin), else the formatter of the endpoint's `format`
 * (its `part`), else Beckon's event body.
 */
export async function deliveryBody(deps: Pick<Deps, 'db' | 'config'>, origin: string, format: WebhookFormat, workspaceId: string, event: StoredEvent, part = 0): Promise<string> {
  if (origin === ORIGIN_ZAPIER) return flatBody(event);
  const registered = format === 'beckon' ? undefined : formatters.get(format);
  const body = registered ? await registered.formatter(deps, workspaceId, event, part) : null;
  return body ?? eventBody(event);
}

/** The Standard Webhooks message id of a delivery: the event's id, suffixed with the part after the first (each part is its own message). */
export function deliveryMessageId(eventId: string, part: number): string {
  return part === 0 ? eventId : `${eventId}.${part}`;
}
