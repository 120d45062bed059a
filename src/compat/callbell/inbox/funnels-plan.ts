// Callbell's Funnels API (GET /v1/funnels: Beckon's funnel stages, flat) and Plan API (GET /v1/plan: a fixed self-hosted plan).
import { Type } from 'typebox';
import type { Deps } from '../../../deps.ts';
import type { App } from '../../../http.ts';
import { listChannels } from '../../../channels/service.ts';
import { listFunnels } from '../../../funnels/service.ts';
import { listUsers } from '../../../users/service.ts';
import { allOfCursor } from '../shared.ts';
import { allTeams } from './teams.ts';
import { callbellTeam } from './shapes.ts';
import { CallbellFunnel, CallbellPlan } from './schemas.ts';

const tags = ['callbell'];

/** The plan name GET /v1/plan answers: a self-hosted Beckon has no plan, no seat nor channel limit. */
export const SELF_HOSTED_PLAN = 'beckon_self_hosted';

/** Registers Callbell's funnels and plan routes. */
export function callbellFunnelPlanRoutes(app: App, deps: Deps): void {
  app.get('/v1/funnels', {
    config: { scope: 'read' },
    schema: {
      operationId: 'callbellListFunnels', tags, summary: 'Callbell: list funnels (each stage of each Beckon funnel, oldest funnel first, in stage order)',
      description: 'A Callbell "funnel" is what a conversation sits in (a contact\'s funnelId): in Beckon that is a funnel stage. position is the stage\'s position from 1; emoji is "".',
      response: { 200: Type.Object({ funnels: Type.Array(CallbellFunnel) }) },
    },
  }, async (request) => {
    const funnels = (await allOfCursor(async (limit, cursor) => {
      const page = await listFunnels(deps.db, request.auth.workspaceId, { limit, cursor });
      return { items: page.funnels, next: page.meta.next_cursor };
    })).reverse();
    return { funnels: funnels.flatMap((f) => f.stages.map((s) => ({ uuid: s.uuid, name: s.name, emoji: '', createdAt: f.created_at, position: s.position + 1 }))) };
  });

  app.get('/v1/plan', {
    config: { scope: 'read' },
    schema: {
      operationId: 'callbellGetPlan', tags, summary: 'Callbell: the plan (a fixed self-hosted plan: channels and seats are those configured)',
      description: `plan is "${SELF_HOSTED_PLAN}"; includedChannels counts the workspace's channels, licenses its users, activeUsers those who set a password.`,
      response: { 200: CallbellPlan },
    },
  }, async (request) => {
    const { workspaceId } = request.auth;
    const users = await allOfCursor(async (limit, cursor) => {
      const page = await listUsers(deps.db, workspaceId, { limit, cursor });
      return { items: page.users, next: page.meta.next_cursor };
    });
    const channels = await allOfCursor(async (limit, cursor) => {
      const page = await listChannels(deps, workspaceId, {}, limit, cursor);
      return { items: page.channels, next: page.next_cursor };
    });
    return {
      plan: SELF_HOSTED_PLAN, includedChannels: channels.length, licenses: users.length, activeUsers: users.filter((u) => u.has_password).length,
      teams: (await allTeams(deps, workspaceId)).map(callbellTeam),
    };
  });
}
