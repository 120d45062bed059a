import { Type } from 'typebox';
import { nameSchema } from './components.ts';

/** The path parameters of a route about one resource: its uuid. */
export const UuidParams = Type.Object({ uuid: Type.String({ format: 'uuid' }) });

/** The `meta` of a page of a list: the cursor of the next page (null on the last page). */
export const PageMeta = Type.Object({ next_cursor: Type.Union([Type.String(), Type.Null()]) });
nameSchema('PageMeta', PageMeta);
