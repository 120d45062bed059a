import type { Db } from '../db/connect.ts';
import type { Deps } from '../deps.ts';
import type { ChannelsTable } from '../db/types.ts';
import { invalidField, notFound } from '../errors.ts';
import { decodeCursor, pageOf } from '../lib/cursor.ts';
import { newId } from '../lib/ids.ts';
import { parseJson, toJson } from '../lib/json.ts';
import { SecretBoxError } from '../lib/secret-box.ts';
import { nowIso } from '../lib/time.ts';
import { providerCallbackUrls } from '../providers/index.ts';
import type { ProviderChannel } from '../providers/types.ts';
import { providerTypes, splitSecrets, validateConfig, type ChannelType, type Provider } from './config.ts';
import { checkOutboundSettings } from './outbound.ts';
import { channelConfig, providerChannel, sealSecrets, secretHints } from './secrets.ts';
import * as q from './queries.ts';

export { CHANNEL_TYPES, PROVIDERS } from './config.ts';
export { channelConfig, channelSecrets, providerChannel } from './secrets.ts';

/** What the channel services need: the store, the secret box, the public URL (for callback URLs) and the provider SSRF allow list. */
export type ChannelDeps = Pick<Deps, 'db' | 'secrets'> & { config: Pick<Deps['config'], 'publicUrl' | 'providerAllowPrivate'> };

/** A channel as the API shows it: plain settings in `config`, only hints of the secret ones in `secrets`. */
export interface ChannelView {
  uuid: string;
  type: string;
  provider: string;
  title: string;
  main: boolean;
  config: Record<string, unknown>;
  secrets: Record<string, string>;
  secrets_error: string | null;
  callback_urls: Record<string, string>;
  created_at: string;
  updated_at: string;
}

/** Maps a channel row to its API view (secrets decrypted only to compute their hints). */
export function channelView(deps: ChannelDeps, row: ChannelsTable): ChannelView {
  const { hints, error } = secretHints(deps.secrets, row);
  return {
    uuid: row.id, type: row.type, provider: row.provider, title: row.title, main: row.is_default === 1, config: parseJson(row.config, {}),
    secrets: hints, secrets_error: error, callback_urls: providerCallbackUrls(deps.config.publicUrl, row), created_at: row.created_at, updated_at: row.updated_at,
  };
}

/** Creates the sandbox WhatsApp channel every new workspace starts with; returns its id. */
export async function createDefaultSandboxChannel(db: Db, workspaceId: string): Promise<string> {
  const id = newId();
  const now = nowIso();
  await q.insertChannel(db, { id, workspace_id: workspaceId, type: 'whatsapp', provider: 'sandbox', title: 'Sandbox WhatsApp', config: JSON.stringify({ strict: false }), is_default: 1, created_at: now, updated_at: now });
  return id;
}

/** What creates a channel. */
export interface ChannelInput {
  type: ChannelType;
  provider: Provider;
  title: string;
  main?: boolean;
  config?: Record<string, unknown>;
}

/** What a PATCH changes: `config` is merged into the current one (a field set to null is removed). */
export interface ChannelPatch {
  title?: string;
  main?: boolean;
  config?: Record<string, unknown>;
}

// The current config with its secrets; when they cannot be decrypted (the key changed), the plain settings only, so a
// PATCH that gives the secrets again repairs the channel (and one that does not is told which secrets are required).
function currentConfig(deps: ChannelDeps, row: ChannelsTable): Record<string, unknown> {
  try {
    return channelConfig(deps.secrets, row);
  } catch (err) {
    if (!(err instanceof SecretBoxError)) throw err;
    return parseJson<Record<string, unknown>>(row.config, {});
  }
}

/** True for the unique violation of `channels_one_default`: another transaction made a channel the default of its type meanwhile. */
function isDefaultRace(err: unknown): boolean {
  const e = err as { code?: string; constraint?: string; message?: string } | undefined;
  return (e?.code === '23505' && e.constraint === 'channels_one_default') || /UNIQUE constraint failed: channels\.workspace_id, channels\.type/.test(e?.message ?? '');
}

/**
 * Runs a transaction that may mark a channel the default of its type again when a concurrent one did so first. On
 * PostgreSQL (read committed) two creates can both see no default, or both clear the old one, and both insert a
 * default: the loser's unique violation was a 500. The rerun sees the winner's committed row and decides again.
 */
async function withDefaultRetry<T>(run: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await run();
    } catch (err) {
      if (attempt >= 5 || !isDefaultRace(err)) throw err;
    }
  }
}

async function mustFind(db: Db, workspaceId: string, id: string): Promise<ChannelsTable> {
  const row = await q.findChannel(db, workspaceId, id);
  if (!row) throw notFound('channel');
  return row;
}

/**
 * Creates a channel: the provider must serve the type, the config is validated field by field (400s name
 * `body.config.<field>`), the addresses it connects to pass the provider SSRF guard (channels/outbound.ts), secrets
 * are sealed. The first channel of a type, or one created with `main: true`,
 * becomes the default of its type.
 */
export async function createChannel(deps: ChannelDeps, workspaceId: string, input: ChannelInput): Promise<ChannelView> {
  if (!providerTypes(input.provider).includes(input.type)) {
    throw invalidField('body.provider', `serves ${providerTypes(input.provider).join(', ')} channels, not ${input.type}`);
  }
  const config = validateConfig(input.provider, input.config ?? {});
  await checkOutboundSettings(input.provider, config, deps.config.providerAllowPrivate);
  const { plain, secret } = splitSecrets(input.provider, config);
  const id = newId();
  const now = nowIso();
  const row = await withDefaultRetry(() => deps.db.transaction().execute(async (trx) => {
    const hasOne = await q.findDefaultChannel(trx, workspaceId, input.type);
    const main = input.main === true || !hasOne;
    if (main) await q.clearDefault(trx, workspaceId, input.type, now);
    const channel: ChannelsTable = {
      id, workspace_id: workspaceId, type: input.type, provider: input.provider, title: input.title.trim(), config: toJson(plain),
      secrets: sealSecrets(deps.secrets, id, secret), is_default: main ? 1 : 0, created_at: now, updated_at: now,
    };
    await q.insertChannel(trx, channel);
    return channel;
  }));
  return channelView(deps, row);
}

/** A page of the workspace's channels, oldest first, with the cursor of the next page. */
export async function listChannels(deps: ChannelDeps, workspaceId: string, filters: q.ChannelFilters, limit: number, rawCursor?: string): Promise<{ channels: ChannelView[]; next_cursor: string | null }> {
  const rows = await q.listChannelsPage(deps.db, workspaceId, filters, limit, decodeCursor(rawCursor));
  const page = pageOf(rows, limit, (row) => row.created_at);
  return { channels: page.items.map((row) => channelView(deps, row)), next_cursor: page.next_cursor };
}

/** One channel of the workspace, or 404. */
export async function getChannel(deps: ChannelDeps, workspaceId: string, id: string): Promise<ChannelView> {
  return channelView(deps, await mustFind(deps.db, workspaceId, id));
}

/**
 * Changes a channel's title, default mark or config. The config patch is merged into the current config (secrets
 * included: an omitted secret is kept, a given one replaced, null removes a field) and the result is validated as a
 * whole. `main: true` makes it the default of its type; the default cannot be unmarked (mark another one instead).
 */
export async function updateChannel(deps: ChannelDeps, workspaceId: string, id: string, patch: ChannelPatch): Promise<ChannelView> {
  if (patch.config !== undefined) {
    // the SSRF check resolves host names: done before the write transaction, on the settings the patch gives
    const before = await mustFind(deps.db, workspaceId, id);
    await checkOutboundSettings(before.provider, validateConfig(before.provider as Provider, { ...currentConfig(deps, before), ...patch.config }), deps.config.providerAllowPrivate);
  }
  await withDefaultRetry(() => deps.db.transaction().execute(async (trx) => {
    const row = await mustFind(trx, workspaceId, id);
    const now = nowIso();
    const changes: q.ChannelChanges = { updated_at: now };
    if (patch.title !== undefined) changes.title = patch.title.trim();
    if (patch.config !== undefined) {
      const merged = { ...currentConfig(deps, row), ...patch.config };
      const { plain, secret } = splitSecrets(row.provider as Provider, validateConfig(row.provider as Provider, merged));
      changes.config = toJson(plain);
      changes.secrets = sealSecrets(deps.secrets, row.id, secret);
    }
    if (patch.main === false && row.is_default === 1) {
      throw invalidField('body.main', `cannot be unset on the main ${row.type} channel: set main: true on another ${row.type} channel instead`);
    }
    if (patch.main === true && row.is_default !== 1) {
      await q.clearDefault(trx, workspaceId, row.type, now);
      changes.is_default = 1;
    }
    await q.updateChannel(trx, workspaceId, id, changes);
  }));
  return getChannel(deps, workspaceId, id);
}

/**
 * Deletes a channel and its templates. Messages keep their channel_uuid; those still waiting to be sent fail with
 * `channel_unavailable`. When it was the default of its type, the oldest remaining channel of that type becomes it.
 */
export async function deleteChannel(deps: ChannelDeps, workspaceId: string, id: string): Promise<void> {
  await deps.db.transaction().execute(async (trx) => {
    const row = await mustFind(trx, workspaceId, id);
    await q.deleteChannel(trx, workspaceId, id);
    if (row.is_default !== 1) return;
    const next = await q.findDefaultChannel(trx, workspaceId, row.type);
    if (next) await q.updateChannel(trx, workspaceId, next.id, { is_default: 1, updated_at: nowIso() });
  });
}

/**
 * The channel a provider webhook names in its URL (`/hooks/<provider>/:channel_uuid`), with its secrets decrypted
 * into `config`; undefined when there is no such channel or it uses another provider. The workspace is the channel's.
 */
export async function findHookChannel(deps: Pick<Deps, 'db' | 'secrets'>, channelId: string, provider: string): Promise<ProviderChannel | undefined> {
  const row = await q.findChannelById(deps.db, channelId);
  if (!row || row.provider !== provider) return undefined;
  return providerChannel(deps.secrets, row);
}
