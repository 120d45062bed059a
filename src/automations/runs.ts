import type { Db } from '../db/connect.ts';
import type { AutomationRunStatus } from '../db/enums.ts';
import type { ContactsTable } from '../db/types.ts';
import type { Deps } from '../deps.ts';
import { AppError, invalidField, notFound } from '../errors.ts';
import { findOrCreateContactByEmail, findOrCreateContactByPhone } from '../contacts/service.ts';
import { decodeCursor, pageOf } from '../lib/cursor.ts';
import { normalizeEmail } from '../lib/email.ts';
import { isUuid } from '../lib/ids.ts';
import { normalizePhone } from '../lib/phone.ts';
import { endRunIn, startRunIn } from './engine.ts';
import * as q from './queries.ts';
import { automationRow } from './service.ts';
import { runView, type RunView } from './view.ts';

/** The body of POST /v1/automations/:uuid/runs. */
export interface StartRunInput {
  contact: { uuid?: string; phone?: string; email?: string };
  data?: Record<string, unknown>;
  correlation_key?: string;
}

async function contactOf(trx: Db, deps: Pick<Deps, 'queue' | 'subscribers'>, workspaceId: string, ref: StartRunInput['contact']): Promise<ContactsTable> {
  const given = (['uuid', 'phone', 'email'] as const).filter((k) => ref[k] !== undefined);
  if (given.length !== 1) throw invalidField('body.contact', 'must name the contact by exactly one of uuid, phone or email');
  if (ref.uuid !== undefined) {
    const row = isUuid(ref.uuid) ? await q.findContactRow(trx, workspaceId, ref.uuid.toLowerCase()) : undefined;
    if (!row) throw new AppError(404, 'not_found', 'contact not found', [{ path: 'body.contact.uuid', message: 'is not a contact of this workspace' }]);
    return row;
  }
  if (ref.phone !== undefined) return (await findOrCreateContactByPhone(trx, deps, workspaceId, normalizePhone(ref.phone, 'body.contact.phone'), 'automation')).contact;
  return (await findOrCreateContactByEmail(trx, deps, workspaceId, normalizeEmail(ref.email!, 'body.contact.email'), 'automation')).contact;
}

/**
 * Starts a run of an active automation with an api trigger for a contact (by uuid, or by phone or email, created when
 * new), with `data` (Liquid's `trigger`) and an optional correlation key, in one transaction. 409 `conflict` when the
 * automation is not active or not api-triggered; 409 `run_active` / `already_entered` under its entry policy.
 */
export async function startAutomationRun(deps: Pick<Deps, 'db' | 'writer' | 'queue' | 'subscribers'>, workspaceId: string, id: string, input: StartRunInput): Promise<RunView> {
  const automation = await automationRow(deps.db, workspaceId, id);
  if (automation.status !== 'active') throw new AppError(409, 'conflict', `the automation is ${automation.status}; activate it to start runs`, undefined, { automation_status: automation.status });
  if (automation.trigger_type !== 'api') throw new AppError(409, 'conflict', `the automation is triggered by ${automation.trigger_event}, not by the API`, undefined, { automation_status: automation.status });
  const run = await deps.writer.run(async (trx) => {
    const contact = await contactOf(trx, deps, workspaceId, input.contact);
    const started = await startRunIn(trx, deps, automation, contact.id, input.data ?? {}, input.correlation_key ?? null);
    if (started instanceof AppError) throw started;
    return started;
  });
  deps.queue.notify();
  return runView(run);
}

/** A page of an automation's runs, newest first, filtered by status and contact. */
export async function listAutomationRuns(db: Db, workspaceId: string, id: string, query: { limit?: number; cursor?: string; status?: AutomationRunStatus; contact_uuid?: string }): Promise<{ runs: RunView[]; meta: { next_cursor: string | null } }> {
  const automation = await automationRow(db, workspaceId, id);
  const limit = query.limit ?? 20;
  const filters = { status: query.status, contactId: query.contact_uuid?.toLowerCase() };
  const page = pageOf(await q.listRuns(db, automation.id, filters, limit, decodeCursor(query.cursor)), limit, (r) => r.created_at);
  return { runs: page.items.map((r) => runView(r)), meta: { next_cursor: page.next_cursor } };
}

/** One run with every step it took. */
export async function getAutomationRun(db: Db, workspaceId: string, id: string): Promise<RunView> {
  const row = await q.findRun(db, workspaceId, id.toLowerCase());
  if (!row) throw notFound('automation run');
  return runView(row, await q.runSteps(db, row.id));
}

/** Cancels an active run (status exited, exit_reason cancelled; its pending step job becomes stale); 409 `conflict` naming `run_status` otherwise. */
export async function cancelAutomationRun(deps: Pick<Deps, 'db' | 'writer' | 'queue' | 'subscribers'>, workspaceId: string, id: string): Promise<RunView> {
  await deps.writer.run(async (trx) => {
    const row = await q.findRun(trx, workspaceId, id.toLowerCase());
    if (!row) throw notFound('automation run');
    if (row.status !== 'active' || !await endRunIn(trx, deps, row, 'exited', 'cancelled')) {
      throw new AppError(409, 'conflict', `the run is ${row.status}; only an active run can be cancelled`, undefined, { run_status: row.status });
    }
  });
  deps.queue.notify();
  return getAutomationRun(deps.db, workspaceId, id);
}
