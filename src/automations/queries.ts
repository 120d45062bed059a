import type { Db } from '../db/connect.ts';
import type { AutomationRunStatus, AutomationStatus } from '../db/enums.ts';
import type { AutomationRunStepsTable, AutomationRunsTable, AutomationsTable, AutomationVersionsTable, ContactsTable } from '../db/types.ts';
import { pastCursor, type Cursor } from '../lib/cursor.ts';

/** Inserts an automation with its first version. */
export async function insertAutomation(db: Db, row: AutomationsTable, version: AutomationVersionsTable): Promise<void> {
  await db.insertInto('automations').values(row).execute();
  await db.insertInto('automation_versions').values(version).execute();
}

/** Finds an automation of the workspace. */
export async function findAutomation(db: Db, workspaceId: string, id: string): Promise<AutomationsTable | undefined> {
  return db.selectFrom('automations').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst();
}

/** A page of the workspace's automations, newest first (limit + 1 rows), optionally of one status. */
export async function listAutomations(db: Db, workspaceId: string, limit: number, cursor: Cursor | undefined, status?: AutomationStatus): Promise<AutomationsTable[]> {
  let query = db.selectFrom('automations').selectAll().where('workspace_id', '=', workspaceId);
  if (status) query = query.where('status', '=', status);
  if (cursor) query = query.where(pastCursor(cursor));
  return query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit + 1).execute();
}

/** Writes an automation's changes; true when written. */
export async function updateAutomation(db: Db, id: string, changes: Partial<AutomationsTable>, fromStatuses?: readonly AutomationStatus[]): Promise<boolean> {
  let query = db.updateTable('automations').set(changes).where('id', '=', id);
  if (fromStatuses) query = query.where('status', 'in', fromStatuses);
  return Number((await query.executeTakeFirst()).numUpdatedRows) === 1;
}

/** Inserts a version, or rewrites it when it exists (a draft's only version). */
export async function saveVersion(db: Db, row: AutomationVersionsTable, replace: boolean): Promise<void> {
  if (replace) await db.updateTable('automation_versions').set({ definition: row.definition }).where('automation_id', '=', row.automation_id).where('version', '=', row.version).execute();
  else await db.insertInto('automation_versions').values(row).execute();
}

/** The definition (JSON text) of one version. */
export async function findVersion(db: Db, automationId: string, version: number): Promise<string | undefined> {
  const row = await db.selectFrom('automation_versions').select('definition').where('automation_id', '=', automationId).where('version', '=', version).executeTakeFirst();
  return row?.definition;
}

/** Deletes an automation (its versions, runs and their steps go with it). */
export async function deleteAutomation(db: Db, workspaceId: string, id: string): Promise<void> {
  const runs = db.selectFrom('automation_runs').select('id').where('automation_id', '=', id);
  await db.deleteFrom('automation_run_steps').where('run_id', 'in', runs).execute();
  await db.deleteFrom('automation_runs').where('automation_id', '=', id).execute();
  await db.deleteFrom('automation_versions').where('automation_id', '=', id).execute();
  await db.deleteFrom('automation_trigger_fires').where('automation_id', '=', id).execute();
  await db.deleteFrom('automations').where('workspace_id', '=', workspaceId).where('id', '=', id).execute();
}

/** The active automations of the workspace whose event trigger is one of `types`. */
export async function activeEventAutomations(db: Db, workspaceId: string, types: string[]): Promise<AutomationsTable[]> {
  return db.selectFrom('automations').selectAll().where('workspace_id', '=', workspaceId).where('trigger_type', '=', 'event').where('trigger_event', 'in', types).where('status', '=', 'active').orderBy('created_at').orderBy('id').execute();
}

/** Inserts a run unless another active run holds its active_key (the caller reads back which run holds it). */
export async function insertRunIfFree(db: Db, row: AutomationRunsTable): Promise<void> {
  await db.insertInto('automation_runs').values(row).onConflict((oc) => oc.column('active_key').doNothing()).execute();
}

/** The active run holding an active_key. */
export async function findRunByActiveKey(db: Db, key: string): Promise<AutomationRunsTable | undefined> {
  return db.selectFrom('automation_runs').selectAll().where('active_key', '=', key).executeTakeFirst();
}

/** Any run of the automation for the contact (the newest). */
export async function findAnyRun(db: Db, automationId: string, contactId: string): Promise<AutomationRunsTable | undefined> {
  return db.selectFrom('automation_runs').selectAll().where('automation_id', '=', automationId).where('contact_id', '=', contactId).orderBy('created_at', 'desc').limit(1).executeTakeFirst();
}

/** A run by id in any workspace (for the worker). */
export async function findRunById(db: Db, id: string): Promise<AutomationRunsTable | undefined> {
  return db.selectFrom('automation_runs').selectAll().where('id', '=', id).executeTakeFirst();
}

/** A run of the workspace. */
export async function findRun(db: Db, workspaceId: string, id: string): Promise<AutomationRunsTable | undefined> {
  return db.selectFrom('automation_runs').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst();
}

/** Filters of a run list. */
export interface RunFilters {
  status?: AutomationRunStatus;
  contactId?: string;
}

/** A page of an automation's runs, newest first (limit + 1 rows). */
export async function listRuns(db: Db, automationId: string, filters: RunFilters, limit: number, cursor?: Cursor): Promise<AutomationRunsTable[]> {
  let query = db.selectFrom('automation_runs').selectAll().where('automation_id', '=', automationId);
  if (filters.status) query = query.where('status', '=', filters.status);
  if (filters.contactId) query = query.where('contact_id', '=', filters.contactId);
  if (cursor) query = query.where(pastCursor(cursor));
  return query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit + 1).execute();
}

/** The active runs of some contacts of the workspace. */
export async function activeRunsOf(db: Db, workspaceId: string, contactIds: string[]): Promise<AutomationRunsTable[]> {
  if (contactIds.length === 0) return [];
  return db.selectFrom('automation_runs').selectAll().where('workspace_id', '=', workspaceId).where('contact_id', 'in', contactIds).where('status', '=', 'active').execute();
}

/** Writes a run's changes only while it is active with the token `token`; true when written. */
export async function updateRunIf(db: Db, id: string, token: number, changes: Partial<AutomationRunsTable>): Promise<boolean> {
  const result = await db.updateTable('automation_runs').set(changes).where('id', '=', id).where('status', '=', 'active').where('token', '=', token).executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Records a step a run took. */
export async function insertRunStep(db: Db, row: AutomationRunStepsTable): Promise<void> {
  await db.insertInto('automation_run_steps').values(row).execute();
}

/** Every step a run took, in order. */
export async function runSteps(db: Db, runId: string): Promise<AutomationRunStepsTable[]> {
  return db.selectFrom('automation_run_steps').selectAll().where('run_id', '=', runId).orderBy('id').execute();
}

/** A contact of the workspace (the run's contact, read fresh at each step). */
export async function findContactRow(db: Db, workspaceId: string, id: string): Promise<ContactsTable | undefined> {
  return db.selectFrom('contacts').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst();
}

/** The id of the last message a run's steps sent (automation_run_steps.message_id), if any. */
export async function lastRunMessageId(db: Db, runId: string): Promise<string | undefined> {
  const row = await db.selectFrom('automation_run_steps').select('message_id').where('run_id', '=', runId).where('message_id', 'is not', null)
    .orderBy('id', 'desc').limit(1).executeTakeFirst();
  return row?.message_id ?? undefined;
}

/** The channel of the last message a run sent (null when it sent none). */
export async function lastSentChannel(db: Db, runId: string): Promise<string | null> {
  const row = await db.selectFrom('automation_run_steps').innerJoin('messages', 'messages.id', 'automation_run_steps.message_id')
    .select('messages.channel_id').where('automation_run_steps.run_id', '=', runId).orderBy('automation_run_steps.id', 'desc').limit(1).executeTakeFirst();
  return row?.channel_id ?? null;
}

/** The active runs of the workspace waiting for one of `waitingFor` (`reply`, `custom.<name>`) for some contacts (index automation_runs_waiting), oldest first. */
export async function waitingRuns(db: Db, workspaceId: string, waitingFor: string[], contactIds: string[]): Promise<AutomationRunsTable[]> {
  if (waitingFor.length === 0 || contactIds.length === 0) return [];
  return db.selectFrom('automation_runs').selectAll().where('workspace_id', '=', workspaceId).where('waiting_for', 'in', waitingFor)
    .where('contact_id', 'in', contactIds).where('status', '=', 'active').orderBy('created_at').orderBy('id').execute();
}
