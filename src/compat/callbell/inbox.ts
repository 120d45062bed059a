// Callbell's inbox endpoints (teams, user status, custom statuses, funnels, plan, conversation, bot), registered by
// the Callbell-compatible plugin inside its /compat/callbell prefix. Each is a thin translation over Beckon's services.
import type { Deps } from '../../deps.ts';
import type { App } from '../../http.ts';
import { callbellConversationRoutes } from './inbox/conversation.ts';
import { callbellFunnelPlanRoutes } from './inbox/funnels-plan.ts';
import { callbellTeamRoutes } from './inbox/teams.ts';
import { callbellUserRoutes } from './inbox/users.ts';

/** Registers Callbell's inbox routes on `app` (paths like /v1/teams: the caller adds the prefix). */
export function callbellInboxRoutes(app: App, deps: Deps): void {
  callbellTeamRoutes(app, deps);
  callbellUserRoutes(app, deps);
  callbellFunnelPlanRoutes(app, deps);
  callbellConversationRoutes(app, deps);
}
