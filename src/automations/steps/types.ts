import type { Db } from '../../db/connect.ts';
import type { AutomationRunsTable, ContactsTable } from '../../db/types.ts';
import type { Deps } from '../../deps.ts';
import type { FieldError } from '../../errors.ts';

/** A step of a definition as stored: its `type`, its settings and its edges (step ids). */
export type StepDefinition = Record<string, unknown> & { type: string };

/** What a step's run sees: the run's row, its contact, the time of this move. */
export interface RunState {
  row: AutomationRunsTable;
  contact: ContactsTable;
  now: string;
}

/**
 * What running a step gives the engine: an edge to follow (with what it recorded), a wait, or the run's end. A wait
 * parks the run (its token + 1): until `wait` (a step job with that run time, whose end follows `next`, or the step's
 * `timeoutEdge` while `waitingFor` is still set), and/or for what `waitingFor` names (`custom.<name>`, `reply` on
 * `channelId` or any channel, `webhook`), which resumes it first (automations/resume.ts, webhook-call.ts). `vars` are
 * merged into the run's variables as it moves; `messageId` is the message the step sent.
 */
export type StepResult =
  | { edge: string; messageId?: string; reason?: string; vars?: Record<string, unknown> }
  | { wait: Date | null; waitingFor?: string; channelId?: string | null; messageId?: string; vars?: Record<string, unknown> }
  | { end: 'completed' | 'failed'; reason?: string; vars?: undefined };

/** What steps may use: the store's handles and the outbound path's bus. */
export type StepDeps = Pick<Deps, 'db' | 'queue' | 'subscribers'>;

/** One edge of a step: the JSON path that names it, its name and the step id it leads to. */
export interface Edge {
  path: string;
  name: string;
  target: string;
}

/** A kind of step: how its settings are checked when a definition is saved, its edges, and how it runs. */
export interface StepKind {
  /** Checks the step's settings (not its edges' targets); `path` is the step's JSON path. */
  check(step: StepDefinition, path: string): FieldError[];
  /** Checks what the step names in the workspace (channels …); runs after check found nothing. */
  checkRefs?(db: Db, workspaceId: string, step: StepDefinition, path: string): Promise<FieldError[]>;
  /** The step's edges (only those set). */
  edges(step: StepDefinition, path: string): Edge[];
  /** True when the step waits (a cycle through it is allowed). */
  waits: boolean;
  /** The edge a wait follows when its time comes while it still waits for its event or reply (default `next`). */
  timeoutEdge?: string;
  /** Runs the step in the transaction that advances the run. */
  run(trx: Db, deps: StepDeps, run: RunState, step: StepDefinition): Promise<StepResult>;
  /** When set, runs instead of following `next` when the step's wait was resumed (not timed out): the ask step checks the answer. */
  resume?(trx: Db, deps: StepDeps, run: RunState, step: StepDefinition): Promise<StepResult>;
}

/** The edge `name` of a step when it is set to a string. */
export function edge(step: StepDefinition, name: string, path: string): Edge[] {
  const target = step[name];
  return typeof target === 'string' ? [{ path: `${path}.${name}`, name, target }] : [];
}

/** Field errors for keys of `step` that are not `allowed` (type and the edges included by the caller). */
export function unknownKeys(step: StepDefinition, allowed: readonly string[], path: string): FieldError[] {
  return Object.keys(step).filter((k) => k !== 'type' && !allowed.includes(k)).map((k) => ({ path: `${path}.${k}`, message: 'is not a setting of this step' }));
}

/** A field error when `step[name]` is set and is not a string (an edge must name a step id). */
export function edgeShape(step: StepDefinition, names: readonly string[], path: string, required: readonly string[] = []): FieldError[] {
  const out: FieldError[] = [];
  for (const name of names) {
    const value = step[name];
    if (value === undefined) {
      if (required.includes(name)) out.push({ path: `${path}.${name}`, message: 'is required' });
    } else if (typeof value !== 'string') out.push({ path: `${path}.${name}`, message: 'must be a step id' });
  }
  return out;
}
