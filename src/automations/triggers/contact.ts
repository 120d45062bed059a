import type { Db } from '../../db/connect.ts';
import type { EventBus, RecordedEvent } from '../../events/subscribers.ts';
import { parseJson } from '../../lib/json.ts';
import { startRunIn } from '../engine.ts';
import * as q from './queries.ts';

/** Starts a run of every active `contact_created` automation for each new contact (trigger data: {contact_uuid, source}). */
export async function startOnContactCreated(trx: Db, bus: EventBus, workspaceId: string, events: RecordedEvent[]): Promise<void> {
  const automations = await q.activeByTrigger(trx, workspaceId, 'contact_created');
  if (automations.length === 0) return;
  for (const event of events) {
    const contact = parseJson<{ uuid?: string; source?: string | null }>(event.payload, {});
    if (!contact.uuid) continue;
    for (const automation of automations) await startRunIn(trx, bus, automation, contact.uuid, { contact_uuid: contact.uuid, source: contact.source ?? null }, null);
  }
}

/** Starts a run of every active `tag_added` automation on the added tag (contact_tag_added events; trigger data: {tag}). */
export async function startOnTagAdded(trx: Db, bus: EventBus, workspaceId: string, events: RecordedEvent[]): Promise<void> {
  const added = events.map((e) => parseJson<{ uuid?: string; tag?: string }>(e.payload, {})).filter((p): p is { uuid: string; tag: string } => !!p.uuid && !!p.tag);
  if (added.length === 0) return;
  const automations = await q.activeByTrigger(trx, workspaceId, 'tag_added', added.map((a) => a.tag));
  for (const { uuid, tag } of added) {
    for (const automation of automations) if (automation.trigger_event === tag) await startRunIn(trx, bus, automation, uuid, { tag }, null);
  }
}
