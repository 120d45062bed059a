import assert from 'node:assert/strict';
import { waitFor, type TestBeckon } from '../../test/helpers.ts';
import { createAutomation } from '../../test/automation-fixtures.ts';

/** Creates and activates an automation, returning its uuid. */
export async function activate(beckon: TestBeckon, body: Record<string, unknown>, key?: string): Promise<string> {
  const { uuid } = await createAutomation(beckon, body, key);
  const res = await beckon.call('POST', `/v1/automations/${uuid}/activate`, { body: {}, key });
  assert.equal(res.statusCode, 200, res.body);
  return uuid;
}

/** Starts a run of an api-triggered automation expecting 202; returns the run. */
export async function startRun(beckon: TestBeckon, automation: string, body: Record<string, unknown>): Promise<Record<string, any>> {
  const res = await beckon.call('POST', `/v1/automations/${automation}/runs`, { body });
  assert.equal(res.statusCode, 202, res.body);
  return res.json().run;
}

/** GET /v1/automation_runs/:uuid. */
export async function runOf(beckon: TestBeckon, uuid: string): Promise<Record<string, any>> {
  const res = await beckon.call('GET', `/v1/automation_runs/${uuid}`);
  assert.equal(res.statusCode, 200, res.body);
  return res.json().run;
}

/** Polls a run until `what` holds. */
export function waitForRun(beckon: TestBeckon, uuid: string, what: (run: Record<string, any>) => boolean): Promise<Record<string, any>> {
  return waitFor(`run ${uuid}`, async () => {
    const run = await runOf(beckon, uuid);
    return what(run) ? run : undefined;
  });
}

/** A run's steps as [step, outcome, reason]. */
export const outcomes = (run: Record<string, any>) => run.steps.map((s: Record<string, unknown>) => [s.step, s.outcome, s.reason]);

/** The pending jobs of a task as [run_id, token, runAt]. */
export async function jobsOf(beckon: TestBeckon, task: string): Promise<[string, number, string][]> {
  return (await beckon.runtime.deps.queue.jobs(task)).map((j) => {
    const p = j.payload as { run_id: string; token: number };
    return [p.run_id, p.token, new Date(j.runAt).toISOString()];
  });
}

/** A contact's tags. */
export async function tagsOf(beckon: TestBeckon, uuid: string): Promise<string[]> {
  return (await beckon.call('GET', `/v1/contacts/${uuid}`)).json().contact.tags;
}

/** POSTs a custom event expecting 202. */
export async function sendEvent(beckon: TestBeckon, body: Record<string, unknown>): Promise<void> {
  const res = await beckon.call('POST', '/v1/events', { body });
  assert.equal(res.statusCode, 202, res.body);
}

/** The errors of a definition refused with 400. */
export async function refused(beckon: TestBeckon, body: Record<string, unknown>): Promise<{ path: string; message: string }[]> {
  const res = await beckon.call('POST', '/v1/automations', { body });
  assert.equal(res.statusCode, 400, res.body);
  assert.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8');
  return res.json().errors;
}

function sorted<T>(list: T[]): T[] {
  return [...list].sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));
}

/**
 * Waits until the pending jobs of a task are exactly `expected` ([run_id, token, runAt], any order): a job whose task
 * just finished is deleted a moment later (completions are deleted together), so the list is read until it settles.
 * Fails with the last list read when it never equals `expected`.
 */
export async function expectJobs(beckon: TestBeckon, task: string, expected: [string, number, string][], message?: string): Promise<void> {
  let last: [string, number, string][] = [];
  try {
    await waitFor(`jobs of ${task}`, async () => {
      last = await jobsOf(beckon, task);
      return JSON.stringify(sorted(last)) === JSON.stringify(sorted(expected));
    }, 5_000);
  } catch {
    assert.deepEqual(sorted(last), sorted(expected), message);
  }
}

/** Like expectJobs, comparing only the runs the jobs belong to. */
export async function expectJobRuns(beckon: TestBeckon, task: string, runIds: string[], message?: string): Promise<void> {
  let last: string[] = [];
  try {
    await waitFor(`jobs of ${task}`, async () => {
      last = (await jobsOf(beckon, task)).map(([id]) => id);
      return JSON.stringify(last.sort()) === JSON.stringify([...runIds].sort());
    }, 5_000);
  } catch {
    assert.deepEqual(last.sort(), [...runIds].sort(), message);
  }
}
