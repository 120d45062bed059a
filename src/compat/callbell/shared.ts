import { Type } from 'typebox';
import type { ContactView } from '../../contacts/service.ts';
import type { ConversationFacts } from './contact-facts.ts';

/** Items per page of every page-paginated Callbell list (Callbell does not document its size; Beckon uses 50). */
export const PAGE_SIZE = 50;

/** The largest page a list answers (pages beyond hold nothing, and walking to them costs one read per page). */
export const MAX_PAGE = 1000;

/** `?page=` (from 1) of Callbell's lists. */
export const PageParam = Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_PAGE, default: 1, description: 'The page, from 1 (default 1)' }));

/** Callbell's `meta` of a page-paginated list. */
export const CallbellPageMeta = Type.Object({ page: Type.Integer(), pages: Type.Integer() });

/** Callbell's `meta {page, pages}` for `total` items at PAGE_SIZE (at least one page, like Callbell's empty lists). */
export function pageMeta(page: number, total: number, size = PAGE_SIZE): { page: number; pages: number } {
  return { page, pages: Math.max(1, Math.ceil(total / size)) };
}

/** One page of a cursor-paginated Beckon list: the items and the cursor of the next page. */
export type CursorPage<T> = { items: T[]; next: string | null };

/**
 * Page `page` (from 1) of a list Beckon pages by cursor, read by walking the cursor (`fetch(limit, cursor)`) page by page;
 * `more` says whether a later page holds anything.
 */
export async function pageOfCursor<T>(fetch: (limit: number, cursor?: string) => Promise<CursorPage<T>>, page: number, size = PAGE_SIZE): Promise<{ items: T[]; more: boolean }> {
  let cursor: string | undefined;
  for (let n = 1; ; n++) {
    const got = await fetch(size, cursor);
    if (n === page) return { items: got.items, more: got.next !== null };
    if (got.next === null) return { items: [], more: false };
    cursor = got.next;
  }
}

/** Every item of a (small) cursor-paginated Beckon list, 100 at a time: for the lists whose Callbell answer counts pages. */
export async function allOfCursor<T>(fetch: (limit: number, cursor?: string) => Promise<CursorPage<T>>): Promise<T[]> {
  const all: T[] = [];
  let cursor: string | undefined;
  for (;;) {
    const got = await fetch(100, cursor);
    all.push(...got.items);
    if (got.next === null) return all;
    cursor = got.next;
  }
}

/**
 * Page `page` of a cursor-paginated Beckon list read PAGE_SIZE at a time to its end (to count the pages): the items,
 * Callbell's `meta {page, pages}` and `next`, the cursor of the page after it (null on the last).
 */
export async function pageWithCursor<T>(fetch: (limit: number, cursor?: string) => Promise<CursorPage<T>>, page: number, size = PAGE_SIZE): Promise<{ items: T[]; meta: { page: number; pages: number }; next: string | null }> {
  let items: T[] = [];
  let next: string | null = null;
  let cursor: string | undefined;
  for (let n = 1; ; n++) {
    const got = await fetch(size, cursor);
    if (n === page) {
      items = got.items;
      next = got.next;
    }
    if (got.next === null) return { items, meta: { page, pages: n }, next };
    cursor = got.next;
  }
}

/** Page `page` of a whole list with Callbell's meta. */
export function slicePage<T>(all: T[], page: number, size = PAGE_SIZE): { items: T[]; meta: { page: number; pages: number } } {
  return { items: all.slice((page - 1) * size, page * size), meta: pageMeta(page, all.length, size) };
}

const HEX32 = /^[0-9a-f]{32}$/i;

/** An id as Callbell writes it (32 hex characters) or as Beckon does (a dashed UUID); both name the same record. */
export const CallbellId = Type.String({ pattern: '^([0-9a-fA-F]{32}|[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})$', description: 'The uuid, dashed or as 32 hex characters' });

/** Path parameter `:uuid` of Callbell's routes. */
export const CallbellUuidParams = Type.Object({ uuid: CallbellId });

/** Beckon's dashed, lower-case form of an id given in either form. */
export function beckonId(id: string): string {
  if (!HEX32.test(id)) return id.toLowerCase();
  const h = id.toLowerCase();
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** A timestamp as Callbell writes it: ISO 8601 UTC to the second (`2020-11-13T21:08:53Z`). */
export function callbellTime(iso: string): string;
export function callbellTime(iso: string | null): string | null;
export function callbellTime(iso: string | null): string | null {
  return iso === null ? null : iso.replace(/\.\d+Z$/, 'Z');
}

/** The web app's link to one conversation (Callbell's conversation `href` and a contact's `conversationHref`). */
export function conversationLink(publicUrl: string, conversationId: string): string {
  return `${publicUrl.replace(/\/+$/, '')}/inbox/${conversationId}`;
}

/** Where the web app shows a contact and its (latest) conversation; `conversationHref` is null while it has none. */
export function contactLinks(publicUrl: string, contactId: string, conversationId: string | null): { href: string; conversationHref: string | null } {
  const base = publicUrl.replace(/\/+$/, '');
  return { href: `${base}/contacts/${contactId}`, conversationHref: conversationId === null ? null : conversationLink(publicUrl, conversationId) };
}

/** Callbell's Contact object, as GET /contacts/:uuid documents it. */
export const CallbellContactSchema = Type.Object({
  uuid: Type.String(),
  name: Type.Union([Type.String(), Type.Null()]),
  phoneNumber: Type.Union([Type.String(), Type.Null()]),
  email: Type.Union([Type.String(), Type.Null()], { description: 'Beckon addition: the contact\'s email' }),
  avatarUrl: Type.Null({ description: 'Always null: Beckon keeps no avatars' }),
  createdAt: Type.String(),
  source: Type.Union([Type.String(), Type.Null()]),
  href: Type.String(),
  conversationHref: Type.Union([Type.String(), Type.Null()], { description: 'The web app\'s link to the contact\'s latest conversation (/inbox/<conversation uuid>); null while it has none' }),
  tags: Type.Array(Type.String()),
  assignedUser: Type.Union([Type.String(), Type.Null()], { description: 'The email of the user assigned to the contact\'s latest conversation' }),
  customFields: Type.Record(Type.String(), Type.String(), { description: 'Values by the field\'s display name (its label), as strings' }),
  blockedAt: Type.Union([Type.String(), Type.Null()]),
  closedAt: Type.Union([Type.String(), Type.Null()], { description: 'When the latest conversation was resolved (null while it is not)' }),
  note: Type.Union([Type.String(), Type.Null()]),
  funnelId: Type.Union([Type.String(), Type.Null()], { description: 'The latest conversation\'s funnel stage' }),
  team: Type.Union([Type.Object({ uuid: Type.String(), name: Type.String(), createdAt: Type.String(), default: Type.Boolean(), members: Type.Integer() }), Type.Object({})], { description: 'The latest conversation\'s team ({} when none)' }),
});

/** What a contact's Callbell shape needs besides the contact: the labels of its custom fields and the links' base. */
export interface ContactContext {
  publicUrl: string;
  /** Display name (label) of each custom field key; a key without a definition shows under its key. */
  labels: Map<string, string>;
  /** The facts of the contact's latest conversation (none when it has no conversation). */
  facts?: ConversationFacts;
}

function customFieldText(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** A Beckon contact in Callbell's camelCase Contact shape, with the facts of its latest conversation. */
export function toCallbellContact(view: ContactView, context: ContactContext) {
  const { facts } = context;
  return {
    uuid: view.uuid,
    name: view.name,
    phoneNumber: view.phone,
    email: view.email,
    avatarUrl: null,
    createdAt: callbellTime(view.created_at),
    source: view.source,
    ...contactLinks(context.publicUrl, view.uuid, facts?.conversation.id ?? null),
    tags: view.tags,
    assignedUser: facts?.assigneeEmail ?? null,
    customFields: Object.fromEntries(Object.entries(view.custom_fields).map(([key, value]) => [context.labels.get(key) ?? key, customFieldText(value)])),
    blockedAt: view.blocked ? callbellTime(view.updated_at) : null,
    closedAt: facts?.conversation.status === 'resolved' ? callbellTime(facts.conversation.resolved_at) : null,
    note: null,
    funnelId: facts?.conversation.funnel_stage_id ?? null,
    team: facts?.team ?? {},
  };
}

/** The subset of a contact Callbell's webhook payloads carry (contact_created, message_created …), linking its latest conversation. */
export function callbellContactSubset(view: Pick<ContactView, 'uuid' | 'name' | 'phone' | 'tags' | 'source' | 'created_at'>, publicUrl: string, conversationId: string | null) {
  return {
    ...contactLinks(publicUrl, view.uuid, conversationId),
    name: view.name, tags: view.tags, uuid: view.uuid, source: view.source, avatarUrl: null, createdAt: callbellTime(view.created_at), phoneNumber: view.phone,
  };
}
