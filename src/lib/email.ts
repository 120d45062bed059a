import { invalidField } from '../errors.ts';

// The WHATWG HTML "valid e-mail address" grammar (what browsers accept in <input type=email>), plus a dot in the domain.
const EMAIL_PATTERN = /^[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)+$/;

/** True when the string is a plausible email address (HTML's grammar, ≤ 254 characters, a dotted domain). */
export function isEmail(value: string): boolean {
  return value.length <= 254 && EMAIL_PATTERN.test(value) && !value.startsWith('.') && !value.includes('..');
}

/** Trims and lower-cases an email address, or throws a 400 naming `path` when it is not a valid address. */
export function normalizeEmail(raw: string, path = 'body.email'): string {
  const email = raw.trim().toLowerCase();
  if (!isEmail(email)) throw invalidField(path, `"${raw}" is not a valid email address`);
  return email;
}
