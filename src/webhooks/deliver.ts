import { isIP } from 'node:net';
import type { Agent, buildConnector } from 'undici';
import { undici } from '../lib/undici.ts';
import { type AllowList, guardedLookup, refusedReason, SsrfError } from '../lib/ssrf.ts';
import { parseRetryAfter, RETRY_AFTER_STATUSES } from './retry.ts';

/** Most bytes of a receiver's answer kept with an attempt. */
export const EXCERPT_BYTES = 1024;

/** Milliseconds to open a TCP (and TLS) connection before the attempt fails, so dead hosts fail fast. */
export const CONNECT_TIMEOUT_MS = 5000;

/** How one HTTP attempt ended. */
export type AttemptOutcome = 'success' | 'failure' | 'timeout' | 'refused';

/** What one HTTP attempt of a delivery produced, as recorded in webhook_attempts. */
export interface AttemptResult {
  outcome: AttemptOutcome;
  statusCode: number | null;
  latencyMs: number;
  excerpt: string | null;
  error: string | null;
  /** The receiver's Retry-After in ms (429/502/503/504 only), capped. */
  retryAfterMs: number | null;
}

/**
 * An undici Agent whose connections pass the SSRF guard: host names resolve through a lookup that refuses
 * non-public addresses, and the address actually connected to is checked again before any byte is sent.
 */
export function createWebhookAgent(allow: AllowList, connectTimeoutMs = CONNECT_TIMEOUT_MS): Agent {
  const { Agent, buildConnector } = undici();
  const base = buildConnector({ timeout: connectTimeoutMs, lookup: guardedLookup(allow) } as buildConnector.BuildOptions);
  const connect: buildConnector.connector = (options, callback) => {
    base(options, (err, socket) => {
      if (err || !socket) return callback(err ?? new Error('no socket'), null);
      const reason = socket.remoteAddress ? refusedReason(socket.remoteAddress, allow) : 'the remote address is unknown';
      if (reason) {
        socket.destroy();
        return callback(new SsrfError(`address refused by SSRF guard: ${reason}`), null);
      }
      return callback(null, socket);
    });
  };
  return new Agent({ connect, keepAliveTimeout: 4000 });
}

function describe(err: unknown): { message: string; refused: boolean } {
  let current: unknown = err;
  for (let depth = 0; current && depth < 4; depth++) {
    if (current instanceof SsrfError) return { message: current.message, refused: true };
    current = (current as { cause?: unknown }).cause;
  }
  const e = err as { code?: string; message?: string };
  const message = e?.message || String(err);
  return { message: e?.code && !message.includes(e.code) ? `${e.code}: ${message}` : message, refused: false };
}

async function readExcerpt(body: AsyncIterable<Buffer>): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    chunks.push(chunk);
    size += chunk.length;
    if (size >= EXCERPT_BYTES) break;
  }
  let text = Buffer.concat(chunks).subarray(0, EXCERPT_BYTES).toString('utf8');
  while (Buffer.byteLength(text) > EXCERPT_BYTES) text = text.slice(0, -1);
  return text;
}

/** POSTs one signed body; never follows redirects, never throws: every ending becomes an AttemptResult. */
export async function postWebhook(agent: Agent, allow: AllowList, url: string, headers: Record<string, string>, body: string, timeoutMs: number): Promise<AttemptResult> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const hostname = new URL(url).hostname.replace(/^\[|\]$/g, '');
  if (isIP(hostname)) {
    const reason = refusedReason(hostname, allow);
    if (reason) return { outcome: 'refused', statusCode: null, latencyMs: elapsed(), excerpt: null, error: `address refused by SSRF guard: ${reason}`, retryAfterMs: null };
  }
  const signal = AbortSignal.timeout(timeoutMs);
  try {
    const response = await undici().request(url, { method: 'POST', headers, body, dispatcher: agent, signal });
    let excerpt: string | null = null;
    try {
      excerpt = await readExcerpt(response.body);
    } catch {
      // an answer cut short still has its status code; the excerpt is best effort
    }
    const status = response.statusCode;
    const latencyMs = elapsed();
    if (status >= 200 && status < 300) return { outcome: 'success', statusCode: status, latencyMs, excerpt, error: null, retryAfterMs: null };
    const retryAfterMs = RETRY_AFTER_STATUSES.has(status) ? parseRetryAfter(response.headers['retry-after']) : null;
    const error = status >= 300 && status < 400 ? `HTTP ${status}: redirects are not followed` : status === 410 ? 'HTTP 410 Gone' : `HTTP ${status}`;
    return { outcome: 'failure', statusCode: status, latencyMs, excerpt, error, retryAfterMs };
  } catch (err) {
    const latencyMs = elapsed();
    if (signal.aborted) return { outcome: 'timeout', statusCode: null, latencyMs, excerpt: null, error: `no answer within ${timeoutMs} ms`, retryAfterMs: null };
    const { message, refused } = describe(err);
    return { outcome: refused ? 'refused' : 'failure', statusCode: null, latencyMs, excerpt: null, error: message, retryAfterMs: null };
  }
}
