import type { Deps } from '../../deps.ts';
import type { ChannelsTable } from '../../db/types.ts';
import { AppError } from '../../errors.ts';
import { SecretBoxError } from '../../lib/secret-box.ts';
import { normalizePhone } from '../../lib/phone.ts';
import type { InboundReport, ProviderPort } from '../port.ts';
import { readHookSecrets, WHATSAPP_CLOUD } from './config.ts';
import * as q from './queries.ts';
import { verifyWebhookSignature } from './signature.ts';
import { parseWebhook, type InboundItem, type StatusItem } from './webhook.ts';

/** What the hook services need: the store and the log, and the port to channels and messages. */
export interface HookDeps extends Pick<Deps, 'db' | 'log'> {
  port: ProviderPort;
}

/** The query of Meta's verification GET. */
export interface VerifyQuery {
  'hub.mode'?: string;
  'hub.verify_token'?: string;
  'hub.challenge'?: string;
}

/** What one webhook POST did, for the answer and the log. */
export interface HookOutcome {
  messages: number;
  duplicates: number;
  statuses: number;
  ignored: number;
}

/** A channel's decrypted config; a 503 (Meta retries later) while its secrets cannot be opened (BECKON_SECRET_KEY changed). */
function configOf(deps: HookDeps, row: ChannelsTable): Record<string, unknown> {
  try {
    return deps.port.channelConfig(row);
  } catch (err) {
    if (!(err instanceof SecretBoxError)) throw err;
    deps.log.error({ channel: row.id, err: err.message }, 'whatsapp webhook: the channel\'s secrets cannot be decrypted');
    throw new AppError(503, 'channel_unavailable', `the channel's secrets cannot be decrypted: ${err.message}`);
  }
}

async function hookChannel(deps: HookDeps, channelId: string): Promise<ChannelsTable> {
  const row = await deps.port.hookChannel(channelId, WHATSAPP_CLOUD);
  if (!row) throw new AppError(404, 'not_found', 'no WhatsApp Cloud API channel with this uuid');
  return row;
}

/**
 * Answers Meta's subscription check: returns `hub.challenge` when `hub.mode` is `subscribe` and `hub.verify_token`
 * is the channel's verify token; anything else is a 403 (and a log line).
 */
export async function verifySubscription(deps: HookDeps, channelId: string, query: VerifyQuery): Promise<string> {
  const channel = await hookChannel(deps, channelId);
  const { verifyToken } = readHookSecrets(configOf(deps, channel));
  const ok = query['hub.mode'] === 'subscribe' && verifyToken !== null && query['hub.verify_token'] === verifyToken && typeof query['hub.challenge'] === 'string';
  if (!ok) {
    deps.log.warn({ channel: channelId, mode: query['hub.mode'] ?? null, has_verify_token: verifyToken !== null }, 'whatsapp webhook verification refused');
    throw new AppError(403, 'forbidden', verifyToken === null
      ? 'this channel has no verify_token: set one with PATCH /v1/channels/:uuid and paste the same value in the Meta App Dashboard'
      : 'hub.mode must be "subscribe" and hub.verify_token must match the channel\'s verify_token');
  }
  return query['hub.challenge']!;
}

function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string; errcode?: number; message?: string } | undefined;
  return e?.code === '23505' || e?.errcode === 2067 || /UNIQUE constraint failed/i.test(e?.message ?? '');
}

async function receiveOne(deps: HookDeps, channel: ChannelsTable, item: InboundItem, outcome: HookOutcome): Promise<void> {
  if (await q.findInboundId(deps.db, channel.id, item.wamid)) {
    outcome.duplicates++;
    return;
  }
  let from: string;
  try {
    from = normalizePhone(`+${item.from.replace(/^\+/, '')}`, 'from');
  } catch {
    deps.log.warn({ channel: channel.id, wamid: item.wamid }, 'whatsapp inbound message from a number that is not a valid phone number; skipped');
    outcome.ignored++;
    return;
  }
  try {
    await deps.port.receiveMessage(channel, { from, type: item.type, content: item.content as InboundReport['content'], providerMessageId: item.wamid, ...(item.profileName ? { profileName: item.profileName } : {}) });
    outcome.messages++;
  } catch (err) {
    // the same message delivered twice at once: the unique index lets one copy in
    if (!isUniqueViolation(err)) throw err;
    outcome.duplicates++;
  }
}

async function applyOne(deps: HookDeps, channel: ChannelsTable, item: StatusItem, outcome: HookOutcome): Promise<void> {
  const change = { status: item.status, at: item.at, ...(item.error ? { error: item.error } : {}) };
  const id = await q.findOutboundId(deps.db, channel.id, item.wamid);
  if (id) {
    if ((await deps.port.applyStatus({ id }, change)).outcome === 'applied') outcome.statuses++;
    return;
  }
  // Meta may call before the send is recorded: biz_opaque_callback_data carries the Beckon message uuid
  const pending = item.callbackData ? await q.findOutboundById(deps.db, channel.id, item.callbackData) : undefined;
  if (!pending) {
    deps.log.info({ channel: channel.id, wamid: item.wamid, status: item.status }, 'whatsapp status for a message this channel did not send; ignored');
    outcome.ignored++;
    return;
  }
  const withId = pending.provider_message_id ? change : { ...change, providerMessageId: item.wamid };
  if ((await deps.port.applyStatus({ id: pending.id }, withId)).outcome === 'applied') outcome.statuses++;
}

/** The channel a change belongs to: the hook's own, or a sibling of the same workspace serving that phone number id. */
async function changeChannel(deps: HookDeps, hook: ChannelsTable, phoneNumberId: string | null): Promise<ChannelsTable | undefined> {
  const own = readHookSecrets(configOf(deps, hook)).phoneNumberId;
  if (!phoneNumberId || !own || phoneNumberId === own) return hook;
  // one Meta app sends every number's events to the same callback URL: route them to the channel of that number
  const siblings = (await deps.port.channelsOf(hook.workspace_id, WHATSAPP_CLOUD)).filter((c) => c.id !== hook.id);
  return siblings.find((c) => readHookSecrets(configOf(deps, c)).phoneNumberId === phoneNumberId);
}

/**
 * Handles one webhook POST: checks X-Hub-Signature-256 over the raw body with the channel's app secret (401 and a
 * log line when it fails; nothing is stored), then records each customer message (once per wamid and channel)
 * and applies each status (statuses only move forward; repeats are absorbed).
 */
export async function receiveWebhook(deps: HookDeps, channelId: string, rawBody: Buffer, signature: string | string[] | undefined): Promise<HookOutcome> {
  const hook = await hookChannel(deps, channelId);
  const { appSecret } = readHookSecrets(configOf(deps, hook));
  if (!appSecret || !verifyWebhookSignature(rawBody, signature, appSecret)) {
    deps.log.warn({ channel: channelId, has_signature: Boolean(signature), has_app_secret: Boolean(appSecret) }, 'whatsapp webhook refused: X-Hub-Signature-256 does not match the channel\'s app secret');
    throw new AppError(401, 'unauthorized', appSecret
      ? 'X-Hub-Signature-256 is missing or is not the HMAC-SHA256 of the body with the channel\'s app_secret'
      : 'this channel has no app_secret to check X-Hub-Signature-256 with: set it with PATCH /v1/channels/:uuid');
  }
  let body: unknown;
  try {
    body = JSON.parse(rawBody.toString('utf8'));
  } catch (err) {
    throw new AppError(400, 'invalid_json', `the body is not valid JSON: ${(err as Error).message}`);
  }
  const outcome: HookOutcome = { messages: 0, duplicates: 0, statuses: 0, ignored: 0 };
  for (const change of parseWebhook(body) ?? []) {
    const channel = await changeChannel(deps, hook, change.phoneNumberId);
    if (!channel) {
      deps.log.warn({ channel: channelId, phone_number_id: change.phoneNumberId }, 'whatsapp webhook for a phone number no channel of this workspace serves; ignored');
      outcome.ignored += change.messages.length + change.statuses.length;
      continue;
    }
    for (const item of change.messages) await receiveOne(deps, channel, item, outcome);
    for (const item of change.statuses) await applyOne(deps, channel, item, outcome);
  }
  return outcome;
}
