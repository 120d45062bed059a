import type { RawBuilder } from 'kysely';
import type { JsonSql } from '../db/dialect.ts';

/**
 * The JSON expressions segment rules compile to (tags array, custom_fields object, consent object of the contacts
 * table), over the store's JSON helpers (src/db/dialect.ts: json1 on SQLite, jsonb on PostgreSQL). Every value is a bound parameter.
 */

/** True when the contact's tags hold this tag. */
export function tagsHave(j: JsonSql, tag: string): RawBuilder<boolean> {
  return j.arrayHas('contacts.tags', tag);
}

/** True when the contact's tags hold any of these tags. */
export function tagsHaveAny(j: JsonSql, tags: string[]): RawBuilder<boolean> {
  return j.arrayHasAny('contacts.tags', tags);
}

/** True when the contact has at least one tag. */
export function tagsNotEmpty(j: JsonSql): RawBuilder<boolean> {
  return j.arrayNotEmpty('contacts.tags');
}

/** The value of a custom field read as `as` (text, number; checkboxes are matched by their type alone), null when absent. */
export function customValue(j: JsonSql, key: string, as: 'text' | 'number'): RawBuilder<unknown> {
  return j.valueAt('contacts.custom_fields', [key], as);
}

/** The JSON type of a custom field's value: 'text', 'integer', 'real', 'true', 'false', 'null', or 'missing' when absent (never SQL NULL). */
export function customType(j: JsonSql, key: string): RawBuilder<string> {
  return j.typeAt('contacts.custom_fields', [key]);
}

/** The contact's consent status for one channel type: 'opted_in', 'opted_out' or 'unknown' (never SQL NULL). */
export function consentStatus(j: JsonSql, channel: 'whatsapp' | 'sms' | 'email'): RawBuilder<string> {
  return j.textAt('contacts.consent', [channel, 'status'], 'unknown');
}

/** The value at `path` of a custom event's data (`ce.data`, the custom_events row of an event condition) read as `as`, null when absent. */
export function eventDataValue(j: JsonSql, path: string[], as: 'text' | 'number'): RawBuilder<unknown> {
  return j.valueAt('ce.data', path, as);
}

/** The JSON type of the value at `path` of a custom event's data: 'text', 'integer', 'real', 'true', 'false', 'null' or 'missing' (never SQL NULL). */
export function eventDataType(j: JsonSql, path: string[]): RawBuilder<string> {
  return j.typeAt('ce.data', path);
}
