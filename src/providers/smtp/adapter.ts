import type Mail from 'nodemailer/lib/mailer/index.js';
import { checkedAddress, type ProviderNet } from '../net.ts';
import type { ProviderAdapter } from '../types.ts';
import { smtpConfig } from './config.ts';
import { classifySmtpError } from './errors.ts';
import { buildMail } from './message.ts';
import { SmtpTransports } from './transports.ts';

/** Longest one send may take, queueing in the pool included: well within the job's 60 s lease, so no second worker re-runs it meanwhile. */
export const SEND_DEADLINE_MS = 45_000;

/** What nodemailer 10 answers for an accepted message (its types predate `serverMessageId`). */
interface SentInfo {
  messageId: string;
  serverMessageId?: string;
}

/**
 * The SMTP email adapter (provider `smtp`), as documented in docs/channels-email.md. Each channel sends through its
 * own pool of connections to the configured server. A message the server accepts is `sent`, its provider id being
 * the Message-ID without its angle brackets (derived from the idempotency key, or the one the server says it put in its
 * place); a permanent
 * refusal (5yz) fails it with `smtp_<code>` and the server's reply; 4yz replies and connection failures are retried.
 * The host passes the provider SSRF guard (`net`) at every send: it is resolved, every address checked, and the pool
 * connects to the checked address (TLS still verifies the host name), so a DNS answer that changes cannot slip past.
 */
export function createSmtpProvider(net: ProviderNet): ProviderAdapter & { readonly transports: SmtpTransports } {
  const transports = new SmtpTransports();
  return {
    name: 'smtp',
    // the Message-ID is the same on every retry, so a receiver can drop a repeat; the server itself does not deduplicate
    deduplicates: false,
    transports,
    async send(channel, message) {
      const config = smtpConfig(channel.config);
      const mail: Mail.Options & { signal: AbortSignal } = { ...buildMail(config, message), signal: AbortSignal.timeout(SEND_DEADLINE_MS) };
      let info: SentInfo;
      try {
        const address = await checkedAddress(net, config.host, `the SMTP server ${config.host}`);
        info = await (await transports.get(channel.id, config, address)).sendMail(mail);
      } catch (err) {
        throw classifySmtpError(err, `${config.host}:${config.port}`);
      }
      return { providerMessageId: (info.serverMessageId ?? info.messageId).replace(/^<|>$/g, '') };
    },
    async close() {
      transports.close();
    },
  };
}
