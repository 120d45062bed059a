import type { Db } from '../db/connect.ts';
import type { AutomationRunsTable } from '../db/types.ts';
import type { EventBus, EventSubscriber, RecordedEvent } from '../events/subscribers.ts';
import { ALL_CUSTOM_EVENTS, isCustomEventType } from '../events/types.ts';
import { parseJson } from '../lib/json.ts';
import { agentRepliedContacts } from './bot.ts';
import { definitionOf, endRunIn, startRunIn } from './engine.ts';
import { convertRuns } from './goals.ts';
import * as q from './queries.ts';
import { startOnContactCreated, startOnTagAdded } from './triggers/contact.ts';
import { scheduleEventDate } from './triggers/date.ts';
import { startOnInboundMessage } from './triggers/inbound.ts';
import { activeByTrigger } from './triggers/queries.ts';

/** What the subscriber reads from a custom event's payload. */
interface CustomEventPayload {
  contact?: { uuid?: string };
  data?: Record<string, unknown>;
  correlation_key?: string | null;
}

function dataAt(data: unknown, path: string): unknown {
  let value = data;
  for (const key of path.split('.')) {
    if (value === null || typeof value !== 'object' || !Object.hasOwn(value, key)) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

/** Ends the contacts' active runs whose version exits on one of these events (matched on the correlation key when the run has one). */
async function exitRuns(trx: Db, bus: EventBus, workspaceId: string, events: { type: string; contactId: string; key: string | null }[]): Promise<void> {
  const runs = await q.activeRunsOf(trx, workspaceId, [...new Set(events.map((e) => e.contactId))]);
  const ended = new Set<string>();
  for (const run of runs) {
    const { exit_on } = await definitionOf(trx, run.automation_id, run.version);
    if (exit_on.length === 0) continue;
    const match = events.find((e) => e.contactId === run.contact_id && exit_on.includes(e.type) && (run.correlation_key === null || run.correlation_key === e.key));
    if (match && !ended.has(run.id)) {
      ended.add(run.id);
      await endRunIn(trx, bus, run as AutomationRunsTable, 'exited', `exit_on:${match.type}`);
    }
  }
}

/** Ends the contacts' active runs of bot automations (`bot: true`): exited, reason agent_replied. */
async function endBotRuns(trx: Db, bus: EventBus, workspaceId: string, contactIds: string[]): Promise<void> {
  for (const run of await q.activeRunsOf(trx, workspaceId, contactIds)) {
    if ((await definitionOf(trx, run.automation_id, run.version)).bot === true) await endRunIn(trx, bus, run, 'exited', 'agent_replied');
  }
}

/** Ends the runs that exit on these custom events, starts the `event` automations they trigger and schedules the `date` automations on their data. */
async function onCustomEvents(trx: Db, bus: EventBus, workspaceId: string, events: RecordedEvent[]): Promise<void> {
  const parsed = events.map((e) => {
    const payload = parseJson<CustomEventPayload>(e.payload, {});
    return { id: e.id, type: e.type, contactId: payload.contact?.uuid ?? '', key: payload.correlation_key ?? null, data: payload.data ?? {} };
  }).filter((e) => e.contactId !== '');
  if (parsed.length === 0) return;
  await convertRuns(trx, bus, workspaceId, events); // goals (goals.ts): before exit_on, so a goal event that also exits converts
  await exitRuns(trx, bus, workspaceId, parsed);
  const types = [...new Set(parsed.map((e) => e.type))];
  const automations = await q.activeEventAutomations(trx, workspaceId, types);
  const dated = await activeByTrigger(trx, workspaceId, 'date', types);
  if (automations.length === 0 && dated.length === 0) return;
  const now = Date.now();
  for (const event of parsed) {
    for (const automation of automations) {
      if (automation.trigger_event !== event.type) continue;
      const { trigger } = await definitionOf(trx, automation.id, automation.version);
      if (!Object.entries(trigger.filters ?? {}).every(([path, value]) => dataAt(event.data, path) === value)) continue;
      await startRunIn(trx, bus, automation, event.contactId, event.data, event.key);
    }
    for (const automation of dated) {
      if (automation.trigger_event !== event.type) continue;
      const { trigger } = await definitionOf(trx, automation.id, automation.version);
      if (!Object.entries(trigger.filters ?? {}).every(([path, value]) => dataAt(event.data, path) === value)) continue;
      await scheduleEventDate(trx, bus.queue, automation, trigger, event, dataAt(event.data, trigger.path!), now);
    }
  }
}

/**
 * The automations' event subscriber, in the events' transaction: custom events end the active runs that exit on them,
 * start the `event` automations they trigger (data filters matched) and schedule the `date` automations on their data;
 * contact_created starts `contact_created` automations, contact_tag_added the `tag_added` ones of that tag, an inbound
 * message_created the `inbound_message` ones of its channel whose keywords match; an agent's reply (conversation_updated
 * with bot_end_reason agent_replied) ends the contact's active bot runs (exited, agent_replied). Every start goes through the
 * automation's entry policy (a start it refuses is skipped). `subscribers` gives the bus the runs' own events are recorded on.
 */
export function automationSubscriber(subscribers: () => readonly EventSubscriber[]): EventSubscriber {
  return {
    name: 'automations',
    types: [ALL_CUSTOM_EVENTS, 'contact_created', 'contact_tag_added', 'message_created', 'conversation_updated'],
    async handle(trx, queue, workspaceId, events: RecordedEvent[]) {
      const bus: EventBus = { queue, subscribers: subscribers() };
      const replied = agentRepliedContacts(events);
      if (replied.length > 0) await endBotRuns(trx, bus, workspaceId, replied);
      const custom = events.filter((e) => isCustomEventType(e.type));
      if (custom.length > 0) await onCustomEvents(trx, bus, workspaceId, custom);
      const of = (type: string) => events.filter((e) => e.type === type);
      for (const [type, start] of [['contact_created', startOnContactCreated], ['contact_tag_added', startOnTagAdded], ['message_created', startOnInboundMessage]] as const) {
        const mine = of(type);
        if (mine.length > 0) await start(trx, bus, workspaceId, mine);
      }
    },
  };
}
