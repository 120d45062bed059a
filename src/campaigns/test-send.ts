import type { Deps } from '../deps.ts';
import type { MessagesTable } from '../db/types.ts';
import { invalidField } from '../errors.ts';
import { findChannel } from '../channels/queries.ts';
import { newId } from '../lib/ids.ts';
import { nowIso } from '../lib/time.ts';
import { compileCampaign } from './content.ts';
import { enqueueMessages, messagesCommitted } from '../messages/outbound.ts';
import { campaignMessage, renderOrSkip, skipOf } from './sender.ts';
import * as q from './queries.ts';
import { campaignRow } from './service.ts';

/** One contact's outcome of a test send. */
export interface TestSendResult {
  contact_uuid: string;
  message_uuid: string | null;
  skip_reason: string | null;
}

/**
 * Sends a campaign's rendered message now to up to 10 contacts, in any status: a test, not part of the campaign (no
 * campaign_id, so never in its stats nor its audience; metadata {campaign_uuid, campaign_test: "true"}; links are not
 * tracked). The blocked, opt-out and 24-hour rules apply (the marketing opt-in does not: testers rarely opted in);
 * a contact that cannot be sent to gets a skip_reason instead of a message.
 */
export async function testSendCampaign(deps: Deps, workspaceId: string, id: string, contactIds: string[]): Promise<TestSendResult[]> {
  const campaign = await campaignRow(deps.db, workspaceId, id);
  const ids = contactIds.map((c) => c.toLowerCase());
  const contacts = new Map((await q.findContacts(deps.db, workspaceId, ids)).map((c) => [c.id, c]));
  ids.forEach((c, i) => {
    if (!contacts.has(c)) throw invalidField(`body.contact_uuids.${i}`, 'is not a contact of this workspace');
  });
  const channel = await findChannel(deps.db, workspaceId, campaign.channel_id);
  if (!channel) throw invalidField('channel_uuid', 'the campaign\'s channel no longer exists');
  const compiled = await compileCampaign(deps.db, campaign, channel);
  const kind = { template: campaign.template_id !== null, marketing: false, optinContact: true };
  const results = await deps.writer.run(async (trx) => {
    const now = nowIso();
    const out: TestSendResult[] = [];
    const messages: MessagesTable[] = [];
    for (const contactId of [...new Set(ids)]) {
      const contact = contacts.get(contactId)!;
      const skip = await skipOf(trx, channel, kind, contact, now);
      const rendered = skip === null ? renderOrSkip(channel, compiled, contact) : skip;
      if (typeof rendered === 'string') {
        out.push({ contact_uuid: contact.id, message_uuid: null, skip_reason: rendered });
        continue;
      }
      const message = campaignMessage(newId(), { campaignId: null, templateId: campaign.template_id }, channel, contact, rendered, now, { campaign_uuid: campaign.id, campaign_test: 'true' });
      messages.push(message);
      out.push({ contact_uuid: contact.id, message_uuid: message.id, skip_reason: null });
    }
    await enqueueMessages(trx, deps, messages);
    return out;
  });
  messagesCommitted(deps, 'outbound', results.filter((r) => r.message_uuid !== null).length);
  return results;
}
