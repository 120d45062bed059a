import type { Deps } from '../deps.ts';
import { notFound } from '../errors.ts';
import { listEventsPage } from '../events/feed.ts';
import { checkUrl, createEndpoint, deleteEndpoint, getEndpoint } from '../webhooks/service.ts';
import { engineFor } from '../webhooks/engine.ts';
import { flatEvent, ORIGIN_ZAPIER, type FlatItem } from '../webhooks/flat.ts';
import { HOOK_ALIASES } from './schema.ts';

/** The event types a hook event stands for: an alias's types, or itself. */
export function hookTypes(event: string): string[] {
  return [...(HOOK_ALIASES[event] ?? [event])];
}

/** Zapier's subscribe: a webhook endpoint of origin "zapier" (flat bodies, every endpoint guarantee) for the hook's event types. */
export async function createHook(deps: Deps, workspaceId: string, targetUrl: string, event: string): Promise<{ id: string; event: string; target_url: string; secret: string }> {
  const allow = engineFor(deps).allow;
  const url = await checkUrl(allow, targetUrl, 'body.target_url');
  const made = await createEndpoint(deps.db, deps.secrets, allow, workspaceId, { url, events: hookTypes(event), description: `Zapier REST hook: ${event}` }, ORIGIN_ZAPIER);
  return { id: made.uuid, event, target_url: made.url, secret: made.secret };
}

/** Zapier's unsubscribe: deletes a hook; 404 when it is not one of the workspace's hooks (other endpoints are not touched). */
export async function deleteHook(deps: Deps, workspaceId: string, id: string): Promise<void> {
  const endpoint = await getEndpoint(deps.db, workspaceId, id).catch(() => null);
  if (!endpoint || endpoint.origin !== ORIGIN_ZAPIER) throw notFound('hook');
  await deleteEndpoint(deps.db, workspaceId, id);
}

/** The most recent events a hook event stands for, newest first, in the flat shape its deliveries carry (Zapier's performList). */
export async function sampleItems(deps: Deps, workspaceId: string, event: string, limit: number): Promise<FlatItem[]> {
  const page = await listEventsPage(deps.db, workspaceId, { type: hookTypes(event), limit });
  return page.events.map((e) => flatEvent({ id: e.id, type: e.event, payload: e.payload, created_at: e.created_at }));
}
