// The facts of a contact's latest conversation a Callbell Contact shows (assignee email, team, funnel, closedAt),
// read for a whole page of contacts at once: three queries however many contacts.
import type { Db } from '../../db/connect.ts';
import type { ConversationsTable } from '../../db/types.ts';

/** What a Callbell Contact shows of its latest conversation. */
export interface ConversationFacts {
  conversation: Pick<ConversationsTable, 'id' | 'status' | 'resolved_at' | 'funnel_stage_id' | 'channel_type'>;
  assigneeEmail: string | null;
  team: { uuid: string; name: string; createdAt: string; default: boolean; members: number } | null;
}

/** The latest conversation's facts of each contact (by contact id; a contact without a conversation is absent). */
export async function conversationFacts(db: Db, workspaceId: string, contactIds: string[]): Promise<Map<string, ConversationFacts>> {
  const out = new Map<string, ConversationFacts>();
  if (contactIds.length === 0) return out;
  const rows = await db.selectFrom('conversations').selectAll().where('workspace_id', '=', workspaceId).where('contact_id', 'in', contactIds)
    .orderBy('last_message_at', 'desc').orderBy('id', 'desc').execute();
  const latest = new Map<string, ConversationsTable>();
  for (const row of rows) if (!latest.has(row.contact_id)) latest.set(row.contact_id, row);
  const userIds = [...new Set([...latest.values()].map((r) => r.assignee_id).filter((id): id is string => id !== null))];
  const teamIds = [...new Set([...latest.values()].map((r) => r.team_id).filter((id): id is string => id !== null))];
  const users = userIds.length === 0 ? [] : await db.selectFrom('users').select(['id', 'email']).where('workspace_id', '=', workspaceId).where('id', 'in', userIds).execute();
  const teams = teamIds.length === 0 ? [] : await db.selectFrom('teams').leftJoin('team_members', 'team_members.team_id', 'teams.id')
    .select((eb) => ['teams.id', 'teams.name', 'teams.created_at', eb.fn.count<number>('team_members.user_id').as('members')])
    .where('teams.workspace_id', '=', workspaceId).where('teams.id', 'in', teamIds).groupBy(['teams.id', 'teams.name', 'teams.created_at']).execute();
  const emails = new Map(users.map((u) => [u.id, u.email]));
  const teamsById = new Map(teams.map((t) => [t.id, { uuid: t.id, name: t.name, createdAt: t.created_at, default: false, members: Number(t.members) }]));
  for (const [contactId, row] of latest) {
    out.set(contactId, { conversation: row, assigneeEmail: row.assignee_id ? emails.get(row.assignee_id) ?? null : null, team: row.team_id ? teamsById.get(row.team_id) ?? null : null });
  }
  return out;
}
