import type { Db } from '../db/connect.ts';
import type { AutomationRunsTable, AutomationsTable } from '../db/types.ts';
import type { Deps } from '../deps.ts';
import { AppError } from '../errors.ts';
import { recordEvent } from '../events/service.ts';
import type { EventBus } from '../events/subscribers.ts';
import { newId } from '../lib/ids.ts';
import { parseJson, toJson } from '../lib/json.ts';
import { nowIso } from '../lib/time.ts';
import { messagesCommitted } from '../messages/outbound.ts';
import type { Definition } from './definition.ts';
import * as q from './queries.ts';
import { startBot } from './bot.ts';
import { STEPS } from './steps/index.ts';
import type { StepResult } from './steps/types.ts';
import { countEnd, countStart, countStep } from './stats.ts';
import { runView } from './view.ts';
import { AUTOMATION_WEBHOOK_TASK, WAITING_WEBHOOK } from './webhook-job.ts';

/** The task that runs a run's current step (or ends its wait). */
export const AUTOMATION_STEP_TASK = 'automation_step';

/** A step job: the run, and the token the run had when the job was enqueued (a job whose token is stale does nothing). */
export interface AutomationStepPayload {
  run_id: string;
  token: number;
}

declare module '../jobs/queue.ts' {
  interface TaskPayloads {
    [AUTOMATION_STEP_TASK]: AutomationStepPayload;
  }
}

/** How a run ended: completed (its path ended), exited (exit_on, cancelled), failed (a step failed), converted (its goal was reached). */
export type RunEnd = 'completed' | 'exited' | 'failed' | 'converted';

/** The definition of one version of an automation (cached: versions never change once runs use them). */
const versions = new Map<string, Definition>();
export async function definitionOf(db: Db, automationId: string, version: number): Promise<Definition> {
  const key = `${automationId}:${version}`;
  let definition = versions.get(key);
  if (!definition) {
    definition = parseJson<Definition>((await q.findVersion(db, automationId, version)) ?? null, null as unknown as Definition);
    if (!definition) throw new Error(`automation ${automationId} has no version ${version}`);
    if (versions.size > 10_000) versions.clear();
    versions.set(key, definition);
  }
  return definition;
}

/** Forgets a cached version (a draft's version is rewritten in place). */
export function forgetVersion(automationId: string, version: number): void {
  versions.delete(`${automationId}:${version}`);
}

/**
 * Starts a run of an automation's current version for a contact in `trx` under its entry policy: inserts it at the
 * start step, enqueues its first step job and records `automation_run_started`. Returns the run, or (writing nothing)
 * the refusal: 409 `run_active` naming the active run, 409 `already_entered` (policy once), 400 without the correlation
 * key per_correlation_key needs.
 */
export async function startRunIn(trx: Db, bus: EventBus, automation: AutomationsTable, contactId: string, data: Record<string, unknown>, correlationKey: string | null): Promise<AutomationRunsTable | AppError> {
  const definition = await definitionOf(trx, automation.id, automation.version);
  const policy = definition.entry.policy;
  if (policy === 'per_correlation_key' && correlationKey === null) {
    return new AppError(400, 'validation_failed', 'body.correlation_key: is required by the entry policy per_correlation_key', [{ path: 'body.correlation_key', message: 'is required by the entry policy per_correlation_key' }]);
  }
  if (policy === 'once') {
    const earlier = await q.findAnyRun(trx, automation.id, contactId);
    if (earlier && earlier.status !== 'active') {
      return new AppError(409, 'already_entered', `the contact already went through this automation (run ${earlier.id}) and its entry policy is once`, undefined, { run_uuid: earlier.id });
    }
  }
  const activeKey = policy === 'per_correlation_key' ? `${automation.id}|${contactId}|${correlationKey}` : `${automation.id}|${contactId}`;
  const now = nowIso();
  const row: AutomationRunsTable = {
    id: newId(), workspace_id: automation.workspace_id, automation_id: automation.id, version: automation.version, contact_id: contactId,
    correlation_key: correlationKey, status: 'active', current_step: definition.start, token: 1, resume_at: null, waiting_for: null, wait_channel_id: null, data: toJson(data), variables: '{}',
    active_key: activeKey, exit_reason: null, error: null, created_at: now, updated_at: now, ended_at: null,
  };
  await q.insertRunIfFree(trx, row);
  const holder = await q.findRunByActiveKey(trx, activeKey);
  if (holder && holder.id !== row.id) {
    return new AppError(409, 'run_active', `the contact already has an active run of this automation${policy === 'per_correlation_key' ? ' for this correlation key' : ''}: ${holder.id}`, undefined, { run_uuid: holder.id });
  }
  await bus.queue.enqueue(trx, AUTOMATION_STEP_TASK, { run_id: row.id, token: row.token });
  await countStart(trx, row, definition.start);
  await recordEvent(trx, bus, row.workspace_id, 'automation_run_started', runView(row));
  return row;
}

/** Ends an active run in `trx` (removing its pending wait job; any other pending step job becomes stale) and records automation_run_<end>; false when it was no longer active. */
export async function endRunIn(trx: Db, bus: EventBus, row: AutomationRunsTable, end: RunEnd, reason: string | null, now = nowIso()): Promise<boolean> {
  const changes = {
    status: end, current_step: null, resume_at: null, waiting_for: null, wait_channel_id: null, active_key: null, token: row.token + 1, updated_at: now, ended_at: now,
    exit_reason: end === 'exited' || end === 'converted' ? reason : null, error: end === 'failed' ? reason : null,
  } satisfies Partial<AutomationRunsTable>;
  if (!await q.updateRunIf(trx, row.id, row.token, changes)) return false;
  // the step job of the run's current token is pending (a wait) unless this very job is running it: remove it
  if (row.resume_at !== null) await bus.queue.removeJobs(trx, AUTOMATION_STEP_TASK, { run_id: row.id, token: row.token });
  if (row.waiting_for === WAITING_WEBHOOK) await bus.queue.removeJobs(trx, AUTOMATION_WEBHOOK_TASK, { run_id: row.id, token: row.token });
  await countEnd(trx, row, end, now);
  await recordEvent(trx, bus, row.workspace_id, `automation_run_${end}`, runView({ ...row, ...changes }));
  return true;
}

/**
 * Runs one step job in one transaction: does nothing when the run ended or moved on since the job was enqueued
 * (its token changed, so a job that runs twice never repeats a step's effect); else runs the current step (or ends
 * its wait), records it, and moves the run along the edge the step gave, enqueuing the next step's job (with a run
 * time for a wait) in that same transaction. A path that ends completes the run.
 */
export async function runStepJob(deps: Pick<Deps, 'db' | 'writer' | 'queue' | 'subscribers' | 'metrics'>, payload: AutomationStepPayload): Promise<void> {
  const sent = await deps.writer.run(async (trx) => {
    const row = await q.findRunById(trx, payload.run_id);
    if (!row || row.status !== 'active' || row.token !== payload.token || row.current_step === null) return 0;
    const definition = await definitionOf(trx, row.automation_id, row.version);
    const stepId = row.current_step;
    const step = definition.steps[stepId];
    const kind = STEPS[step.type];
    const now = nowIso();
    const record = async (outcome: string, messageId: string | null = null, reason: string | null = null, target?: string) => {
      await q.insertRunStep(trx, { id: newId(), run_id: row.id, step_id: stepId, type: step.type, outcome, message_id: messageId, reason, created_at: now });
      await countStep(trx, row, stepId, outcome, reason, target, now);
    };
    let result: StepResult;
    // the end of a wait: a wait still waiting for its event or reply timed out; a resumed one follows next (or its kind's resume)
    const resumed = row.resume_at !== null && row.waiting_for === null && kind.resume !== undefined;
    if (row.resume_at !== null && !resumed) result = { edge: row.waiting_for !== null && kind.timeoutEdge ? kind.timeoutEdge : 'next' };
    else {
      const contact = await q.findContactRow(trx, row.workspace_id, row.contact_id);
      if (!contact) return 0;
      if (row.token === 1 && definition.bot === true) await startBot(trx, deps, row, now);
      result = resumed ? await kind.resume!(trx, deps, { row, contact, now }, step) : await kind.run(trx, deps, { row, contact, now }, step);
    }
    const variables = result.vars ? { variables: toJson({ ...parseJson<Record<string, unknown>>(row.variables, {}), ...result.vars }) } : {};
    if ('wait' in result) {
      const parked = { token: row.token + 1, resume_at: result.wait?.toISOString() ?? null, waiting_for: result.waitingFor ?? null, wait_channel_id: result.channelId ?? null, updated_at: now, ...variables };
      if (!await q.updateRunIf(trx, row.id, row.token, parked)) throw new Error(`run ${row.id} moved concurrently`);
      await record('waiting', result.messageId ?? null);
      if (result.wait) await deps.queue.enqueue(trx, AUTOMATION_STEP_TASK, { run_id: row.id, token: row.token + 1 }, { runAt: result.wait });
      return result.messageId ? 1 : 0;
    }
    if ('end' in result) {
      await record(result.end, null, result.reason ?? null);
      await endRunIn(trx, deps, row, result.end, result.reason ?? null, now);
      return 0;
    }
    const target = kind.edges(step, '').find((e) => e.name === result.edge)?.target;
    await record(result.edge, result.messageId ?? null, result.reason ?? null, target);
    if (target === undefined) {
      if (result.vars) await q.updateRunIf(trx, row.id, row.token, variables);
      await endRunIn(trx, deps, row, 'completed', null, now);
    } else {
      if (!await q.updateRunIf(trx, row.id, row.token, { token: row.token + 1, current_step: target, resume_at: null, waiting_for: null, wait_channel_id: null, updated_at: now, ...variables })) throw new Error(`run ${row.id} moved concurrently`);
      await deps.queue.enqueue(trx, AUTOMATION_STEP_TASK, { run_id: row.id, token: row.token + 1 });
    }
    return result.messageId ? 1 : 0;
  });
  if (sent > 0) messagesCommitted(deps, 'outbound', sent);
  else deps.queue.notify();
}
