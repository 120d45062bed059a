import { createHmac, timingSafeEqual } from 'node:crypto';

/** Form parameters as Twilio posts them: a name maps to one value, or to several when it repeats. */
export type FormParams = Record<string, string | string[]>;

/** The header Twilio signs every webhook request with. */
export const SIGNATURE_HEADER = 'x-twilio-signature';

/**
 * Twilio's request signature: base64(HMAC-SHA1(auth token, url + each POST parameter's name and value, names sorted
 * in case-sensitive (code point) order; a repeated name contributes each of its values, sorted)). `url` is the full URL
 * Twilio requested, query string included, exactly as configured in Twilio (the public URL, not the local one).
 */
export function twilioSignature(authToken: string, url: string, params: FormParams): string {
  let data = url;
  for (const name of Object.keys(params).sort()) {
    const value = params[name];
    if (Array.isArray(value)) for (const each of [...new Set(value)].sort()) data += name + each;
    else data += name + value;
  }
  return createHmac('sha1', authToken).update(data, 'utf8').digest('base64');
}

function withoutPort(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/[^/?#]*?)(:\d+)?([/?#]|$)/i, '$1$3');
}

function withDefaultPort(url: string): string {
  const match = /^([a-z][a-z0-9+.-]*):\/\/([^/?#]*)/i.exec(url);
  if (!match || /:\d+$/.test(match[2])) return url;
  const port = match[1].toLowerCase() === 'https' ? ':443' : ':80';
  return `${match[0]}${port}${url.slice(match[0].length)}`;
}

/**
 * True when `signature` (the X-Twilio-Signature header) is Twilio's signature of this request. Like Twilio's own
 * helpers, it accepts the URL with or without its scheme's default port (Twilio signs what it was given, and a
 * proxy may add or drop `:443`). The comparison takes the same time whatever the signature.
 */
export function verifyTwilioSignature(authToken: string, signature: string, url: string, params: FormParams): boolean {
  const given = Buffer.from(signature, 'utf8');
  const candidates = new Set([url, withoutPort(url), withDefaultPort(url)]);
  let valid = false;
  for (const candidate of candidates) {
    const expected = Buffer.from(twilioSignature(authToken, candidate, params), 'utf8');
    if (expected.length === given.length && timingSafeEqual(expected, given)) valid = true;
  }
  return valid;
}

/** Reads an application/x-www-form-urlencoded body into FormParams (a repeated name keeps every value, in order). */
export function parseForm(body: string): FormParams {
  const out: FormParams = {};
  for (const [name, value] of new URLSearchParams(body)) {
    const existing = out[name];
    if (existing === undefined) out[name] = value;
    else out[name] = Array.isArray(existing) ? [...existing, value] : [existing, value];
  }
  return out;
}
