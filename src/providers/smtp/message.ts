import type Mail from 'nodemailer/lib/mailer/index.js';
import { isEmail } from '../../lib/email.ts';
import { ProviderError, type OutboundMessage } from '../types.ts';
import type { SmtpConfig } from './config.ts';

/** The value of List-Unsubscribe-Post that asks for RFC 8058 one-click unsubscription. */
export const ONE_CLICK = 'List-Unsubscribe=One-Click';

/**
 * The Message-ID of an outbound email: the Beckon idempotency key at the sender's domain, so every retry of the same
 * message carries the same id and receivers (and their spam filters) can drop a repeat.
 */
export function messageIdFor(idempotencyKey: string, fromEmail: string): string {
  const domain = fromEmail.slice(fromEmail.lastIndexOf('@') + 1).toLowerCase();
  return `<${idempotencyKey}@${domain}>`;
}

/**
 * The List-Unsubscribe targets of a message and whether it gets `List-Unsubscribe-Post` (RFC 8058): an https URL
 * gets one-click unsubscription, a mailto: URL (or a bare address) only List-Unsubscribe, as RFC 2369 defines it.
 * Anything else is refused, because marketing email must not leave without a working way out.
 */
export function listUnsubscribe(targets: string[]): { unsubscribe: string[]; oneClick: boolean } {
  const unsubscribe: string[] = [];
  let oneClick = false;
  for (const target of targets) {
    let url: URL | undefined;
    try {
      url = new URL(target);
    } catch {
      url = undefined;
    }
    if (url?.protocol === 'https:') oneClick = true;
    else if (url?.protocol === 'mailto:' && isEmail(decodeURIComponent(url.pathname))) { /* RFC 2369 mailto */ }
    else if (!url && isEmail(target)) { /* a bare address: nodemailer writes it as <mailto:…> */ }
    else throw new ProviderError('invalid_unsubscribe_url', `the unsubscribe link "${target}" is neither an https URL nor a mailto: address`, false);
    unsubscribe.push(target);
  }
  return { unsubscribe, oneClick };
}

/**
 * Builds the email nodemailer sends for one outbound message: From (name and address), To (the one recipient, also
 * the only envelope recipient), Subject, the text body (content.text) and the HTML body when there is one, the
 * Message-ID derived from the idempotency key, and List-Unsubscribe (+ List-Unsubscribe-Post for https) when the
 * message carries an unsubscribe URL. Non-text messages and invalid recipients are refused for good.
 */
export function buildMail(config: SmtpConfig, message: OutboundMessage): Mail.Options {
  if (message.type !== 'text') {
    throw new ProviderError('unsupported_message_type', `email channels send text messages (with a subject and an optional html body), not ${message.type}; link the file in the text instead`, false);
  }
  if (!isEmail(message.to)) throw new ProviderError('invalid_recipient', `"${message.to}" is not an email address`, false);
  const text = message.content.text ?? message.template?.renderedText ?? '';
  const mail: Mail.Options = {
    from: { name: config.fromName ?? '', address: config.fromEmail },
    to: { name: '', address: message.to },
    envelope: { from: config.fromEmail, to: [message.to] },
    messageId: messageIdFor(message.idempotencyKey, config.fromEmail),
    text,
    disableFileAccess: true,
    disableUrlAccess: true,
  };
  if (message.subject !== undefined) mail.subject = message.subject;
  if (message.html !== undefined) mail.html = message.html;
  if (message.unsubscribeUrl !== undefined) {
    const { unsubscribe, oneClick } = listUnsubscribe([message.unsubscribeUrl]);
    mail.list = { unsubscribe };
    if (oneClick) mail.headers = { 'List-Unsubscribe-Post': ONE_CLICK };
  }
  return mail;
}
