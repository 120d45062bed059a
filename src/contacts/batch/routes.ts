import { Type } from 'typebox';
import type { Deps } from '../../deps.ts';
import type { App } from '../../http.ts';
import { MAX_BATCH, upsertContacts } from './batch.ts';

const tags = ['contacts'];

const BatchBody = Type.Object({
  contacts: Type.Array(Type.Record(Type.String(), Type.Unknown()), {
    minItems: 1, maxItems: MAX_BATCH,
    description: `1 to ${MAX_BATCH} records, each shaped like the body of POST /v1/contacts; each is validated on its own, so a bad one fails alone`,
  }),
  allow_insert: Type.Optional(Type.Boolean({ default: true, description: 'Create contacts that match no one (false: such records are skipped with reason insert_not_allowed)' })),
  allow_update: Type.Optional(Type.Boolean({ default: true, description: 'Update contacts that match (false: such records are skipped with reason update_not_allowed)' })),
  skip_duplicates: Type.Optional(Type.Boolean({
    default: false, description: 'Skip a record whose phone or email already appeared earlier in this call (reason duplicate_in_batch); false applies it in order, updating the first',
  })),
  return_records: Type.Optional(Type.Enum(['none', 'errors', 'all'], { default: 'errors', description: 'Which per-record results to return' })),
}, { additionalProperties: false });

const FieldErrorSchema = Type.Object({ path: Type.String(), message: Type.String() });
const ResultSchema = Type.Object({
  index: Type.Integer({ description: 'Position of the record in `contacts`' }),
  status: Type.Enum(['inserted', 'updated', 'unchanged', 'skipped', 'failed']),
  uuid: Type.Union([Type.String({ format: 'uuid' }), Type.Null()]),
  reason: Type.Union([Type.Enum(['duplicate_in_batch', 'insert_not_allowed', 'update_not_allowed']), Type.Null()]),
  error: Type.Union([Type.Object({ code: Type.String(), detail: Type.String(), errors: Type.Array(FieldErrorSchema) }), Type.Null()]),
});
const BatchResponse = Type.Object({
  meta: Type.Object({
    received: Type.Integer(), inserted: Type.Integer(), updated: Type.Integer(), unchanged: Type.Integer(), skipped: Type.Integer(), failed: Type.Integer(),
  }),
  results: Type.Array(ResultSchema),
});

/** POST /v1/contacts/batch: the batch upsert of contacts. */
export function contactBatchRoutes(app: App, deps: Deps): void {
  app.post('/v1/contacts/batch', {
    config: { scope: 'full' },
    bodyLimit: 8 * 1024 * 1024,
    schema: {
      operationId: 'upsertContacts',
      tags, body: BatchBody, response: { 200: BatchResponse },
      summary: `Upsert up to ${MAX_BATCH} contacts, matched by phone, then email`,
      description: 'Each record is matched to an existing contact by its phone (E.164 after normalization), else its email; a phone and an email belonging to two '
        + 'different contacts fail the record (duplicate_contact). Matches are updated with PATCH semantics (tags replaced, custom_fields and consent merged; '
        + '`source` is kept), others are created. One transaction for the call; a record that fails validation is reported and never fails the others. '
        + 'Emits contact_created / contact_updated (and consent events) exactly as the single routes do; an update that changes nothing is `unchanged` and emits nothing.',
    },
  }, async (request) => {
    const body = request.body;
    const options = { allowInsert: body.allow_insert ?? true, allowUpdate: body.allow_update ?? true, skipDuplicates: body.skip_duplicates ?? false };
    const { counts, results } = await upsertContacts(deps.db, deps, request.auth.workspaceId, body.contacts, options, body.return_records ?? 'errors');
    return { meta: counts, results };
  });
}
