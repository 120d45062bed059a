import { checkValue, definitionsByKey } from '../../contacts/custom-fields/service.ts';
import { updateContactIn } from '../../contacts/service.ts';
import type { FieldError } from '../../errors.ts';
import { parseJson } from '../../lib/json.ts';
import { enqueueMessage, messageRow } from '../../messages/outbound.ts';
import { sendRuleRefusal } from '../../messages/rules.ts';
import { providerModule } from '../../providers/index.ts';
import { checkAskOptions, chosenOption, interactiveOf, numberedMenu, optionEdges } from './ask-options.ts';
import { durationMs } from './duration.ts';
import { checkLiquid, render, renderFailure, runScope } from './liquid.ts';
import { runChannel } from './run-channel.ts';
import { edge, edgeShape, unknownKeys, type RunState, type StepDefinition, type StepDeps, type StepKind, type StepResult } from './types.ts';
import { checkTimeout, timeoutEdge } from './wait-for-event.ts';
import type { Db } from '../../db/connect.ts';

/** What a run waiting for the answer to a question has in `waiting_for`. */
export const WAITING_ANSWER = 'answer';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const VAR_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
const FIELD_KEY = /^[a-z][a-z0-9_]{0,63}$/;
const SETTINGS = ['channel_uuid', 'text', 'buttons', 'list', 'subject', 'save_to_field', 'save_as', 'retry_text', 'max_retries', 'timeout', 'next', 'fallback', 'timeout_next'];
/** What an unrecognised answer gets when the step sets no retry_text. */
export const DEFAULT_RETRY_TEXT = 'Sorry, I did not understand. Please choose one of the options.';
const MAX_RETRIES = 5;
/** The run variable that counts the question's retries while it waits. */
const RETRIES = 'ask_retries';

/** The `fallback` edge (the run completes when it is not set). */
function fallbackEdge(reason: string): { edge: string; reason: string } {
  return { edge: 'fallback', reason };
}

/** Sends the question (`body` with the options) to the run's contact, then waits for the answer; `retries` so far go into the run's variables. */
async function ask(trx: Db, deps: StepDeps, run: RunState, step: StepDefinition, bodySource: string, retries: number): Promise<StepResult> {
  const { contact, now } = run;
  const channel = await runChannel(trx, run.row, step.channel_uuid);
  if (!channel) return fallbackEdge('channel_unavailable');
  const address = channel.type === 'email' ? contact.email : contact.phone;
  if (address === null) return fallbackEdge('no_address');
  const refusal = await sendRuleRefusal(trx, channel, contact, { template: false, marketing: false, optinContact: false }, now);
  if (refusal) return fallbackEdge(refusal.code);
  try {
    const scope = runScope(run);
    const body = render(bodySource, scope);
    const interactive = channel.type === 'whatsapp' && providerModule(channel.provider)?.interactive === true;
    const subject = channel.type === 'email' ? render(typeof step.subject === 'string' ? step.subject : 'A question for you', scope) : null;
    const message = messageRow({
      direction: 'outbound', channel, contactId: contact.id, address, now, subject,
      ...(interactive ? { type: 'interactive', content: { text: body, interactive: interactiveOf(step) } } : { type: 'text', content: { text: numberedMenu(body, step) } }),
      metadata: { automation_uuid: run.row.automation_id, automation_run_uuid: run.row.id },
    });
    await enqueueMessage(trx, deps, message);
    return { wait: new Date(Date.parse(now) + durationMs(step.timeout)), waitingFor: WAITING_ANSWER, channelId: channel.id, messageId: message.id, vars: { [RETRIES]: retries } };
  } catch (error) {
    return renderFailure(error);
  }
}

/** Saves the chosen option's title to the contact's custom field `save_to_field` (a value the field refuses is left out: the reason says so). */
async function saveToField(trx: Db, deps: StepDeps, run: RunState, key: string, value: string): Promise<string | undefined> {
  const definitions = await definitionsByKey(trx, run.contact.workspace_id);
  const checked = checkValue(definitions.get(key), value);
  if ('error' in checked) return `invalid_fields: ${key}`;
  await updateContactIn(trx, deps, run.contact.workspace_id, run.contact, { custom_fields: { [key]: checked.value } }, definitions);
  return undefined;
}

/**
 * `ask`: asks the run's contact a question — `text` (Liquid) with reply `buttons` (1 to 3, titles ≤ 20 characters) or a
 * `list` ({button, rows}: 1 to 10 rows, titles ≤ 24) — on `channel_uuid` (default: the channel of the triggering
 * message): a WhatsApp Cloud `interactive` message, a numbered menu as text elsewhere (sandbox, SMS, email with
 * `subject`). The contact's next message on that channel is the answer: a button/list reply's option id, or the
 * option's number, title or id (folded). A recognised answer is saved ({id, title, text} in `vars.<save_as>`, default
 * `answer`; its title in the custom field `save_to_field`) and follows the option's own `next`, else `next`; an
 * unrecognised one asks again with `retry_text` up to `max_retries` (default 1) times, then follows `fallback` (the run completes without one); no
 * answer within `timeout` follows `timeout_next`. A send refused (opted out, the 24-hour window…) follows `fallback`.
 */
export const askStep: StepKind = {
  waits: true,
  timeoutEdge: 'timeout',
  check(step, path) {
    const out: FieldError[] = [...unknownKeys(step, SETTINGS, path), ...edgeShape(step, ['next', 'fallback', 'timeout_next'], path), ...checkAskOptions(step, path)];
    if (step.channel_uuid !== undefined && (typeof step.channel_uuid !== 'string' || !UUID.test(step.channel_uuid))) out.push({ path: `${path}.channel_uuid`, message: 'must be the uuid of a channel' });
    out.push(...checkLiquid(step.text, `${path}.text`, true, 1024), ...checkLiquid(step.retry_text, `${path}.retry_text`, false, 1024), ...checkLiquid(step.subject, `${path}.subject`, false, 998));
    if (step.save_as !== undefined && (typeof step.save_as !== 'string' || !VAR_NAME.test(step.save_as) || step.save_as === RETRIES || step.save_as === 'reply')) out.push({ path: `${path}.save_as`, message: 'must be a variable name (letters, digits, _), not reply or ask_retries' });
    if (step.save_to_field !== undefined && (typeof step.save_to_field !== 'string' || !FIELD_KEY.test(step.save_to_field))) out.push({ path: `${path}.save_to_field`, message: 'must be the key of a custom field' });
    if (step.max_retries !== undefined && (!Number.isInteger(step.max_retries) || (step.max_retries as number) < 0 || (step.max_retries as number) > MAX_RETRIES)) out.push({ path: `${path}.max_retries`, message: `must be a whole number from 0 to ${MAX_RETRIES}` });
    out.push(...checkTimeout(step.timeout, `${path}.timeout`));
    return out;
  },
  async checkRefs(db, workspaceId, step, path) {
    const out: FieldError[] = [];
    if (typeof step.channel_uuid === 'string' && !await runChannel(db, { workspace_id: workspaceId, data: '{}' }, step.channel_uuid)) out.push({ path: `${path}.channel_uuid`, message: 'is not a channel of this workspace' });
    if (typeof step.save_to_field === 'string' && !(await definitionsByKey(db, workspaceId)).has(step.save_to_field)) out.push({ path: `${path}.save_to_field`, message: 'is not a custom field of this workspace' });
    return out;
  },
  edges: (step, path) => [...edge(step, 'next', path), ...edge(step, 'fallback', path), ...timeoutEdge(step, path), ...optionEdges(step, path)],
  run: (trx, deps, run, step) => ask(trx, deps, run, step, step.text as string, 0),
  async resume(trx, deps, run, step) {
    const vars = parseJson<Record<string, unknown>>(run.row.variables, {});
    const reply = (vars.reply ?? { text: '' }) as { text: string; option_id?: string; message_uuid?: string };
    const chosen = chosenOption(step, reply);
    if (!chosen) {
      const retries = typeof vars[RETRIES] === 'number' ? vars[RETRIES] as number : 0;
      if (retries >= ((step.max_retries as number | undefined) ?? 1)) return { ...fallbackEdge('unrecognised_answer'), vars: { [RETRIES]: null } };
      return ask(trx, deps, run, step, typeof step.retry_text === 'string' ? step.retry_text : DEFAULT_RETRY_TEXT, retries + 1);
    }
    const { option, index } = chosen;
    const reason = typeof step.save_to_field === 'string' ? await saveToField(trx, deps, run, step.save_to_field, option.title) : undefined;
    const answer = { id: option.id, title: option.title, text: reply.text };
    return { edge: typeof option.next === 'string' ? `option_${index}` : 'next', vars: { [typeof step.save_as === 'string' ? step.save_as : 'answer']: answer, [RETRIES]: null }, ...(reason && { reason }) };
  },
};
