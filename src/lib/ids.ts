import { v7 } from 'uuid';
import { randomBytes } from 'node:crypto';

/** A new time-ordered UUID (v7), used as every resource's id. */
export function newId(): string {
  return v7();
}

/** A URL-safe random token of `bytes` random bytes. */
export function randomToken(bytes = 24): string {
  return randomBytes(bytes).toString('base64url');
}

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** True when the string is a syntactically valid UUID. */
export function isUuid(value: string): boolean {
  return UUID_PATTERN.test(value);
}
