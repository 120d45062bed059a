import { v7 } from 'uuid';
import { randomBytes, randomFillSync } from 'node:crypto';

const POOL_IDS = 256;
const pool = new Uint8Array(16 * POOL_IDS);
let poolIndex = POOL_IDS;
let lastMs = -1;
let seq = 0;

// 16 random bytes from a pool refilled 4 KiB at a time: one system call per 256 ids instead of one per id
function pooledRandom(): Uint8Array {
  if (poolIndex >= POOL_IDS) {
    randomFillSync(pool);
    poolIndex = 0;
  }
  const start = 16 * poolIndex++;
  return pool.subarray(start, start + 16);
}

/** A new time-ordered UUID (v7), used as every resource's id; ids made in the same millisecond still sort in creation order. */
export function newId(): string {
  const random = pooledRandom();
  const now = Date.now();
  if (now > lastMs) {
    // a fresh random 31-bit counter each millisecond, as the uuid package does (RFC 9562, method 1)
    seq = ((random[6] & 0x7f) << 24) | (random[7] << 16) | (random[8] << 8) | random[9];
    lastMs = now;
  } else {
    seq = (seq + 1) | 0;
    if (seq === 0) lastMs++;
  }
  return v7({ random, msecs: lastMs, seq });
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
