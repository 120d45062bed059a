import type { ProviderNet } from '../net.ts';
import { ProviderError, type ProviderAdapter } from '../types.ts';
import { graphCall } from './client.ts';
import { graphUrl, readWhatsAppConfig, WHATSAPP_CLOUD } from './config.ts';
import { buildSendPayload } from './payload.ts';

/** The answer to a successful send, as the Cloud API documents it. */
export interface SendAnswer {
  messaging_product?: string;
  contacts?: { input: string; wa_id: string }[];
  messages?: { id: string; message_status?: string }[];
}

/**
 * Builds the WhatsApp Cloud API adapter: POST /{version}/{phone_number_id}/messages with the channel's Bearer
 * access token, keeping the returned wamid as the provider id (status webhooks name it). The Cloud API has no
 * idempotency key, so a send retried after a crash may reach the phone twice (see providers/types.ts). Calls pass
 * the provider SSRF guard (`net`).
 */
export function createWhatsAppCloudProvider(net: ProviderNet): ProviderAdapter {
  return {
    name: WHATSAPP_CLOUD,
    deduplicates: false,
    async send(channel, message) {
      const config = readWhatsAppConfig(channel.config);
      const answer = await graphCall<SendAnswer>(net, config, 'POST', graphUrl(config, `/${encodeURIComponent(config.phoneNumberId)}/messages`), buildSendPayload(message));
      const wamid = answer.messages?.[0]?.id;
      if (typeof wamid !== 'string' || wamid === '') {
        throw new ProviderError('provider_error', 'WhatsApp Cloud API accepted the message but returned no message id', false);
      }
      return { providerMessageId: wamid };
    },
  };
}
