import type { AddressInfo } from 'node:net';
import type { TestBeckon } from './helpers.ts';

/** Starts the test Beckon's HTTP server on loopback and returns its base URL. */
export async function listen(beckon: TestBeckon): Promise<string> {
  await beckon.runtime.app.listen({ port: 0, host: '127.0.0.1' });
  return `http://127.0.0.1:${(beckon.runtime.app.server.address() as AddressInfo).port}`;
}

/** One request the SDK sent, as the wrapped fetch saw it. */
export interface SeenRequest {
  method: string;
  path: string;
  search: URLSearchParams;
  headers: Headers;
}

/**
 * A fetch for createBeckon({ fetch }) that forwards to the real fetch and records each request; `meddle` may replace
 * the real answer (return a Response), or throw to simulate a network error after the server answered.
 */
export function recordingFetch(meddle?: (request: SeenRequest, response: Response, index: number) => Response | void): { fetch: typeof fetch; seen: SeenRequest[] } {
  const seen: SeenRequest[] = [];
  const wrapped: typeof fetch = async (input, init) => {
    const request = new Request(input, init);
    const url = new URL(request.url);
    const entry: SeenRequest = { method: request.method, path: url.pathname, search: url.searchParams, headers: new Headers(request.headers) };
    const index = seen.push(entry) - 1;
    const response = await fetch(request);
    return meddle?.(entry, response, index) ?? response;
  };
  return { fetch: wrapped, seen };
}
