import { providerText } from '../net.ts';
import { ProviderError } from '../types.ts';

/** The fields nodemailer sets on the errors of an SMTP send. */
interface SmtpFailure {
  message?: string;
  code?: string;
  originalCode?: string;
  response?: string;
  responseCode?: number;
  command?: string;
}

/** Errors that mean the connection failed or dropped, not that the server judged the message: worth another try. */
const CONNECTION_CODES = new Set(['ECONNECTION', 'ETIMEDOUT', 'ESOCKET', 'EDNS', 'ETLS', 'EPROXY', 'EABORT']);

/** Errors that say the channel's own settings cannot work: retrying changes nothing until someone fixes them. */
const CONFIG_CODES = new Set(['ENOAUTH', 'ECONFIG', 'EREQUIRETLS']);

/**
 * True for an SMTP reply that refuses the message for good (RFC 5321: every 5yz reply is a permanent negative
 * completion, every 4yz a transient one), except 503 (bad sequence of commands), which says the session was in the
 * wrong state, not that the message was refused.
 */
export function isPermanentReply(code: number): boolean {
  return code >= 500 && code < 600 && code !== 503;
}

/** A server reply on one line ("550 5.1.1 <bob@example.com>: Recipient address rejected"), multi-line replies joined. */
function replyText(response: string): string {
  const joined = response.split(/\r?\n/).map((line) => line.trim()).filter(Boolean).join(' ').replace(/^(\d{3})-/, '$1 ');
  return providerText(joined, 300) ?? '';
}

/**
 * Classifies a failed SMTP send. A reply from the server keeps its code and text: `smtp_<code>` (smtp_550,
 * smtp_451…), permanent for 5yz (except 503) and retryable for 4yz, with the reply and the command it answered as
 * the reason. Connection failures (refused, DNS, TLS, timeouts, dropped) are retryable `smtp_connection_failed`;
 * missing credentials or TLS the server cannot give are `channel_misconfigured` (permanent); anything else is a
 * retryable `smtp_error`.
 */
export function classifySmtpError(err: unknown, server: string): ProviderError {
  if (err instanceof ProviderError) return err;
  const failure = (typeof err === 'object' && err !== null ? err : { message: String(err) }) as SmtpFailure;
  const message = failure.message ?? 'unknown error';
  if (typeof failure.responseCode === 'number' && failure.response) {
    const code = failure.responseCode;
    // the command's verb only ("RCPT TO", "DATA", "AUTH PLAIN"): never its arguments
    const verb = /^(?:MAIL FROM|RCPT TO|DATA|AUTH(?: (?:PLAIN|LOGIN|CRAM-MD5|XOAUTH2))?|EHLO|HELO|STARTTLS|CONN)\b/i.exec(failure.command ?? '')?.[0];
    const at = verb ? (verb.toUpperCase() === 'CONN' ? ' (greeting)' : ` (answer to ${verb.toUpperCase()})`) : '';
    const reply = `${replyText(failure.response)}${at}`;
    if (failure.code === 'EAUTH') {
      return new ProviderError(`smtp_${code}`, `the SMTP server ${server} refused the channel's username and password: ${reply}; fix them in the channel settings`, !isPermanentReply(code));
    }
    return new ProviderError(`smtp_${code}`, `the SMTP server ${server} answered ${reply}`, !isPermanentReply(code));
  }
  const kind = failure.code ?? '';
  if (CONFIG_CODES.has(kind)) {
    return new ProviderError('channel_misconfigured', `the SMTP channel cannot send through ${server}: ${message} (${kind}); fix the channel settings`, false);
  }
  if (CONNECTION_CODES.has(kind) || failure.originalCode) {
    const cause = failure.originalCode ? `${kind}/${failure.originalCode}` : kind;
    return new ProviderError('smtp_connection_failed', `could not deliver to the SMTP server ${server}: ${message} (${cause})`, true);
  }
  return new ProviderError('smtp_error', `the SMTP send through ${server} failed: ${message}${kind ? ` (${kind})` : ''}`, true);
}
