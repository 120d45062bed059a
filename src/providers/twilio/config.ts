import { ProviderError } from '../types.ts';

/** Where Twilio's REST API lives unless a channel says otherwise. */
export const TWILIO_API_BASE_URL = 'https://api.twilio.com';

/** A Twilio channel's settings, as the adapter and the webhooks use them. */
export interface TwilioConfig {
  accountSid: string;
  authToken: string;
  /** The sending number (E.164) or alphanumeric sender id; null when a Messaging Service picks the sender. */
  fromNumber: string | null;
  messagingServiceSid: string | null;
  /** Base URL of the REST API, without a trailing slash. */
  apiBaseUrl: string;
}

function text(config: Record<string, unknown>, name: string): string | null {
  const value = config[name];
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : null;
}

/**
 * Reads a Twilio channel's (decrypted) config: `account_sid`, `auth_token`, `from_number` or `messaging_service_sid`,
 * `api_base_url`. A channel missing a credential or a sender cannot send: a permanent ProviderError
 * `channel_misconfigured` saying which field to set.
 */
export function twilioConfig(config: Record<string, unknown>): TwilioConfig {
  const accountSid = text(config, 'account_sid');
  const authToken = text(config, 'auth_token');
  const fromNumber = text(config, 'from_number');
  const messagingServiceSid = text(config, 'messaging_service_sid');
  const missing = [!accountSid && 'account_sid', !authToken && 'auth_token', !fromNumber && !messagingServiceSid && 'from_number or messaging_service_sid'].filter(Boolean);
  if (missing.length > 0) {
    throw new ProviderError('channel_misconfigured', `the Twilio channel has no ${missing.join(', ')}: set it with PATCH /v1/channels/{uuid}`, false);
  }
  return {
    accountSid: accountSid!, authToken: authToken!, fromNumber, messagingServiceSid,
    apiBaseUrl: (text(config, 'api_base_url') ?? TWILIO_API_BASE_URL).replace(/\/+$/, ''),
  };
}

/** The StatusCallback URL of one outbound message: the channel's status hook, naming the message so an early callback finds it. */
export function statusCallbackUrl(publicUrl: string, channelId: string, messageId: string): string {
  return `${publicUrl}/hooks/twilio/${channelId}/status?message_uuid=${messageId}`;
}
