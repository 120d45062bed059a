import type { Deps } from '../../deps.ts';
import { providerNet } from '../net.ts';
import type { ProviderAdapter } from '../types.ts';
import { createMessage, TWILIO_TIMEOUT_MS } from './client.ts';
import { statusCallbackUrl, twilioConfig } from './config.ts';

/** The `provider` value of Twilio channels. */
export const TWILIO_PROVIDER = 'twilio';

/**
 * The Twilio SMS adapter (docs/channels-twilio.md). A text goes out as `Body`; a media message as MMS (`MediaUrl`, with
 * its caption as `Body`); a template send as its rendered text. Each message names its own StatusCallback
 * (BECKON_PUBLIC_URL/hooks/twilio/<channel uuid>/status?message_uuid=<message uuid>), so Twilio's delivery reports
 * find it even when they arrive before `sent` is recorded. The provider id is Twilio's Message SID (SM…/MM…).
 * Twilio has no idempotency key, so a crash between the call and recording `sent` may send twice (see types.ts).
 */
export function createTwilioProvider(deps: Pick<Deps, 'config'>, options: { timeoutMs?: number } = {}): ProviderAdapter {
  const timeoutMs = options.timeoutMs ?? TWILIO_TIMEOUT_MS;
  // the provider SSRF guard: BECKON_PROVIDER_ALLOW_PRIVATE (none when the config does not say)
  const net = providerNet(deps.config);
  return {
    name: TWILIO_PROVIDER,
    deduplicates: false,
    async send(channel, message) {
      const config = twilioConfig(channel.config);
      const text = message.template?.renderedText ?? message.content.text;
      const created = await createMessage(net, config, {
        To: message.to,
        Body: text,
        MediaUrl: message.type === 'text' ? undefined : message.content.url,
        StatusCallback: statusCallbackUrl(deps.config.publicUrl, channel.id, message.id),
      }, timeoutMs);
      return { providerMessageId: created.sid };
    },
  };
}
