import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Name of the key file generated in the data directory when BECKON_SECRET_KEY is not set (embedded mode). */
export const SECRET_KEY_FILE = 'secret.key';

/** Length of an AES-256 key in bytes. */
export const SECRET_KEY_BYTES = 32;

const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** A sealed value cannot be opened: another key sealed it, or it was altered. */
export class SecretBoxError extends Error {}

/**
 * Parses a 32-byte key written as 64 hex characters, or as base64 / base64url (44 characters with padding, 43
 * without); returns null for anything else.
 */
export function parseSecretKey(raw: string): Buffer | null {
  const text = raw.trim();
  if (/^[0-9a-fA-F]{64}$/.test(text)) return Buffer.from(text, 'hex');
  if (/^[A-Za-z0-9+/_-]{43}=?$/.test(text)) {
    const key = Buffer.from(text.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
    if (key.length === SECRET_KEY_BYTES) return key;
  }
  return null;
}

/** A short public fingerprint of a key (8 hex characters of its SHA-256), written into every sealed value. */
export function keyId(key: Buffer): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 8);
}

/**
 * Seals and opens small secrets with AES-256-GCM. A sealed value reads `v1.<key id>.<iv>.<ciphertext>.<tag>`
 * (base64url parts); the `context` (e.g. the owning row's id) is authenticated with it, so a sealed value copied
 * to another row does not open there.
 */
export class SecretBox {
  readonly keyId: string;
  private readonly key: Buffer;

  constructor(key: Buffer) {
    if (key.length !== SECRET_KEY_BYTES) throw new Error(`a secret key is ${SECRET_KEY_BYTES} bytes, got ${key.length}`);
    this.key = Buffer.from(key);
    this.keyId = keyId(key);
  }

  /** Encrypts `plaintext`, binding it to `context`. */
  seal(plaintext: string, context: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return [VERSION, this.keyId, iv.toString('base64url'), body.toString('base64url'), cipher.getAuthTag().toString('base64url')].join('.');
  }

  /** A 32-byte key for another purpose derived from this one with HKDF-SHA256 (`info` names the purpose, so keys for different purposes are unrelated). */
  derive(info: string): Buffer {
    return Buffer.from(hkdfSync('sha256', this.key, Buffer.alloc(0), Buffer.from(info, 'utf8'), SECRET_KEY_BYTES));
  }

  /** Decrypts a value sealed with this key and the same `context`; throws SecretBoxError otherwise. */
  open(sealed: string, context: string): string {
    const parts = sealed.split('.');
    if (parts.length !== 5 || parts[0] !== VERSION) throw new SecretBoxError('not a sealed value');
    const [, sealedBy, iv, body, tag] = parts;
    if (sealedBy !== this.keyId) {
      throw new SecretBoxError(`sealed with another secret key (key id ${sealedBy}; the configured key is ${this.keyId}): set BECKON_SECRET_KEY, or restore ${SECRET_KEY_FILE}, to the key it was sealed with`);
    }
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64url'), { authTagLength: TAG_BYTES });
      decipher.setAAD(Buffer.from(context, 'utf8'));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
    } catch {
      throw new SecretBoxError('the sealed value was altered or belongs to another record');
    }
  }
}

/** What is safe to show of a secret: its last 4 characters when it is long enough (12+) that they give little away, else nothing. */
export function secretHint(value: string): string {
  return value.length >= 12 ? `…${value.slice(-4)}` : '…';
}

/** Where a secret key came from. */
export interface LoadedSecretKey {
  key: Buffer;
  /** 'env' for BECKON_SECRET_KEY, else the key file's path. */
  source: string;
  /** True when the key file was created just now. */
  created: boolean;
  /** True when the key file can be read by other users than its owner (its mode allows group or other access). */
  exposed: boolean;
}

/**
 * The key that seals channel secrets: the configured one (BECKON_SECRET_KEY), else `<dataDir>/secret.key`, which is
 * generated (32 random bytes, base64, mode 0600) when it does not exist yet. Throws when the file holds no valid key.
 */
export function loadSecretKey(configured: Buffer | undefined, dataDir: string): LoadedSecretKey {
  if (configured) return { key: configured, source: 'env', created: false, exposed: false };
  const path = join(dataDir, SECRET_KEY_FILE);
  mkdirSync(dataDir, { recursive: true });
  let created = false;
  try {
    writeFileSync(path, `${randomBytes(SECRET_KEY_BYTES).toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
    created = true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  const key = parseSecretKey(readFileSync(path, 'utf8'));
  if (!key) throw new Error(`${path} does not hold a secret key (32 bytes as base64 or 64 hex characters)`);
  const exposed = process.platform !== 'win32' && (statSync(path).mode & 0o077) !== 0;
  return { key, source: path, created, exposed };
}
