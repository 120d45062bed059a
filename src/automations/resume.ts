import type { Db } from '../db/connect.ts';
import type { AutomationRunsTable } from '../db/types.ts';
import type { EventSubscriber } from '../events/subscribers.ts';
import { ALL_CUSTOM_EVENTS } from '../events/types.ts';
import type { JobQueue } from '../jobs/queue.ts';
import { parseJson, toJson } from '../lib/json.ts';
import { nowIso } from '../lib/time.ts';
import { AUTOMATION_STEP_TASK, definitionOf } from './engine.ts';
import { matchesKeywords, type KeywordMatch } from './keywords.ts';
import * as q from './queries.ts';
import { WAITING_ANSWER } from './steps/ask.ts';
import { WAITING_REPLY } from './steps/wait-for-reply.ts';

/** An inbound message as a wait_for_reply step sees it. */
interface Reply {
  contactId: string;
  channelId: string;
  text: string;
  uuid: string;
  at: string;
  /** The option id a WhatsApp button or list reply carries (content.reply.id). */
  optionId: string | null;
}

/** A custom event as a wait_for_event step sees it. */
interface Custom {
  type: string;
  contactId: string;
  key: string | null;
  data: unknown;
}

/**
 * Resumes a waiting run in `trx` with `vars` merged into its variables: bumps its token (so its pending timeout job
 * is stale, and removes it), marks its wait as ended (resume_at now, waiting_for null) and enqueues its step job,
 * which follows the step's `next` edge. False when the run moved meanwhile.
 */
async function resume(trx: Db, queue: JobQueue, run: AutomationRunsTable, vars: Record<string, unknown>): Promise<boolean> {
  const now = nowIso();
  const variables = toJson({ ...parseJson<Record<string, unknown>>(run.variables, {}), ...vars });
  if (!await q.updateRunIf(trx, run.id, run.token, { token: run.token + 1, resume_at: now, waiting_for: null, wait_channel_id: null, variables, updated_at: now })) return false;
  if (run.resume_at !== null) await queue.removeJobs(trx, AUTOMATION_STEP_TASK, { run_id: run.id, token: run.token });
  await queue.enqueue(trx, AUTOMATION_STEP_TASK, { run_id: run.id, token: run.token + 1 });
  return true;
}

/** Resumes the runs waiting for a reply of these contacts with the first reply each accepts (channel, keywords). */
async function resumeReplies(trx: Db, queue: JobQueue, workspaceId: string, replies: Reply[]): Promise<void> {
  const runs = await q.waitingRuns(trx, workspaceId, [WAITING_REPLY, WAITING_ANSWER], [...new Set(replies.map((r) => r.contactId))]);
  for (const run of runs) {
    const step = (await definitionOf(trx, run.automation_id, run.version)).steps[run.current_step ?? ''];
    if (!step) continue;
    const keywords = run.waiting_for === WAITING_REPLY && Array.isArray(step.keywords) ? { keywords: step.keywords as string[], match: (step.match as KeywordMatch | undefined) ?? 'contains' } : null;
    const reply = replies.find((r) => r.contactId === run.contact_id && (run.wait_channel_id === null || run.wait_channel_id === r.channelId) && (keywords === null || matchesKeywords(r.text, keywords)));
    if (reply) await resume(trx, queue, run, { reply: { text: reply.text, message_uuid: reply.uuid, received_at: reply.at, ...(reply.optionId !== null && { option_id: reply.optionId }) } });
  }
}

/** Resumes the runs waiting for these custom events of their contacts, matched on the run's correlation key when it has one. */
async function resumeEvents(trx: Db, queue: JobQueue, workspaceId: string, events: Custom[]): Promise<void> {
  const runs = await q.waitingRuns(trx, workspaceId, [...new Set(events.map((e) => e.type))], [...new Set(events.map((e) => e.contactId))]);
  for (const run of runs) {
    const event = events.find((e) => e.type === run.waiting_for && e.contactId === run.contact_id && (run.correlation_key === null || run.correlation_key === e.key));
    if (event) await resume(trx, queue, run, { event: event.data });
  }
}

/**
 * The subscriber that ends waits on what a run waits for (in the event's transaction, one indexed lookup per batch,
 * never a scan of runs): an inbound `message_created` resumes its contact's runs in `wait_for_reply` and `ask` (with
 * vars.reply = {text, message_uuid, received_at, option_id}), a custom event
 * those in `wait_for_event` of its type.
 */
export const resumeSubscriber: EventSubscriber = {
  name: 'automation_waits',
  types: ['message_created', ALL_CUSTOM_EVENTS],
  async handle(trx, queue, workspaceId, events) {
    const replies: Reply[] = [];
    const customs: Custom[] = [];
    for (const e of events) {
      if (e.type === 'message_created') {
        // outbound messages (campaign batches …) are most of them: skip them without parsing
        if (!e.payload.includes('"direction":"inbound"')) continue;
        const m = parseJson<{ uuid?: string; direction?: string; channel_uuid?: string; contact?: { uuid?: string }; content?: { text?: string; reply?: { id?: string } }; created_at?: string }>(e.payload, {});
        if (m.direction === 'inbound' && m.contact?.uuid && m.uuid) {
          replies.push({ contactId: m.contact.uuid, channelId: m.channel_uuid ?? '', text: m.content?.text ?? '', uuid: m.uuid, at: m.created_at ?? e.created_at, optionId: m.content?.reply?.id ?? null });
        }
      } else {
        const c = parseJson<{ contact?: { uuid?: string }; data?: unknown; correlation_key?: string | null }>(e.payload, {});
        if (c.contact?.uuid) customs.push({ type: e.type, contactId: c.contact.uuid, key: c.correlation_key ?? null, data: c.data ?? {} });
      }
    }
    if (replies.length > 0) await resumeReplies(trx, queue, workspaceId, replies);
    if (customs.length > 0) await resumeEvents(trx, queue, workspaceId, customs);
  },
};
