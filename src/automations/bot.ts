import { startBotIn } from '../conversations/bot.ts';
import type { Db } from '../db/connect.ts';
import type { AutomationRunsTable } from '../db/types.ts';
import type { EventBus, RecordedEvent } from '../events/subscribers.ts';
import { parseJson } from '../lib/json.ts';
import { runChannel } from './steps/run-channel.ts';

/** A bot run starts (its first step job, `bot: true`): the contact's conversation on the run's channel goes pending / bot_start (conversations/bot.ts). */
export async function startBot(trx: Db, bus: EventBus, row: AutomationRunsTable, now: string): Promise<void> {
  const channel = await runChannel(trx, row);
  if (!channel) return;
  await startBotIn(trx, bus, { workspaceId: row.workspace_id, contactId: row.contact_id, channelId: channel.id, channelType: channel.type, at: now });
}

/** The contacts whose bot an agent ended: conversation_updated events with `bot_end_reason: "agent_replied"` (conversations/replies.ts). */
export function agentRepliedContacts(events: RecordedEvent[]): string[] {
  const out = new Set<string>();
  for (const e of events) {
    if (e.type !== 'conversation_updated' || !e.payload.includes('"bot_end_reason":"agent_replied"')) continue;
    const payload = parseJson<{ contact?: { uuid?: string } }>(e.payload, {});
    if (payload.contact?.uuid) out.add(payload.contact.uuid);
  }
  return [...out];
}
