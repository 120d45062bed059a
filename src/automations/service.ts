import type { Db } from '../db/connect.ts';
import type { AutomationStatus } from '../db/enums.ts';
import type { AutomationsTable } from '../db/types.ts';
import { AppError, notFound } from '../errors.ts';
import { decodeCursor, pageOf } from '../lib/cursor.ts';
import { newId } from '../lib/ids.ts';
import { toJson } from '../lib/json.ts';
import { nowIso } from '../lib/time.ts';
import type { JobQueue } from '../jobs/queue.ts';
import { checkDefinition, type Definition } from './definition.ts';
import { forgetVersion } from './engine.ts';
import * as q from './queries.ts';
import { triggerLookupKey } from './trigger-check.ts';
import { enqueueFirstScan } from './triggers/date.ts';
import { automationView, type AutomationView } from './view.ts';

/** The fields of an automation a client writes: its name and its definition's parts. */
export interface AutomationInput {
  name: string;
  trigger: unknown;
  entry?: unknown;
  start: unknown;
  steps: unknown;
  exit_on?: unknown;
  goal?: unknown;
  bot?: unknown;
}

const DEFINITION_KEYS = ['trigger', 'entry', 'start', 'steps', 'exit_on', 'goal', 'bot'] as const;

function conflict(row: AutomationsTable, action: string): AppError {
  return new AppError(409, 'conflict', `cannot ${action} an automation that is ${row.status}`, undefined, { automation_status: row.status });
}

/** The automation of the workspace, or 404. */
export async function automationRow(db: Db, workspaceId: string, id: string): Promise<AutomationsTable> {
  const row = await q.findAutomation(db, workspaceId, id.toLowerCase());
  if (!row) throw notFound('automation');
  return row;
}

/** Creates a draft automation after checking its whole definition (400 naming each problem's JSON path). */
export async function createAutomation(db: Db, workspaceId: string, input: AutomationInput): Promise<AutomationView> {
  const definition = await checkDefinition(db, workspaceId, input as unknown as Record<string, unknown>);
  const now = nowIso();
  const row: AutomationsTable = {
    id: newId(), workspace_id: workspaceId, name: input.name, status: 'draft', version: 1, definition: toJson(definition),
    trigger_type: definition.trigger.type, trigger_event: triggerLookupKey(definition.trigger), created_at: now, updated_at: now,
  };
  await db.transaction().execute((trx) => q.insertAutomation(trx, row, { automation_id: row.id, version: 1, definition: row.definition, created_at: now }));
  return automationView(row);
}

/** A page of the workspace's automations, newest first. */
export async function listAutomations(db: Db, workspaceId: string, query: { limit?: number; cursor?: string; status?: AutomationStatus }): Promise<{ automations: AutomationView[]; meta: { next_cursor: string | null } }> {
  const limit = query.limit ?? 20;
  const page = pageOf(await q.listAutomations(db, workspaceId, limit, decodeCursor(query.cursor), query.status), limit, (r) => r.created_at);
  return { automations: page.items.map(automationView), meta: { next_cursor: page.next_cursor } };
}

/** One automation. */
export async function getAutomation(db: Db, workspaceId: string, id: string): Promise<AutomationView> {
  return automationView(await automationRow(db, workspaceId, id));
}

/**
 * Changes an automation's name and/or definition (the fields given replace the stored ones; the result is checked
 * whole). A draft's definition is rewritten in place; an active or paused automation gets a new version, and runs keep
 * the version they started on. 409 for an archived one.
 */
export async function updateAutomation(db: Db, queue: JobQueue, workspaceId: string, id: string, patch: Partial<AutomationInput>): Promise<AutomationView> {
  const row = await automationRow(db, workspaceId, id);
  if (row.status === 'archived') throw conflict(row, 'change');
  const now = nowIso();
  const changes: Partial<AutomationsTable> = { updated_at: now };
  if (patch.name !== undefined) changes.name = patch.name;
  if (DEFINITION_KEYS.some((k) => patch[k] !== undefined)) {
    const merged = { ...automationView(row), ...patch } as unknown as Record<string, unknown>;
    const definition = await checkDefinition(db, workspaceId, merged);
    Object.assign(changes, { definition: toJson(definition), trigger_type: definition.trigger.type, trigger_event: triggerLookupKey(definition.trigger) });
    if (changes.definition !== row.definition) changes.version = row.status === 'draft' ? row.version : row.version + 1;
  }
  await db.transaction().execute(async (trx) => {
    if (!await q.updateAutomation(trx, row.id, changes, [row.status])) throw new AppError(409, 'conflict', 'the automation changed while this request ran; try again');
    if (changes.version !== undefined) {
      await q.saveVersion(trx, { automation_id: row.id, version: changes.version, definition: changes.definition!, created_at: now }, changes.version === row.version);
      forgetVersion(row.id, changes.version);
    }
    if (row.status === 'active' && changes.definition !== undefined && changes.definition !== row.definition && scansContactDates(JSON.parse(changes.definition) as Definition)) {
      await enqueueFirstScan(trx, queue, row.id);
    }
  });
  queue.notify();
  return automationView({ ...row, ...changes });
}

/** Deletes an automation with its versions and runs; 409 while it is active (pause or archive it first). */
export async function deleteAutomation(db: Db, workspaceId: string, id: string): Promise<void> {
  const row = await automationRow(db, workspaceId, id);
  if (row.status === 'active') throw conflict(row, 'delete');
  await db.transaction().execute((trx) => q.deleteAutomation(trx, workspaceId, row.id));
}

/** True when the definition's trigger is a date on a contact field (its runs are scheduled by a daily scan job). */
function scansContactDates(definition: Definition): boolean {
  return definition.trigger.type === 'date' && definition.trigger.field !== undefined;
}

const MOVES: Record<'activate' | 'pause' | 'archive', { from: readonly AutomationStatus[]; to: AutomationStatus }> = {
  activate: { from: ['draft', 'paused'], to: 'active' },
  pause: { from: ['active'], to: 'paused' },
  archive: { from: ['draft', 'active', 'paused'], to: 'archived' },
};

/**
 * Moves an automation: activate (draft or paused → active: takes new runs), pause (active → paused: takes none, runs
 * under way go on), archive (any but archived → archived, final). Another move is a 409 `conflict` naming the status.
 * Activating a date automation on a contact field enqueues its first daily scan (today's starts from now on).
 */
export async function moveAutomation(db: Db, queue: JobQueue, workspaceId: string, id: string, action: keyof typeof MOVES): Promise<AutomationView> {
  const row = await automationRow(db, workspaceId, id);
  const move = MOVES[action];
  if (!move.from.includes(row.status)) throw conflict(row, action);
  const changes = { status: move.to, updated_at: nowIso() };
  const moved = await db.transaction().execute(async (trx) => {
    if (!await q.updateAutomation(trx, row.id, changes, move.from)) return false;
    if (move.to === 'active' && scansContactDates(JSON.parse(row.definition) as Definition)) await enqueueFirstScan(trx, queue, row.id);
    return true;
  });
  if (!moved) throw conflict((await automationRow(db, workspaceId, id)), action);
  queue.notify();
  return automationView({ ...row, ...changes });
}
