import { sql, type RawBuilder, type SqlBool } from 'kysely';
import { invalidField } from '../errors.ts';

/** A keyset position: the sort timestamp and the id that breaks ties. */
export interface Cursor {
  at: string;
  id: string;
}

/** Encodes a keyset position as an opaque cursor string. */
export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify([cursor.at, cursor.id])).toString('base64url');
}

/** What a cursor's parts may hold: a timestamp and an id, so no control characters (NUL is refused by PostgreSQL: a 500) and no essays. */
const CURSOR_PART = /^[^\u0000-\u001f\u007f]{0,100}$/;

/** Decodes a cursor from a query string, or throws a 400 naming the `cursor` field (a forged one holding NUL or control characters included). */
export function decodeCursor(raw: string | undefined): Cursor | undefined {
  if (!raw) return undefined;
  try {
    const [at, id] = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as unknown[];
    if (typeof at === 'string' && typeof id === 'string' && CURSOR_PART.test(at) && CURSOR_PART.test(id)) return { at, id };
  } catch {
    // fall through to the 400 below
  }
  throw invalidField('query.cursor', 'is not a cursor returned by this API');
}

/** Given limit+1 rows, returns the page and the next cursor (undefined on the last page). */
export function pageOf<T extends { id: string }>(rows: T[], limit: number, at: (row: T) => string): { items: T[]; next_cursor: string | null } {
  if (rows.length <= limit) return { items: rows, next_cursor: null };
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items, next_cursor: encodeCursor({ at: at(last), id: last.id }) };
}

/**
 * The keyset condition "strictly past `cursor`" for a list ordered by (created_at, id): `desc` (newest first) keeps
 * older rows, `asc` newer ones; `table` qualifies the columns when the query joins.
 */
export function pastCursor(cursor: Cursor, order: 'asc' | 'desc' = 'desc', table?: string): RawBuilder<SqlBool> {
  const at = sql.ref(table ? `${table}.created_at` : 'created_at');
  const id = sql.ref(table ? `${table}.id` : 'id');
  const op = sql.raw(order === 'desc' ? '<' : '>');
  return sql<SqlBool>`(${at} ${op} ${cursor.at} or (${at} = ${cursor.at} and ${id} ${op} ${cursor.id}))`;
}
