import type { FieldError } from '../../errors.ts';
import { checkTemplate } from '../../campaigns/liquid.ts';
import { SECRET_PREFIX } from '../../webhooks/sign.ts';
import { AUTOMATION_WEBHOOK_TASK, WAITING_WEBHOOK } from '../webhook-job.ts';
import { edge, edgeShape, unknownKeys, type StepKind } from './types.ts';

/** Most characters of a webhook step's Liquid body. */
export const MAX_WEBHOOK_BODY = 16_384;
/** Attempts a webhook step makes by default. */
export const DEFAULT_WEBHOOK_ATTEMPTS = 3;
const SAVE_AS = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
const SECRET = /^whsec_[A-Za-z0-9+/]{22,}={0,2}$/;

/**
 * `webhook`: POSTs `{run, contact, trigger, vars}` (or the Liquid `body`) to `url`, signed with `secret` (Standard
 * Webhooks headers), then follows `next`; a JSON object answer is kept in `vars.<save_as>`. The call is its own
 * `automation_webhook` job (never inside the step's transaction), tried `attempts` times (default 3) with the queue's
 * backoff; when they are spent (or the SSRF guard refuses the address) the run ends `failed` with the reason.
 */
export const webhookStep: StepKind = {
  waits: false,
  check(step, path) {
    const out: FieldError[] = [...unknownKeys(step, ['url', 'secret', 'body', 'save_as', 'attempts', 'next'], path), ...edgeShape(step, ['next'], path)];
    let url: URL | null = null;
    try { url = typeof step.url === 'string' && step.url.length <= 2048 ? new URL(step.url) : null; } catch { url = null; }
    if (!url || !['http:', 'https:'].includes(url.protocol) || url.username || url.password) out.push({ path: `${path}.url`, message: 'must be an http(s) URL without credentials, at most 2048 characters' });
    if (typeof step.secret !== 'string' || !SECRET.test(step.secret)) out.push({ path: `${path}.secret`, message: `must be a Standard Webhooks secret: ${SECRET_PREFIX} and base64 of at least 16 bytes` });
    if (step.save_as !== undefined && (typeof step.save_as !== 'string' || !SAVE_AS.test(step.save_as))) out.push({ path: `${path}.save_as`, message: 'must be a variable name (a letter or _, then letters, digits or _; at most 64)' });
    if (step.attempts !== undefined && (typeof step.attempts !== 'number' || !Number.isInteger(step.attempts) || step.attempts < 1 || step.attempts > 10)) out.push({ path: `${path}.attempts`, message: 'must be a whole number from 1 to 10' });
    if (step.body !== undefined) {
      if (typeof step.body !== 'string' || step.body.length === 0 || step.body.length > MAX_WEBHOOK_BODY) out.push({ path: `${path}.body`, message: `must be a text of 1 to ${MAX_WEBHOOK_BODY} characters` });
      else {
        try { checkTemplate(step.body, `${path}.body`); } catch (error) { out.push({ path: `${path}.body`, message: (error as { errors?: FieldError[] }).errors?.[0]?.message ?? String(error) }); }
      }
    }
    return out;
  },
  edges: (step, path) => edge(step, 'next', path),
  async run(trx, deps, run, step) {
    // the run parks with token + 1 (waiting_for webhook); the job carries that token, so a cancel makes it stale
    await deps.queue.enqueue(trx, AUTOMATION_WEBHOOK_TASK, { run_id: run.row.id, token: run.row.token + 1 }, { maxAttempts: (step.attempts as number | undefined) ?? DEFAULT_WEBHOOK_ATTEMPTS });
    return { wait: null, waitingFor: WAITING_WEBHOOK };
  },
};
