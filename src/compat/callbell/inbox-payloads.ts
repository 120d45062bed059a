// Callbell-shaped webhook payloads of the inbox events (conversation_opened, conversation_closed, agent_status_updated,
// agent_session_updated, team_membership_updated), from Beckon's native event payloads. C1's formatter map spreads
// INBOX_PAYLOAD_FORMATTERS in; each formatter answers Callbell's `payload` (the delivery wraps it in {event, payload}).
import type { ConversationView } from '../../conversations/view.ts';
import type { TeamView } from '../../teams/service.ts';
import type { UserView } from '../../users/view.ts';

/** What the formatters may know beyond the payload: the public URL the dashboard links (href) start with, and the delivery's part. */
export interface PayloadContext {
  publicUrl?: string;
  /** Which of an event's payloads the delivery carries (team_membership_updated: one per user; 0 for the others). */
  part?: number;
}

type Native = Record<string, unknown>;

/** A conversation event's contact: Beckon's {uuid, name, phone, email, tags, created_at}. */
type EventContact = ConversationView['contact'] & { tags?: string[]; created_at?: string | null };

function contactSubset(conversation: ConversationView, context: PayloadContext) {
  const contact = conversation.contact as EventContact;
  return {
    href: `${context.publicUrl ?? ''}/contacts/${contact.uuid}`,
    name: contact.name ?? '',
    tags: contact.tags ?? [],
    uuid: contact.uuid,
    source: conversation.channel_type,
    avatarUrl: null,
    createdAt: contact.created_at ?? conversation.created_at,
    phoneNumber: contact.phone ?? '',
  };
}

/** Callbell's conversation_opened payload: {source, href, contact (subset), createdAt}. */
export function conversationOpened(native: Native, context: PayloadContext = {}): Record<string, unknown> {
  const conversation = native as unknown as ConversationView;
  return {
    source: conversation.channel_type,
    href: `${(context.publicUrl ?? '').replace(/\/+$/, '')}/inbox/${conversation.uuid}`,
    contact: contactSubset(conversation, context),
    createdAt: conversation.created_at,
  };
}

/** Callbell's conversation_closed payload: conversation_opened's plus closingReason ("resolved": Beckon keeps no reason) and closedAt. */
export function conversationClosed(native: Native, context: PayloadContext = {}): Record<string, unknown> {
  const conversation = native as unknown as ConversationView;
  return { ...conversationOpened(native, context), closingReason: 'resolved', closedAt: conversation.resolved_at ?? conversation.updated_at };
}

/** Callbell's TeamMember of a user (userCustomStatus only when the user shows one; its id is null: the event names no preset). */
export function teamMember(user: UserView): Record<string, unknown> {
  const member: Record<string, unknown> = { email: user.email, name: user.name, available: user.availability === 'available', lastUpdatedAt: user.updated_at };
  if (user.custom_status !== null) member.userCustomStatus = { updatedAt: user.updated_at, id: null, name: user.custom_status, emoji: '' };
  return member;
}

/** Callbell's agent_status_updated payload: the TeamMember (Beckon's native payload is {user}). */
export function agentStatusUpdated(native: Native): Record<string, unknown> {
  return teamMember(native.user as UserView);
}

/** Callbell's agent_session_updated payload: {action, user}; Beckon's native payload is {action, user} with Callbell's actions. */
export function agentSessionUpdated(native: Native): Record<string, unknown> {
  const user = teamMember(native.user as UserView);
  delete user.userCustomStatus;
  return { action: native.action, user };
}

/** Beckon's native team_membership_updated payload. */
interface NativeMembership {
  team: TeamView;
  added: string[];
  removed: string[];
  users?: UserView[];
}

/**
 * Callbell's team_membership_updated payloads, one per user added or removed (Callbell sends one event per user;
 * Beckon records one event per change of members and delivers one payload per user, each its own delivery):
 * {team, user {email, available, lastUpdateAt}, reason, lastUpdateAt}.
 */
export function teamMembershipPayloads(native: Native): Record<string, unknown>[] {
  const { team, added, removed, users = [] } = native as unknown as NativeMembership;
  const teamShape = { name: team.name, uuid: team.uuid, default: false, members: team.member_uuids.length, createdAt: team.created_at };
  const changes = [...added.map((id) => [id, 'agent_added'] as const), ...removed.map((id) => [id, 'agent_removed'] as const)];
  return changes.map(([id, reason]) => {
    const user = users.find((u) => u.uuid === id);
    return {
      team: teamShape,
      user: { email: user?.email ?? '', available: user?.availability === 'available', lastUpdateAt: user?.updated_at ?? team.updated_at },
      reason,
      lastUpdateAt: team.updated_at,
    };
  });
}

/** How many team_membership_updated payloads (deliveries) a native event makes: one per user added or removed. */
export function teamMembershipParts(native: Native): number {
  const { added = [], removed = [] } = native as Partial<NativeMembership>;
  return added.length + removed.length;
}

/** Callbell's team_membership_updated payload of the delivery's part: the part-th user the change names (the first by default). */
export function teamMembershipUpdated(native: Native, context: PayloadContext = {}): Record<string, unknown> {
  return teamMembershipPayloads(native)[context.part ?? 0] ?? {};
}

/** The inbox events' Callbell formatters by event type, for C1's formatter map. */
export const INBOX_PAYLOAD_FORMATTERS: Record<string, (native: Native, context?: PayloadContext) => Record<string, unknown>> = {
  conversation_opened: conversationOpened,
  conversation_closed: conversationClosed,
  agent_status_updated: agentStatusUpdated,
  agent_session_updated: agentSessionUpdated,
  team_membership_updated: teamMembershipUpdated,
};
