import type { Deps } from '../deps.ts';
import { newId } from '../lib/ids.ts';
import { nowIso } from '../lib/time.ts';
import { recordEvent } from '../events/service.ts';
import { setConsent, type ConsentChannel } from '../contacts/consent.ts';
import { CONSENT_CHANNELS } from '../contacts/input.ts';
import { findContact } from '../contacts/queries.ts';
import { machineOpen, machineUserAgent } from './machine.ts';
import { signerFor } from './tokens.ts';
import * as q from './queries.ts';

/** What a tracking request tells about its sender. */
export interface Visitor {
  userAgent: string | undefined;
}

function agent(visitor: Visitor): string | null {
  return visitor.userAgent ? visitor.userAgent.slice(0, 512) : null;
}

/**
 * Follows a click token: the URL to redirect to, or null when the token is not valid or its link is gone (the
 * caller answers 404, never redirects elsewhere). Records a click engagement and `link_clicked` (payload:
 * message_uuid, contact_uuid, campaign_uuid, link_id, url, machine) unless `record` is false (a HEAD request).
 */
export async function followClick(deps: Deps, rawToken: string, visitor: Visitor, record = true): Promise<string | null> {
  const token = signerFor(deps.secrets).verify(rawToken, 'click');
  if (!token) return null;
  const message = await q.findTrackedMessage(deps.db, token.messageId);
  if (!message?.campaign_id) return null;
  const url = await q.findLinkUrl(deps.db, message.campaign_id, token.linkId!);
  if (url === undefined) return null;
  if (!record) return url;
  const machine = machineUserAgent(visitor.userAgent);
  const at = nowIso();
  await deps.writer.run(async (trx) => {
    await q.insertEngagement(trx, {
      id: newId(), workspace_id: message.workspace_id, type: 'click', message_id: message.id, contact_id: message.contact_id,
      campaign_id: message.campaign_id, link_id: token.linkId!, url, machine: machine ? 1 : 0, user_agent: agent(visitor), created_at: at,
    });
    await recordEvent(trx, deps, message.workspace_id, 'link_clicked', {
      message_uuid: message.id, contact_uuid: message.contact_id, campaign_uuid: message.campaign_id, link_id: token.linkId!, url, machine,
    });
  });
  deps.queue.notify();
  return url;
}

/**
 * Records an open from a pixel token (nothing for an invalid token or a gone message: the caller answers the same
 * pixel either way). Every open is stored, flagged `machine` by the heuristic of machine.ts; `message_opened`
 * (payload: message_uuid, contact_uuid, campaign_uuid, machine: false) is emitted once per message, on its first
 * human open. Returns whether the open was recorded and flagged.
 */
export async function recordOpen(deps: Deps, rawToken: string, visitor: Visitor): Promise<{ recorded: boolean; machine: boolean }> {
  const token = signerFor(deps.secrets).verify(rawToken, 'open');
  if (!token) return { recorded: false, machine: false };
  const message = await q.findTrackedMessage(deps.db, token.messageId);
  if (!message) return { recorded: false, machine: false };
  const at = nowIso();
  const machine = machineOpen(visitor.userAgent, message.status_history, at);
  const emitted = await deps.writer.run(async (trx) => {
    await q.lockMessageEngagements(trx, message.id);
    const first = !machine && !(await q.hasEngagement(trx, message.id, 'open', true));
    await q.insertEngagement(trx, {
      id: newId(), workspace_id: message.workspace_id, type: 'open', message_id: message.id, contact_id: message.contact_id,
      campaign_id: message.campaign_id, link_id: null, url: null, machine: machine ? 1 : 0, user_agent: agent(visitor), created_at: at,
    });
    if (first) {
      await recordEvent(trx, deps, message.workspace_id, 'message_opened', {
        message_uuid: message.id, contact_uuid: message.contact_id, campaign_uuid: message.campaign_id, machine: false,
      });
    }
    return first;
  });
  if (emitted) deps.queue.notify();
  return { recorded: true, machine };
}

/** True when an unsubscribe token is valid (the page is shown); false for anything else. */
export function validUnsubscribeToken(deps: Deps, rawToken: string): boolean {
  return signerFor(deps.secrets).verify(rawToken, 'unsubscribe') !== null;
}

/**
 * Unsubscribes the contact of an unsubscribe token from the message's channel type (email): consent becomes
 * opted_out through setConsent (contact_updated + contact_opted_out when it changes), and one unsubscribe
 * engagement is stored per message. Idempotent. `source` is stored with the consent ('one_click_unsubscribe' or
 * 'unsubscribe_link'). Returns false for an invalid token; true otherwise (also when the message or contact is gone).
 */
export async function unsubscribe(deps: Deps, rawToken: string, source: string, visitor: Visitor): Promise<boolean> {
  const token = signerFor(deps.secrets).verify(rawToken, 'unsubscribe');
  if (!token) return false;
  const message = await q.findTrackedMessage(deps.db, token.messageId);
  if (!message) return true;
  const channel = (CONSENT_CHANNELS as readonly string[]).includes(message.channel_type ?? '') ? message.channel_type as ConsentChannel : 'email';
  const changed = await deps.writer.run(async (trx) => {
    if (!(await findContact(trx, message.workspace_id, message.contact_id))) return false;
    await q.lockMessageEngagements(trx, message.id);
    const result = await setConsent(trx, deps, message.workspace_id, message.contact_id, channel, 'opted_out', source);
    if (!(await q.hasEngagement(trx, message.id, 'unsubscribe'))) {
      await q.insertEngagement(trx, {
        id: newId(), workspace_id: message.workspace_id, type: 'unsubscribe', message_id: message.id, contact_id: message.contact_id,
        campaign_id: message.campaign_id, link_id: null, url: null, machine: 0, user_agent: agent(visitor), created_at: nowIso(),
      });
    }
    return result.changed;
  });
  if (changed) deps.queue.notify();
  return true;
}
