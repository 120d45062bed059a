import { createHmac, timingSafeEqual } from 'node:crypto';
import type { SecretBox } from '../lib/secret-box.ts';

/** The HKDF label of the tracking-token key: a key derived from the secret key for this purpose only. */
export const TRACKING_KEY_INFO = 'beckon tracking tokens v1';

/** Bytes of HMAC-SHA256 kept in a token (96 bits). */
export const MAC_BYTES = 12;

/** What a token lets its holder do: record an open, follow a link, or unsubscribe. */
export type TokenKind = 'open' | 'click' | 'unsubscribe';

/** A verified token: the message it was made for, its kind and (clicks) the campaign link id. */
export interface TrackingToken {
  kind: TokenKind;
  messageId: string;
  linkId?: number;
}

// version 1 in the high nibble, the kind in the low one: a token of one kind never verifies as another
const KIND_BYTES: Record<TokenKind, number> = { open: 0x11, click: 0x12, unsubscribe: 0x13 };
const KINDS = new Map<number, TokenKind>(Object.entries(KIND_BYTES).map(([kind, byte]) => [byte, kind as TokenKind]));
const UUID_HEX = /^[0-9a-f]{32}$/;

/**
 * Signs and verifies tracking tokens: `base64url(kind byte ‖ message uuid (16 bytes) ‖ [link id, uint32] ‖ MAC)`, the
 * MAC being HMAC-SHA256 over everything before it with a key derived (HKDF) from the secret key, truncated to 96
 * bits. An open or unsubscribe token is 29 bytes (39 characters), a click token 33 (44 characters).
 */
export class TokenSigner {
  private readonly key: Buffer;

  constructor(key: Buffer) {
    this.key = Buffer.from(key);
  }

  /** The signer whose key is derived from the secret box's key (the one every process of a deployment shares). */
  static from(secrets: SecretBox): TokenSigner {
    return new TokenSigner(secrets.derive(TRACKING_KEY_INFO));
  }

  /** A signed token for one message (and one link of its campaign for a click). */
  sign(token: TrackingToken): string {
    const hex = token.messageId.replace(/-/g, '').toLowerCase();
    if (!UUID_HEX.test(hex)) throw new Error(`not a uuid: ${token.messageId}`);
    const parts = [Buffer.from([KIND_BYTES[token.kind]]), Buffer.from(hex, 'hex')];
    if (token.kind === 'click') {
      const link = Buffer.alloc(4);
      link.writeUInt32BE(token.linkId ?? 0);
      parts.push(link);
    }
    const body = Buffer.concat(parts);
    return Buffer.concat([body, this.mac(body)]).toString('base64url');
  }

  /** The token's content when it was signed with this key and is of `kind`; null for anything else (malformed, forged, altered, other kind). */
  verify(raw: string, kind: TokenKind): TrackingToken | null {
    if (raw.length > 64 || !/^[A-Za-z0-9_-]+$/.test(raw)) return null;
    const bytes = Buffer.from(raw, 'base64url');
    const bodyLength = kind === 'click' ? 21 : 17;
    if (bytes.length !== bodyLength + MAC_BYTES || bytes.toString('base64url') !== raw) return null;
    const body = bytes.subarray(0, bodyLength);
    if (!timingSafeEqual(this.mac(body), bytes.subarray(bodyLength))) return null;
    if (KINDS.get(body[0]) !== kind) return null;
    const hex = body.subarray(1, 17).toString('hex');
    const messageId = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
    return kind === 'click' ? { kind, messageId, linkId: body.readUInt32BE(17) } : { kind, messageId };
  }

  private mac(body: Buffer): Buffer {
    return createHmac('sha256', this.key).update(body).digest().subarray(0, MAC_BYTES);
  }
}

const signers = new WeakMap<SecretBox, TokenSigner>();

/** The (cached) token signer of a deployment's secret box. */
export function signerFor(secrets: SecretBox): TokenSigner {
  let signer = signers.get(secrets);
  if (!signer) {
    signer = TokenSigner.from(secrets);
    signers.set(secrets, signer);
  }
  return signer;
}

/** The public URL paths of each kind of token. */
export const TOKEN_PATHS: Record<TokenKind, string> = { open: '/o/', click: '/c/', unsubscribe: '/u/' };

/** The public URL of a tracking token: `${publicUrl}/c/<token>`, `/o/…` or `/u/…`. */
export function trackingUrl(publicUrl: string, secrets: SecretBox, token: TrackingToken): string {
  return `${publicUrl.replace(/\/+$/, '')}${TOKEN_PATHS[token.kind]}${signerFor(secrets).sign(token)}`;
}

/**
 * The List-Unsubscribe URL of an outbound message: its `/u/<token>` URL for a campaign email when the public URL is
 * https (RFC 8058 one-click needs https; the SMTP adapter refuses other schemes), else undefined.
 */
export function listUnsubscribeUrl(publicUrl: string, secrets: SecretBox, message: { id: string; campaign_id: string | null; channel_type: string | null }): string | undefined {
  if (!message.campaign_id || message.channel_type !== 'email' || !/^https:\/\//i.test(publicUrl)) return undefined;
  return trackingUrl(publicUrl, secrets, { kind: 'unsubscribe', messageId: message.id });
}
