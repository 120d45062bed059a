// Callbell's Users API (PUT/DELETE /v1/users/:uuid/status) and Custom Statuses API over Beckon's users service.
import { Type } from 'typebox';
import type { Deps } from '../../../deps.ts';
import type { App } from '../../../http.ts';
import { AppError, notFound } from '../../../errors.ts';
import { findUserOr404, setUserStatus } from '../../../users/service.ts';
import { createCustomStatus, deleteCustomStatus, listCustomStatuses, renameCustomStatus } from '../../../users/custom-statuses.ts';
import { slicePage } from '../shared.ts';
import { callbellCustomStatus, userCustomStatus } from './shapes.ts';
import { CallbellCustomStatus, CallbellPageMeta, IdParams, NameBody, PageQuery, StatusIdParams, UserStatusAnswer, UserStatusBody } from './schemas.ts';

const tags = ['callbell'];
const OneStatus = Type.Object({ customStatus: CallbellCustomStatus });

async function presetOr404(deps: Pick<Deps, 'db'>, workspaceId: string, id: string, path?: string) {
  const preset = (await listCustomStatuses(deps.db, workspaceId)).find((s) => s.uuid === id);
  if (!preset) throw path ? new AppError(404, 'not_found', 'custom status not found', [{ path, message: 'no such custom status in this workspace' }]) : notFound('custom status');
  return preset;
}

/** Registers Callbell's user status and custom status routes. */
export function callbellUserRoutes(app: App, deps: Deps): void {
  app.put('/v1/users/:uuid/status', {
    config: { scope: 'admin' },
    schema: {
      operationId: 'callbellUpdateUserStatus', tags, summary: 'Callbell: set a user\'s availability (true: available, false: away) and custom status (a preset; null unassigns)',
      params: IdParams, body: UserStatusBody, response: { 200: UserStatusAnswer },
    },
  }, async (request) => {
    const { workspaceId } = request.auth;
    const { available, custom_status_uuid: presetId } = request.body;
    let customStatus: string | null | undefined;
    if (presetId === null) customStatus = null;
    else if (presetId !== undefined) customStatus = (await presetOr404(deps, workspaceId, presetId, 'body.custom_status_uuid')).name;
    await findUserOr404(deps.db, workspaceId, request.params.uuid);
    const user = await setUserStatus(deps, workspaceId, request.params.uuid, { availability: available === undefined ? undefined : available ? 'available' : 'away', custom_status: customStatus });
    const custom = userCustomStatus(user, await listCustomStatuses(deps.db, workspaceId));
    return {
      user_status: {
        custom_status: custom ? { id: custom.id, name: custom.name, last_updated_at: custom.updatedAt } : null,
        appearance: { available: user.availability === 'available', last_updated_at: user.updated_at },
      },
    };
  });

  app.delete('/v1/users/:uuid/status', {
    config: { scope: 'admin' },
    schema: { operationId: 'callbellClearUserStatus', tags, summary: 'Callbell: unassign a user\'s custom status (empty answer)', params: IdParams, response: { 204: Type.Null() } },
  }, async (request, reply) => {
    await setUserStatus(deps, request.auth.workspaceId, request.params.uuid, { custom_status: null });
    return reply.code(204).send(null);
  });

  app.get('/v1/custom_statuses', {
    config: { scope: 'read' },
    schema: { operationId: 'callbellListCustomStatuses', tags, summary: 'Callbell: list the preset custom statuses', querystring: PageQuery, response: { 200: Type.Object({ customStatuses: Type.Array(CallbellCustomStatus), meta: CallbellPageMeta }) } },
  }, async (request) => {
    const { items, meta } = slicePage(await listCustomStatuses(deps.db, request.auth.workspaceId), request.query.page ?? 1);
    return { customStatuses: items.map(callbellCustomStatus), meta };
  });

  app.post('/v1/custom_statuses', {
    config: { scope: 'admin' },
    schema: { operationId: 'callbellCreateCustomStatus', tags, summary: 'Callbell: add a preset custom status (200, as Callbell answers)', body: NameBody, response: { 200: OneStatus } },
  }, async (request) => ({ customStatus: callbellCustomStatus(await createCustomStatus(deps.db, request.auth.workspaceId, request.body.name)) }));

  app.get('/v1/custom_statuses/:id', {
    config: { scope: 'read' },
    schema: { operationId: 'callbellGetCustomStatus', tags, summary: 'Callbell: get a preset custom status', params: StatusIdParams, response: { 200: OneStatus } },
  }, async (request) => ({ customStatus: callbellCustomStatus(await presetOr404(deps, request.auth.workspaceId, request.params.id)) }));

  app.put('/v1/custom_statuses/:id', {
    config: { scope: 'admin' },
    schema: { operationId: 'callbellRenameCustomStatus', tags, summary: 'Callbell: rename a preset custom status', params: StatusIdParams, body: NameBody, response: { 200: OneStatus } },
  }, async (request) => ({ customStatus: callbellCustomStatus(await renameCustomStatus(deps.db, request.auth.workspaceId, request.params.id, request.body.name)) }));

  for (const path of ['/v1/custom_statuses/:id', '/v1/custom_status/:id']) {
    app.delete(path, {
      config: { scope: 'admin' },
      schema: {
        operationId: path.includes('statuses') ? 'callbellDeleteCustomStatus' : 'callbellDeleteCustomStatusSnippet', tags,
        summary: path.includes('statuses') ? 'Callbell: delete a preset custom status' : 'Callbell: delete a preset custom status (the path of Callbell\'s snippet)',
        params: StatusIdParams, response: { 200: Type.Object({ status: Type.Literal('custom status was destroyed') }) },
      },
    }, async (request) => {
      await deleteCustomStatus(deps.db, request.auth.workspaceId, request.params.id);
      return { status: 'custom status was destroyed' as const };
    });
  }
}
