import createClient, { type Client } from 'openapi-fetch';
import { paginate, type ItemOf, type ListPath, type PageRequest } from './paginate.ts';
import { idempotencyKeys, retryingFetch, type RetryOptions } from './retry.ts';
import type { paths } from './schema.ts';
import { streamEvents, type BeckonEvent, type StreamOptions } from './stream.ts';

/** How to reach a Beckon server. */
export interface BeckonOptions {
  /** The server, e.g. http://127.0.0.1:3000 (no /v1). */
  baseUrl: string;
  /** An API key (`bk_…`), sent as a bearer token. */
  apiKey: string;
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
    headers: { Authorization: `Bearer ${options.apiKey}` },
  });
  client.use(idempotencyKeys);
  return Object.assign(client, {
    paginate: <P extends ListPath>(path: P, request?: PageRequest<P>) => paginate(client, path, request),
    stream: (streamOptions?: StreamOptions) => streamEvents(client, streamOptions),
  });
}
