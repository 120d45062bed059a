import type { EndpointOrigin, WebhookFormat } from '../db/enums.ts';
import type { Db } from '../db/connect.ts';
import type { WebhookEndpointsTable } from '../db/types.ts';
import { AppError, invalidField, notFound } from '../errors.ts';
import { decodeCursor, pageOf, type Cursor } from '../lib/cursor.ts';
import { newId } from '../lib/ids.ts';
import { parseJson } from '../lib/json.ts';
import { assertPublicUrl, SsrfError, type AllowList } from '../lib/ssrf.ts';
import { disableEndpointIn } from './engine.ts';
import { newWebhookSecret } from './sign.ts';
import { openWebhookSecret, sealWebhookSecret } from './secrets.ts';
import type { SecretBox } from '../lib/secret-box.ts';
import * as q from './queries.ts';

/** How long a secret replaced by rotate_secret keeps signing, alongside the new one. */
export const ROTATION_OVERLAP_MS = 24 * 3600 * 1000;

/** Origin of endpoints made through the API. */
export const ORIGIN_API: EndpointOrigin = 'api';

/** Origin of the one endpoint Callbell's subscribe/unsubscribe manage. */
export const ORIGIN_CALLBELL: EndpointOrigin = 'callbell_subscribe';

/** An endpoint as the API shows it (never the secret, except once at creation or rotation). */
export interface EndpointView {
  uuid: string;
  url: string;
  description: string | null;
  events: string[];
  enabled: boolean;
  disabled_reason: string | null;
  disabled_at: string | null;
  failing_since: string | null;
  previous_secret_expires_at: string | null;
  origin: string;
  /** The payload format of its deliveries: `beckon` (the native event body) or `callbell` (Callbell's documented payloads). */
  format: WebhookFormat;
  created_at: string;
  updated_at: string;
}

/** What creates an endpoint. */
export interface EndpointInput {
  url: string;
  events: string[];
  enabled?: boolean;
  description?: string | null;
  format?: WebhookFormat;
}

/** Maps an endpoint row to its API view. */
export function endpointView(row: WebhookEndpointsTable): EndpointView {
  const rotating = row.previous_secret_expires_at && Date.parse(row.previous_secret_expires_at) > Date.now() ? row.previous_secret_expires_at : null;
  return {
    uuid: row.id, url: row.url, description: row.description, events: parseJson(row.events, []), enabled: row.enabled === 1,
    disabled_reason: row.disabled_reason, disabled_at: row.disabled_at, failing_since: row.failing_since, previous_secret_expires_at: rotating,
    origin: row.origin, format: row.format, created_at: row.created_at, updated_at: row.updated_at,
  };
}

/** Checks a webhook URL against the SSRF guard; a refusal is a 400 webhook_url_refused naming `path`. */
export async function checkUrl(allow: AllowList, url: string, path: string): Promise<string> {
  const trimmed = url.trim();
  try {
    await assertPublicUrl(trimmed, allow);
  } catch (err) {
    if (!(err instanceof SsrfError)) throw err;
    const message = `is refused: ${err.message}`;
    throw new AppError(400, 'webhook_url_refused', `${path} ${message}`, [{ path, message }]);
  }
  return trimmed;
}

async function mustFind(db: Db, workspaceId: string, id: string): Promise<WebhookEndpointsTable> {
  const row = await q.findEndpoint(db, workspaceId, id);
  if (!row) throw notFound('webhook');
  return row;
}

function unique(events: string[]): string {
  return JSON.stringify([...new Set(events)]);
}

/** Creates an endpoint with a new signing secret; returns its view and the secret (shown this once). */
export async function createEndpoint(db: Db, box: SecretBox, allow: AllowList, workspaceId: string, input: EndpointInput, origin = ORIGIN_API): Promise<EndpointView & { secret: string }> {
  const url = await checkUrl(allow, input.url, 'body.url');
  const now = new Date().toISOString();
  const enabled = input.enabled ?? true;
  const id = newId();
  const secret = newWebhookSecret();
  const row: WebhookEndpointsTable = {
    id, workspace_id: workspaceId, url, description: input.description ?? null, events: unique(input.events), enabled: enabled ? 1 : 0,
    secret: sealWebhookSecret(box, id, secret), previous_secret: null, previous_secret_expires_at: null,
    disabled_reason: enabled ? null : 'created disabled', disabled_at: enabled ? null : now, failing_since: null, origin, format: input.format ?? 'beckon', created_at: now, updated_at: now,
  };
  await q.insertEndpoint(db, row);
  return { ...endpointView(row), secret };
}

/** A page of the workspace's endpoints, newest first. */
export async function listEndpoints(db: Db, workspaceId: string, limit: number, rawCursor?: string): Promise<{ webhooks: EndpointView[]; next_cursor: string | null }> {
  const rows = await q.listEndpoints(db, workspaceId, limit, decodeCursor(rawCursor));
  const page = pageOf(rows, limit, (r) => r.created_at);
  return { webhooks: page.items.map(endpointView), next_cursor: page.next_cursor };
}

/** One endpoint of the workspace, or 404. */
export async function getEndpoint(db: Db, workspaceId: string, id: string): Promise<EndpointView> {
  return endpointView(await mustFind(db, workspaceId, id));
}

/** Changes an endpoint; disabling fails its pending deliveries, re-enabling clears disabled_reason and failing_since. */
export async function updateEndpoint(db: Db, allow: AllowList, workspaceId: string, id: string, patch: Partial<EndpointInput>): Promise<EndpointView> {
  const url = patch.url === undefined ? undefined : await checkUrl(allow, patch.url, 'body.url');
  await db.transaction().execute(async (trx) => {
    const row = await mustFind(trx, workspaceId, id);
    const now = new Date().toISOString();
    const changes: q.EndpointChanges = { updated_at: now };
    if (url !== undefined) changes.url = url;
    if (patch.events !== undefined) changes.events = unique(patch.events);
    if (patch.description !== undefined) changes.description = patch.description;
    if (patch.format !== undefined) changes.format = patch.format;
    if (patch.enabled === true && row.enabled !== 1) Object.assign(changes, { enabled: 1, disabled_reason: null, disabled_at: null, failing_since: null });
    await q.updateEndpoint(trx, workspaceId, id, changes);
    if (patch.enabled === false && row.enabled === 1) await disableEndpointIn(trx, id, 'disabled through the API', now);
  });
  return getEndpoint(db, workspaceId, id);
}

/** Deletes an endpoint with its deliveries; 404 when it is not the workspace's. */
export async function deleteEndpoint(db: Db, workspaceId: string, id: string): Promise<void> {
  if ((await q.deleteEndpoint(db, workspaceId, id)) === 0) throw notFound('webhook');
}

/** Replaces the signing secret; the old one keeps signing, alongside, for ROTATION_OVERLAP_MS. Returns the new secret once. */
export async function rotateSecret(db: Db, box: SecretBox, workspaceId: string, id: string): Promise<EndpointView & { secret: string }> {
  const row = await mustFind(db, workspaceId, id);
  const now = Date.now();
  const secret = newWebhookSecret();
  const previous = sealWebhookSecret(box, id, openWebhookSecret(box, id, row.secret));
  const changes = { secret: sealWebhookSecret(box, id, secret), previous_secret: previous, previous_secret_expires_at: new Date(now + ROTATION_OVERLAP_MS).toISOString(), updated_at: new Date(now).toISOString() };
  await q.updateEndpoint(db, workspaceId, id, changes);
  return { ...endpointView({ ...row, ...changes }), secret };
}

/** Callbell's webhook shape, with Beckon's uuid and the signing secret. */
export interface CallbellWebhookView {
  uuid: string;
  url: string;
  subscriptions: string[];
  createdAt: string;
  enabled: boolean;
  secret: string;
}

function callbellView(box: SecretBox, row: WebhookEndpointsTable): CallbellWebhookView {
  const secret = openWebhookSecret(box, row.id, row.secret);
  return { uuid: row.id, url: row.url, subscriptions: parseJson(row.events, []), createdAt: row.created_at, enabled: row.enabled === 1, secret };
}

/**
 * Callbell's subscribe: creates the workspace's subscribe-managed endpoint, or updates (and re-enables) it, in `format`
 * (the native route keeps Beckon's body; /compat/callbell subscribes in Callbell's).
 */
export async function subscribe(db: Db, box: SecretBox, allow: AllowList, workspaceId: string, url: string, subscriptions: string[], format: WebhookFormat = 'beckon'): Promise<{ created: boolean; webhook: CallbellWebhookView }> {
  const checked = await checkUrl(allow, url, 'body.url');
  const existing = await q.findSubscribeEndpoint(db, workspaceId, ORIGIN_CALLBELL);
  if (!existing) {
    const made = await createEndpoint(db, box, allow, workspaceId, { url: checked, events: subscriptions, description: 'Created by POST /v1/webhooks/subscribe', format }, ORIGIN_CALLBELL);
    return { created: true, webhook: callbellView(box, (await q.findEndpoint(db, workspaceId, made.uuid)) as WebhookEndpointsTable) };
  }
  const changes = { url: checked, events: unique(subscriptions), format, enabled: 1, disabled_reason: null, disabled_at: null, failing_since: existing.enabled === 1 ? existing.failing_since : null, updated_at: new Date().toISOString() };
  await q.updateEndpoint(db, workspaceId, existing.id, changes);
  return { created: false, webhook: callbellView(box, { ...existing, ...changes }) };
}

/** The uuid of the workspace's subscribe-managed endpoint, or null when there is none. */
export async function subscribedEndpointId(db: Db, workspaceId: string): Promise<string | null> {
  return (await q.findSubscribeEndpoint(db, workspaceId, ORIGIN_CALLBELL))?.id ?? null;
}

/** Callbell's unsubscribe: deletes the subscribe-managed endpoint; 404 when there is none. Endpoints made with POST /v1/webhooks stay. */
export async function unsubscribe(db: Db, workspaceId: string): Promise<void> {
  if ((await q.deleteEndpointsByOrigin(db, workspaceId, ORIGIN_CALLBELL)) === 0) throw notFound('webhook subscription');
}
