import type { Client } from 'openapi-fetch';
import { BeckonError } from './errors.ts';
import type { paths } from './schema.ts';

/** The JSON body of a path's GET 200 answer. */
type PageBody<P extends keyof paths> = paths[P] extends { get: { responses: { 200: { content: { 'application/json': infer B } } } } } ? B : never;

/** The paths whose GET is a cursor-paginated list: `?cursor=` in, `meta.next_cursor` out. */
export type ListPath = {
  [P in keyof paths]: paths[P] extends { get: { parameters: { query?: { cursor?: string } } } }
    ? PageBody<P> extends { meta: { next_cursor: string | null } } ? P : never
    : never;
}[keyof paths];

/** The item type of a list: the element of its one array beside `meta` (`/v1/contacts` → Contact). */
export type ItemOf<P extends ListPath> = {
  [K in Exclude<keyof PageBody<P>, 'meta'>]: PageBody<P>[K] extends readonly (infer I)[] ? I : never;
}[Exclude<keyof PageBody<P>, 'meta'>];

type GetParams<P extends ListPath> = paths[P] extends { get: { parameters: infer R } } ? R : never;

/** What a list is read with: its filters (`query`, without `cursor`) and, for a nested list, its path parameters. */
export interface PageRequest<P extends ListPath> {
  query?: Omit<NonNullable<GetParams<P> extends { query?: infer Q } ? Q : never>, 'cursor'>;
  path?: GetParams<P> extends { path: infer A } ? A : never;
  /** Stops the iteration (the current request is aborted). */
  signal?: AbortSignal;
}

/**
 * Every item of a cursor-paginated list, page after page (each page's `meta.next_cursor` is the next request's
 * `cursor`), in the list's order; a failed page throws a BeckonError.
 */
export async function* paginate<P extends ListPath>(client: Client<paths>, path: P, request: PageRequest<P> = {}): AsyncGenerator<ItemOf<P>, void, undefined> {
  let cursor: string | undefined;
  do {
    const params = { query: { ...(request.query ?? {}), ...(cursor === undefined ? {} : { cursor }) }, ...(request.path ? { path: request.path } : {}) };
    // the generic path cannot be narrowed to one operation's parameters: the signature above keeps callers typed
    const { data, error, response } = await (client.GET as (path: string, init: unknown) => Promise<{ data?: Record<string, unknown>; error?: unknown; response: Response }>)(path, { params, signal: request.signal });
    if (!data) throw new BeckonError(response.status, error);
    const lists = Object.keys(data).filter((key) => key !== 'meta' && Array.isArray(data[key]));
    if (lists.length !== 1) throw new Error(`${path} answered no single list beside meta (found: ${lists.join(', ') || 'none'})`);
    yield* data[lists[0]] as ItemOf<P>[];
    cursor = (data.meta as { next_cursor: string | null }).next_cursor ?? undefined;
  } while (cursor !== undefined);
}
