import { undici } from '../../lib/undici.ts';
import { parseRetryAfter } from '../../webhooks/retry.ts';
import { assertLiteralAllowed, type ProviderNet, refusedError, ssrfCause } from '../net.ts';
import { ProviderError } from '../types.ts';
import type { TwilioConfig } from './config.ts';
import { restError } from './errors.ts';

/** How long a REST call may take (headers, then body) before it counts as a retryable timeout. */
export const TWILIO_TIMEOUT_MS = 15_000;

/** The parameters of Twilio's Create Message call (form fields, as Twilio names them). */
export interface CreateMessageParams {
  To: string;
  Body?: string;
  MediaUrl?: string;
  StatusCallback?: string;
}

/** The part of Twilio's Message resource Beckon reads. */
export interface TwilioMessage {
  sid: string;
  status: string;
}

function isTimeout(err: unknown): boolean {
  const code = (err as { code?: string })?.code;
  return code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT' || code === 'UND_ERR_CONNECT_TIMEOUT' || (err as Error)?.name === 'TimeoutError';
}

async function readJson(body: { text(): Promise<string> }): Promise<Record<string, unknown> | null> {
  const text = await body.text();
  try {
    const parsed = JSON.parse(text);
    return parsed && typeof parsed === 'object' ? parsed as Record<string, unknown> : null;
  } catch {
    return null;
  }
}

/**
 * Creates a Message: POST {api_base_url}/2010-04-01/Accounts/{AccountSid}/Messages.json, form-encoded, Basic auth
 * (account SID : auth token), sender `From` or `MessagingServiceSid`. Returns the new Message's sid and status;
 * throws a classified ProviderError when Twilio refuses (see errors.ts), a retryable one on timeouts and network errors,
 * a permanent `address_refused` when the provider SSRF guard (`net`) refuses the address.
 */
export async function createMessage(net: ProviderNet, config: TwilioConfig, params: CreateMessageParams, timeoutMs = TWILIO_TIMEOUT_MS): Promise<TwilioMessage> {
  const form = new URLSearchParams();
  form.set('To', params.To);
  if (config.messagingServiceSid) form.set('MessagingServiceSid', config.messagingServiceSid);
  else form.set('From', config.fromNumber!);
  if (params.Body !== undefined) form.set('Body', params.Body);
  if (params.MediaUrl !== undefined) form.set('MediaUrl', params.MediaUrl);
  if (params.StatusCallback !== undefined) form.set('StatusCallback', params.StatusCallback);
  const url = `${config.apiBaseUrl}/2010-04-01/Accounts/${encodeURIComponent(config.accountSid)}/Messages.json`;
  assertLiteralAllowed(net, url, `Twilio (${new URL(url).host})`);
  let response;
  try {
    response = await undici().request(url, {
      method: 'POST',
      dispatcher: net.dispatcher,
      headers: {
        authorization: `Basic ${Buffer.from(`${config.accountSid}:${config.authToken}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
        accept: 'application/json',
      },
      body: form.toString(),
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
    });
  } catch (err) {
    const refused = ssrfCause(err);
    if (refused) throw refusedError(`Twilio (${new URL(url).host})`, refused.message);
    if (isTimeout(err)) throw new ProviderError('provider_timeout', `Twilio did not answer within ${timeoutMs} ms; retrying`, true);
    const e = err as { code?: string; message?: string };
    throw new ProviderError('provider_unavailable', `could not reach Twilio at ${config.apiBaseUrl}: ${e.code ? `${e.code} ` : ''}${e.message ?? String(err)}`, true);
  }
  let body;
  try {
    body = await readJson(response.body);
  } catch (err) {
    if (isTimeout(err)) throw new ProviderError('provider_timeout', `Twilio did not finish its answer within ${timeoutMs} ms; retrying`, true);
    throw new ProviderError('provider_unavailable', `Twilio's answer was cut short: ${(err as Error).message}`, true);
  }
  if (response.statusCode < 200 || response.statusCode >= 300) {
    throw restError(response.statusCode, body, parseRetryAfter(response.headers['retry-after']));
  }
  if (typeof body?.sid !== 'string' || body.sid === '') {
    throw new ProviderError('provider_unavailable', `Twilio answered HTTP ${response.statusCode} without a message sid; retrying`, true);
  }
  return { sid: body.sid, status: typeof body.status === 'string' ? body.status : 'queued' };
}
