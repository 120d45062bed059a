import { invalidField } from '../errors.ts';
import { normalizeEmail } from '../lib/email.ts';
import { normalizePhone } from '../lib/phone.ts';
import type { Consent } from './service.ts';

/** Channel types a contact holds consent for. */
export const CONSENT_CHANNELS = ['whatsapp', 'sms', 'email'] as const;

/** Consent as a request gives it, per channel type. */
export type ConsentInput = Partial<Record<(typeof CONSENT_CHANNELS)[number], { status: Consent['status']; source?: string }>>;

/** Stored consent per channel type (channels never set are absent). */
export type StoredConsent = Partial<Record<(typeof CONSENT_CHANNELS)[number], Consent>>;

/** Trims and de-duplicates tags (first spelling wins), or throws a 400 naming the blank one. */
export function normalizeTags(tags: string[], path = 'body.tags'): string[] {
  const out: string[] = [];
  tags.forEach((raw, i) => {
    const tag = raw.trim();
    if (!tag) throw invalidField(`${path}.${i}`, 'must not be blank');
    if (!out.includes(tag)) out.push(tag);
  });
  return out;
}

/** Trims a name; blank becomes null. */
export function normalizeName(name: string | null | undefined): string | null {
  const trimmed = name?.trim() ?? '';
  return trimmed === '' ? null : trimmed;
}

/** The E.164 phone of a create request: `phone`, or Callbell's `identifier`; 400 when both are given and differ. `normalize` is normalizePhone or a cache of it. */
export function phoneOfCreate(body: { phone?: string; identifier?: string }, normalize: typeof normalizePhone = normalizePhone): string | null {
  const phone = body.phone !== undefined ? normalize(body.phone, 'body.phone') : null;
  const identifier = body.identifier !== undefined ? normalize(body.identifier, 'body.identifier') : null;
  if (phone && identifier && phone !== identifier) throw invalidField('body.identifier', `is an alias of phone and must be the same number (${identifier} ≠ ${phone})`);
  return phone ?? identifier;
}

/** Normalizes an optional email (null stays null). */
export function emailOf(raw: string | null | undefined, path = 'body.email'): string | null {
  return raw === null || raw === undefined ? null : normalizeEmail(raw, path);
}

/** Applies requested consent to the stored consent; a channel whose status or source changes gets `at` = now. */
export function mergeConsent(stored: StoredConsent, input: ConsentInput | undefined, defaultSource: string, now: string): StoredConsent {
  const out: StoredConsent = { ...stored };
  for (const channel of CONSENT_CHANNELS) {
    const wanted = input?.[channel];
    if (!wanted) continue;
    const current = stored[channel];
    const source = wanted.source ?? (current && current.status === wanted.status ? current.source : defaultSource);
    if (current && current.status === wanted.status && current.source === source) continue;
    out[channel] = { status: wanted.status, at: now, source };
  }
  return out;
}
