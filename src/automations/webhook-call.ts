import { isIP } from 'node:net';
import type { Agent } from 'undici';
import { parseTemplate, renderTemplate, scopeOf, type LiquidScope } from '../campaigns/liquid.ts';
import type { AutomationRunsTable } from '../db/types.ts';
import type { Deps } from '../deps.ts';
import type { TaskContext } from '../jobs/queue.ts';
import { newId } from '../lib/ids.ts';
import { parseJson, toJson } from '../lib/json.ts';
import { AllowList, refusedReason } from '../lib/ssrf.ts';
import { undici } from '../lib/undici.ts';
import { nowIso } from '../lib/time.ts';
import { createWebhookAgent } from '../webhooks/deliver.ts';
import { webhookHeaders } from '../webhooks/sign.ts';
import { AUTOMATION_STEP_TASK, definitionOf, endRunIn } from './engine.ts';
import { countStep } from './stats.ts';
import * as q from './queries.ts';
import type { StepDefinition } from './steps/types.ts';
import { WAITING_WEBHOOK, type AutomationWebhookPayload } from './webhook-job.ts';

/** Most bytes of a webhook step's answer read (a larger answer fails the attempt). */
export const MAX_ANSWER_BYTES = 16_384;

/** The SSRF-guarded agent of a runtime's config (BECKON_WEBHOOK_ALLOW_PRIVATE, as webhook deliveries use). */
const nets = new WeakMap<object, { allow: AllowList; agent: Agent }>();
function netOf(config: Deps['config']): { allow: AllowList; agent: Agent } {
  let net = nets.get(config);
  if (!net) {
    const allow = new AllowList(config.webhookAllowPrivate);
    net = { allow, agent: createWebhookAgent(allow) };
    nets.set(config, net);
  }
  return net;
}

/** How one call ended: the answer's JSON object, or why it failed (`permanent` when retrying cannot help). */
type CallResult = { ok: true; answer: Record<string, unknown> | null } | { ok: false; error: string; permanent: boolean };

async function readAnswer(body: AsyncIterable<Buffer>): Promise<string | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.length;
    if (size > MAX_ANSWER_BYTES) return null;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** POSTs `body` to `url` through the SSRF guard (no redirects), and reads a JSON object answer of at most MAX_ANSWER_BYTES. */
async function call(deps: Pick<Deps, 'config'>, url: string, headers: Record<string, string>, body: string): Promise<CallResult> {
  const { allow, agent } = netOf(deps.config);
  const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
  const literal = isIP(host) ? refusedReason(host, allow) : null;
  if (literal) return { ok: false, error: `address refused by SSRF guard: ${literal}`, permanent: true };
  const signal = AbortSignal.timeout(deps.config.webhookTimeoutMs);
  try {
    const response = await undici().request(url, { method: 'POST', headers, body, dispatcher: agent, signal });
    const text = await readAnswer(response.body);
    if (response.statusCode < 200 || response.statusCode >= 300) return { ok: false, error: `HTTP ${response.statusCode}`, permanent: false };
    if (text === null) return { ok: false, error: `the answer is over ${MAX_ANSWER_BYTES} bytes`, permanent: false };
    if (text.trim() === '') return { ok: true, answer: null };
    let answer: unknown;
    try { answer = JSON.parse(text); } catch { return { ok: false, error: 'the answer is not JSON', permanent: false }; }
    if (answer === null || typeof answer !== 'object' || Array.isArray(answer)) return { ok: false, error: 'the answer is not a JSON object', permanent: false };
    return { ok: true, answer: answer as Record<string, unknown> };
  } catch (error) {
    if (signal.aborted) return { ok: false, error: `no answer within ${deps.config.webhookTimeoutMs} ms`, permanent: false };
    let cause: unknown = error;
    for (let depth = 0; cause && depth < 4; depth++) {
      if ((cause as { code?: string }).code === 'ERR_SSRF_REFUSED') return { ok: false, error: (cause as Error).message, permanent: true };
      cause = (cause as { cause?: unknown }).cause;
    }
    const e = error as { code?: string; message?: string };
    return { ok: false, error: e.code ? `${e.code}: ${e.message ?? ''}` : (e.message ?? String(error)), permanent: false };
  }
}

/** The body a webhook step posts: its Liquid `body` rendered, else {run, contact, trigger, vars} as JSON. */
function bodyOf(row: AutomationRunsTable, step: StepDefinition, contact: Parameters<typeof scopeOf>[0]): string {
  const trigger = parseJson<unknown>(row.data, {});
  const vars = parseJson<unknown>(row.variables, {});
  const scope = scopeOf(contact);
  if (typeof step.body === 'string') return renderTemplate(parseTemplate(step.body, 'body'), { ...scope, trigger, vars } as LiquidScope);
  const run = { uuid: row.id, automation_uuid: row.automation_id, version: row.version, step: row.current_step, correlation_key: row.correlation_key };
  return toJson({ run, contact: scope.contact, trigger, vars });
}

/**
 * Runs an automation_webhook job: when the run still waits on this job's webhook step (same token), POSTs the signed
 * body outside any transaction; then, in one transaction guarded by the token, keeps a JSON answer in
 * `vars.<save_as>` and resumes the run (its step job follows `next`). A failed call throws so the queue retries it
 * with backoff; on the last attempt (or a refusal by the SSRF guard) the run ends `failed` with the reason.
 */
export async function runWebhookJob(deps: Pick<Deps, 'db' | 'writer' | 'queue' | 'subscribers' | 'config'>, payload: AutomationWebhookPayload, context: TaskContext): Promise<void> {
  const current = (row: AutomationRunsTable | undefined): row is AutomationRunsTable =>
    row !== undefined && row.status === 'active' && row.token === payload.token && row.waiting_for === WAITING_WEBHOOK && row.current_step !== null;
  const row = await q.findRunById(deps.db, payload.run_id);
  if (!current(row)) return;
  const step = (await definitionOf(deps.db, row.automation_id, row.version)).steps[row.current_step!];
  const contact = await q.findContactRow(deps.db, row.workspace_id, row.contact_id);
  if (!contact) return;
  let result: CallResult;
  try {
    const body = bodyOf(row, step, contact);
    const msgId = `${row.id}.${row.token}`;
    result = await call(deps, step.url as string, webhookHeaders([step.secret as string], msgId, new Date(), body), body);
  } catch (error) {
    result = { ok: false, error: `render_failed: ${(error instanceof Error ? error.message : String(error)).split('\n')[0]}`, permanent: true };
  }
  if (!result.ok && !result.permanent && context.attempt < context.maxAttempts) throw new Error(`webhook step ${row.current_step}: ${result.error}`);
  await deps.writer.run(async (trx) => {
    const fresh = await q.findRunById(trx, payload.run_id);
    if (!current(fresh)) return;
    const now = nowIso();
    if (!result.ok) {
      const reason = `webhook_failed: ${result.error} (attempt ${context.attempt} of ${context.maxAttempts})`;
      await q.insertRunStep(trx, { id: newId(), run_id: fresh.id, step_id: fresh.current_step!, type: step.type, outcome: 'failed', message_id: null, reason, created_at: now });
      await countStep(trx, fresh, fresh.current_step!, 'failed', reason, undefined, now);
      await endRunIn(trx, deps, fresh, 'failed', reason, now);
      return;
    }
    const variables = typeof step.save_as === 'string' ? toJson({ ...parseJson<Record<string, unknown>>(fresh.variables, {}), [step.save_as]: result.answer ?? {} }) : fresh.variables;
    if (!await q.updateRunIf(trx, fresh.id, fresh.token, { token: fresh.token + 1, resume_at: now, waiting_for: null, variables, updated_at: now })) return;
    await deps.queue.enqueue(trx, AUTOMATION_STEP_TASK, { run_id: fresh.id, token: fresh.token + 1 });
  });
  deps.queue.notify();
}
