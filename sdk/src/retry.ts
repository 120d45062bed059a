import type { Middleware } from 'openapi-fetch';
import { IDEMPOTENT_POSTS } from './schema.ts';

/** How calls are retried: attempts after the first, exponential backoff with jitter, the longest wait accepted. */
export interface RetryOptions {
  /** Retries after the first attempt (default 3; 0 disables retries). */
  retries?: number;
  /** First backoff in ms, doubled at each retry, with full jitter (default 250). */
  baseDelayMs?: number;
  /** Longest wait in ms, backoff or Retry-After; an answer asking to wait longer is returned as is (default 30,000). */
  maxDelayMs?: number;
}

/** The HTTP header that makes a POST safe to retry (docs/api.md#idempotency). */
export const IDEMPOTENCY_HEADER = 'Idempotency-Key';

const IDEMPOTENT_PATHS: ReadonlySet<string> = new Set(IDEMPOTENT_POSTS);
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE']);

/**
 * openapi-fetch middleware giving every POST whose operation takes an Idempotency-Key (IDEMPOTENT_POSTS, from the
 * OpenAPI document) a fresh key unless the caller set one; the retries then send the same key.
 */
export const idempotencyKeys: Middleware = {
  onRequest({ request, schemaPath }) {
    if (request.method === 'POST' && IDEMPOTENT_PATHS.has(schemaPath) && !request.headers.has(IDEMPOTENCY_HEADER)) {
      request.headers.set(IDEMPOTENCY_HEADER, crypto.randomUUID());
    }
    return request;
  },
};

/** Whether a request may be sent again: GET, HEAD, OPTIONS, PUT, DELETE, and a POST that carries an Idempotency-Key (never PATCH). */
export function isRetryable(request: Request): boolean {
  return SAFE_METHODS.has(request.method) || (request.method === 'POST' && request.headers.has(IDEMPOTENCY_HEADER));
}

/** Milliseconds asked by a Retry-After header (seconds or an HTTP date), or null when absent or unreadable. */
export function retryAfterMs(header: string | null, now = Date.now()): number | null {
  if (header === null || header.trim() === '') return null;
  if (/^\d+$/.test(header.trim())) return Number(header.trim()) * 1000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

async function shouldRetry(response: Response): Promise<boolean> {
  if (response.status === 429 || response.status >= 500) return true;
  if (response.status !== 409) return false;
  // the first request with this key still runs: a retry later gets its answer replayed
  const body = await response.clone().json().catch(() => null) as { code?: string } | null;
  return body?.code === 'idempotency_key_in_progress';
}

const sleep = (ms: number, signal: AbortSignal | null) => new Promise<void>((resolve, reject) => {
  if (signal?.aborted) return reject(signal.reason);
  const timer = setTimeout(() => { signal?.removeEventListener('abort', abort); resolve(); }, ms);
  const abort = () => { clearTimeout(timer); reject(signal?.reason); };
  signal?.addEventListener('abort', abort, { once: true });
});

/**
 * A fetch that sends a retryable request (isRetryable) again, unchanged (so with the same Idempotency-Key), after a
 * network error, a 429, a 5xx or a 409 idempotency_key_in_progress, waiting the answer's Retry-After or an
 * exponential backoff; the caller's abort signal stops it.
 */
export function retryingFetch(fetchImpl: typeof fetch, options: RetryOptions = {}): typeof fetch {
  const retries = options.retries ?? 3;
  const base = options.baseDelayMs ?? 250;
  const max = options.maxDelayMs ?? 30_000;
  return async (input, init) => {
    const request = new Request(input, init);
    if (retries <= 0 || !isRetryable(request)) return fetchImpl(request);
    for (let attempt = 0; ; attempt++) {
      const backoff = Math.random() * Math.min(max, base * 2 ** attempt);
      let response: Response;
      try {
        response = await fetchImpl(request.clone());
      } catch (err) {
        if (attempt >= retries || request.signal.aborted) throw err;
        await sleep(backoff, request.signal);
        continue;
      }
      if (attempt >= retries || !(await shouldRetry(response))) return response;
      const asked = retryAfterMs(response.headers.get('retry-after'));
      if (asked !== null && asked > max) return response;
      await response.body?.cancel();
      await sleep(asked ?? backoff, request.signal);
    }
  };
}
