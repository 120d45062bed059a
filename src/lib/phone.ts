import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { invalidField } from '../errors.ts';

/**
 * Normalizes a phone number as a user types it ("+39 333 123 4567", "393331234567", "0039 333…") to E.164,
 * or throws a 400 naming `path`. Numbers without a leading + or 00 are read as international (Callbell's format).
 */
export function normalizePhone(raw: string, path = 'body.phone'): string {
  const trimmed = raw.trim();
  const international = trimmed.startsWith('+') ? trimmed : trimmed.startsWith('00') ? '+' + trimmed.slice(2) : '+' + trimmed;
  const parsed = parsePhoneNumberFromString(international);
  if (!parsed || !parsed.isValid()) throw invalidField(path, `"${raw}" is not a valid phone number (use international format, e.g. +39 333 123 4567)`);
  return parsed.number;
}
