import type { Db } from '../../db/connect.ts';
import type { EventBus, RecordedEvent } from '../../events/subscribers.ts';
import { parseJson } from '../../lib/json.ts';
import { definitionOf, startRunIn } from '../engine.ts';
import { matchesKeywords } from '../keywords.ts';
import * as q from './queries.ts';

/** What the trigger reads from an inbound message_created payload (the message view). */
interface MessagePayload {
  uuid: string;
  direction: string;
  channel: string | null;
  channel_uuid: string;
  contact: { uuid: string };
  type: string;
  content: { text?: string; url?: string };
  created_at: string;
}

/**
 * Starts a run of every active `inbound_message` automation on the message's channel (or on every channel) whose
 * keywords, if any, the message's text matches (keywords.ts: case- and accent-insensitive). Trigger data:
 * {message: {uuid, text, type, url, channel_uuid, channel_type, received_at}}. Outbound messages are skipped unparsed.
 */
export async function startOnInboundMessage(trx: Db, bus: EventBus, workspaceId: string, events: RecordedEvent[]): Promise<void> {
  const inbound = events.filter((e) => e.payload.includes('"direction":"inbound"')).map((e) => parseJson<MessagePayload | null>(e.payload, null))
    .filter((m): m is MessagePayload => m !== null && m.direction === 'inbound' && !!m.contact?.uuid);
  if (inbound.length === 0) return;
  const automations = await q.activeByTrigger(trx, workspaceId, 'inbound_message', [...inbound.map((m) => m.channel_uuid), null]);
  for (const message of inbound) {
    for (const automation of automations) {
      if (automation.trigger_event !== null && automation.trigger_event !== message.channel_uuid) continue;
      const { trigger } = await definitionOf(trx, automation.id, automation.version);
      const text = message.content.text ?? '';
      if (trigger.keywords && !matchesKeywords(text, { keywords: trigger.keywords, match: trigger.match ?? 'contains' })) continue;
      const data = {
        message: { uuid: message.uuid, text, type: message.type, url: message.content.url ?? null, channel_uuid: message.channel_uuid, channel_type: message.channel, received_at: message.created_at },
      };
      await startRunIn(trx, bus, automation, message.contact.uuid, data, null);
    }
  }
}
