import type { Db } from '../db/connect.ts';
import type { AutomationRunsTable } from '../db/types.ts';
import type { EventBus, EventSubscriber, RecordedEvent } from '../events/subscribers.ts';
import { ALL_CUSTOM_EVENTS } from '../events/types.ts';
import { parseJson } from '../lib/json.ts';
import { definitionOf, endRunIn, startRunIn } from './engine.ts';
import { convertRuns } from './goals.ts';
import * as q from './queries.ts';

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

/**
 * The automations' event subscriber (every custom event, in the event's transaction): first ends the active runs
 * that exit on the event, then starts a run of every active automation triggered by the event's type whose data
 * filters it matches, under the automation's entry policy (a start the policy refuses is skipped). `subscribers`
 * gives the bus the runs' own events are recorded on.
 */
export function automationSubscriber(subscribers: () => readonly EventSubscriber[]): EventSubscriber {
  return {
    name: 'automations',
    types: [ALL_CUSTOM_EVENTS],
    async handle(trx, queue, workspaceId, events: RecordedEvent[]) {
      const bus: EventBus = { queue, subscribers: subscribers() };
      const parsed = events.map((e) => {
        const payload = parseJson<CustomEventPayload>(e.payload, {});
        return { type: e.type, contactId: payload.contact?.uuid ?? '', key: payload.correlation_key ?? null, data: payload.data ?? {} };
      }).filter((e) => e.contactId !== '');
      if (parsed.length === 0) return;
      await convertRuns(trx, bus, workspaceId, events); // goals (goals.ts): before exit_on, so a goal event that also exits converts
      await exitRuns(trx, bus, workspaceId, parsed);
      const automations = await q.activeEventAutomations(trx, workspaceId, [...new Set(parsed.map((e) => e.type))]);
      if (automations.length === 0) return;
      for (const event of parsed) {
        for (const automation of automations) {
          if (automation.trigger_event !== event.type) continue;
          const { trigger } = await definitionOf(trx, automation.id, automation.version);
          if (!Object.entries(trigger.filters ?? {}).every(([path, value]) => dataAt(event.data, path) === value)) continue;
          await startRunIn(trx, bus, automation, event.contactId, event.data, event.key);
        }
      }
    },
  };
}
