import { AppError, type FieldError } from '../errors.ts';
import { isEmail } from '../lib/email.ts';
import { normalizePhone } from '../lib/phone.ts';
import { CHANNEL_TYPES } from '../db/enums.ts';
import type { ChannelType } from '../db/enums.ts';

/** The column values, declared with the table types (db/enums.ts). */
export { CHANNEL_TYPES, type ChannelType };

/** Providers a channel can use. */
export const PROVIDERS = ['sandbox', 'whatsapp_cloud', 'twilio', 'smtp'] as const;

/** One of PROVIDERS. */
export type Provider = (typeof PROVIDERS)[number];

type Kind = 'text' | 'digits' | 'boolean' | 'port' | 'rate' | 'url' | 'email' | 'sender' | 'sid' | 'version' | 'host';

/** One setting of a provider's config. */
interface FieldSpec {
  kind: Kind;
  /** Stored sealed (AES-256-GCM) and never shown: the API shows a hint only. */
  secret?: boolean;
  required?: boolean;
  /** For `sid`: the two letters a Twilio SID of this kind starts with. */
  prefix?: string;
  description: string;
}

/** What a provider accepts: the channel types it serves and its settings. */
interface ProviderSpec {
  types: readonly ChannelType[];
  fields: Record<string, FieldSpec>;
  /** Rules across fields, on the complete config. */
  check?: (config: Record<string, unknown>) => FieldError[];
}

const RATE: FieldSpec = { kind: 'rate', description: 'Messages per second this channel sends at most (default 80 for WhatsApp, 10 for SMS and email, unlimited for a sandbox; docs/sending-rules.md)' };

/** Every provider's settings; the source of validation, of which fields are secret, and of docs/channels.md. */
export const PROVIDER_SPECS: Record<Provider, ProviderSpec> = {
  sandbox: {
    types: CHANNEL_TYPES,
    fields: {
      strict: { kind: 'boolean', description: 'true: enforce the WhatsApp 24-hour customer service window, as a real number would (default false)' },
      rate_per_second: RATE,
    },
  },
  whatsapp_cloud: {
    types: ['whatsapp'],
    fields: {
      phone_number_id: { kind: 'digits', required: true, description: 'The Phone number ID from WhatsApp Manager (API Setup), not the phone number itself' },
      business_account_id: { kind: 'digits', description: 'The WhatsApp Business Account ID; needed by POST /v1/templates/sync' },
      access_token: { kind: 'text', secret: true, required: true, description: 'A system user access token with whatsapp_business_messaging (and _management for template sync)' },
      app_secret: { kind: 'text', secret: true, required: true, description: 'The Meta app\'s App secret: verifies X-Hub-Signature-256 on inbound webhooks' },
      verify_token: { kind: 'text', secret: true, required: true, description: 'A string you choose and paste as the webhook\'s Verify token in the Meta app' },
      api_base_url: { kind: 'url', description: 'Default https://graph.facebook.com' },
      api_version: { kind: 'version', description: 'Graph API version, e.g. v23.0 (default: the adapter\'s)' },
      rate_per_second: RATE,
    },
  },
  twilio: {
    types: ['sms'],
    fields: {
      account_sid: { kind: 'sid', prefix: 'AC', required: true, description: 'The Account SID (AC…)' },
      auth_token: { kind: 'text', secret: true, required: true, description: 'The Auth Token: authenticates API calls and verifies X-Twilio-Signature' },
      from_number: { kind: 'sender', description: 'The sending number in E.164, a short code or an alphanumeric sender ID; this or messaging_service_sid' },
      messaging_service_sid: { kind: 'sid', prefix: 'MG', description: 'A Messaging Service SID (MG…) that picks the sender; this or from_number' },
      api_base_url: { kind: 'url', description: 'Default https://api.twilio.com' },
      rate_per_second: RATE,
    },
    check: (config) => (config.from_number === undefined && config.messaging_service_sid === undefined
      ? [{ path: 'body.config.from_number', message: 'is required unless messaging_service_sid is set' }] : []),
  },
  smtp: {
    types: ['email'],
    fields: {
      host: { kind: 'host', required: true, description: 'The SMTP server\'s host name' },
      port: { kind: 'port', description: 'Default 465 when secure, else 587' },
      secure: { kind: 'boolean', description: 'true: TLS from the first byte (port 465); false: STARTTLS when the server offers it (default)' },
      username: { kind: 'text', description: 'SMTP AUTH user name' },
      password: { kind: 'text', secret: true, description: 'SMTP AUTH password' },
      from_email: { kind: 'email', required: true, description: 'The sender address (From)' },
      from_name: { kind: 'text', description: 'The sender name shown with it' },
      rate_per_second: RATE,
    },
    check: (config) => {
      if (config.password !== undefined && config.username === undefined) return [{ path: 'body.config.username', message: 'is required with password' }];
      if (config.username !== undefined && config.password === undefined) return [{ path: 'body.config.password', message: 'is required with username' }];
      return [];
    },
  },
};

/** The types a provider serves (sandbox: all of them). */
export function providerTypes(provider: Provider): readonly ChannelType[] {
  return PROVIDER_SPECS[provider].types;
}

/** True when `field` is a secret setting of `provider` (sealed at rest, never shown). */
export function isSecretField(provider: string, field: string): boolean {
  return PROVIDER_SPECS[provider as Provider]?.fields[field]?.secret === true;
}

const MAX_TEXT = 2048;

/** Checks and normalizes one value; returns it, or a message saying what is wrong. */
function checkValue(spec: FieldSpec, value: unknown, path: string): { value: unknown } | { error: string } {
  if (spec.kind === 'boolean') return typeof value === 'boolean' ? { value } : { error: 'must be true or false' };
  if (spec.kind === 'port') return Number.isInteger(value) && (value as number) >= 1 && (value as number) <= 65535 ? { value } : { error: 'must be an integer from 1 to 65535' };
  if (spec.kind === 'rate') return typeof value === 'number' && value > 0 && value <= 10_000 ? { value } : { error: 'must be a number above 0 and at most 10000' };
  if (typeof value !== 'string') return { error: 'must be a string' };
  const text = value.trim();
  if (text === '') return { error: 'must not be empty' };
  if (text.length > MAX_TEXT) return { error: `must be at most ${MAX_TEXT} characters` };
  switch (spec.kind) {
    case 'digits':
      return /^\d{1,32}$/.test(text) ? { value: text } : { error: 'must be the numeric ID, as a string of digits' };
    case 'sid':
      return new RegExp(`^${spec.prefix}[0-9a-fA-F]{32}$`).test(text) ? { value: text } : { error: `must be ${spec.prefix} followed by 32 hexadecimal characters` };
    case 'version': {
      const version = text.startsWith('v') ? text : `v${text}`;
      return /^v\d{1,3}\.\d{1,3}$/.test(version) ? { value: version } : { error: 'must be a Graph API version such as v23.0' };
    }
    case 'url': {
      let url: URL | undefined;
      try {
        url = new URL(text);
      } catch {
        url = undefined;
      }
      if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || url.search || url.hash) return { error: 'must be an http(s) URL without query or fragment' };
      return { value: text.replace(/\/+$/, '') };
    }
    case 'email':
      return isEmail(text) ? { value: text } : { error: `"${text}" is not a valid email address` };
    case 'host':
      return /^[A-Za-z0-9.-]{1,253}$/.test(text) || /^\[[0-9A-Fa-f:.]+\]$/.test(text) ? { value: text } : { error: 'must be a host name or address, without scheme or port' };
    case 'sender':
      if (/^[A-Za-z0-9 ]{1,11}$/.test(text) && /[A-Za-z]/.test(text)) return { value: text };
      if (/^\d{5,6}$/.test(text)) return { value: text };
      try {
        return { value: normalizePhone(text, path) };
      } catch {
        return { error: `"${text}" is not a phone number in international format (e.g. +14155552671), a short code (5 or 6 digits) or an alphanumeric sender ID (1 to 11 letters, digits, spaces)` };
      }
    default:
      return { value: text };
  }
}

/**
 * Validates a provider's complete config (after a PATCH merged into it): every field known, of its kind, required
 * ones present, cross-field rules. Returns the normalized config, or throws one 400 listing every bad field by its
 * path (`body.config.<field>`).
 */
export function validateConfig(provider: Provider, config: Record<string, unknown>): Record<string, unknown> {
  const spec = PROVIDER_SPECS[provider];
  const errors: FieldError[] = [];
  const out: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(config)) {
    const path = `body.config.${field}`;
    const fieldSpec = spec.fields[field];
    if (!fieldSpec) {
      errors.push({ path, message: `is not a setting of the ${provider} provider (known: ${Object.keys(spec.fields).join(', ')})` });
      continue;
    }
    if (value === null || value === undefined) continue;
    const checked = checkValue(fieldSpec, value, path);
    if ('error' in checked) errors.push({ path, message: checked.error });
    else out[field] = checked.value;
  }
  for (const [field, fieldSpec] of Object.entries(spec.fields)) {
    if (fieldSpec.required && out[field] === undefined && !errors.some((e) => e.path === `body.config.${field}`)) {
      errors.push({ path: `body.config.${field}`, message: `is required for the ${provider} provider` });
    }
  }
  for (const error of spec.check?.(out) ?? []) {
    if (!errors.some((e) => e.path === error.path)) errors.push(error);
  }
  if (errors.length > 0) throw new AppError(400, 'validation_failed', errors.map((e) => `${e.path} ${e.message}`).join('; '), errors);
  return out;
}

/** Splits a validated config into its plain settings (shown) and its secret ones (sealed). */
export function splitSecrets(provider: Provider, config: Record<string, unknown>): { plain: Record<string, unknown>; secret: Record<string, string> } {
  const plain: Record<string, unknown> = {};
  const secret: Record<string, string> = {};
  for (const [field, value] of Object.entries(config)) {
    if (isSecretField(provider, field)) secret[field] = value as string;
    else plain[field] = value;
  }
  return { plain, secret };
}

/** A one-line description of each provider's settings (for the OpenAPI reference). */
export function describeProviders(): string {
  return PROVIDERS.map((provider) => {
    const fields = Object.entries(PROVIDER_SPECS[provider].fields)
      .map(([name, f]) => `${name}${f.required ? ' (required)' : ''}${f.secret ? ' (secret)' : ''}`).join(', ');
    return `${provider} [${PROVIDER_SPECS[provider].types.join(', ')}]: ${fields}`;
  }).join('; ');
}
