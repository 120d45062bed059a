import type { Db } from '../db/connect.ts';
import { invalidField } from '../errors.ts';
import { parseJson } from '../lib/json.ts';
import type { Definition } from './definition.ts';
import { automationRow } from './service.ts';
import { counterSums, type CounterSum } from './stats-queries.ts';

/** The run counters, as totals and per day. */
const RUN_ENDS = ['completed', 'exited', 'failed', 'converted'] as const;

/** One step's figures (every version of the automation). */
export interface StepStats {
  step: string;
  type: string | null;
  entered: number;
  completed: Record<string, number>;
  waiting_now: number;
  skipped: Record<string, number>;
  failed: number;
}

/** The run figures of the whole automation or of one UTC day. */
export interface RunStats {
  started: number;
  completed: number;
  exited: number;
  failed: number;
  converted: number;
}

/** GET /v1/automations/:uuid/stats. */
export interface AutomationStats {
  automation_uuid: string;
  runs: RunStats & { active: number; conversion_rate: number };
  steps: StepStats[];
  timeline: (RunStats & { day: string })[];
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const DAY_MS = 86_400_000;
/** Longest timeline: 366 days. */
const MAX_DAYS = 366;

function dayOf(value: string | undefined, path: string): number | undefined {
  if (value === undefined) return undefined;
  const ms = DAY.test(value) ? Date.parse(`${value}T00:00:00Z`) : NaN;
  if (Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== value) throw invalidField(path, 'must be a UTC day, YYYY-MM-DD');
  return ms;
}

function emptyRuns(): RunStats {
  return { started: 0, completed: 0, exited: 0, failed: 0, converted: 0 };
}

function addRun(runs: RunStats, counter: string, value: number): void {
  if (counter === 'started' || (RUN_ENDS as readonly string[]).includes(counter)) runs[counter as keyof RunStats] += value;
}

function stepStats(definition: Definition, sums: CounterSum[]): StepStats[] {
  const steps = new Map<string, StepStats & { left: number; waits: number }>();
  const stepOf = (id: string) => {
    let s = steps.get(id);
    if (!s) steps.set(id, s = { step: id, type: definition.steps[id]?.type ?? null, entered: 0, completed: {}, waiting_now: 0, skipped: {}, failed: 0, left: 0, waits: 0 });
    return s;
  };
  for (const id of Object.keys(definition.steps)) stepOf(id);
  for (const { step_id: id, counter, value } of sums) {
    if (id === '') continue;
    const s = stepOf(id);
    if (counter === 'entered') s.entered += value;
    else if (counter === 'failed') s.failed += value;
    else if (counter === 'waiting') s.waits += value;
    else if (counter === 'wait_left') s.left += value;
    else if (counter.startsWith('completed:')) s.completed[counter.slice(10)] = (s.completed[counter.slice(10)] ?? 0) + value;
    else if (counter.startsWith('skipped:')) s.skipped[counter.slice(8)] = (s.skipped[counter.slice(8)] ?? 0) + value;
  }
  const current = Object.keys(definition.steps).length;
  const ordered = [...steps.values()];
  ordered.splice(current, Infinity, ...ordered.slice(current).sort((a, b) => (a.step < b.step ? -1 : 1)));
  return ordered.map(({ left, waits, ...s }) => ({ ...s, waiting_now: waits - left }));
}

/**
 * An automation's stats over all its versions, read from its counters (never from its runs): runs started, active,
 * completed, exited, failed and converted with the conversion rate (converted / started), per step (the current
 * version's steps first, then steps only older versions had, type null) entered, completed by edge or outcome, waiting
 * now, skipped by reason and failed, and a daily timeline of UTC days from `from` (default: the first day with a
 * count, or `to`) to `to` (default: today), every day listed; at most 366 days (400 naming query.from otherwise).
 */
export async function getAutomationStats(db: Db, workspaceId: string, id: string, query: { from?: string; to?: string }): Promise<AutomationStats> {
  const automation = await automationRow(db, workspaceId, id);
  const toMs = dayOf(query.to, 'query.to') ?? Date.parse(`${new Date().toISOString().slice(0, 10)}T00:00:00Z`);
  let fromMs = dayOf(query.from, 'query.from');
  if (fromMs !== undefined && fromMs > toMs) throw invalidField('query.from', 'must not be after query.to');
  const sums = await counterSums(db, automation.id);
  if (fromMs === undefined) {
    const first = sums.find((s) => s.step_id === '')?.day;
    fromMs = first ? Math.min(Date.parse(`${first}T00:00:00Z`), toMs) : toMs;
    fromMs = Math.max(fromMs, toMs - (MAX_DAYS - 1) * DAY_MS);
  }
  if ((toMs - fromMs) / DAY_MS + 1 > MAX_DAYS) throw invalidField('query.from', `must be at most ${MAX_DAYS} days before query.to`);
  const totals = emptyRuns();
  const days = new Map<string, RunStats & { day: string }>();
  for (let ms = fromMs; ms <= toMs; ms += DAY_MS) {
    const day = new Date(ms).toISOString().slice(0, 10);
    days.set(day, { day, ...emptyRuns() });
  }
  for (const s of sums) {
    if (s.step_id !== '') continue;
    addRun(totals, s.counter, s.value);
    const day = days.get(s.day);
    if (day) addRun(day, s.counter, s.value);
  }
  const ended = RUN_ENDS.reduce((n, end) => n + totals[end], 0);
  const definition = parseJson<Definition>(automation.definition, { steps: {} } as unknown as Definition);
  return {
    automation_uuid: automation.id,
    runs: { ...totals, active: totals.started - ended, conversion_rate: totals.started === 0 ? 0 : Math.round((totals.converted / totals.started) * 10_000) / 10_000 },
    steps: stepStats(definition, sums),
    timeline: [...days.values()],
  };
}
