import { sql, type RawBuilder } from 'kysely';

/**
 * The SQLite-specific JSON expressions segment rules compile to (tags array, custom_fields object, consent object
 * of the contacts table). A PostgreSQL store adds its branch here; every value is a bound parameter.
 */

/** True when the contact's tags hold this tag. */
export function tagsHave(tag: string): RawBuilder<boolean> {
  return sql<boolean>`exists (select 1 from json_each(contacts.tags) as t where t.value = ${tag})`;
}

/** True when the contact's tags hold any of these tags. */
export function tagsHaveAny(tags: string[]): RawBuilder<boolean> {
  return sql<boolean>`exists (select 1 from json_each(contacts.tags) as t where t.value in (${sql.join(tags)}))`;
}

/** True when the contact has at least one tag. */
export function tagsNotEmpty(): RawBuilder<boolean> {
  return sql<boolean>`(json_array_length(contacts.tags) > 0)`;
}

function customPath(key: string): string {
  return `$."${key}"`;
}

/** The value of a custom field (SQL text, integer or real; checkboxes read as 1 / 0), null when absent. */
export function customValue(key: string): RawBuilder<unknown> {
  return sql`json_extract(contacts.custom_fields, ${customPath(key)})`;
}

/** The JSON type of a custom field's value: 'text', 'integer', 'real', 'true', 'false', 'null', or 'missing' when absent (never SQL NULL). */
export function customType(key: string): RawBuilder<string> {
  return sql<string>`coalesce(json_type(contacts.custom_fields, ${customPath(key)}), 'missing')`;
}

/** The contact's consent status for one channel type: 'opted_in', 'opted_out' or 'unknown' (never SQL NULL). */
export function consentStatus(channel: 'whatsapp' | 'sms' | 'email'): RawBuilder<string> {
  return sql<string>`coalesce(json_extract(contacts.consent, ${`$.${channel}.status`}), 'unknown')`;
}
