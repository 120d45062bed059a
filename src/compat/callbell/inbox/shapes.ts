// Callbell's shapes of the inbox objects (Team, TeamMember, CustomStatus, Bot) built from Beckon's views; the Contact
// is ../shared.ts's toCallbellContact (one shape for the contact and conversation endpoints).
import type { CustomStatusView } from '../../../users/custom-statuses.ts';
import type { UserView } from '../../../users/view.ts';
import type { TeamView } from '../../../teams/service.ts';
import type { ConversationView } from '../../../conversations/view.ts';
import type { Static } from 'typebox';
import type { CallbellBot, CallbellTeamMember } from './schemas.ts';

/** Callbell's Team: members is a count; `default` is false (Beckon has no default team). */
export function callbellTeam(team: TeamView): { uuid: string; name: string; createdAt: string; default: boolean; members: number } {
  return { uuid: team.uuid, name: team.name, createdAt: team.created_at, default: false, members: team.member_uuids.length };
}

/** Callbell's user custom status: the user's free-text status, with the id of the preset of that name (null when none matches). */
export interface CallbellUserCustomStatus {
  id: string | null;
  name: string;
  emoji: string;
  updatedAt: string;
}

/** Callbell's TeamMember: available is Beckon's availability "available"; userCustomStatus only when the user shows one. */
export function callbellMember(user: UserView, presets: CustomStatusView[]): Static<typeof CallbellTeamMember> {
  const member: Static<typeof CallbellTeamMember> = { email: user.email, name: user.name, available: user.availability === 'available', lastUpdatedAt: user.updated_at };
  if (user.custom_status !== null) member.userCustomStatus = userCustomStatus(user, presets)!;
  return member;
}

/** The user's custom status in Callbell's shape (null when none). */
export function userCustomStatus(user: UserView, presets: CustomStatusView[]): CallbellUserCustomStatus | null {
  if (user.custom_status === null) return null;
  const preset = presets.find((p) => p.name === user.custom_status);
  return { id: preset?.uuid ?? null, name: user.custom_status, emoji: '', updatedAt: user.updated_at };
}

/** Callbell's CustomStatus (Beckon keeps no emoji nor update time: emoji "", updatedAt = createdAt). */
export function callbellCustomStatus(status: CustomStatusView): { id: string; name: string; emoji: string; createdAt: string; updatedAt: string } {
  return { id: status.uuid, name: status.name, emoji: '', createdAt: status.created_at, updatedAt: status.created_at };
}

/** Callbell's Bot of a conversation: Beckon has no bot of its own, its automations play that part (see docs/compat-callbell.md). */
export function callbellBot(conversation: ConversationView): Static<typeof CallbellBot> {
  const started = conversation.bot_status === 'bot_start';
  return {
    uuid: conversation.uuid,
    name: 'Beckon automations',
    status: started ? 'started' as const : 'ended' as const,
    conversationStartedAt: started ? conversation.updated_at : null,
    version: 1,
    latestBotVersion: true,
  };
}
