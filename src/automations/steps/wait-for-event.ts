import type { FieldError } from '../../errors.ts';
import { CUSTOM_EVENT_TYPE } from '../../events/types.ts';
import { checkDuration, durationMs } from './duration.ts';
import { edge, edgeShape, unknownKeys, type Edge, type StepKind } from './types.ts';

/** A step's `timeout_next` edge, named `timeout` (the outcome a wait that timed out records). */
export function timeoutEdge(step: Record<string, unknown>, path: string): Edge[] {
  return typeof step.timeout_next === 'string' ? [{ path: `${path}.timeout_next`, name: 'timeout', target: step.timeout_next }] : [];
}

/** Checks a wait's required `timeout` (a duration > 0). */
export function checkTimeout(timeout: unknown, path: string): FieldError[] {
  const out = checkDuration(timeout, path);
  if (out.length === 0 && durationMs(timeout) <= 0) out.push({ path, message: 'must be longer than 0' });
  return out;
}

/**
 * `wait_for_event`: waits for a custom event `event` (`custom.<name>`) of the run's contact — with the run's
 * correlation key when the run has one — then follows `next` with the event's data in `vars.event`; when `timeout`
 * passes first, follows `timeout_next`. The automations/resume.ts subscriber resumes it in the event's transaction.
 */
export const waitForEventStep: StepKind = {
  waits: true,
  timeoutEdge: 'timeout',
  check(step, path) {
    const out: FieldError[] = [...unknownKeys(step, ['event', 'timeout', 'next', 'timeout_next'], path), ...edgeShape(step, ['next', 'timeout_next'], path)];
    if (typeof step.event !== 'string' || !CUSTOM_EVENT_TYPE.test(step.event)) out.push({ path: `${path}.event`, message: 'must be a custom event type, custom.<name>' });
    out.push(...checkTimeout(step.timeout, `${path}.timeout`));
    return out;
  },
  edges: (step, path) => [...edge(step, 'next', path), ...timeoutEdge(step, path)],
  async run(_trx, _deps, run, step) {
    return { wait: new Date(Date.parse(run.now) + durationMs(step.timeout)), waitingFor: step.event as string };
  },
};
