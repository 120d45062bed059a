import { Type } from 'typebox';
import type { Deps } from '../../deps.ts';
import type { App } from '../../http.ts';
import { exportContacts } from './export.ts';
import { ListContactsQuery } from '../schema.ts';

const { limit: _limit, cursor: _cursor, ...filters } = ListContactsQuery.properties;
const ExportQuery = Type.Object(filters, { additionalProperties: false, patternProperties: (ListContactsQuery as unknown as { patternProperties: Record<string, never> }).patternProperties });

/** GET /v1/contacts/export: every matching contact as a streamed CSV file. */
export function contactExportRoutes(app: App, deps: Deps): void {
  app.get('/v1/contacts/export', {
    config: { scope: 'read' },
    schema: {
      operationId: 'exportContacts',
      tags: ['contacts'], querystring: ExportQuery,
      response: { 200: Type.String({ description: 'text/csv; charset=utf-8' }) },
      summary: 'Export contacts as CSV',
      description: 'The same filters as GET /v1/contacts (no limit or cursor: every match, newest first), streamed page by page. Columns: uuid, name, phone, email, '
        + 'tags (comma-joined), source, blocked (true/false), consent.<whatsapp|sms|email> with .at and .source, last_inbound_at, created_at, updated_at, then '
        + '`custom_fields.<key>` for every defined key and every key a contact holds. The header names are the fields POST /v1/imports understands, so an export re-imports without a mapping.',
    },
  }, async (request, reply) => {
    const csv = await exportContacts(deps.db, request.auth.workspaceId, request.query);
    return reply.header('content-type', 'text/csv; charset=utf-8').header('content-disposition', 'attachment; filename="contacts.csv"').send(csv as unknown as string); // a stream: Fastify sends it as is, without serialization
  });
}
