import { rmSync } from 'node:fs';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { Deps } from '../deps.ts';
import type { App } from '../http.ts';
import { AppError } from '../errors.ts';
import { decodeCursor } from '../lib/cursor.ts';
import { parseMapping } from './mapping.ts';
import { createImport, getImport, listImports, storeUpload } from './service.ts';
import { PageMeta, UuidParams } from '../system/schemas.ts';
import { nameSchema } from '../system/components.ts';

const tags = ['imports'];
const Timestamp = Type.String({ format: 'date-time' });
const FORMATS: Record<string, 'csv' | 'ndjson'> = { 'text/csv': 'csv', 'application/x-ndjson': 'ndjson' };

const ImportSchema = Type.Object({
  uuid: Type.String({ format: 'uuid' }),
  status: Type.Enum(['queued', 'running', 'completed', 'failed']),
  format: Type.Enum(['csv', 'ndjson']),
  mapping: Type.Record(Type.String(), Type.String()),
  allow_insert: Type.Boolean(),
  allow_update: Type.Boolean(),
  skip_duplicates: Type.Boolean(),
  processed: Type.Integer({ description: 'Rows read and committed so far' }),
  inserted: Type.Integer(),
  updated: Type.Integer(),
  unchanged: Type.Integer(),
  skipped: Type.Integer(),
  failed: Type.Integer(),
  errors: Type.Array(Type.Object({
    line: Type.Integer({ description: 'Line of the file where the row ends (the CSV header is line 1)' }),
    code: Type.String(), detail: Type.String(),
    errors: Type.Array(Type.Object({ path: Type.String(), message: Type.String() })),
  }), { description: 'The first 100 failed rows' }),
  error: Type.Union([Type.String(), Type.Null()], { description: 'Why the whole import failed (an unreadable file)' }),
  created_at: Timestamp,
  updated_at: Timestamp,
  completed_at: Type.Union([Timestamp, Type.Null()]),
});
nameSchema('Import', ImportSchema);
const One = Type.Object({ import: ImportSchema });

const CreateQuery = Type.Object({
  map: Type.Optional(Type.String({
    maxLength: 10_000,
    description: 'column=field pairs, comma-separated; fields: name, phone, identifier, email, tags (comma-separated in the cell), source, blocked, '
      + 'consent.<whatsapp|sms|email>, custom_fields.<key>, or - to ignore a column. Columns already named like a field need no mapping; other columns are ignored',
  })),
  allow_insert: Type.Optional(Type.Boolean({ default: true })),
  allow_update: Type.Optional(Type.Boolean({ default: true })),
  skip_duplicates: Type.Optional(Type.Boolean({ default: false })),
}, { additionalProperties: false });

/** Contact imports: upload a CSV or NDJSON file, follow its job. */
export function importRoutes(app: App, deps: Deps): void {
  app.register(async (scope: App) => {
    // the file streams to disk while parsing; the body becomes its size and SHA-256, so Idempotency-Key fingerprints the file
    const uploads = new WeakMap<FastifyRequest, string>();
    scope.addContentTypeParser(Object.keys(FORMATS), (request, payload, done) => {
      storeUpload(deps.config.dataDir, payload).then(({ file, bytes, sha256 }) => {
        uploads.set(request, file);
        done(null, { bytes, sha256 });
      }, (error: Error) => done(error, undefined));
    });
    // a stored upload no import took (a 4xx, a replayed Idempotency-Key) is removed once the answer is sent
    scope.addHook('onResponse', async (request) => {
      const file = uploads.get(request);
      if (file) rmSync(file, { force: true });
    });
    scope.post('/v1/imports', {
      config: { scope: 'full' },
      schema: {
        operationId: 'createImport',
        tags, querystring: CreateQuery, response: { 202: One },
        summary: 'Import contacts from a CSV or NDJSON file',
        description: 'The raw body is the file: `Content-Type: text/csv` (a header row, then one contact per row) or `application/x-ndjson` (one JSON object per line). '
          + 'The column mapping and the batch options (as POST /v1/contacts/batch) are query parameters. The file is stored in the data directory and imported by an '
          + 'import_contacts job in batches of 1,000 rows; follow it with GET /v1/imports/:uuid. A file is at most 1 GiB. An Idempotency-Key fingerprints the file\'s SHA-256 with the query.',
      },
    }, async (request, reply) => {
      const format = FORMATS[(request.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase()];
      if (!format) throw new AppError(415, 'unsupported_media_type', 'an import is text/csv or application/x-ndjson');
      const mapping = parseMapping(request.query.map, 'query.map');
      const options = { allowInsert: request.query.allow_insert ?? true, allowUpdate: request.query.allow_update ?? true, skipDuplicates: request.query.skip_duplicates ?? false };
      const file = uploads.get(request);
      if (!file) throw new AppError(400, 'validation_failed', 'the body is the file to import', [{ path: 'body', message: 'is required' }]);
      const view = await createImport(deps.db, deps.queue, request.auth.workspaceId, file, format, mapping, options);
      uploads.delete(request);
      return reply.code(202).send({ import: view });
    });
  });

  app.get('/v1/imports', {
    config: { scope: 'read' },
    schema: {
      operationId: 'listImports',
      tags, summary: 'List imports, newest first',
      querystring: Type.Object({
        limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
        cursor: Type.Optional(Type.String({ description: 'meta.next_cursor of the previous page' })),
      }, { additionalProperties: false }),
      response: { 200: Type.Object({ imports: Type.Array(ImportSchema), meta: PageMeta }) },
    },
  }, async (request) => listImports(deps.db, request.auth.workspaceId, request.query.limit ?? 20, decodeCursor(request.query.cursor)));

  app.get('/v1/imports/:uuid', {
    config: { scope: 'read' },
    schema: { operationId: 'getImport', tags, summary: 'Get an import: its status, counts and first errors', params: UuidParams, response: { 200: One } },
  }, async (request) => ({ import: await getImport(deps.db, request.auth.workspaceId, request.params.uuid) }));
}
