import { Type } from 'typebox';
import type { Deps } from '../../deps.ts';
import type { App } from '../../http.ts';
import { getTemplate, listTemplates, updateTemplate, type TemplateView } from '../../templates/service.ts';
import { CHANNEL_TYPES, getChannel, listChannels, updateChannel, type ChannelView } from '../../channels/service.ts';
import { findUserOr404 } from '../../users/service.ts';
import { getWorkspace } from '../../auth/workspace.ts';
import { allOfCursor, beckonId, CallbellPageMeta, callbellTime, CallbellUuidParams, PageParam, slicePage } from './shared.ts';
import { withFieldRenamed } from './contact-input.ts';

const Template = Type.Object({
  uuid: Type.String(), title: Type.String(), text: Type.String(), createdAt: Type.String(),
  templateType: Type.String({ description: 'text, image, video or document' }), category: Type.String({ description: 'MARKETING, UTILITY (or AUTHENTICATION)' }), status: Type.String(),
});
const Channel = Type.Object({ uuid: Type.String(), title: Type.String(), type: Type.String(), main: Type.Boolean(), discardedAt: Type.Boolean({ description: 'Always false: a deleted Beckon channel is gone' }) });

function toCallbellTemplate(t: TemplateView) {
  return { uuid: t.uuid, title: t.title, text: t.text, createdAt: callbellTime(t.createdAt), templateType: t.templateType, category: t.category.toUpperCase(), status: t.status };
}

function toCallbellChannel(c: ChannelView) {
  return { uuid: c.uuid, title: c.title, type: c.type, main: c.main, discardedAt: false };
}

/** Callbell's PATCH body of a template or a channel: its new title (at most `max` characters, Beckon's limit). */
const TitleBody = (max: number) => Type.Object({ title: Type.String({ minLength: 1, maxLength: max, description: 'The new title (a WhatsApp template\'s is its name: lowercase letters, digits and underscores)' }) }, { additionalProperties: false });

/** Callbell's template and channel lists, one template or channel (get, retitle), and /auth/me. */
export function callbellCatalogRoutes(app: App, deps: Deps): void {
  app.get('/v1/templates', {
    config: { scope: 'read' },
    schema: { operationId: 'callbellListTemplates', tags: ['templates'], summary: 'Templates, by page', querystring: Type.Object({ page: PageParam }), response: { 200: Type.Object({ templates: Type.Array(Template), meta: CallbellPageMeta }) } },
  }, async (request) => {
    const all = await allOfCursor(async (limit, cursor) => {
      const got = await listTemplates(deps.db, request.auth.workspaceId, {}, limit, cursor);
      return { items: got.templates, next: got.next_cursor };
    });
    const { items, meta } = slicePage(all, request.query.page ?? 1);
    return { templates: items.map(toCallbellTemplate), meta };
  });

  app.get('/v1/templates/:uuid', {
    config: { scope: 'read' },
    schema: { operationId: 'callbellGetTemplate', tags: ['templates'], summary: 'A template', params: CallbellUuidParams, response: { 200: Type.Object({ template: Template }) } },
  }, async (request) => ({ template: toCallbellTemplate(await getTemplate(deps.db, request.auth.workspaceId, beckonId(request.params.uuid))) }));

  app.patch('/v1/templates/:uuid', {
    config: { scope: 'full' },
    schema: {
      operationId: 'callbellUpdateTemplate', tags: ['templates'], summary: 'Retitle a template (Beckon\'s template name)', params: CallbellUuidParams, body: TitleBody(512),
      response: { 200: Type.Object({ template: Template }) },
    },
  }, async (request) => {
    const view = await withFieldRenamed('body.name', 'body.title', () => updateTemplate(deps.db, request.auth.workspaceId, beckonId(request.params.uuid), { name: request.body.title }));
    return { template: toCallbellTemplate(view) };
  });

  app.get('/v1/channels/:uuid', {
    config: { scope: 'read' },
    schema: { operationId: 'callbellGetChannel', tags: ['channels'], summary: 'A channel', params: CallbellUuidParams, response: { 200: Type.Object({ channel: Channel }) } },
  }, async (request) => ({ channel: toCallbellChannel(await getChannel(deps, request.auth.workspaceId, beckonId(request.params.uuid))) }));

  app.patch('/v1/channels/:uuid', {
    config: { scope: 'full' },
    schema: { operationId: 'callbellUpdateChannel', tags: ['channels'], summary: 'Retitle a channel', params: CallbellUuidParams, body: TitleBody(100), response: { 200: Type.Object({ channel: Channel }) } },
  }, async (request) => ({ channel: toCallbellChannel(await updateChannel(deps, request.auth.workspaceId, beckonId(request.params.uuid), { title: request.body.title })) }));

  app.get('/v1/channels', {
    config: { scope: 'read' },
    schema: {
      operationId: 'callbellListChannels', tags: ['channels'], summary: 'Channels, by page',
      querystring: Type.Object({ page: PageParam, type: Type.Optional(Type.String({ description: 'A channel type; Callbell\'s facebook, instagram and telegram have no Beckon channel and list nothing' })), active: Type.Optional(Type.Boolean({ description: 'false lists nothing: Beckon keeps no discarded channels' })) }),
      response: { 200: Type.Object({ channels: Type.Array(Channel), meta: CallbellPageMeta }) },
    },
  }, async (request) => {
    const { type, active, page = 1 } = request.query;
    const known = type === undefined || (CHANNEL_TYPES as readonly string[]).includes(type);
    const all = !known || active === false ? [] : await allOfCursor(async (limit, cursor) => {
      const got = await listChannels(deps, request.auth.workspaceId, { type: type as ChannelView['type'] as never }, limit, cursor);
      return { items: got.channels, next: got.next_cursor };
    });
    const { items, meta } = slicePage(all, page);
    return { channels: items.map(toCallbellChannel), meta };
  });

  app.get('/v1/auth/me', {
    config: { scope: 'read' },
    schema: {
      operationId: 'callbellAuthMe', tags: ['auth'], summary: 'Checks the key: who it acts as',
      response: { 200: Type.Object({ status: Type.Literal('ok'), user_email: Type.Union([Type.String(), Type.Null()]), user_name: Type.String(), api_key: Type.String({ description: 'The key\'s first characters (never the whole key)' }) }) },
    },
  }, async (request) => {
    const { workspaceId, userId } = request.auth;
    const user = userId ? await findUserOr404(deps.db, workspaceId, userId) : null;
    const name = user ? user.name : (await getWorkspace(deps.db, workspaceId)).name;
    const key = /^Bearer\s+(\S+)/i.exec(request.headers.authorization ?? '')?.[1] ?? '';
    return { status: 'ok' as const, user_email: user?.email ?? null, user_name: name, api_key: key ? `${key.slice(0, 8)}…` : '' };
  });
}
