/** What a consent keyword asks for: to stop messages, to start them again, or help (no consent change). */
export type KeywordAction = 'opt_out' | 'opt_in' | 'help';

/**
 * Twilio's default English keywords (https://help.twilio.com/articles/223134027): Twilio itself blocks an opted-out
 * number (error 21610) and answers each keyword; Beckon mirrors the consent on the contact.
 */
export const CONSENT_KEYWORDS: Readonly<Record<KeywordAction, readonly string[]>> = {
  opt_out: ['STOP', 'STOPALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT', 'REVOKE', 'OPTOUT'],
  opt_in: ['START', 'YES', 'UNSTOP'],
  help: ['HELP', 'INFO'],
};

const OPT_OUT_TYPES: Record<string, KeywordAction> = { STOP: 'opt_out', START: 'opt_in', HELP: 'help' };

/**
 * The keyword action of an inbound SMS, or null for an ordinary message. Twilio's `OptOutType` (sent when a
 * Messaging Service with Advanced Opt-Out matched one of its keywords, in any language) wins; otherwise the body
 * must be exactly one keyword, in any case, spaces and trailing punctuation aside ("stop." is STOP; "stop it" is not).
 */
export function keywordAction(body: string, optOutType?: string): KeywordAction | null {
  const typed = optOutType ? OPT_OUT_TYPES[optOutType.trim().toUpperCase()] : undefined;
  if (typed) return typed;
  const word = body.trim().replace(/[.!?]+$/, '').trim().toUpperCase();
  for (const action of ['opt_out', 'opt_in', 'help'] as const) {
    if (CONSENT_KEYWORDS[action].includes(word)) return action;
  }
  return null;
}
