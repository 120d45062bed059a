import type { Db } from '../db/connect.ts';
import type { ChannelsTable, ContactsTable } from '../db/types.ts';
import type { EventBus } from '../events/subscribers.ts';
import { AppError } from '../errors.ts';
import { consentOf, setConsent, type ConsentChannel } from '../contacts/consent.ts';
import { findChannelWindow } from '../contacts/queries.ts';
import { CUSTOMER_SERVICE_WINDOW_MS, windowExpiry } from '../contacts/windows.ts';
import { parseJson } from '../lib/json.ts';

/** What about a send the rules look at. */
export interface SendKind {
  /** A template send (allowed outside the customer service window; needs opt-in). */
  template: boolean;
  /** A marketing send (a MARKETING template, a campaign): needs opt-in. */
  marketing: boolean;
  /** The request's `optin_contact: true`: the sender confirms the contact opted in. */
  optinContact: boolean;
}

/** The channel's settings that are not secret (`strict`, `rate_per_second`), read from its stored config. */
export function publicConfigOf(channel: ChannelsTable): Record<string, unknown> {
  return parseJson<Record<string, unknown>>(channel.config, {});
}

/**
 * True when free-form sends on the channel need an open 24-hour customer service window: every WhatsApp channel,
 * except a sandbox channel without `strict: true` (the permissive default sandbox channel).
 */
export function enforcesWindow(channel: ChannelsTable): boolean {
  if (channel.type !== 'whatsapp') return false;
  return channel.provider !== 'sandbox' || publicConfigOf(channel).strict === true;
}

function whoOf(contact: ContactsTable): string {
  return contact.phone ?? contact.email ?? contact.id;
}

/**
 * Checks the send-time rules for a contact in `trx`, in this order, each a 422 with its own code: blocked
 * (`contact_blocked`); opted out of the channel type (`contact_opted_out`, even with optin_contact); template and
 * marketing sends without opt-in nor `optin_contact: true` (`optin_required`); free-form sends on a channel that
 * enforces the WhatsApp 24-hour window when the contact's last message there is older than 24 h, or when there is
 * none (`outside_customer_service_window`). Returns the first refusal (its `code` is the reason), or null; writes nothing.
 * `known` gives the contact's last inbound message on the channel when the caller already read it (null: none).
 */
export async function sendRuleRefusal(trx: Db, channel: ChannelsTable, contact: ContactsTable, kind: SendKind, now: string, known?: { lastInbound: string | null }): Promise<AppError | null> {
  const who = whoOf(contact);
  const extra = { contact_uuid: contact.id };
  if (contact.blocked) return new AppError(422, 'contact_blocked', `the contact ${who} is blocked; unblock it to send`, undefined, extra);
  const type = channel.type as ConsentChannel;
  const consent = consentOf(contact, type);
  if (consent.status === 'opted_out') {
    return new AppError(422, 'contact_opted_out',
      `the contact ${who} opted out of ${type} messages (${consent.source ?? 'unknown source'}, ${consent.at ?? 'unknown time'}); `
      + `do not message them on ${type} until they opt in again (an SMS contact replies START; or record their new consent with PATCH /v1/contacts/${contact.id} and consent.${type}.status "opted_in")`,
      undefined, extra);
  }
  if ((kind.template || kind.marketing) && consent.status !== 'opted_in' && !kind.optinContact) {
    return new AppError(422, 'optin_required',
      `${kind.template ? 'template' : 'marketing'} messages need the contact's opt-in for ${type}, and ${who} has not opted in; `
      + `send with "optin_contact": true if they agreed to receive them, or record it with PATCH /v1/contacts/${contact.id} and consent.${type}.status "opted_in"`,
      undefined, extra);
  }
  if (!kind.template && enforcesWindow(channel)) {
    const lastInbound = known ? known.lastInbound : await findChannelWindow(trx, contact.id, channel.id);
    if (!lastInbound || Date.parse(lastInbound) + CUSTOMER_SERVICE_WINDOW_MS <= Date.parse(now)) {
      const since = lastInbound
        ? `the contact's last message on this channel was at ${lastInbound}, so the 24-hour customer service window closed at ${windowExpiry(lastInbound)}`
        : 'the contact has never written on this channel, so no 24-hour customer service window is open';
      return new AppError(422, 'outside_customer_service_window',
        `${since}; send an approved template instead (template_uuid, template_values), or wait until ${who} writes again`,
        undefined, { ...extra, window_expires_at: lastInbound ? windowExpiry(lastInbound) : null });
    }
  }
  return null;
}

/**
 * Applies the send-time rules (sendRuleRefusal) to a contact in `trx`, throwing the refusal. Then records the opt-in
 * that `optin_contact: true` confirms (source `api`, emitting contact_opted_in) when the contact was not opted in yet.
 * A refused send changes nothing.
 */
export async function applySendRules(trx: Db, bus: EventBus, channel: ChannelsTable, contact: ContactsTable, kind: SendKind, now: string, known?: { lastInbound: string | null }): Promise<void> {
  const refusal = await sendRuleRefusal(trx, channel, contact, kind, now, known);
  if (refusal) throw refusal;
  const type = channel.type as ConsentChannel;
  if (kind.optinContact && consentOf(contact, type).status !== 'opted_in') await setConsent(trx, bus, contact.workspace_id, contact.id, type, 'opted_in', 'api', now);
}
