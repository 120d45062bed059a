import type { TestBeckon } from '../../test/helpers.ts';
import { waitFor } from '../../test/helpers.ts';
import { recordEvent, type EventType } from '../events/service.ts';
import type { DeliveryView } from './deliveries.ts';

/** The workspace id behind a key (the default admin key when omitted). */
export async function workspaceOf(beckon: TestBeckon, key?: string): Promise<string> {
  const me = await beckon.call('GET', '/v1/auth/me', key ? { key } : {});
  return me.json().workspace.uuid as string;
}

/** Records a domain event the way domains do (in a transaction, then notify), without depending on their routes. */
export async function emit(beckon: TestBeckon, workspaceId: string, type: EventType, payload: unknown): Promise<string> {
  const { deps } = beckon.runtime;
  const id = await deps.db.transaction().execute((trx) => recordEvent(trx, deps, workspaceId, type, payload));
  deps.queue.notify();
  return id;
}

/** Creates an endpoint through the API and returns its body (with the secret); throws unless 201. */
export async function createHook(beckon: TestBeckon, body: Record<string, unknown>, key?: string): Promise<{ uuid: string; secret: string; [k: string]: unknown }> {
  const res = await beckon.call('POST', '/v1/webhooks', { body, ...(key ? { key } : {}) });
  if (res.statusCode !== 201) throw new Error(`creating a webhook answered ${res.statusCode}: ${res.body}`);
  return res.json().webhook;
}

/** The endpoint's deliveries (first page, 100 at most), newest first. */
export async function deliveriesOf(beckon: TestBeckon, hookUuid: string, query = ''): Promise<DeliveryView[]> {
  const res = await beckon.call('GET', `/v1/webhooks/${hookUuid}/deliveries?limit=100${query}`);
  if (res.statusCode !== 200) throw new Error(`listing deliveries answered ${res.statusCode}: ${res.body}`);
  return res.json().deliveries;
}

/** Waits until the endpoint has a delivery matching `check` and returns it. */
export async function waitForDelivery(beckon: TestBeckon, hookUuid: string, what: string, check: (d: DeliveryView) => boolean, timeoutMs = 30_000): Promise<DeliveryView> {
  return waitFor(what, async () => (await deliveriesOf(beckon, hookUuid)).find(check), timeoutMs);
}
