import type { Db } from '../db/connect.ts';
import { AppError, type FieldError } from '../errors.ts';
import { CUSTOM_EVENT_TYPE } from '../events/types.ts';
import { stepKind, STEPS } from './steps/index.ts';
import { checkTrigger, checkTriggerRefs, normalizeTrigger, triggerHasCorrelationKey, type Trigger } from './trigger-check.ts';
import type { StepDefinition } from './steps/types.ts';

/** How often a contact may enter: once ever, again once the previous run ended, or once per correlation key at a time. */
export const ENTRY_POLICIES = ['once', 'one_at_a_time', 'per_correlation_key'] as const;
/** One of ENTRY_POLICIES. */
export type EntryPolicy = (typeof ENTRY_POLICIES)[number];

/** A definition's trigger (checked in trigger-check.ts). */
export type { Trigger } from './trigger-check.ts';

/** A checked definition: the JSON stored with each version. */
export interface Definition {
  trigger: Trigger;
  entry: { policy: EntryPolicy };
  start: string;
  steps: Record<string, StepDefinition>;
  exit_on: string[];
  /** A custom event of the run's contact within `within` of the run's start: a conversion that ends the run (converted). */
  goal?: Goal;
  /** A chatbot: its runs put the contact's conversation on the run's channel `pending`/`bot_start`, and end when an agent replies there (bot.ts). */
  bot?: boolean;
}

/** A goal: the custom event that counts as a conversion and the window after the run's start it must happen in. */
export interface Goal {
  event: string;
  within: { days?: number; hours?: number; minutes?: number };
}

const GOAL_UNITS: Record<string, number> = { minutes: 60_000, hours: 3_600_000, days: 86_400_000 };

/** A goal's window in milliseconds. */
export function goalWindowMs(goal: Goal): number {
  return Object.entries(goal.within).reduce((total, [unit, n]) => total + (n ?? 0) * GOAL_UNITS[unit], 0);
}

const STEP_ID = /^[A-Za-z0-9_-]{1,64}$/;
const MAX_STEPS = 100;

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function checkEntry(entry: unknown, path: string): FieldError[] {
  if (!isObject(entry) || Object.keys(entry).some((k) => k !== 'policy')) return [{ path, message: 'must be an object {policy}' }];
  return (ENTRY_POLICIES as readonly unknown[]).includes(entry.policy) ? [] : [{ path: `${path}.policy`, message: `must be one of ${ENTRY_POLICIES.join(', ')}` }];
}

function checkExitOn(exitOn: unknown, path: string): FieldError[] {
  if (exitOn === undefined) return [];
  if (!Array.isArray(exitOn) || exitOn.length > 20) return [{ path, message: 'must be a list of at most 20 custom event types' }];
  return exitOn.flatMap((e, i) => (typeof e === 'string' && CUSTOM_EVENT_TYPE.test(e) ? [] : [{ path: `${path}.${i}`, message: 'must be a custom event type, custom.<name>' }]));
}

function checkGoal(goal: unknown, path: string): FieldError[] {
  if (goal === undefined || goal === null) return [];
  if (!isObject(goal)) return [{ path, message: 'must be an object {event, within}' }];
  const out: FieldError[] = [];
  for (const key of Object.keys(goal)) if (key !== 'event' && key !== 'within') out.push({ path: `${path}.${key}`, message: 'is not a setting of a goal' });
  if (typeof goal.event !== 'string' || !CUSTOM_EVENT_TYPE.test(goal.event)) out.push({ path: `${path}.event`, message: 'must be a custom event type, custom.<name>' });
  const within = goal.within;
  if (!isObject(within) || Object.keys(within).length === 0) return [...out, { path: `${path}.within`, message: 'must be an object of days, hours and/or minutes' }];
  const before = out.length;
  for (const [unit, value] of Object.entries(within)) {
    if (!Object.hasOwn(GOAL_UNITS, unit)) out.push({ path: `${path}.within.${unit}`, message: 'is not a unit (days, hours, minutes)' });
    else if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) out.push({ path: `${path}.within.${unit}`, message: 'must be a whole number ≥ 0' });
  }
  if (out.length === before) {
    const ms = goalWindowMs({ event: '', within: within as Goal['within'] });
    if (ms === 0 || ms > 366 * 86_400_000) out.push({ path: `${path}.within`, message: 'must be more than 0 and at most 366 days' });
  }
  return out;
}

/** Checks the graph: every edge names a step, every step is reachable from start, and every cycle goes through a wait. */
function checkGraph(steps: Record<string, StepDefinition>, start: string, path: string): FieldError[] {
  const out: FieldError[] = [];
  const next = new Map<string, { path: string; target: string }[]>();
  for (const [id, step] of Object.entries(steps)) {
    const edges = stepKind(step.type)!.edges(step, `${path}.steps.${id}`);
    for (const e of edges) if (!Object.hasOwn(steps, e.target)) out.push({ path: e.path, message: `"${e.target.slice(0, 64)}" is not a step of this automation` });
    next.set(id, edges.filter((e) => Object.hasOwn(steps, e.target)));
  }
  const seen = new Set<string>([start]);
  const queue = [start];
  while (queue.length > 0) for (const e of next.get(queue.shift()!) ?? []) if (!seen.has(e.target)) { seen.add(e.target); queue.push(e.target); }
  for (const id of Object.keys(steps)) if (!seen.has(id)) out.push({ path: `${path}.steps.${id}`, message: 'is not reachable from start' });
  // A cycle among steps that do not wait would run forever without pause: look for one with a depth-first search.
  const state = new Map<string, 'open' | 'done'>();
  const visit = (id: string): void => {
    state.set(id, 'open');
    for (const e of next.get(id) ?? []) {
      if (STEPS[steps[e.target].type].waits) continue;
      const s = state.get(e.target);
      if (s === 'open') out.push({ path: e.path, message: `makes a cycle without a wait (back to "${e.target}")` });
      else if (s === undefined) visit(e.target);
    }
    state.set(id, 'done');
  };
  for (const id of Object.keys(steps)) if (!state.has(id) && !STEPS[steps[id].type].waits) visit(id);
  return out;
}

function fail(errors: FieldError[]): AppError {
  return new AppError(400, 'validation_failed', errors.map((e) => `${e.path}: ${e.message}`).slice(0, 5).join('; '), errors);
}

/**
 * Checks a whole definition (the fields of a POST /v1/automations body, or a PATCH merged with the stored one) and
 * returns it normalized, or throws one 400 listing every problem with its JSON path under `path` (`body`): trigger
 * (trigger-check.ts), entry, exit_on, goal, each step's type and settings (Liquid included), unknown edge targets, unreachable steps, cycles
 * without a wait, then the channels (and fields) the trigger and the steps name.
 */
export async function checkDefinition(db: Db, workspaceId: string, raw: Record<string, unknown>, path = 'body'): Promise<Definition> {
  const triggerErrors = checkTrigger(raw.trigger, `${path}.trigger`);
  const errors: FieldError[] = [...triggerErrors, ...checkEntry(raw.entry ?? { policy: 'one_at_a_time' }, `${path}.entry`), ...checkExitOn(raw.exit_on, `${path}.exit_on`), ...checkGoal(raw.goal, `${path}.goal`)];
  const trigger = triggerErrors.length === 0 ? normalizeTrigger(raw.trigger as Record<string, unknown>) : null;
  if (trigger && !triggerHasCorrelationKey(trigger) && (raw.entry as { policy?: unknown } | undefined)?.policy === 'per_correlation_key') {
    errors.push({ path: `${path}.entry.policy`, message: `per_correlation_key needs a trigger that gives a correlation key (api, event, date on event data), not ${trigger.type}` });
  }
  if (raw.bot !== undefined && typeof raw.bot !== 'boolean') errors.push({ path: `${path}.bot`, message: 'must be true or false' });
  const steps = raw.steps;
  if (!isObject(steps) || Object.keys(steps).length === 0 || Object.keys(steps).length > MAX_STEPS) {
    errors.push({ path: `${path}.steps`, message: `must be an object of 1 to ${MAX_STEPS} steps by id` });
    throw fail(errors);
  }
  let shapeOk = true;
  for (const [id, step] of Object.entries(steps)) {
    const at = `${path}.steps.${id}`;
    if (!STEP_ID.test(id)) { errors.push({ path: `${path}.steps`, message: `"${id.slice(0, 64)}" is not a step id (1 to 64 letters, digits, _ or -)` }); shapeOk = false; continue; }
    if (!isObject(step)) { errors.push({ path: at, message: 'must be an object {type, …}' }); shapeOk = false; continue; }
    const kind = stepKind(step.type);
    if (!kind) { errors.push({ path: `${at}.type`, message: `must be one of ${Object.keys(STEPS).join(', ')}` }); shapeOk = false; continue; }
    const found = kind.check(step as StepDefinition, at);
    if (found.length > 0) { errors.push(...found); }
  }
  if (typeof raw.start !== 'string' || !Object.hasOwn(steps, raw.start)) {
    errors.push({ path: `${path}.start`, message: 'must be the id of one of the steps' });
  } else if (shapeOk) errors.push(...checkGraph(steps as Record<string, StepDefinition>, raw.start, path));
  if (errors.length > 0) throw fail(errors);
  errors.push(...await checkTriggerRefs(db, workspaceId, trigger!, `${path}.trigger`));
  for (const [id, step] of Object.entries(steps as Record<string, StepDefinition>)) {
    const checkRefs = STEPS[step.type].checkRefs;
    if (checkRefs) errors.push(...await checkRefs(db, workspaceId, step, `${path}.steps.${id}`));
  }
  if (errors.length > 0) throw fail(errors);
  return {
    trigger: trigger!,
    entry: (raw.entry ?? { policy: 'one_at_a_time' }) as Definition['entry'],
    start: raw.start as string,
    steps: steps as Record<string, StepDefinition>,
    exit_on: (raw.exit_on as string[] | undefined) ?? [],
    ...(raw.goal !== undefined && raw.goal !== null && { goal: { event: (raw.goal as Goal).event, within: (raw.goal as Goal).within } }),
    ...(raw.bot === true && { bot: true }),
  };
}
