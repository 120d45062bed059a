// Callbell's Teams API over Beckon's teams service: GET /v1/teams, GET and PATCH /v1/teams/:uuid, GET /v1/teams/:uuid/members.
import { Type } from 'typebox';
import type { Deps } from '../../../deps.ts';
import type { App } from '../../../http.ts';
import { getTeam, listMembers, listTeams, updateTeam } from '../../../teams/service.ts';
import { listCustomStatuses } from '../../../users/custom-statuses.ts';
import { allOfCursor, slicePage } from '../shared.ts';
import { callbellMember, callbellTeam } from './shapes.ts';
import { CallbellPageMeta, CallbellTeam, CallbellTeamMember, IdParams, PageQuery, TeamBody } from './schemas.ts';

const tags = ['callbell'];
const One = Type.Object({ team: CallbellTeam });

/** Every team of the workspace, oldest first (Beckon lists newest first). */
export async function allTeams(deps: Pick<Deps, 'db'>, workspaceId: string) {
  const teams = await allOfCursor(async (limit, cursor) => {
    const page = await listTeams(deps.db, workspaceId, { limit, cursor });
    return { items: page.teams, next: page.meta.next_cursor };
  });
  return teams.reverse();
}

/** Registers Callbell's team routes. */
export function callbellTeamRoutes(app: App, deps: Deps): void {
  app.get('/v1/teams', {
    config: { scope: 'read' },
    schema: { operationId: 'callbellListTeams', tags, summary: 'Callbell: list teams (page pagination)', querystring: PageQuery, response: { 200: Type.Object({ teams: Type.Array(CallbellTeam), meta: CallbellPageMeta }) } },
  }, async (request) => {
    const { items, meta } = slicePage(await allTeams(deps, request.auth.workspaceId), request.query.page ?? 1);
    return { teams: items.map(callbellTeam), meta };
  });

  app.get('/v1/teams/:uuid', {
    config: { scope: 'read' },
    schema: { operationId: 'callbellGetTeam', tags, summary: 'Callbell: get a team', params: IdParams, response: { 200: One } },
  }, async (request) => ({ team: callbellTeam(await getTeam(deps.db, request.auth.workspaceId, request.params.uuid)) }));

  app.patch('/v1/teams/:uuid', {
    config: { scope: 'full' },
    schema: { operationId: 'callbellUpdateTeam', tags, summary: 'Callbell: rename a team', params: IdParams, body: TeamBody, response: { 200: One } },
  }, async (request) => ({ team: callbellTeam(await updateTeam(deps.db, request.auth.workspaceId, request.params.uuid, { name: request.body.name })) }));

  app.get('/v1/teams/:uuid/members', {
    config: { scope: 'read' },
    schema: {
      operationId: 'callbellListTeamMembers', tags, summary: 'Callbell: list a team\'s members (status available: Beckon\'s availability "available"; away: any other)',
      params: IdParams, querystring: Type.Object({ page: Type.Optional(Type.Integer({ minimum: 1 })), status: Type.Optional(Type.Enum(['available', 'away'])) }),
      response: { 200: Type.Object({ users: Type.Array(CallbellTeamMember), meta: CallbellPageMeta }) },
    },
  }, async (request) => {
    const { workspaceId } = request.auth;
    const { status } = request.query;
    const members = (await listMembers(deps.db, workspaceId, request.params.uuid)).filter((u) => status === undefined || (u.availability === 'available') === (status === 'available'));
    const presets = await listCustomStatuses(deps.db, workspaceId);
    const { items, meta } = slicePage(members, request.query.page ?? 1);
    return { users: items.map((u) => callbellMember(u, presets)), meta };
  });
}
