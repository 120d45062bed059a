import { AppError, type FieldError } from '../errors.ts';
import { isEmail } from '../lib/email.ts';
import { normalizePhone } from '../lib/phone.ts';
import { PROVIDER_MODULES, providerModule } from '../providers/index.ts';
import type { ChannelType, ProviderModule, SettingSpec } from '../providers/module.ts';

export { CHANNEL_TYPES, type ChannelType } from '../providers/module.ts';

/** Providers a channel can use: the names of the provider modules (providers/index.ts). */
export const PROVIDERS: readonly string[] = PROVIDER_MODULES.map((module) => module.name);

/** One of PROVIDERS. */
export type Provider = string;

/** A provider's module, which serves as its settings spec (every provider name was checked against PROVIDERS by the route schema). */
function specOf(provider: Provider): ProviderModule {
  const module = providerModule(provider);
  if (!module) throw new Error(`no provider module ${provider}`);
  return module;
}

/** The types a provider serves (sandbox: all of them). */
export function providerTypes(provider: Provider): readonly ChannelType[] {
  return specOf(provider).types;
}

/** True when `field` is a secret setting of `provider` (sealed at rest, never shown). */
export function isSecretField(provider: string, field: string): boolean {
  return providerModule(provider)?.settings.fields[field]?.secret === true;
}

const MAX_TEXT = 2048;

/** Checks and normalizes one value; returns it, or a message saying what is wrong. */
function checkValue(spec: SettingSpec, value: unknown, path: string): { value: unknown } | { error: string } {
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
  const spec = specOf(provider).settings;
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
  return PROVIDER_MODULES.map((provider) => {
    const fields = Object.entries(provider.settings.fields)
      .map(([name, f]) => `${name}${f.required ? ' (required)' : ''}${f.secret ? ' (secret)' : ''}`).join(', ');
    return `${provider.name} [${provider.types.join(', ')}]: ${fields}`;
  }).join('; ');
}
