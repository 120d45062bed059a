import { createHash } from 'node:crypto';

/** Hex SHA-256 of a string: how API keys and idempotent request bodies are stored. */
export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
