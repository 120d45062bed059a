// Callbell's inbox fields of a contact body (assigned_user, unassign_user, team_uuid, bot_status) applied to the
// contact's latest conversation through the conversations service (one is opened on channel_uuid when there is none).
import type { Deps } from '../../deps.ts';
import type { BotStatus } from '../../db/enums.ts';
import { AppError } from '../../errors.ts';
import { findUserByEmail } from '../../users/queries.ts';
import { getTeam } from '../../teams/service.ts';
import { getChannel } from '../../channels/service.ts';
import { assignConversation, latestConversationOf, patchConversation, startConversation, type Actor } from '../../conversations/service.ts';
import { beckonId } from './shared.ts';

/** The inbox fields of Callbell's contact bodies. */
export interface InboxFields {
  assigned_user?: string;
  unassign_user?: boolean;
  team_uuid?: string;
  bot_status?: BotStatus;
  channel_uuid?: string;
}

/** What the fields ask of the conversation, checked: the assignee's id (null unassigns), the team's id, the bot status. */
export interface InboxPlan {
  userId?: string | null;
  teamId?: string;
  bot?: BotStatus;
  /** The body paths given, for the 409 of a contact with no conversation and no channel_uuid. */
  paths: string[];
}

/** Checks the fields before anything is written: an unknown email or team is a 400 naming the field; null when none is given. */
export async function planInbox(deps: Deps, workspaceId: string, body: InboxFields): Promise<InboxPlan | null> {
  const plan: InboxPlan = { paths: [] };
  if (body.assigned_user !== undefined) {
    const user = await findUserByEmail(deps.db, body.assigned_user.trim().toLowerCase());
    if (!user || user.workspace_id !== workspaceId) throw new AppError(400, 'validation_failed', 'body.assigned_user: no user of this workspace has this email', [{ path: 'body.assigned_user', message: 'no user of this workspace has this email' }]);
    plan.userId = user.id;
    plan.paths.push('body.assigned_user');
  } else if (body.unassign_user === true) {
    plan.userId = null;
    plan.paths.push('body.unassign_user');
  }
  if (body.team_uuid !== undefined) {
    const team = await getTeam(deps.db, workspaceId, beckonId(body.team_uuid)).catch(() => null);
    if (!team) throw new AppError(400, 'validation_failed', 'body.team_uuid: no such team in this workspace', [{ path: 'body.team_uuid', message: 'no such team in this workspace' }]);
    plan.teamId = team.uuid;
    plan.paths.push('body.team_uuid');
  }
  if (body.bot_status !== undefined) {
    plan.bot = body.bot_status;
    plan.paths.push('body.bot_status');
  }
  return plan.paths.length > 0 ? plan : null;
}

/** A 400 naming body.channel_uuid unless the workspace has this channel. */
export async function checkChannel(deps: Deps, workspaceId: string, channelId: string): Promise<void> {
  const channel = await getChannel(deps, workspaceId, channelId).catch((err: unknown) => {
    if (err instanceof AppError && err.status === 404) return null;
    throw err;
  });
  if (!channel) throw new AppError(400, 'validation_failed', 'body.channel_uuid: no such channel in this workspace', [{ path: 'body.channel_uuid', message: 'no such channel in this workspace' }]);
}

/** 409 naming the fields: the contact has no conversation and no channel_uuid says where to open one. */
export function noConversation(plan: InboxPlan): AppError {
  return new AppError(409, 'conflict', `${plan.paths[0]}: the contact has no conversation yet (give channel_uuid to open one)`, plan.paths.map((path) => ({ path, message: 'the contact has no conversation yet; give channel_uuid to open one' })));
}

/** Applies a plan to the contact's latest conversation, opening one on `channelId` when it has none. */
export async function applyInbox(deps: Deps, actor: Actor, contactId: string, plan: InboxPlan, channelId?: string): Promise<void> {
  let id = await latestConversationOf(deps, actor.workspaceId, contactId);
  if (!id) {
    if (!channelId) throw noConversation(plan);
    id = (await startConversation(deps, { workspaceId: actor.workspaceId, userId: null }, { contact_uuid: contactId, channel_uuid: channelId, team_uuid: plan.teamId })).conversation.uuid;
  }
  if (plan.userId !== undefined || plan.teamId !== undefined) await assignConversation(deps, actor, id, { user_uuid: plan.userId, team_uuid: plan.teamId });
  if (plan.bot !== undefined) await patchConversation(deps, actor, id, { bot_status: plan.bot });
}
