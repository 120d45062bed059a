import type { ChannelsTable } from '../db/types.ts';
import { parseJson } from '../lib/json.ts';
import { secretHint, SecretBoxError, type SecretBox } from '../lib/secret-box.ts';
import { ProviderError, type ProviderChannel } from '../providers/types.ts';

/** The columns of a channel row the secret helpers read. */
export type ChannelSecretsRow = Pick<ChannelsTable, 'id' | 'workspace_id' | 'type' | 'provider' | 'config'> & { secrets?: string | null };

/** Seals a channel's secret settings as one value bound to the channel id; null when there are none. */
export function sealSecrets(box: SecretBox, channelId: string, secret: Record<string, string>): string | null {
  return Object.keys(secret).length === 0 ? null : box.seal(JSON.stringify(secret), channelId);
}

/**
 * The decrypted secret settings of a channel (e.g. `{access_token, app_secret, verify_token}`); `{}` when it has none.
 * Throws SecretBoxError when they were sealed with another key or altered.
 */
export function channelSecrets(box: SecretBox, row: ChannelSecretsRow): Record<string, string> {
  if (!row.secrets) return {};
  return JSON.parse(box.open(row.secrets, row.id)) as Record<string, string>;
}

/** A channel's full config, plain settings and decrypted secrets together (what adapters and provider webhooks read). */
export function channelConfig(box: SecretBox, row: ChannelSecretsRow): Record<string, unknown> {
  return { ...parseJson<Record<string, unknown>>(row.config, {}), ...channelSecrets(box, row) };
}

/**
 * The channel as a provider adapter sees it, with its secrets decrypted into `config`. A channel whose secrets cannot
 * be opened (BECKON_SECRET_KEY changed or lost) is a retryable ProviderError `channel_secrets_unreadable`: restoring
 * the key lets the retries go through.
 */
export function providerChannel(box: SecretBox, row: ChannelSecretsRow): ProviderChannel {
  let config: Record<string, unknown>;
  try {
    config = channelConfig(box, row);
  } catch (err) {
    if (!(err instanceof SecretBoxError)) throw err;
    throw new ProviderError('channel_secrets_unreadable', `the channel's secrets cannot be decrypted: ${err.message}`, true);
  }
  return { id: row.id, workspaceId: row.workspace_id, type: row.type, provider: row.provider, config };
}

/** What the API shows of each secret setting: a hint such as "…abcd", never the value; `error` says why there are none when they cannot be decrypted. */
export function secretHints(box: SecretBox, row: ChannelSecretsRow): { hints: Record<string, string>; error: string | null } {
  let secrets: Record<string, string>;
  try {
    secrets = channelSecrets(box, row);
  } catch (err) {
    if (!(err instanceof SecretBoxError)) throw err;
    return { hints: {}, error: `the secrets cannot be decrypted: ${err.message}` };
  }
  return { hints: Object.fromEntries(Object.entries(secrets).map(([field, value]) => [field, secretHint(value)])), error: null };
}
