import { sql } from 'kysely';
import type { Db } from '../../db/connect.ts';
import { jsonSql } from '../../db/dialect.ts';
import { rowCache } from '../../db/sqlite-generations.ts';
import type { AutomationTriggerType } from '../../db/enums.ts';
import type { AutomationsTable } from '../../db/types.ts';
import { nowIso } from '../../lib/time.ts';

/**
 * The workspace's active automations of one trigger type (index automations_trigger_type), optionally only those whose
 * lookup key (trigger_event) is one of `keys` — a null among them also takes the automations without a key.
 */
export async function activeByTrigger(db: Db, workspaceId: string, type: AutomationTriggerType, keys?: (string | null)[]): Promise<readonly AutomationsTable[]> {
  const named = keys && [...new Set(keys.filter((k): k is string => k !== null))].sort();
  const anyKey = keys?.includes(null) ?? false;
  if (named && named.length === 0 && !anyKey) return [];
  // on SQLite every event of a workspace asks this in its transaction: answered from memory until an automation changes
  const key = `${workspaceId}|${type}|${named ? `${anyKey ? 'null,' : ''}${named.join(',')}` : '*'}`;
  return (await cachedActive(db, key, () => {
    let query = db.selectFrom('automations').selectAll().where('workspace_id', '=', workspaceId).where('trigger_type', '=', type).where('status', '=', 'active');
    if (named) query = query.where((eb) => eb.or([...(named.length > 0 ? [eb('trigger_event', 'in', named)] : []), ...(anyKey ? [eb('trigger_event', 'is', null)] : [])]));
    return query.orderBy('created_at').orderBy('id').execute();
  }))!;
}
const cachedActive = rowCache<readonly AutomationsTable[]>('automations');

/** An automation by id in any workspace (for the trigger tasks). */
export async function findAutomationById(db: Db, id: string): Promise<AutomationsTable | undefined> {
  return db.selectFrom('automations').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Records a one-time start of an automation under `key`; false when it was already recorded (the start is not made again). */
export async function insertFireIfAbsent(db: Db, automationId: string, key: string): Promise<boolean> {
  const inserted = await db.insertInto('automation_trigger_fires').values({ automation_id: automationId, fire_key: key, created_at: nowIso() })
    .onConflict((oc) => oc.columns(['automation_id', 'fire_key']).doNothing()).returning('fire_key').executeTakeFirst();
  return inserted !== undefined;
}

/** A contact's id, custom fields and creation time (the page cursor), as a date scan reads them. */
export interface DatedContact {
  id: string;
  custom_fields: string;
  created_at: string;
}

/** Where a date scan's previous page ended: the last contact's (created_at, id). */
export interface ContactCursor {
  created_at: string;
  id: string;
}

/**
 * A page (after `after`, in (created_at, id) order) of the workspace's contacts whose custom field `field` is one of
 * `dates` (YYYY-MM-DD), or, `yearly`, falls on one of their month-days (MM-DD of each). Walks the index
 * contacts_workspace_created page by page: one pass over the workspace's contacts per day and date automation, never
 * a scan of runs (a custom field inside JSON has no index of its own).
 */
export async function contactsWithDates(db: Db, workspaceId: string, field: string, dates: string[], yearly: boolean, after: ContactCursor | null, limit: number): Promise<DatedContact[]> {
  const value = jsonSql(db).textAt('contacts.custom_fields', [field], '');
  const wanted = yearly ? [...new Set(dates.map((d) => d.slice(5)))] : dates;
  const test = yearly ? sql<boolean>`substr(${value}, 6, 5) in (${sql.join(wanted)})` : sql<boolean>`${value} in (${sql.join(wanted)})`;
  let query = db.selectFrom('contacts').select(['id', 'custom_fields', 'created_at']).where('workspace_id', '=', workspaceId).where(test);
  if (after) query = query.where((eb) => eb.or([eb('created_at', '>', after.created_at), eb.and([eb('created_at', '=', after.created_at), eb('id', '>', after.id)])]));
  return query.orderBy('created_at').orderBy('id').limit(limit).execute();
}
