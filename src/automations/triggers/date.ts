import type { Db } from '../../db/connect.ts';
import type { AutomationsTable } from '../../db/types.ts';
import type { Deps } from '../../deps.ts';
import { findWorkspace } from '../../auth/queries.ts';
import type { JobQueue } from '../../jobs/queue.ts';
import { parseJson } from '../../lib/json.ts';
import { definitionOf, startRunIn } from '../engine.ts';
import * as runs from '../queries.ts';
import { isTimeZone } from '../../lib/time.ts';
import type { Trigger } from '../trigger-check.ts';
import { addDays, fireInstant, isRealDate, occurrenceIn, offsetDays, type FireRule } from './date-time.ts';
import * as q from './queries.ts';

/** The task that starts one run of a date trigger at its time (an event's date, a contact date's occurrence). */
export const AUTOMATION_TRIGGER_START_TASK = 'automation_trigger_start';
/** The task that, once a day per active automation on a contact date field, schedules the day's starts. */
export const AUTOMATION_DATE_SCAN_TASK = 'automation_date_scan';

/** A scheduled start: the run's contact, trigger data and correlation key, and its once-only key. */
export interface TriggerStartPayload {
  automation_id: string;
  contact_id: string;
  data: Record<string, unknown>;
  correlation_key: string | null;
  fire_key: string;
}

/** A day's scan: the automation, the UTC day (YYYY-MM-DD) whose fire times it schedules, from `from` (ISO) when given. */
export interface DateScanPayload {
  automation_id: string;
  day: string;
  from?: string;
}

declare module '../../jobs/queue.ts' {
  interface TaskPayloads {
    [AUTOMATION_TRIGGER_START_TASK]: TriggerStartPayload;
    [AUTOMATION_DATE_SCAN_TASK]: DateScanPayload;
  }
}

const SCAN_PAGE = 500;
/** How long before its UTC day a scan runs (so a start at 00:00 UTC is scheduled in time). */
const SCAN_LEAD_MS = 3_600_000;

/** The zone a contact's dates are read in: its `time_zone_field` value when that is an IANA zone, else the trigger's time_zone, else the workspace's (else UTC). */
export function zoneOf(trigger: Trigger, customFields: Record<string, unknown>, workspaceZone: string | null): string {
  const own = trigger.time_zone_field === undefined ? undefined : customFields[trigger.time_zone_field];
  return isTimeZone(own) ? own : trigger.time_zone ?? (isTimeZone(workspaceZone) ? workspaceZone : 'UTC');
}

/** The workspace's default time zone (null: none set). */
async function workspaceZone(db: Db, workspaceId: string): Promise<string | null> {
  return (await findWorkspace(db, workspaceId))?.time_zone ?? null;
}

function ruleOf(trigger: Trigger, zone: string): FireRule {
  return { offset: trigger.offset, at: trigger.at, zone };
}

/**
 * Schedules, in the event's transaction, the start of a `date` automation on event data: the date at `trigger.path`
 * shifted by the offset (at `at`, in the contact's, the trigger's or the workspace's zone); a start job runs at that instant (once per
 * event: fire key `event:<id>`). A missing or invalid date, or an instant already past, schedules nothing.
 */
export async function scheduleEventDate(trx: Db, queue: JobQueue, automation: AutomationsTable, trigger: Trigger,
  event: { id: string; contactId: string; key: string | null; data: Record<string, unknown> }, value: unknown, now: number): Promise<void> {
  const contact = trigger.time_zone_field === undefined ? undefined : await runs.findContactRow(trx, automation.workspace_id, event.contactId);
  const zone = zoneOf(trigger, parseJson<Record<string, unknown>>(contact?.custom_fields, {}), trigger.time_zone === undefined ? await workspaceZone(trx, automation.workspace_id) : null);
  const at = fireInstant(value, ruleOf(trigger, zone));
  if (at === null || at < now) return;
  await queue.enqueue(trx, AUTOMATION_TRIGGER_START_TASK, {
    automation_id: automation.id, contact_id: event.contactId, data: event.data, correlation_key: event.key, fire_key: `event:${event.id}`,
  }, { runAt: new Date(at) });
}

/** Enqueues in `trx` the scan of today (UTC) from now: what activating a date automation on a contact field does. */
export async function enqueueFirstScan(trx: Db, queue: JobQueue, automationId: string, now = new Date()): Promise<void> {
  await queue.enqueue(trx, AUTOMATION_DATE_SCAN_TASK, { automation_id: automationId, day: now.toISOString().slice(0, 10), from: now.toISOString() });
}

/**
 * One day's scan of a date automation on a contact field: for the contacts whose date (yearly: its month-day) may
 * fire within [from, next UTC midnight), page by page, enqueues a start job at each one's exact instant (fire key
 * `contact:<id>:<occurrence>`, so a scan run twice starts nothing twice); then enqueues the next day's scan an hour
 * before that day (once: fire key `scan:<day>`). An automation no longer active (or no longer on a contact field) ends its chain.
 * `pageSize` contacts are read per page (500).
 */
export async function runDateScan(deps: Pick<Deps, 'db' | 'writer' | 'queue'>, payload: DateScanPayload, pageSize = SCAN_PAGE): Promise<void> {
  const automation = await q.findAutomationById(deps.db, payload.automation_id);
  if (!automation || automation.status !== 'active') return;
  const { trigger } = await definitionOf(deps.db, automation.id, automation.version);
  if (trigger.type !== 'date' || trigger.field === undefined) return;
  const dayStart = Date.parse(`${payload.day}T00:00:00Z`);
  const from = Math.max(dayStart, payload.from === undefined ? dayStart : Date.parse(payload.from));
  const to = dayStart + 86_400_000;
  const center = addDays(payload.day, -offsetDays(trigger.offset));
  const candidates = [-3, -2, -1, 0, 1, 2, 3].map((d) => addDays(center, d));
  const yearly = trigger.recurrence === 'yearly';
  const zone = await workspaceZone(deps.db, automation.workspace_id);
  let after: q.ContactCursor | null = null;
  for (;;) {
    const page = await q.contactsWithDates(deps.db, automation.workspace_id, trigger.field, yearly ? [...candidates, ...candidates.filter((c) => c.endsWith('-02-28')).map((c) => `${c.slice(0, 5)}02-29`)] : candidates, yearly, after, pageSize);
    const jobs = page.flatMap((contact) => startsOf(automation.id, trigger, contact, candidates, yearly, from, to, zone));
    if (jobs.length > 0) await deps.writer.run((trx) => deps.queue.enqueueMany(trx, jobs));
    if (page.length < pageSize) break;
    after = { created_at: page[page.length - 1].created_at, id: page[page.length - 1].id };
  }
  const next = addDays(payload.day, 1);
  await deps.writer.run(async (trx) => {
    if (await q.insertFireIfAbsent(trx, automation.id, `scan:${next}`)) {
      await deps.queue.enqueue(trx, AUTOMATION_DATE_SCAN_TASK, { automation_id: automation.id, day: next }, { runAt: new Date(to - SCAN_LEAD_MS) });
    }
  });
  deps.queue.notify();
}

function startsOf(automationId: string, trigger: Trigger, contact: q.DatedContact, candidates: string[], yearly: boolean, from: number, to: number, workspaceZone: string | null) {
  const fields = parseJson<Record<string, unknown>>(contact.custom_fields, {});
  const value = fields[trigger.field!];
  if (typeof value !== 'string' || !isRealDate(value)) return [];
  const rule = ruleOf(trigger, zoneOf(trigger, fields, workspaceZone));
  const years = [...new Set(candidates.map((c) => Number(c.slice(0, 4))))];
  const occurrences = yearly ? [...new Set(years.map((y) => occurrenceIn(value, y)))] : [value];
  return occurrences.flatMap((occurrence) => {
    const at = fireInstant(occurrence, rule);
    if (at === null || at < from || at >= to) return [];
    const data = { field: trigger.field!, date: value, occurrence };
    return [{ task: AUTOMATION_TRIGGER_START_TASK, payload: { automation_id: automationId, contact_id: contact.id, data, correlation_key: null, fire_key: `contact:${contact.id}:${occurrence}` }, options: { runAt: new Date(at) } } as const];
  });
}

/**
 * Starts a scheduled run in one transaction: nothing when the automation is no longer active, the contact is gone, or
 * the fire key was used (a job that runs twice); else records the key and starts the run under the entry policy (a
 * start the policy refuses is skipped, and not tried again).
 */
export async function runTriggerStart(deps: Pick<Deps, 'writer' | 'queue' | 'subscribers'>, payload: TriggerStartPayload): Promise<void> {
  await deps.writer.run(async (trx) => {
    const automation = await q.findAutomationById(trx, payload.automation_id);
    if (!automation || automation.status !== 'active') return;
    if (!await runs.findContactRow(trx, automation.workspace_id, payload.contact_id)) return;
    if (!await q.insertFireIfAbsent(trx, automation.id, payload.fire_key)) return;
    await startRunIn(trx, { queue: deps.queue, subscribers: deps.subscribers }, automation, payload.contact_id, payload.data, payload.correlation_key);
  });
  deps.queue.notify();
}
