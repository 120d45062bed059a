import type { Db } from '../db/connect.ts';
import type { AutomationRunsTable } from '../db/types.ts';
import type { EventBus, RecordedEvent } from '../events/subscribers.ts';
import { CUSTOM_EVENT_PREFIX } from '../events/types.ts';
import { parseJson } from '../lib/json.ts';
import { goalWindowMs } from './definition.ts';
import { definitionOf, endRunIn } from './engine.ts';
import * as q from './queries.ts';

/** What goal detection reads from a custom event's payload. */
interface CustomEventPayload {
  contact?: { uuid?: string };
  correlation_key?: string | null;
  occurred_at?: string;
}

/** Ends a run converted; when a step job moved it concurrently (its token changed, PostgreSQL), reads it again and retries while it is active. */
async function convert(trx: Db, bus: EventBus, run: AutomationRunsTable, reason: string): Promise<void> {
  let row: AutomationRunsTable | undefined = run;
  for (let attempt = 0; row && row.status === 'active' && attempt < 5; attempt++) {
    if (await endRunIn(trx, bus, row, 'converted', reason)) return;
    row = await q.findRunById(trx, run.id);
  }
}

/**
 * Converts the active runs of the custom events' contacts whose version has a goal one of these events reaches: the goal's event, of the
 * run's contact, on the run's correlation key when it has one, happening (occurred_at, else now) between the run's start
 * and the end of the goal's window. Each such run ends `converted` (exit_reason `goal:<event>`, an
 * automation_run_converted event, the converted counter): once per run, since only an active run converts.
 */
export async function convertRuns(trx: Db, bus: EventBus, workspaceId: string, recorded: RecordedEvent[], now = new Date().toISOString()): Promise<void> {
  const events = recorded.filter((e) => e.type.startsWith(CUSTOM_EVENT_PREFIX)).map((e) => {
    const payload = parseJson<CustomEventPayload>(e.payload, {});
    return { type: e.type, contactId: payload.contact?.uuid ?? '', key: payload.correlation_key ?? null, occurredAt: payload.occurred_at };
  }).filter((e) => e.contactId !== '');
  if (events.length === 0) return;
  const runs = await q.activeRunsOf(trx, workspaceId, [...new Set(events.map((e) => e.contactId))]);
  for (const run of runs) {
    const { goal } = await definitionOf(trx, run.automation_id, run.version);
    if (!goal) continue;
    const started = Date.parse(run.created_at);
    const match = events.find((e) => {
      if (e.contactId !== run.contact_id || e.type !== goal.event) return false;
      if (run.correlation_key !== null && run.correlation_key !== e.key) return false;
      const at = Date.parse(e.occurredAt ?? now);
      return at >= started && at <= started + goalWindowMs(goal);
    });
    if (match) await convert(trx, bus, run, `goal:${goal.event}`);
  }
}
