import type { Db } from '../db/connect.ts';
import type { AutomationRunsTable } from '../db/types.ts';
import { addCounters, type CounterIncrement } from './stats-queries.ts';

// The counters behind GET /v1/automations/:uuid/stats, written by the engine in the transaction of each run's move.
// Step counters: entered, completed:<edge or outcome>, skipped:<reason>, failed, waiting (a wait began), wait_left
// (a wait ended: resumed, or the run ended while waiting). Run counters (step ''): started and each end.

/** Which edges count a step as skipped (by its reason). */
const SKIPPED_EDGE = 'skipped';

function inc(stepId: string, counter: string): CounterIncrement {
  return { stepId, counter, by: 1 };
}

/** Counts a run's start in `trx`: the run started, its first step entered. */
export async function countStart(trx: Db, row: AutomationRunsTable, startStep: string): Promise<void> {
  await addCounters(trx, row.automation_id, row.created_at.slice(0, 10), [inc('', 'started'), inc(startStep, 'entered')]);
}

/** Counts a run's end in `trx` (completed, exited, failed, converted); a run that ended while waiting leaves its wait. */
export async function countEnd(trx: Db, row: AutomationRunsTable, end: string, now: string): Promise<void> {
  const increments = [inc('', end)];
  // a run parked on a wait (a timeout job) or on a webhook call (no timeout) leaves its wait
  if ((row.resume_at !== null || row.waiting_for !== null) && row.current_step !== null) increments.push(inc(row.current_step, 'wait_left'));
  await addCounters(trx, row.automation_id, now.slice(0, 10), increments);
}

/**
 * Counts one step's record in `trx`: `outcome` is the edge followed, `waiting`, `completed` or `failed` (the run's end,
 * counted by countEnd, leaves the wait there); a step that resumed from a wait leaves it; `target` is the step entered next.
 */
export async function countStep(trx: Db, row: AutomationRunsTable, stepId: string, outcome: string, reason: string | null, target: string | undefined, now: string): Promise<void> {
  const increments: CounterIncrement[] = [];
  const ends = outcome === 'completed' || outcome === 'failed';
  if (row.resume_at !== null && !ends) increments.push(inc(stepId, 'wait_left'));
  if (outcome === 'waiting') increments.push(inc(stepId, 'waiting'));
  else if (outcome === 'failed') increments.push(inc(stepId, 'failed'));
  else increments.push(inc(stepId, `completed:${outcome}`));
  if (outcome === SKIPPED_EDGE) increments.push(inc(stepId, `skipped:${reason ?? 'unknown'}`));
  if (target !== undefined) increments.push(inc(target, 'entered'));
  await addCounters(trx, row.automation_id, now.slice(0, 10), increments);
}
