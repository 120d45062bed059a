import { Type } from 'typebox';
import type { Deps } from '../deps.ts';
import type { App } from '../http.ts';
import { syncTemplates } from './sync.ts';
import { TemplateSchema } from './schema.ts';

const SyncBody = Type.Object({
  channel_uuid: Type.Optional(Type.String({ format: 'uuid', description: 'The WhatsApp Cloud channel to sync; default: every WhatsApp Cloud channel of the workspace' })),
}, { additionalProperties: false });

const SyncReply = Type.Object({
  templates: Type.Array(TemplateSchema, { description: 'Every template the sync created or updated' }),
  meta: Type.Object({
    created: Type.Integer(),
    updated: Type.Integer(),
    skipped: Type.Array(Type.Object({ channel_uuid: Type.String({ format: 'uuid' }), name: Type.String(), language: Type.String(), reason: Type.String() }), {
      description: 'Templates Beckon cannot send (e.g. a LOCATION header, OTP or catalog buttons), with the reason',
    }),
  }),
});

/** POST /v1/templates/sync: reads WhatsApp Cloud channels' templates and review statuses from Meta. */
export function templateSyncRoutes(app: App, deps: Deps): void {
  app.post('/v1/templates/sync', {
    config: { scope: 'full' },
    schema: {
      operationId: 'syncTemplates',
      tags: ['templates'],
      summary: 'Sync WhatsApp templates and their statuses from Meta',
      description: 'Reads GET /{version}/{business_account_id}/message_templates (every page) for one WhatsApp Cloud channel, or all of them, '
        + 'and creates or updates the channel\'s templates with Meta\'s name, language, category, components and status '
        + '(APPROVED → approved; PENDING, IN_APPEAL → pending; REJECTED, DISABLED, DELETED → rejected; PAUSED → paused). '
        + 'A template made by hand with the same name and language is adopted by the channel. A refusal by Meta is a 502 `provider_error`.',
      body: SyncBody,
      response: { 200: SyncReply },
    },
  }, async (request) => {
    const outcome = await syncTemplates(deps, request.auth.workspaceId, request.body?.channel_uuid);
    return { templates: outcome.templates, meta: { created: outcome.created, updated: outcome.updated, skipped: outcome.skipped } };
  });
}
