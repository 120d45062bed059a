import type { FieldError } from '../../errors.ts';
import { findChannel } from '../../channels/queries.ts';
import { parseTemplate, renderTemplate, scopeOf, checkTemplate, type LiquidScope, type ParsedTemplate } from '../../campaigns/liquid.ts';
import { parseJson } from '../../lib/json.ts';
import { enqueueMessage, messageRow } from '../../messages/outbound.ts';
import { sendRuleRefusal } from '../../messages/rules.ts';
import { MAX_TEXT_LENGTH } from '../../messages/schema.ts';
import { edge, edgeShape, unknownKeys, type StepKind } from './types.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Parsed Liquid sources, by source (definitions are immutable per version, so a source always parses the same). */
const parsed = new Map<string, ParsedTemplate>();
function parsedOf(source: string): ParsedTemplate {
  let template = parsed.get(source);
  if (!template) {
    template = parseTemplate(source, 'text');
    if (parsed.size > 1000) parsed.clear();
    parsed.set(source, template);
  }
  return template;
}

function liquid(value: unknown, path: string, required: boolean): FieldError[] {
  if (value === undefined && !required) return [];
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_TEXT_LENGTH) return [{ path, message: `must be a text of 1 to ${MAX_TEXT_LENGTH} characters` }];
  try {
    checkTemplate(value, path);
    return [];
  } catch (error) {
    return [{ path, message: (error as { errors?: FieldError[] }).errors?.[0]?.message ?? String(error) }];
  }
}

/**
 * `send_message`: sends `text` (Liquid over `contact`, `trigger` and `vars`; `subject` too on email) on the channel
 * `channel_uuid` through the outbound path, in the transaction that advances the run, and follows `next`. A send the
 * rules refuse (blocked, opted out, the WhatsApp 24-hour window), a contact without an address on the channel, or a
 * channel deleted since, records its reason and follows `skipped` (or `next` when no `skipped` edge is set).
 */
export const sendMessageStep: StepKind = {
  waits: false,
  check(step, path) {
    const out = [...unknownKeys(step, ['channel_uuid', 'text', 'subject', 'next', 'skipped'], path), ...edgeShape(step, ['next', 'skipped'], path)];
    if (typeof step.channel_uuid !== 'string' || !UUID.test(step.channel_uuid)) out.push({ path: `${path}.channel_uuid`, message: 'must be the uuid of a channel' });
    out.push(...liquid(step.text, `${path}.text`, true), ...liquid(step.subject, `${path}.subject`, false));
    return out;
  },
  async checkRefs(db, workspaceId, step, path) {
    const channel = await findChannel(db, workspaceId, (step.channel_uuid as string).toLowerCase());
    if (!channel) return [{ path: `${path}.channel_uuid`, message: 'is not a channel of this workspace' }];
    if (channel.type === 'email' && step.subject === undefined) return [{ path: `${path}.subject`, message: 'is required on an email channel' }];
    return [];
  },
  edges: (step, path) => [...edge(step, 'next', path), ...edge(step, 'skipped', path)],
  async run(trx, deps, run, step) {
    const skipped = (reason: string) => ({ edge: step.skipped === undefined ? 'next' : 'skipped', reason });
    const { contact, row, now } = run;
    const channel = await findChannel(trx, contact.workspace_id, (step.channel_uuid as string).toLowerCase());
    if (!channel) return skipped('channel_unavailable');
    const address = channel.type === 'email' ? contact.email : contact.phone;
    if (address === null) return skipped('no_address');
    const refusal = await sendRuleRefusal(trx, channel, contact, { template: false, marketing: false, optinContact: false }, now);
    if (refusal) return skipped(refusal.code);
    const scope = { ...scopeOf(contact), trigger: parseJson<unknown>(row.data, {}), vars: parseJson<unknown>(row.variables, {}) } as LiquidScope;
    let text: string;
    let subject: string | null = null;
    try {
      text = renderTemplate(parsedOf(step.text as string), scope);
      if (typeof step.subject === 'string') subject = renderTemplate(parsedOf(step.subject), scope);
    } catch (error) {
      return { end: 'failed', reason: `render_failed: ${(error instanceof Error ? error.message : String(error)).split('\n')[0]}` };
    }
    if (text.trim().length === 0) return skipped('empty_content');
    if (text.length > MAX_TEXT_LENGTH) return skipped('content_too_long');
    const message = messageRow({
      direction: 'outbound', channel, contactId: contact.id, address, type: 'text', content: { text }, now, subject,
      metadata: { automation_uuid: row.automation_id, automation_run_uuid: row.id },
    });
    await enqueueMessage(trx, deps, message);
    return { edge: 'next', messageId: message.id };
  },
};
