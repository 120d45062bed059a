import type { Static } from 'typebox';
import type { Db } from '../db/connect.ts';
import { invalidField, notFound } from '../errors.ts';
import { decodeCursor, pageOf, type Cursor } from '../lib/cursor.ts';
import { normalizeEmail } from '../lib/email.ts';
import { normalizePhone } from '../lib/phone.ts';
import { checkValue, definitionsByKey } from './custom-fields/service.ts';
import * as q from './queries.ts';
import type { ListContactsQuery } from './schema.ts';
import { contactView, type ContactView } from './service.ts';
import { loadWindows } from './windows.ts';

/** Default page size of the contact lists. */
export const DEFAULT_LIMIT = 20;
const CUSTOM_FIELD_PARAM = /^custom_fields(?:\.([^.[\]]+)|\[([^[\]]+)\])$/;
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/i;
const PHONE_TYPING = /^[\d\s+().\-/]+$/;

function instantOf(raw: string, path: string): string {
  const ms = DATE_ONLY.test(raw) || DATE_TIME.test(raw) ? Date.parse(raw.length === 10 ? raw + 'T00:00:00Z' : raw) : NaN;
  if (Number.isNaN(ms)) throw invalidField(path, `"${raw}" is not an ISO 8601 date (2025-01-31) or date-time (2025-01-31T12:00:00Z)`);
  return new Date(ms).toISOString();
}

async function customFieldMatches(db: Db, workspaceId: string, query: Record<string, unknown>): Promise<q.CustomFieldMatch[]> {
  const params = Object.entries(query).flatMap(([name, value]) => {
    const m = CUSTOM_FIELD_PARAM.exec(name);
    return m ? [{ name, key: m[1] ?? m[2], value: String(value) }] : [];
  });
  if (params.length === 0) return [];
  const definitions = await definitionsByKey(db, workspaceId);
  return params.map(({ name, key, value }) => {
    const definition = definitions.get(key);
    if (!definition) {
      const number = value.trim() !== '' && Number.isFinite(Number(value)) ? Number(value) : undefined;
      const bool = value === 'true' ? true : value === 'false' ? false : undefined;
      return { key, text: value, number, bool };
    }
    const checked = checkValue(definition, value);
    if ('error' in checked) throw invalidField(`query.${name}`, checked.error);
    const v = checked.value;
    return typeof v === 'number' ? { key, number: v } : typeof v === 'boolean' ? { key, bool: v } : { key, text: String(v) };
  });
}

/** Turns the list query into filters, or throws a 400 naming the bad `query.<field>`. */
export async function filtersOf(db: Db, workspaceId: string, query: Static<typeof ListContactsQuery>): Promise<q.ContactFilters> {
  const tags = (query.tags ?? []).flatMap((t) => t.split(',')).map((t) => t.trim()).filter(Boolean);
  const text = query.q?.trim().toLowerCase();
  const digits = text && PHONE_TYPING.test(text) ? text.replace(/\D/g, '') : '';
  const prefix = !!text && (text.startsWith('+') || text.startsWith('00'));
  return {
    tags: tags.length > 0 ? tags : undefined,
    source: query.source,
    q: text || undefined,
    qPhone: digits ? { digits: prefix && text?.startsWith('00') ? digits.slice(2) : digits, prefix } : undefined,
    phone: query.phone === undefined ? undefined : normalizePhone(query.phone, 'query.phone'),
    email: query.email === undefined ? undefined : normalizeEmail(query.email, 'query.email'),
    createdAfter: query.created_after === undefined ? undefined : instantOf(query.created_after, 'query.created_after'),
    createdBefore: query.created_before === undefined ? undefined : instantOf(query.created_before, 'query.created_before'),
    customFields: await customFieldMatches(db, workspaceId, query as Record<string, unknown>),
  };
}

/** A page of the workspace's contacts matching the query, newest first. */
export async function listContacts(db: Db, workspaceId: string, query: Static<typeof ListContactsQuery>): Promise<{ contacts: ContactView[]; meta: { next_cursor: string | null } }> {
  const limit = query.limit ?? DEFAULT_LIMIT;
  const cursor = decodeCursor(query.cursor);
  const filters = await filtersOf(db, workspaceId, query);
  const page = pageOf(await q.listContacts(db, workspaceId, filters, limit, cursor), limit, (row) => row.created_at);
  const windows = await loadWindows(db, workspaceId, page.items.map((row) => row.id));
  return { contacts: page.items.map((row) => contactView(row, windows.get(row.id))), meta: { next_cursor: page.next_cursor } };
}
