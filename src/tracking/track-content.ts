import type { Db } from '../db/connect.ts';
import type { Deps } from '../deps.ts';

/** Placeholder until the tracking branch lands: returns the content unchanged. */
export async function trackContent(
  trx: Db,
  deps: Deps,
  input: { workspaceId: string; campaignId: string; messageId: string; contactId: string; channelType: 'whatsapp' | 'sms' | 'email'; text?: string; html?: string; trackLinks: boolean; trackOpens: boolean },
): Promise<{ text?: string; html?: string }> {
  void trx;
  void deps;
  return { text: input.text, html: input.html };
}
