import type { MessageFailure as MessageError } from '../port.ts';
import { providerText } from '../net.ts';
import { ProviderError } from '../types.ts';

/** How Beckon reads one Twilio error code: its own stable code, Twilio's title, what to do, and whether a retry can help. */
interface KnownError {
  code: string;
  title: string;
  advice?: string;
  retryable?: boolean;
}

/**
 * Twilio error codes Beckon names (https://www.twilio.com/docs/api/errors). 2xxxx come back from the REST API when a
 * message is created; 3xxxx arrive in status callbacks (ErrorCode) when a sent message is undelivered or failed.
 * Any other code fails the message with `twilio_<code>`.
 */
export const TWILIO_ERRORS: Readonly<Record<string, KnownError>> = {
  20003: { code: 'provider_auth_failed', title: 'Authentication error', advice: 'check the channel\'s account_sid and auth_token' },
  20404: { code: 'provider_auth_failed', title: 'The requested resource was not found', advice: 'check the channel\'s account_sid' },
  20429: { code: 'provider_throttled', title: 'Too many requests', retryable: true },
  21211: { code: 'invalid_recipient', title: 'Invalid \'To\' phone number' },
  21212: { code: 'channel_misconfigured', title: 'Invalid \'From\' number', advice: 'set the channel\'s from_number to one of your Twilio numbers' },
  21408: { code: 'region_not_enabled', title: 'Permission to send an SMS has not been enabled for the region', advice: 'enable the country in Twilio\'s Messaging geographic permissions' },
  21606: { code: 'channel_misconfigured', title: 'The \'From\' number is not a valid message-capable Twilio number for this destination', advice: 'use an SMS-capable number or a Messaging Service' },
  21610: { code: 'recipient_opted_out', title: 'Attempt to send to unsubscribed recipient', advice: 'the recipient replied STOP; they must text START before you can message them again' },
  21612: { code: 'recipient_unreachable', title: 'The \'To\' phone number is not currently reachable via SMS' },
  21614: { code: 'invalid_recipient', title: '\'To\' number is not a valid mobile number' },
  21617: { code: 'message_too_long', title: 'The concatenated message body exceeds the 1600 character limit', advice: 'shorten the text' },
  21620: { code: 'invalid_media', title: 'Invalid media URL', advice: 'the media URL must be publicly reachable' },
  30001: { code: 'provider_queue_overflow', title: 'Queue overflow', advice: 'you sent faster than the sender\'s throughput; lower the channel\'s rate' },
  30002: { code: 'provider_account_suspended', title: 'Account suspended' },
  30003: { code: 'recipient_unreachable', title: 'Unreachable destination handset' },
  30004: { code: 'message_blocked', title: 'Message blocked', advice: 'the recipient or their carrier blocks messages from this sender' },
  30005: { code: 'invalid_recipient', title: 'Unknown destination handset' },
  30006: { code: 'landline_or_unreachable_carrier', title: 'Landline or unreachable carrier' },
  30007: { code: 'carrier_filtered', title: 'Message filtered by the carrier', advice: 'review the content and register the sender (A2P 10DLC / toll-free verification)' },
  30008: { code: 'delivery_failed', title: 'Unknown error' },
  30034: { code: 'unregistered_sender', title: 'Message from an unregistered number', advice: 'register the number for US A2P 10DLC' },
};

function describe(twilioCode: string, message: string | undefined): string {
  const known = TWILIO_ERRORS[twilioCode];
  const said = message?.trim() || known?.title || 'see https://www.twilio.com/docs/api/errors/' + twilioCode;
  return `Twilio error ${twilioCode}: ${said}${known?.advice ? ` (${known.advice})` : ''}`;
}

/** The Beckon code for a Twilio error code: the named one, or `twilio_<code>`. */
export function beckonCode(twilioCode: string): string {
  return TWILIO_ERRORS[twilioCode]?.code ?? `twilio_${twilioCode}`;
}

/** The message error for a status callback's ErrorCode (an undelivered or failed message). */
export function callbackError(twilioCode: string | undefined, status: string): MessageError {
  if (!twilioCode) return { code: status === 'canceled' ? 'canceled' : 'delivery_failed', reason: `Twilio reported the message ${status} without an error code` };
  return { code: beckonCode(twilioCode), reason: describe(twilioCode, undefined) };
}

/**
 * Classifies a refused REST call. 429 (Twilio's 20429) is a throughput error: retryable with `retryAfterMs` from
 * Retry-After (1 s when absent), which pauses the channel. 5xx is retryable with the job's backoff (each counts as an
 * attempt). Known codes follow TWILIO_ERRORS; any other 4xx is permanent.
 */
export function restError(httpStatus: number, body: { code?: unknown; message?: unknown } | null, retryAfterMs: number | null): ProviderError {
  const twilioCode = typeof body?.code === 'number' || (typeof body?.code === 'string' && /^\d{1,8}$/.test(body.code)) ? String(body.code) : undefined;
  // Twilio's documented error fields only, as short plain text (providerText): never an unknown body
  const message = providerText(body?.message);
  if (httpStatus === 429 || twilioCode === '20429') {
    return new ProviderError('provider_throttled', describe(twilioCode ?? '20429', message), true, retryAfterMs ?? 1000);
  }
  if (httpStatus >= 500) {
    return new ProviderError('provider_unavailable', `Twilio answered HTTP ${httpStatus}${twilioCode ? ` (${describe(twilioCode, message)})` : ''}; retrying`, true);
  }
  if (!twilioCode) return new ProviderError('provider_rejected', `Twilio answered HTTP ${httpStatus}${message ? `: ${message}` : ''}`, false);
  return new ProviderError(beckonCode(twilioCode), describe(twilioCode, message), TWILIO_ERRORS[twilioCode]?.retryable ?? false);
}
