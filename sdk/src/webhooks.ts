// Standard Webhooks verification with Web Crypto (crypto.subtle): works in Node.js (18+), Deno, Bun, browsers and
// edge runtimes, with no node: import.
import type { BeckonEvent } from './stream.ts';

/** Why a webhook was refused. */
export type WebhookFailure = 'missing_header' | 'invalid_timestamp' | 'stale_timestamp' | 'invalid_secret' | 'invalid_signature';

/** Thrown by verifyWebhook: the request is not a genuine, recent delivery signed with this secret. */
export class WebhookVerificationError extends Error {
  /** Which check failed. */
  readonly reason: WebhookFailure;

  constructor(reason: WebhookFailure, message: string) {
    super(message);
    this.name = 'WebhookVerificationError';
    this.reason = reason;
  }
}

/** Request headers as a receiver has them: a Headers object, or a plain object (Node's IncomingHttpHeaders, Express's req.headers). */
export type WebhookHeaders = Headers | Record<string, string | string[] | undefined>;

/** Tuning of verifyWebhook. */
export interface VerifyOptions {
  /** How far webhook-timestamp may be from now, in seconds, either way (default 300, as Standard Webhooks advises). */
  toleranceSeconds?: number;
  /** The current time (tests). */
  now?: Date;
}

function header(headers: WebhookHeaders, name: string): string | undefined {
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  const value = headers[name] ?? Object.entries(headers).find(([key]) => key.toLowerCase() === name)?.[1];
  return Array.isArray(value) ? value.join(', ') : value;
}

function base64Bytes(text: string): Uint8Array<ArrayBuffer> | null {
  try {
    const binary = atob(text);
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    return bytes;
  } catch {
    return null;
  }
}

/** A Web Crypto key (named this way because Node's and the DOM's typings declare CryptoKey differently). */
type HmacKey = Awaited<ReturnType<typeof crypto.subtle.importKey>>;

const keys = new Map<string, Promise<HmacKey>>();

function hmacKey(secret: string): Promise<HmacKey> {
  let key = keys.get(secret);
  if (!key) {
    const raw = base64Bytes(secret.startsWith('whsec_') ? secret.slice('whsec_'.length) : secret);
    if (!raw || raw.length === 0) throw new WebhookVerificationError('invalid_secret', 'the signing secret is not whsec_ followed by base64');
    key = crypto.subtle.importKey('raw', raw, { name: 'HMAC', hash: 'SHA-256' }, false, ['verify']);
    if (keys.size > 100) keys.clear();
    keys.set(secret, key);
  }
  return key;
}

/**
 * Verifies a Beckon webhook delivery (Standard Webhooks: `webhook-id`, `webhook-timestamp`, `webhook-signature` =
 * space-separated `v1,<base64 HMAC-SHA256 of "id.timestamp.body">`) against the endpoint's `whsec_…` secret, and
 * returns the parsed event. Pass the body exactly as received (the raw text or bytes, not re-serialized JSON). The
 * signatures are compared by crypto.subtle.verify (constant time); the timestamp must be within the tolerance, which
 * refuses replays of old deliveries. Throws a WebhookVerificationError saying which check failed.
 */
export async function verifyWebhook(secret: string, headers: WebhookHeaders, body: string | Uint8Array, options: VerifyOptions = {}): Promise<BeckonEvent> {
  const id = header(headers, 'webhook-id');
  const timestamp = header(headers, 'webhook-timestamp');
  const signatures = header(headers, 'webhook-signature');
  if (!id || !timestamp || !signatures) throw new WebhookVerificationError('missing_header', 'webhook-id, webhook-timestamp and webhook-signature are required');
  if (!/^\d{1,12}$/.test(timestamp)) throw new WebhookVerificationError('invalid_timestamp', 'webhook-timestamp is not a Unix time in seconds');
  const now = Math.floor((options.now ?? new Date()).getTime() / 1000);
  const tolerance = options.toleranceSeconds ?? 300;
  if (Math.abs(now - Number(timestamp)) > tolerance) throw new WebhookVerificationError('stale_timestamp', `webhook-timestamp is more than ${tolerance} s away from now`);
  const key = await hmacKey(secret);
  const encoder = new TextEncoder();
  const bytes = typeof body === 'string' ? encoder.encode(body) : body;
  const prefix = encoder.encode(`${id}.${timestamp}.`);
  const signed = new Uint8Array(prefix.length + bytes.length);
  signed.set(prefix);
  signed.set(bytes, prefix.length);
  for (const candidate of signatures.split(' ')) {
    const [version, value] = candidate.split(',', 2);
    const signature = version === 'v1' && value ? base64Bytes(value) : null;
    if (signature && await crypto.subtle.verify('HMAC', key, signature, signed)) {
      return JSON.parse(typeof body === 'string' ? body : new TextDecoder().decode(body)) as BeckonEvent;
    }
  }
  throw new WebhookVerificationError('invalid_signature', 'no webhook-signature matches the body with this secret');
}
