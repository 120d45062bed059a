import { createRequire } from 'node:module';
import type { parsePhoneNumberFromString as Parse } from 'libphonenumber-js/max';
import { invalidField } from '../errors.ts';

// libphonenumber-js and its full metadata are required on the first number to normalize, not at start
const require = createRequire(import.meta.url);
let parse: typeof Parse | undefined;
const parser = (): typeof Parse => (parse ??= (require('libphonenumber-js/max') as { parsePhoneNumberFromString: typeof Parse }).parsePhoneNumberFromString);

// What people type around the digits: spaces (any kind), dashes, dots, slashes, parentheses, a leading + or 00.
const TYPED_PHONE = /^\+?[\d\s().\-/]+$/;

/**
 * Normalizes a phone number as a user types it ("+39 333 123 4567", "393331234567", "0039 333…", "tel:+39…",
 * "+1 (415) 555-2671") to E.164, or throws a 400 naming `path`. Numbers without a leading + or 00 are read as
 * international (Callbell's format); letters and extensions are refused rather than silently dropped.
 */
export function normalizePhone(raw: string, path = 'body.phone'): string {
  const trimmed = raw.trim().replace(/^tel:/i, '').trim();
  const parsed = TYPED_PHONE.test(trimmed) && /\d/.test(trimmed)
    ? parser()(trimmed.startsWith('+') ? trimmed : trimmed.startsWith('00') ? '+' + trimmed.slice(2) : '+' + trimmed)
    : undefined;
  if (!parsed || !parsed.isValid()) throw invalidField(path, `"${raw}" is not a valid phone number (use international format, e.g. +39 333 123 4567)`);
  return parsed.number;
}
