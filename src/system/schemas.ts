import { Type } from 'typebox';
import { nameSchema } from './components.ts';

/** The path parameters of a route about one resource: its uuid. */
export const UuidParams = Type.Object({ uuid: Type.String({ format: 'uuid' }) });

/** The `meta` of a page of a list: the cursor of the next page (null on the last page). */
export const PageMeta = Type.Object({ next_cursor: Type.Union([Type.String(), Type.Null()]) });
nameSchema('PageMeta', PageMeta);

/** The query of a list that only paginates: `limit` (1-100, default 20) and the previous page's `meta.next_cursor`. */
export const PageQuery = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
  cursor: Type.Optional(Type.String({ description: 'meta.next_cursor of the previous page' })),
}, { additionalProperties: false });
