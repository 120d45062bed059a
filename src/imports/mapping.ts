import { AppError, type FieldError } from '../errors.ts';
import { CONSENT_CHANNELS } from '../contacts/input.ts';

/** Column name → contact field (name, phone, identifier, email, tags, source, blocked, consent.<channel>, custom_fields.<key>, or "-" to ignore the column). */
export type Mapping = Record<string, string>;

const PLAIN = new Set(['name', 'phone', 'identifier', 'email', 'tags', 'source', 'blocked']);
const CUSTOM = /^custom_fields\.([^.[\]\u0000-\u001f]{1,64})$/;
const CONSENT = new RegExp(`^consent\\.(${CONSENT_CHANNELS.join('|')})$`);

/** Whether `field` is a contact field an import column can fill. */
export function isImportField(field: string): boolean {
  return PLAIN.has(field) || CUSTOM.test(field) || CONSENT.test(field) || field === '-';
}

/**
 * Parses `column=field,column=field` (a column name holding "," or "=" is not expressible: rename it or use the header form);
 * throws a 400 naming `path` for an unknown field.
 */
export function parseMapping(spec: string | undefined, path: string): Mapping {
  const mapping: Mapping = {};
  if (!spec) return mapping;
  const errors: FieldError[] = [];
  for (const pair of spec.split(',')) {
    if (!pair.trim()) continue;
    const at = pair.indexOf('=');
    const column = at < 0 ? '' : pair.slice(0, at).trim();
    const field = at < 0 ? '' : pair.slice(at + 1).trim();
    if (!column || !isImportField(field)) {
      errors.push({ path, message: `"${pair}" is not column=field with field one of name, phone, identifier, email, tags, source, blocked, consent.<whatsapp|sms|email>, custom_fields.<key> or -` });
    } else {
      mapping[column] = field;
    }
  }
  if (errors.length > 0) throw new AppError(400, 'validation_failed', errors.map((e) => e.message).join('; '), errors);
  return mapping;
}

/** The field a column named like one maps to without a mapping: name, phone, identifier, email, tags, source, blocked and consent.<channel> in any case, custom_fields.<key> as is. */
export function autoField(column: string): string | undefined {
  const plain = column.trim().toLowerCase();
  if (PLAIN.has(plain) || CONSENT.test(plain)) return plain;
  return CUSTOM.test(column) ? column : undefined;
}

function boolOf(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const v = value.trim().toLowerCase();
  if (['true', '1', 'yes', 'y'].includes(v)) return true;
  if (['false', '0', 'no', 'n', ''].includes(v)) return false;
  return value;
}

/**
 * Turns one row (CSV columns as strings, or an NDJSON object) into a POST /v1/contacts body: mapped columns first,
 * then columns named like a field (see autoField; and, from NDJSON, custom_fields and consent objects); other columns are ignored; empty strings count as absent.
 */
export function recordOf(row: Record<string, unknown>, mapping: Mapping): Record<string, unknown> {
  const record: Record<string, unknown> = {};
  const customFields: Record<string, unknown> = {};
  const consent: Record<string, unknown> = {};
  for (const [column, value] of Object.entries(row)) {
    if ((column === 'custom_fields' || column === 'consent') && mapping[column] === undefined && value !== null && typeof value === 'object' && !Array.isArray(value)) {
      Object.assign(column === 'consent' ? consent : customFields, value); // an NDJSON object shaped like a contact
      continue;
    }
    const field = mapping[column] ?? autoField(column);
    if (!field || field === '-' || value === undefined || value === null || value === '') continue;
    const custom = CUSTOM.exec(field);
    const channel = CONSENT.exec(field);
    if (custom) customFields[custom[1]] = value;
    else if (channel) consent[channel[1]] = { status: typeof value === 'string' ? value.trim() : value };
    else if (field === 'tags') record.tags = typeof value === 'string' ? value.split(',').map((t) => t.trim()).filter(Boolean) : value;
    else if (field === 'blocked') record.blocked = boolOf(value);
    else record[field] = value;
  }
  if (Object.keys(customFields).length > 0) record.custom_fields = customFields;
  if (Object.keys(consent).length > 0) record.consent = consent;
  return record;
}
