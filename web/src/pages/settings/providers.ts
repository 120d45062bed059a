// The providers a channel may use, the channel types each serves and their settings (as docs/channels.md lists them),
// so the channel form shows the right fields; the API still checks every value and names the field it refuses.

/** How a setting is entered: a text, a number, a checkbox, or a secret (never shown again; blank keeps it). */
export type SettingInput = 'text' | 'number' | 'boolean' | 'secret';

/** One provider setting: its name, how it is entered, and whether the provider needs it. */
export interface ProviderSetting { name: string; input: SettingInput; required?: boolean }

/** The channel types. */
export const CHANNEL_TYPES = ['whatsapp', 'sms', 'email'] as const;
/** A channel type. */
export type ChannelType = (typeof CHANNEL_TYPES)[number];
/** A provider's name. */
export type ProviderName = 'sandbox' | 'whatsapp_cloud' | 'twilio' | 'smtp';

const RATE: ProviderSetting = { name: 'rate_per_second', input: 'number' };

/** Each provider: the types it serves and its settings, in the order the form shows them. */
export const PROVIDERS: Record<ProviderName, { types: readonly ChannelType[]; settings: ProviderSetting[] }> = {
  sandbox: { types: CHANNEL_TYPES, settings: [{ name: 'strict', input: 'boolean' }, RATE] },
  whatsapp_cloud: {
    types: ['whatsapp'],
    settings: [
      { name: 'phone_number_id', input: 'text', required: true }, { name: 'business_account_id', input: 'text' },
      { name: 'access_token', input: 'secret', required: true }, { name: 'app_secret', input: 'secret', required: true },
      { name: 'verify_token', input: 'secret', required: true }, { name: 'api_base_url', input: 'text' }, { name: 'api_version', input: 'text' }, RATE,
    ],
  },
  twilio: {
    types: ['sms'],
    settings: [
      { name: 'account_sid', input: 'text', required: true }, { name: 'auth_token', input: 'secret', required: true },
      { name: 'from_number', input: 'text' }, { name: 'messaging_service_sid', input: 'text' }, { name: 'api_base_url', input: 'text' }, RATE,
    ],
  },
  smtp: {
    types: ['email'],
    settings: [
      { name: 'host', input: 'text', required: true }, { name: 'port', input: 'number' }, { name: 'secure', input: 'boolean' },
      { name: 'username', input: 'text' }, { name: 'password', input: 'secret' }, { name: 'from_email', input: 'text', required: true },
      { name: 'from_name', input: 'text' }, RATE,
    ],
  },
};

/** The providers that serve `type`. */
export const providersOf = (type: ChannelType): ProviderName[] => (Object.keys(PROVIDERS) as ProviderName[]).filter((p) => PROVIDERS[p].types.includes(type));

/** A form value as the API takes it: numbers as numbers when they read as one, the rest as typed. */
export function settingValue(setting: ProviderSetting, raw: string | boolean): unknown {
  if (setting.input === 'boolean') return raw === true;
  const text = String(raw).trim();
  if (setting.input === 'number' && /^-?\d+(\.\d+)?$/.test(text)) return Number(text);
  return text;
}
