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
 * Builds the JSON body of one event for an endpoint of another format (Callbell's …), reading what it needs from the store;
 * null when it has no shape for that event type (the delivery then carries Beckon's own body).
 */
export type PayloadFormatter = (deps: Pick<Deps, 'db' | 'config'>, workspaceId: string, event: StoredEvent) => Promise<string | null>;

const formatters = new Map<WebhookFormat, PayloadFormatter>();

/** Registers the formatter of a non-native format (compat/callbell does it when loaded); webhooks/ never imports a compat surface. */
export function registerWebhookFormat(format: Exclude<WebhookFormat, 'beckon'>, formatter: PayloadFormatter): void {
  formatters.set(format, formatter);
}

/** The body a delivery carries: flat for a Zapier hook (by its origin), else the formatter of the endpoint's `format`, else Beckon's event body. */
export async function deliveryBody(deps: Pick<Deps, 'db' | 'config'>, origin: string, format: WebhookFormat, workspaceId: string, event: StoredEvent): Promise<string> {
  if (origin === ORIGIN_ZAPIER) return flatBody(event);
  const formatter = format === 'beckon' ? undefined : formatters.get(format);
  const body = formatter ? await formatter(deps, workspaceId, event) : null;
  return body ?? eventBody(event);
}
