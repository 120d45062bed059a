import type { Static } from 'typebox';
import type { FieldError } from '../errors.ts';
import { compileOnUse } from '../lib/compile-on-use.ts';
import { CUSTOM_EVENT_NAME, EVENT_TYPES } from '../events/types.ts';
import { CustomEventBody, MAX_DATA_BYTES, MAX_DATA_DEPTH } from './schema.ts';

/** A custom event as a request gives it. */
export type CustomEventInput = Static<typeof CustomEventBody>;

/** Why one event of a request was refused: the HTTP status it would answer alone, its problem code, and field errors. */
export interface EventFailure {
  status: number;
  code: string;
  detail: string;
  errors: FieldError[];
}

/** An event that passed checkEvent: its input with `data`, `occurred_at` and `correlation_key` normalized. */
export interface CheckedEvent {
  index: number;
  input: CustomEventInput;
  data: Record<string, unknown>;
  occurredAt: string | null;
  correlationKey: string | null;
}

/** Names no custom event may take: every domain event type (and the webhook test event), to keep the two apart when read. */
const RESERVED = new Set<string>([...EVENT_TYPES, 'webhook_test']);
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/i;
const validBody = compileOnUse(CustomEventBody);

/** A 400 failure with these field errors. */
export function validationFailure(errors: FieldError[]): EventFailure {
  return { status: 400, code: 'validation_failed', detail: errors.map((e) => `${e.path}: ${e.message}`).join('; '), errors };
}

function schemaErrors(raw: unknown, prefix: string): FieldError[] {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return [{ path: prefix, message: 'must be an object' }];
  if (validBody().Check(raw)) return [];
  const errors: FieldError[] = [];
  for (const e of validBody().Errors(raw)) {
    const path = prefix + e.instancePath.replaceAll('/', '.');
    const message = e.keyword === 'additionalProperties' ? `has no property ${JSON.stringify((e.params as { additionalProperties?: string[] }).additionalProperties?.[0] ?? '')}` : e.message;
    if (!errors.some((x) => x.path === path)) errors.push({ path, message });
  }
  return errors;
}

/** The path of the first value in `value` nested deeper than `max` levels (objects and arrays), or null. */
function tooDeep(value: unknown, path: string, depth: number, max: number): string | null {
  if (value === null || typeof value !== 'object') return null;
  if (depth > max) return path;
  for (const [key, child] of Object.entries(value)) {
    const found = tooDeep(child, `${path}.${key}`, depth + 1, max);
    if (found) return found;
  }
  return null;
}

/** Checks one event without the store (schema, name, data limits, dates, a contact reference present): the checked event or its failure, paths under `prefix`. */
export function checkEvent(raw: unknown, index: number, prefix: string): CheckedEvent | EventFailure {
  const errors = schemaErrors(raw, prefix);
  if (errors.length > 0) return validationFailure(errors);
  const input = raw as CustomEventInput;
  if (!CUSTOM_EVENT_NAME.test(input.name)) errors.push({ path: `${prefix}.name`, message: 'must be snake_case: a lower-case letter, then lower-case letters, digits or _, 64 characters at most' });
  else if (RESERVED.has(input.name)) errors.push({ path: `${prefix}.name`, message: `"${input.name}" is a domain event type; choose another name` });
  const contact = input.contact;
  if (contact.uuid === undefined && contact.phone === undefined && contact.email === undefined) {
    errors.push({ path: `${prefix}.contact`, message: 'needs a uuid, a phone or an email' });
  }
  (contact.tags ?? []).forEach((tag, i) => {
    if (tag.trim() === '') errors.push({ path: `${prefix}.contact.tags.${i}`, message: 'must not be blank' });
  });
  const data = input.data ?? {};
  const deep = tooDeep(data, `${prefix}.data`, 1, MAX_DATA_DEPTH);
  if (deep) errors.push({ path: deep, message: `nests deeper than ${MAX_DATA_DEPTH} levels` });
  else if (Buffer.byteLength(JSON.stringify(data)) > MAX_DATA_BYTES) errors.push({ path: `${prefix}.data`, message: `is larger than ${MAX_DATA_BYTES} bytes as JSON` });
  let occurredAt: string | null = null;
  if (input.occurred_at !== undefined) {
    const ms = DATE_TIME.test(input.occurred_at) ? Date.parse(input.occurred_at) : NaN;
    if (Number.isNaN(ms)) errors.push({ path: `${prefix}.occurred_at`, message: 'must be an ISO 8601 date-time with a time zone (2025-01-31T12:00:00Z)' });
    else occurredAt = new Date(ms).toISOString();
  }
  if (errors.length > 0) return validationFailure(errors);
  return { index, input, data, occurredAt, correlationKey: input.correlation_key ?? null };
}
