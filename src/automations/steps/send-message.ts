import type { FieldError } from '../../errors.ts';
import { findChannel } from '../../channels/queries.ts';
import type { ChannelsTable } from '../../db/types.ts';
import { enqueueMessage, messageRow, type MessageDraft } from '../../messages/outbound.ts';
import { sendRuleRefusal } from '../../messages/rules.ts';
import { TEXT_LIMITS } from '../../messages/service.ts';
import { MAX_TEXT_LENGTH } from '../../messages/schema.ts';
import { checkMedia, renderContent } from './send-content.ts';
import { checkTemplateRefs, checkTemplateSetting, resolveTemplate, type TemplateSetting } from './send-template.ts';
import { checkLiquid, render, renderFailure, runScope } from './liquid.ts';
import { edge, edgeShape, unknownKeys, type RunState, type StepDeps, type StepResult, type StepDefinition, type StepKind } from './types.ts';
import type { Db } from '../../db/connect.ts';
import type { LiquidScope } from '../../campaigns/liquid.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const SETTINGS = ['channel_uuid', 'text', 'media', 'template', 'fallback_template', 'subject', 'next', 'skipped'];

/** What every message of a run's send has in common. */
interface SendContext {
  trx: Db;
  deps: StepDeps;
  run: RunState;
  step: StepDefinition;
  channel: ChannelsTable;
  address: string;
  scope: LiquidScope;
  subject: string | null;
}

function skipped(step: StepDefinition, reason: string): StepResult {
  return { edge: step.skipped === undefined ? 'next' : 'skipped', reason };
}

async function store(ctx: SendContext, draft: Pick<MessageDraft, 'type' | 'content' | 'templateUuid' | 'templateValues' | 'template'>, reason?: string): Promise<StepResult> {
  const { run, channel } = ctx;
  const message = messageRow({
    direction: 'outbound', channel, contactId: run.contact.id, address: ctx.address, now: run.now, subject: ctx.subject, ...draft,
    metadata: { automation_uuid: run.row.automation_id, automation_run_uuid: run.row.id },
  });
  await enqueueMessage(ctx.trx, ctx.deps, message);
  return { edge: 'next', messageId: message.id, ...(reason !== undefined && { reason }) };
}

/** Sends a template (the step's `template`, or its `fallback_template` when the window is closed): its own rules apply (opt-in). */
async function sendTemplate(ctx: SendContext, setting: TemplateSetting, reason?: string): Promise<StepResult> {
  const resolved = await resolveTemplate(ctx.trx, ctx.channel, setting, ctx.scope);
  if ('skipped' in resolved) return skipped(ctx.step, resolved.skipped);
  const { template } = resolved;
  const kind = { template: true, marketing: template.category === 'MARKETING', optinContact: false };
  const refusal = await sendRuleRefusal(ctx.trx, ctx.channel, ctx.run.contact, kind, ctx.run.now);
  if (refusal) return skipped(ctx.step, refusal.code);
  const header = template.components?.header;
  const link = header && 'link' in header ? header : undefined;
  return store(ctx, {
    type: link ? link.format : 'text', content: link ? { url: link.link, text: template.renderedText } : { text: template.renderedText },
    templateUuid: resolved.uuid, templateValues: resolved.values, template,
  }, reason);
}

/**
 * `send_message`: sends on the channel `channel_uuid`, through the outbound path and in the transaction that advances
 * the run, one of: `text` (Liquid over `contact`, `trigger` and `vars`), `media` ({type, url, caption}, Liquid in url
 * and caption) or `template` ({uuid | name + language, values (Liquid), media_url}); `subject` (Liquid) on email.
 * A refused send (blocked, opted out, no opt-in for a template, the WhatsApp 24-hour window), a contact without an
 * address on the channel, a channel or template gone since, records its reason and follows `skipped` (or `next` when
 * no `skipped` edge is set) — except a text or media send outside the 24-hour window when `fallback_template` is set:
 * that template is sent instead (reason `fallback_template`).
 */
export const sendMessageStep: StepKind = {
  waits: false,
  check(step, path) {
    const out = [...unknownKeys(step, SETTINGS, path), ...edgeShape(step, ['next', 'skipped'], path)];
    if (typeof step.channel_uuid !== 'string' || !UUID.test(step.channel_uuid)) out.push({ path: `${path}.channel_uuid`, message: 'must be the uuid of a channel' });
    const given = (['text', 'media', 'template'] as const).filter((k) => step[k] !== undefined);
    if (given.length !== 1) out.push({ path: `${path}.${given[1] ?? 'text'}`, message: 'give exactly one of text, media and template' });
    if (step.text !== undefined) out.push(...checkLiquid(step.text, `${path}.text`, true));
    if (step.media !== undefined) out.push(...checkMedia(step.media, `${path}.media`));
    if (step.template !== undefined) out.push(...checkTemplateSetting(step.template, `${path}.template`));
    if (step.fallback_template !== undefined) {
      if (step.template !== undefined) out.push({ path: `${path}.fallback_template`, message: 'is for text and media sends (a template is sent outside the 24-hour window anyway)' });
      out.push(...checkTemplateSetting(step.fallback_template, `${path}.fallback_template`));
    }
    out.push(...checkLiquid(step.subject, `${path}.subject`, false));
    return out;
  },
  async checkRefs(db, workspaceId, step, path) {
    const channel = await findChannel(db, workspaceId, (step.channel_uuid as string).toLowerCase());
    if (!channel) return [{ path: `${path}.channel_uuid`, message: 'is not a channel of this workspace' }];
    const out: FieldError[] = [];
    if (channel.type === 'email' && step.subject === undefined) out.push({ path: `${path}.subject`, message: 'is required on an email channel' });
    if (channel.type !== 'email' && step.subject !== undefined) out.push({ path: `${path}.subject`, message: `is only for email channels (this one is ${channel.type})` });
    if (channel.type === 'email' && step.media !== undefined) out.push({ path: `${path}.media`, message: 'is not for email channels (send a text with a link)' });
    if (step.template !== undefined) out.push(...await checkTemplateRefs(db, workspaceId, step.template as TemplateSetting, channel, `${path}.template`));
    if (step.fallback_template !== undefined) out.push(...await checkTemplateRefs(db, workspaceId, step.fallback_template as TemplateSetting, channel, `${path}.fallback_template`));
    return out;
  },
  edges: (step, path) => [...edge(step, 'next', path), ...edge(step, 'skipped', path)],
  async run(trx, deps, run, step) {
    const { contact, now } = run;
    const channel = await findChannel(trx, contact.workspace_id, (step.channel_uuid as string).toLowerCase());
    if (!channel) return skipped(step, 'channel_unavailable');
    const address = channel.type === 'email' ? contact.email : contact.phone;
    if (address === null) return skipped(step, 'no_address');
    const scope = runScope(run);
    try {
      const subject = typeof step.subject === 'string' ? render(step.subject, scope) : null;
      const ctx: SendContext = { trx, deps, run, step, channel, address, scope, subject };
      if (step.template !== undefined) return await sendTemplate(ctx, step.template as TemplateSetting);
      const refusal = await sendRuleRefusal(trx, channel, contact, { template: false, marketing: false, optinContact: false }, now);
      if (refusal?.code === 'outside_customer_service_window' && step.fallback_template !== undefined) {
        return await sendTemplate(ctx, step.fallback_template as TemplateSetting, 'fallback_template');
      }
      if (refusal) return skipped(step, refusal.code);
      const content = renderContent(step, scope, TEXT_LIMITS[channel.type] ?? MAX_TEXT_LENGTH);
      if ('skipped' in content) return skipped(step, content.skipped);
      return await store(ctx, content);
    } catch (error) {
      return renderFailure(error);
    }
  },
};
