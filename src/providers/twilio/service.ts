import type { Db } from '../../db/connect.ts';
import type { ChannelsTable } from '../../db/types.ts';
import { normalizePhone } from '../../lib/phone.ts';
import type { InboundReport, InboundView, ProviderPort, StatusReport, StatusResult } from '../port.ts';
import { TWILIO_PROVIDER } from './adapter.ts';
import { callbackError } from './errors.ts';
import { keywordAction, type KeywordAction } from './keywords.ts';
import * as q from './queries.ts';
import { verifyTwilioSignature, type FormParams } from './signature.ts';
import { isUuid } from '../../lib/ids.ts';

/** Why a webhook request was turned away (nothing is stored): 404 unknown channel, 401 unsigned, 403 bad signature. */
export interface Refusal {
  status: 401 | 403 | 404;
  detail: string;
}

/**
 * Checks that a webhook request comes from Twilio for this channel: the channel exists and is a Twilio channel, the
 * request carries X-Twilio-Signature, and it is the signature of `publicUrl` (BECKON_PUBLIC_URL + path and query) and
 * the form parameters with the channel's auth token, for the channel's account. Returns the channel or the refusal.
 */
export async function authenticateWebhook(port: ProviderPort, channelId: string, publicUrl: string, signature: string | undefined, params: FormParams): Promise<{ channel: ChannelsTable } | { refusal: Refusal }> {
  // the path is checked here, before the body's schema: an id that is not a uuid names no channel (and is never looked up)
  const channel = isUuid(channelId) ? await port.hookChannel(channelId, TWILIO_PROVIDER) : undefined;
  if (!channel) return { refusal: { status: 404, detail: `no Twilio channel ${channelId}` } };
  if (!signature) return { refusal: { status: 401, detail: 'the request has no X-Twilio-Signature header' } };
  let config: Record<string, unknown>;
  try {
    config = port.channelConfig(channel);
  } catch (err) {
    return { refusal: { status: 403, detail: `the channel's secrets cannot be decrypted to verify X-Twilio-Signature: ${(err as Error).message}` } };
  }
  const authToken = typeof config.auth_token === 'string' ? config.auth_token : '';
  if (!authToken) return { refusal: { status: 403, detail: 'the channel has no auth_token to verify X-Twilio-Signature with' } };
  if (!verifyTwilioSignature(authToken, signature, publicUrl, params)) {
    return { refusal: { status: 403, detail: `X-Twilio-Signature does not match ${publicUrl} signed with the channel's auth token (is BECKON_PUBLIC_URL the URL Twilio calls?)` } };
  }
  if (typeof config.account_sid === 'string' && params.AccountSid !== undefined && params.AccountSid !== config.account_sid) {
    return { refusal: { status: 403, detail: 'the request is for another Twilio account than the channel\'s account_sid' } };
  }
  return { channel };
}

/** The form fields of Twilio's incoming-message request that Beckon reads. */
export interface InboundForm {
  MessageSid: string;
  From: string;
  Body?: string;
  NumMedia?: string;
  MediaUrl0?: string;
  MediaContentType0?: string;
  OptOutType?: string;
}

function mediaType(contentType: string | undefined): 'image' | 'video' | 'audio' | 'document' {
  const major = (contentType ?? '').split('/')[0].toLowerCase();
  return major === 'image' || major === 'video' || major === 'audio' ? major : 'document';
}

function inboundContent(form: InboundForm): Pick<InboundReport, 'type' | 'content'> {
  const text = form.Body === undefined || form.Body === '' ? undefined : form.Body;
  if (Number(form.NumMedia ?? '0') > 0 && form.MediaUrl0) {
    return { type: mediaType(form.MediaContentType0), content: text === undefined ? { url: form.MediaUrl0 } : { url: form.MediaUrl0, text } };
  }
  return { type: 'text', content: text === undefined ? {} : { text } };
}

/** What an inbound SMS did: the stored message, whether it repeated one already stored, and its keyword action. */
export interface InboundOutcome {
  message: InboundView;
  duplicate: boolean;
  keyword: KeywordAction | null;
  consentChanged: boolean;
}

/**
 * Records an SMS a customer sent to a Twilio channel: the inbound message (contact found or created by the E.164
 * `From`, as every provider's inbound does) deduplicated on Twilio's MessageSid within the channel, then the keyword's
 * consent change: STOP words set the contact's SMS consent to opted_out, START words to opted_in (source
 * `sms_keyword`; contact_opted_out / contact_opted_in), HELP changes nothing. A repeated request stores nothing
 * new but still applies a consent change a crash may have left undone. 400 naming body.From when it is no phone number.
 */
export async function receiveTwilioMessage(db: Db, port: ProviderPort, channel: ChannelsTable, form: InboundForm): Promise<InboundOutcome> {
  const from = normalizePhone(form.From, 'body.From');
  const keyword = keywordAction(form.Body ?? '', form.OptOutType);
  let existing = await q.findMessageBySid(db, channel.id, 'inbound', form.MessageSid);
  let message: InboundView;
  if (existing) {
    message = port.view(existing);
  } else {
    try {
      message = await port.receiveMessage(channel, { from, ...inboundContent(form), providerMessageId: form.MessageSid });
    } catch (err) {
      // two copies of one request racing: the store keeps one inbound message per channel and SID, the other lands here
      existing = await q.findMessageBySid(db, channel.id, 'inbound', form.MessageSid);
      if (!existing) throw err;
      message = port.view(existing);
    }
  }
  let consentChanged = false;
  if (keyword === 'opt_out' || keyword === 'opt_in') {
    const status = keyword === 'opt_out' ? 'opted_out' : 'opted_in';
    consentChanged = await port.setConsent(channel.workspace_id, message.contact.uuid, 'sms', status, 'sms_keyword');
  }
  return { message, duplicate: existing !== undefined, keyword, consentChanged };
}

/** Twilio's message statuses and the Beckon status each moves a message to (null: not an outbound status). */
export const TWILIO_STATUSES: Readonly<Record<string, StatusReport['status'] | null>> = {
  accepted: 'sent', scheduled: 'sent', queued: 'sent', sending: 'sent', sent: 'sent',
  delivered: 'delivered', read: 'read',
  undelivered: 'failed', failed: 'failed', canceled: 'failed',
  receiving: null, received: null,
};

/** The form fields of Twilio's status callback that Beckon reads. */
export interface StatusForm {
  MessageSid: string;
  MessageStatus: string;
  ErrorCode?: string;
}

/**
 * Applies a status callback to the channel's outbound message: the one named by `message_uuid` in the callback URL
 * (when its SID is unknown yet or matches), else the one with this MessageSid. Statuses only move forward and
 * repeats are absorbed (the port: messages/status.ts); undelivered / failed / canceled carry the mapped ErrorCode. An unknown
 * status or message changes nothing (outcome `unknown`).
 */
export async function applyTwilioStatus(db: Db, port: ProviderPort, channel: ChannelsTable, form: StatusForm, messageUuid?: string): Promise<StatusResult> {
  const status = TWILIO_STATUSES[form.MessageStatus.toLowerCase()];
  if (!status) return { outcome: 'unknown' };
  let message = messageUuid ? await q.findOutboundOnChannel(db, channel.id, messageUuid) : undefined;
  if (message?.provider_message_id && message.provider_message_id !== form.MessageSid) message = undefined;
  message ??= await q.findMessageBySid(db, channel.id, 'outbound', form.MessageSid);
  if (!message) return { outcome: 'unknown' };
  const error = status === 'failed' ? callbackError(form.ErrorCode || undefined, form.MessageStatus.toLowerCase()) : undefined;
  return port.applyStatus({ id: message.id }, { status, providerMessageId: form.MessageSid, error });
}
