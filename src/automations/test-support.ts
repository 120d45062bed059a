import assert from 'node:assert/strict';
import { waitFor, type TestBeckon } from '../../test/helpers.ts';
import { createAutomation } from '../../test/automation-fixtures.ts';

/** Creates and activates an automation; returns its uuid. */
export async function activate(beckon: TestBeckon, body: Record<string, unknown>, key?: string): Promise<string> {
  const { uuid } = await createAutomation(beckon, body, key);
  const res = await beckon.call('POST', `/v1/automations/${uuid}/activate`, { body: {}, key });
  assert.equal(res.statusCode, 200, res.body);
  return uuid;
}

/** Starts a run of an api-triggered automation (expecting 202); returns the run's uuid. */
export async function startRun(beckon: TestBeckon, automation: string, body: Record<string, unknown>): Promise<string> {
  const res = await beckon.call('POST', `/v1/automations/${automation}/runs`, { body });
  assert.equal(res.statusCode, 202, res.body);
  return res.json().run.uuid;
}

/** Waits until the run ended (not active) and returns its view. */
export function runEnded(beckon: TestBeckon, uuid: string): Promise<Record<string, any>> {
  return waitFor(`run ${uuid} ended`, async () => {
    const run = (await beckon.call('GET', `/v1/automation_runs/${uuid}`)).json().run;
    return run.status !== 'active' ? run : undefined;
  });
}

/** The [step, outcome, reason] of every step a run took. */
export const outcomes = (run: Record<string, any>) => run.steps.map((s: Record<string, unknown>) => [s.step, s.outcome, s.reason]);

/** A message's API view. */
export async function messageOf(beckon: TestBeckon, uuid: string): Promise<Record<string, any>> {
  const res = await beckon.call('GET', `/v1/messages/${uuid}`);
  assert.equal(res.statusCode, 200, res.body);
  return res.json().message;
}

/** Creates an approved template (WhatsApp, UTILITY, en unless given); returns its uuid. */
export async function template(beckon: TestBeckon, body: Record<string, unknown>): Promise<string> {
  const res = await beckon.call('POST', '/v1/templates', { body: { language: 'en', category: 'UTILITY', channel_type: 'whatsapp', ...body } });
  assert.equal(res.statusCode, 201, res.body);
  return res.json().template.uuid;
}

/** Creates a sandbox WhatsApp channel that enforces the 24-hour window; returns its uuid. */
export async function strictWhatsapp(beckon: TestBeckon): Promise<string> {
  const res = await beckon.call('POST', '/v1/channels', { body: { type: 'whatsapp', provider: 'sandbox', title: 'Strict', config: { strict: true } } });
  assert.equal(res.statusCode, 201, res.body);
  return res.json().channel.uuid;
}

/** An api automation (one run per correlation key) of `step` (id `act`) whose edges (`next`, and `skipped` on a send) lead to an exit step `done`. */
export function oneStep(step: Record<string, unknown>): Record<string, unknown> {
  const edges = step.type === 'send_message' ? { next: 'done', skipped: 'done' } : { next: 'done' };
  return { name: 'One step', trigger: { type: 'api' }, entry: { policy: 'per_correlation_key' }, start: 'act', steps: { act: { ...step, ...edges }, done: { type: 'exit' } } };
}

/** The 400's field errors of a definition that does not save. */
export async function refusedPaths(beckon: TestBeckon, body: Record<string, unknown>): Promise<{ path: string; message: string }[]> {
  const res = await beckon.call('POST', '/v1/automations', { body });
  assert.equal(res.statusCode, 400, res.body);
  assert.equal(res.json().code, 'validation_failed');
  return res.json().errors;
}
