import createClient, { type Client, type Middleware } from 'openapi-fetch';
import { paginate, type ItemOf, type ListPath, type PageRequest } from './paginate.ts';
import { idempotencyKeys, retryingFetch, type RetryOptions } from './retry.ts';
import type { paths } from './schema.ts';
import { streamEvents, type BeckonEvent, type StreamOptions } from './stream.ts';

/** How to reach a Beckon server. */
export interface BeckonOptions {
  /** The server, e.g. http://127.0.0.1:3000 (no /v1). */
  baseUrl: string;
  /** An API key (`bk_…`), sent as a bearer token; leave it out in a signed-in browser (the session cookie). */
  apiKey?: string;
  /** Session auth (the web app): send cookies (`credentials: 'include'`) and, on writes, the `beckon_csrf` cookie as X-CSRF-Token. */
  csrf?: boolean;
  /** The fetch to use (default: globalThis.fetch); a test or a proxy may wrap it. */
  fetch?: typeof fetch;
  /** Retries of network errors, 429 and 5xx on idempotent calls; `false` turns them off. */
  retry?: RetryOptions | false;
}

/** The typed client: openapi-fetch's GET/POST/PATCH/DELETE… on Beckon's paths, plus pagination and the live stream. */
export type Beckon = Client<paths> & {
  /** Every item of a cursor-paginated list, page after page: `for await (const contact of beckon.paginate('/v1/contacts', { query }))`. */
  paginate<P extends ListPath>(path: P, request?: PageRequest<P>): AsyncGenerator<ItemOf<P>, void, undefined>;
  /** The live events (GET /v1/events/stream): `for await (const event of beckon.stream({ types: ['message_created'] }))`. */
  stream(options?: StreamOptions): AsyncGenerator<BeckonEvent, void, undefined>;
};

/** Sends the page's `beckon_csrf` cookie as X-CSRF-Token on every write (cookie-authenticated writes need it). */
const csrfHeader: Middleware = {
  onRequest({ request }) {
    if (request.method === 'GET' || request.method === 'HEAD') return undefined;
    const cookies = (globalThis as { document?: { cookie: string } }).document?.cookie ?? '';
    const token = cookies.split('; ').find((c) => c.startsWith('beckon_csrf='))?.slice('beckon_csrf='.length);
    if (token) request.headers.set('X-CSRF-Token', decodeURIComponent(token));
    return request;
  },
};

/**
 * A Beckon client: every call typed from the OpenAPI document, authenticated with the API key; POSTs that take an
 * Idempotency-Key get one, and idempotent calls are retried with it on network errors, 429 and 5xx.
 */
export function createBeckon(options: BeckonOptions): Beckon {
  // bound: a browser's fetch throws "Illegal invocation" when called as a method of another object
  const base = options.fetch ?? globalThis.fetch.bind(globalThis);
  const client = createClient<paths>({
    baseUrl: options.baseUrl,
    fetch: options.retry === false ? base : retryingFetch(base, options.retry),
    headers: options.apiKey ? { Authorization: `Bearer ${options.apiKey}` } : {},
    ...(options.csrf ? { credentials: 'include' as const } : {}),
  });
  client.use(idempotencyKeys);
  if (options.csrf) client.use(csrfHeader);
  return Object.assign(client, {
    paginate: <P extends ListPath>(path: P, request?: PageRequest<P>) => paginate(client, path, request),
    stream: (streamOptions?: StreamOptions) => streamEvents(client, streamOptions),
  });
}
