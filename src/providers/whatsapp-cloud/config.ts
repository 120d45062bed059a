import { ProviderError } from '../types.ts';

/** The `provider` value of WhatsApp Cloud API channels. */
export const WHATSAPP_CLOUD = 'whatsapp_cloud';

/** Where the Graph API lives when a channel does not say (tests point `api_base_url` at a local fake). */
export const DEFAULT_API_BASE_URL = 'https://graph.facebook.com';

/** The Graph API version used when a channel does not set `api_version`. */
export const DEFAULT_API_VERSION = 'v23.0';

/** A WhatsApp Cloud API channel's settings, decrypted, with defaults applied. */
export interface WhatsAppCloudConfig {
  phoneNumberId: string;
  businessAccountId: string | null;
  accessToken: string;
  appSecret: string | null;
  verifyToken: string | null;
  apiBaseUrl: string;
  apiVersion: string;
}

function text(config: Record<string, unknown>, key: string): string | null {
  const value = config[key];
  if (typeof value === 'string' && value.trim() !== '') return value.trim();
  if (typeof value === 'number') return String(value);
  return null;
}

/**
 * Reads a channel's decrypted config (`phone_number_id`, `business_account_id`, `access_token`, `app_secret`,
 * `verify_token`, `api_base_url`, `api_version`). Missing send credentials are a permanent `channel_misconfigured`
 * error: no retry can fix them.
 */
export function readWhatsAppConfig(config: Record<string, unknown>): WhatsAppCloudConfig {
  const phoneNumberId = text(config, 'phone_number_id');
  const accessToken = text(config, 'access_token');
  const missing = [phoneNumberId ? null : 'phone_number_id', accessToken ? null : 'access_token'].filter(Boolean);
  if (missing.length > 0) {
    throw new ProviderError('channel_misconfigured', `the WhatsApp Cloud channel has no ${missing.join(' or ')}; set it with PATCH /v1/channels/:uuid`, false);
  }
  let version = text(config, 'api_version') ?? DEFAULT_API_VERSION;
  if (!version.startsWith('v')) version = `v${version}`;
  return {
    phoneNumberId: phoneNumberId!,
    businessAccountId: text(config, 'business_account_id'),
    accessToken: accessToken!,
    appSecret: text(config, 'app_secret'),
    verifyToken: text(config, 'verify_token'),
    apiBaseUrl: (text(config, 'api_base_url') ?? DEFAULT_API_BASE_URL).replace(/\/+$/, ''),
    apiVersion: version,
  };
}

/** What the inbound webhook needs from a channel's config: the number it serves and the two secrets Meta uses. */
export interface WhatsAppHookSecrets {
  phoneNumberId: string | null;
  appSecret: string | null;
  verifyToken: string | null;
}

/** Reads the webhook secrets of a channel's decrypted config (any may be missing: the hook then refuses). */
export function readHookSecrets(config: Record<string, unknown>): WhatsAppHookSecrets {
  return { phoneNumberId: text(config, 'phone_number_id'), appSecret: text(config, 'app_secret'), verifyToken: text(config, 'verify_token') };
}

/** The URL of a Graph API path (`/{phone_number_id}/messages`) for this channel's base URL and version. */
export function graphUrl(config: WhatsAppCloudConfig, path: string): string {
  return `${config.apiBaseUrl}/${config.apiVersion}${path.startsWith('/') ? path : `/${path}`}`;
}
