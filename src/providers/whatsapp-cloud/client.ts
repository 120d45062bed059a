import { undici } from '../../lib/undici.ts';
import { assertLiteralAllowed, type ProviderNet, refusedError, ssrfCause } from '../net.ts';
import { ProviderError } from '../types.ts';
import type { WhatsAppCloudConfig } from './config.ts';
import { classifyGraphError, type GraphErrorBody } from './errors.ts';

/** Milliseconds to wait for the Graph API's answer headers (and between body chunks) before the call counts as failed. */
export const GRAPH_TIMEOUT_MS = 15_000;

/** Milliseconds to open the connection to the Graph API. */
export const GRAPH_CONNECT_TIMEOUT_MS = 5_000;

function unreachable(err: unknown, url: string): ProviderError {
  const refused = ssrfCause(err);
  if (refused) return refusedError(`WhatsApp Cloud API (${new URL(url).host})`, refused.message);
  const e = err as { code?: string; message?: string };
  const detail = [e?.code, e?.message].filter(Boolean).join(': ') || String(err);
  return new ProviderError('provider_unavailable', `WhatsApp Cloud API did not answer (${new URL(url).host}): ${detail}`, true);
}

/**
 * Calls the Graph API with the channel's Bearer token and returns the parsed JSON of a 2xx answer. A timeout or a
 * connection error is a retryable `provider_unavailable`; an error answer is classified by classifyGraphError. The
 * connection passes the provider SSRF guard (`net`): a non-public address is a permanent `address_refused`.
 */
export async function graphCall<T>(net: ProviderNet, config: WhatsAppCloudConfig, method: 'GET' | 'POST', url: string, body?: unknown): Promise<T> {
  assertLiteralAllowed(net, url, `WhatsApp Cloud API (${new URL(url).host})`);
  let response;
  try {
    response = await undici().request(url, {
      method,
      dispatcher: net.dispatcher,
      headers: {
        authorization: `Bearer ${config.accessToken}`,
        accept: 'application/json',
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      headersTimeout: GRAPH_TIMEOUT_MS,
      bodyTimeout: GRAPH_TIMEOUT_MS,
      signal: AbortSignal.timeout(GRAPH_TIMEOUT_MS + GRAPH_CONNECT_TIMEOUT_MS),
    });
  } catch (err) {
    throw unreachable(err, url);
  }
  let text: string;
  try {
    text = await response.body.text();
  } catch (err) {
    throw unreachable(err, url);
  }
  let json: unknown;
  try {
    json = text === '' ? undefined : JSON.parse(text);
  } catch {
    json = undefined;
  }
  if (response.statusCode >= 200 && response.statusCode < 300) {
    if (json === undefined) throw new ProviderError('provider_error', `WhatsApp Cloud API answered HTTP ${response.statusCode} without JSON`, false);
    return json as T;
  }
  const error = (json as { error?: GraphErrorBody } | undefined)?.error;
  throw classifyGraphError(response.statusCode, error, response.headers['retry-after']);
}
