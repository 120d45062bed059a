import type { MessageFailure as MessageError } from '../port.ts';
import { providerText } from '../net.ts';
import { ProviderError } from '../types.ts';

/** The `error` object of a Graph API error answer (`{"error": {...}}`), as Meta documents it. */
export interface GraphErrorBody {
  message?: string;
  type?: string;
  code?: number;
  error_subcode?: number;
  error_data?: { messaging_product?: string; details?: string };
  fbtrace_id?: string;
}

/** One entry of `errors[]` in a failed status (or an unsupported inbound message) webhook. */
export interface WebhookError {
  code?: number;
  title?: string;
  message?: string;
  error_data?: { details?: string };
  href?: string;
}

/** How long a channel pauses after Meta's throughput error (130429) when the answer carries no Retry-After. */
export const THROUGHPUT_PAUSE_MS = 1000;

/** How long a channel pauses after an app or account rate limit (4, 80007) without Retry-After. */
export const RATE_LIMIT_PAUSE_MS = 60_000;

interface Rule {
  retryable: boolean;
  /** Pause the whole channel this long (ms) unless Meta says otherwise with Retry-After. */
  pauseMs?: number;
  /** What to do, appended to Meta's own words. */
  advice?: string;
}

const RETRY = 'retried later';
const TOKEN = 'the channel\'s access_token is invalid, expired or lacks the whatsapp_business_messaging permission: set a new one with PATCH /v1/channels/:uuid (a System User token does not expire)';
const TEMPLATE = 'check the template on WhatsApp Manager, then run POST /v1/templates/sync';

/** Known WhatsApp Cloud API error codes (Meta's error code reference) and what Beckon does with each. */
const RULES: Record<number, Rule> = {
  0: { retryable: false, advice: TOKEN },
  1: { retryable: true, advice: RETRY },
  2: { retryable: true, advice: RETRY },
  3: { retryable: false, advice: 'the app lacks the capability or permission for this call' },
  4: { retryable: true, pauseMs: RATE_LIMIT_PAUSE_MS, advice: 'the app reached its Graph API call limit: the channel pauses, then retries' },
  10: { retryable: false, advice: TOKEN },
  190: { retryable: false, advice: TOKEN },
  368: { retryable: false, advice: 'the number is temporarily blocked for policy violations: see WhatsApp Manager' },
  80007: { retryable: true, pauseMs: RATE_LIMIT_PAUSE_MS, advice: 'the WhatsApp Business Account reached its rate limit: the channel pauses, then retries' },
  130429: { retryable: true, pauseMs: THROUGHPUT_PAUSE_MS, advice: 'the number\'s message throughput was reached: the channel pauses, then retries' },
  130472: { retryable: false, advice: 'the recipient is part of a Meta marketing experiment and was not sent this message' },
  130497: { retryable: false, advice: 'this business may not message users in the recipient\'s country' },
  131000: { retryable: true, advice: RETRY },
  131005: { retryable: false, advice: TOKEN },
  131008: { retryable: false, advice: 'a required parameter is missing' },
  131009: { retryable: false, advice: 'a parameter value is not valid (check the phone_number_id and the content)' },
  131016: { retryable: true, advice: RETRY },
  131021: { retryable: false, advice: 'the recipient is the sending number itself' },
  131026: { retryable: false, advice: 'the recipient cannot receive it: the number has no WhatsApp account, runs an old version, or has not accepted the latest terms' },
  131030: { retryable: false, advice: 'the recipient is not in the test number\'s allowed list: add it in the Meta App Dashboard (WhatsApp > API Setup)' },
  131031: { retryable: false, advice: 'the WhatsApp Business Account is locked: see WhatsApp Manager' },
  131042: { retryable: false, advice: 'the WhatsApp Business Account has a payment problem: fix the payment method in Meta Business Suite' },
  131045: { retryable: false, advice: 'the phone number is not registered (certificate error): register it with Cloud API' },
  131047: { retryable: false, advice: 'more than 24 hours have passed since the customer last wrote: send an approved template instead (template_uuid)' },
  131048: { retryable: true, advice: 'the number is restricted for spam (quality rating): retried later; see the number\'s quality in WhatsApp Manager' },
  131049: { retryable: false, advice: 'Meta chose not to deliver this marketing message to keep engagement healthy: do not resend at once' },
  131050: { retryable: false, advice: 'the customer stopped marketing messages from this business' },
  131051: { retryable: false, advice: 'WhatsApp does not support this message type' },
  131052: { retryable: false, advice: 'the media could not be downloaded' },
  131053: { retryable: false, advice: 'WhatsApp could not fetch or use the media at content.url: make it public and of a supported type and size' },
  131056: { retryable: true, advice: 'too many messages to this recipient in a short time: retried later' },
  131057: { retryable: true, advice: 'the account is in maintenance mode: retried later' },
  132000: { retryable: false, advice: `the number of template values does not match the template's variables: ${TEMPLATE}` },
  132001: { retryable: false, advice: `the template does not exist in this language on WhatsApp: ${TEMPLATE}` },
  132005: { retryable: false, advice: 'the template with its values is too long' },
  132007: { retryable: false, advice: 'the template content breaks WhatsApp\'s format policy' },
  132012: { retryable: false, advice: `a template value has the wrong format: ${TEMPLATE}` },
  132015: { retryable: false, advice: `the template is paused for low quality: ${TEMPLATE}` },
  132016: { retryable: false, advice: `the template is disabled: ${TEMPLATE}` },
  133004: { retryable: true, advice: RETRY },
  133010: { retryable: false, advice: 'the phone number is not registered with Cloud API: register it (POST /{phone_number_id}/register)' },
};

/** Meta's error message without its "(#code) " prefix. */
function title(message: string | undefined, code: number | undefined): string {
  const text = (message ?? '').replace(/^\(#\d+\)\s*/, '').trim();
  return text || (code === undefined ? 'WhatsApp Cloud API error' : `WhatsApp error ${code}`);
}

function sentence(words: string, code: number | undefined, details: string | undefined, advice: string | undefined): string {
  const parts = [code === undefined ? words : `${words} (${code})`];
  const plain = (text: string) => text.replace(/\.$/, '').trim().toLowerCase();
  if (details && plain(details) !== plain(words)) parts.push(details.replace(/\.$/, ''));
  if (advice) parts.push(advice);
  return parts.join(': ');
}

/** Parses a Retry-After header (seconds or an HTTP date) to ms; undefined when absent or unreadable. */
export function retryAfterMs(header: string | string[] | undefined, now = Date.now()): number | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/**
 * Classifies a Graph API error answer into a ProviderError: the code is Meta's error code as a string ("131047"),
 * the reason Meta's title and details plus what to do. Known codes follow RULES; an unknown code is retryable
 * when the HTTP status is 5xx or 429, permanent otherwise. Meta's message and details are kept sanitized (providerText:
 * no control characters, at most 200 characters); nothing else of the answer is. Throughput errors carry `retryAfterMs` (Retry-After,
 * else a default pause) so the channel pauses.
 */
export function classifyGraphError(httpStatus: number, raw: GraphErrorBody | undefined, retryAfter?: string | string[]): ProviderError {
  const transient = httpStatus >= 500 || httpStatus === 429;
  // only the documented fields of Graph's error object are kept, as short plain text: never an unknown body
  const error = raw && typeof raw === 'object' ? { ...raw, message: providerText(raw.message), error_data: { details: providerText(raw.error_data?.details) } } : undefined;
  if (!error || typeof error.code !== 'number') {
    const reason = `WhatsApp Cloud API answered HTTP ${httpStatus}${error?.message ? `: ${error.message}` : ''}`;
    return new ProviderError(transient ? 'provider_unavailable' : 'provider_rejected', reason, transient, httpStatus === 429 ? retryAfterMs(retryAfter) : undefined);
  }
  const rule = RULES[error.code] ?? (error.code >= 200 && error.code <= 299 ? RULES[10] : { retryable: transient });
  const reason = sentence(title(error.message, error.code), error.code, error.error_data?.details, rule.advice);
  const pause = rule.pauseMs === undefined ? undefined : retryAfterMs(retryAfter) ?? rule.pauseMs;
  return new ProviderError(String(error.code), reason, rule.retryable, pause);
}

/** The message error of a failed status webhook: Meta's code as a string and its title, details and advice. */
export function statusError(errors: WebhookError[] | undefined): MessageError {
  const first = errors?.[0];
  if (!first) return { code: 'provider_failed', reason: 'WhatsApp reported the message as failed without a reason' };
  const code = typeof first.code === 'number' ? first.code : undefined;
  const rule = code === undefined ? undefined : RULES[code];
  const advice = rule?.retryable ? undefined : rule?.advice;
  return { code: code === undefined ? 'provider_failed' : String(code), reason: sentence(first.title ?? title(first.message, code), code, first.error_data?.details ?? first.message, advice) };
}
