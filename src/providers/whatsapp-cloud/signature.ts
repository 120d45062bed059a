import { createHmac, timingSafeEqual } from 'node:crypto';

/** The header Meta signs webhook POSTs with: `sha256=<hex HMAC-SHA256 of the raw body, keyed with the app secret>`. */
export const SIGNATURE_HEADER = 'x-hub-signature-256';

/** Computes the X-Hub-Signature-256 value Meta sends for `rawBody` (tests and the fake Graph server use it too). */
export function signWebhookBody(rawBody: Buffer | string, appSecret: string): string {
  return `sha256=${createHmac('sha256', appSecret).update(rawBody).digest('hex')}`;
}

/** True when `header` is Meta's signature of exactly these bytes with this app secret (constant-time compare). */
export function verifyWebhookSignature(rawBody: Buffer, header: string | string[] | undefined, appSecret: string): boolean {
  const value = Array.isArray(header) ? header[0] : header;
  if (!value || !/^sha256=[0-9a-fA-F]{64}$/.test(value.trim())) return false;
  const expected = Buffer.from(signWebhookBody(rawBody, appSecret).slice(7), 'hex');
  const given = Buffer.from(value.trim().slice(7), 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}
