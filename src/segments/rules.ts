import { invalidField } from '../errors.ts';
import { normalizeEmail } from '../lib/email.ts';
import { isUuid } from '../lib/ids.ts';
import { normalizePhone } from '../lib/phone.ts';
import { CUSTOM_EVENT_NAME } from '../events/types.ts';

/** The kinds of value a condition compares: each field has one, and it decides which ops are allowed. */
export type FieldKind = 'text' | 'tags' | 'instant' | 'number' | 'date' | 'boolean' | 'any' | 'consent' | 'segment' | 'campaign' | 'event';

/** A checked condition: the field (resolved to a column, custom field key, consent channel or segment), the op and the normalized value. */
export interface Condition {
  kind: 'condition';
  path: string;
  field: string;
  target: { type: 'column'; column: 'name' | 'email' | 'phone' | 'source' | 'tags' | 'created_at' | 'updated_at' | 'last_inbound_at' }
    | { type: 'custom'; key: string }
    | { type: 'consent'; channel: 'whatsapp' | 'sms' | 'email' }
    | { type: 'segment' }
    | { type: 'campaign'; event: CampaignEvent }
    | { type: 'event'; name: string };
  fieldKind: FieldKind;
  op: Op;
  value: unknown;
}

/** What a `campaign.<event>` condition asks about a contact and a campaign. */
export const CAMPAIGN_EVENTS = ['received', 'delivered', 'read', 'opened', 'clicked'] as const;
/** One of CAMPAIGN_EVENTS. */
export type CampaignEvent = (typeof CAMPAIGN_EVENTS)[number];

/** What an `event.<name>` condition asks: the contact did the custom event at least `at_least` times (within the last `within_days` days, with data at `property` equal to `equals`). */
export interface EventCount {
  at_least: number;
  within_days: number | null;
  property: string[] | null;
  equals: string | number | boolean | null;
}

/** A checked rule node: a group (all / any / not) or a condition. */
export type RuleNode = { kind: 'all' | 'any'; path: string; children: RuleNode[] } | { kind: 'not'; path: string; child: RuleNode } | Condition;

/** Every operator a condition may use. */
export const OPS = ['eq', 'neq', 'contains', 'not_contains', 'starts_with', 'gt', 'gte', 'lt', 'lte', 'in', 'not_in', 'exists', 'not_exists', 'within_days', 'before', 'after', 'performed', 'not_performed'] as const;
/** One operator. */
export type Op = (typeof OPS)[number];

/** Operators allowed per field kind. */
export const OPS_BY_KIND: Record<FieldKind, readonly Op[]> = {
  text: ['eq', 'neq', 'contains', 'not_contains', 'starts_with', 'in', 'not_in', 'exists', 'not_exists'],
  tags: ['contains', 'not_contains', 'in', 'not_in', 'exists', 'not_exists'],
  instant: ['before', 'after', 'gt', 'gte', 'lt', 'lte', 'within_days', 'exists', 'not_exists'],
  date: ['eq', 'neq', 'before', 'after', 'gt', 'gte', 'lt', 'lte', 'within_days', 'exists', 'not_exists'],
  number: ['eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'in', 'not_in', 'exists', 'not_exists'],
  boolean: ['eq', 'neq', 'exists', 'not_exists'],
  any: ['eq', 'neq', 'contains', 'not_contains', 'starts_with', 'gt', 'gte', 'lt', 'lte', 'in', 'not_in', 'exists', 'not_exists'],
  consent: ['eq', 'neq', 'in', 'not_in'],
  segment: ['eq', 'neq'],
  campaign: ['eq', 'neq'],
  event: ['performed', 'not_performed'],
};

/** Limits that keep a rule tree cheap to compile and run. */
export const MAX_DEPTH = 8;
export const MAX_CONDITIONS = 100;
export const MAX_IN_VALUES = 1000;

const COLUMNS = { name: 'text', email: 'text', phone: 'text', source: 'text', tags: 'tags', created_at: 'instant', updated_at: 'instant', last_inbound_at: 'instant' } as const;
const CONSENT_VALUES = ['opted_in', 'opted_out', 'unknown'];
const CUSTOM_KEY = /^[^"\\]{1,100}$/;
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/i;

/** The type of a workspace's custom field definitions, by key (text, email, number, date, dropdown, checkbox). */
export type CustomFieldTypes = Map<string, string>;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function customKind(type: string | undefined): FieldKind {
  if (type === undefined) return 'any';
  if (type === 'number') return 'number';
  if (type === 'date') return 'date';
  if (type === 'checkbox') return 'boolean';
  return 'text';
}

/** Parses and checks a rule tree; throws a 400 naming the bad node's path (e.g. `body.rules.all.2.op`). */
export function parseRules(raw: unknown, path: string, customTypes: CustomFieldTypes): RuleNode {
  const counter = { conditions: 0 };
  return parseNode(raw, path, customTypes, 1, counter);
}

function parseNode(raw: unknown, path: string, customTypes: CustomFieldTypes, depth: number, counter: { conditions: number }): RuleNode {
  if (!isObject(raw)) throw invalidField(path, 'must be a group ({"all": [...]}, {"any": [...]} or {"not": node}) or a condition ({"field", "op", "value"})');
  if (depth > MAX_DEPTH) throw invalidField(path, `rules nest at most ${MAX_DEPTH} levels deep`);
  const keys = Object.keys(raw);
  if (keys.length === 1 && (keys[0] === 'all' || keys[0] === 'any')) {
    const kind = keys[0];
    const list = raw[kind];
    const listPath = `${path}.${kind}`;
    if (!Array.isArray(list) || list.length === 0) throw invalidField(listPath, 'must be a non-empty array of rule nodes');
    return { kind, path, children: list.map((child, i) => parseNode(child, `${listPath}.${i}`, customTypes, depth + 1, counter)) };
  }
  if (keys.length === 1 && keys[0] === 'not') return { kind: 'not', path, child: parseNode(raw.not, `${path}.not`, customTypes, depth + 1, counter) };
  if (keys.includes('all') || keys.includes('any') || keys.includes('not')) throw invalidField(path, 'a group has exactly one key: all, any or not');
  const extra = keys.find((k) => k !== 'field' && k !== 'op' && k !== 'value');
  if (extra !== undefined) throw invalidField(`${path}.${extra}`, 'is not a property of a condition (field, op, value)');
  counter.conditions++;
  if (counter.conditions > MAX_CONDITIONS) throw invalidField(path, `rules hold at most ${MAX_CONDITIONS} conditions`);
  return parseCondition(raw, path, customTypes);
}

function parseTarget(field: unknown, path: string, customTypes: CustomFieldTypes): Pick<Condition, 'target' | 'fieldKind' | 'field'> {
  if (typeof field !== 'string' || field === '') throw invalidField(path, 'must be a field name');
  if (field in COLUMNS) {
    const column = field as keyof typeof COLUMNS;
    return { field, target: { type: 'column', column }, fieldKind: COLUMNS[column] };
  }
  if (field.startsWith('custom_fields.')) {
    const key = field.slice('custom_fields.'.length);
    if (!CUSTOM_KEY.test(key)) throw invalidField(path, 'custom_fields.<key> needs a key of 1 to 100 characters without " or \\');
    return { field, target: { type: 'custom', key }, fieldKind: customKind(customTypes.get(key)) };
  }
  if (field === 'consent.whatsapp' || field === 'consent.sms' || field === 'consent.email') {
    return { field, target: { type: 'consent', channel: field.slice('consent.'.length) as 'whatsapp' | 'sms' | 'email' }, fieldKind: 'consent' };
  }
  if (field === 'segment') return { field, target: { type: 'segment' }, fieldKind: 'segment' };
  if (field.startsWith('campaign.')) {
    const event = field.slice('campaign.'.length);
    if (!(CAMPAIGN_EVENTS as readonly string[]).includes(event)) throw invalidField(path, `campaign conditions are campaign.<${CAMPAIGN_EVENTS.join('|')}>`);
    return { field, target: { type: 'campaign', event: event as CampaignEvent }, fieldKind: 'campaign' };
  }
  if (field.startsWith('event.')) {
    const name = field.slice('event.'.length);
    if (!CUSTOM_EVENT_NAME.test(name)) throw invalidField(path, 'event.<name> needs a custom event name (snake_case, 1 to 64 characters)');
    return { field, target: { type: 'event', name }, fieldKind: 'event' };
  }
  throw invalidField(path, `unknown field "${field}"; fields are name, email, phone, source, tags, created_at, updated_at, last_inbound_at, custom_fields.<key>, consent.<whatsapp|sms|email>, segment, campaign.<${CAMPAIGN_EVENTS.join('|')}> and event.<name>`);
}

function parseCondition(raw: Record<string, unknown>, path: string, customTypes: CustomFieldTypes): Condition {
  const target = parseTarget(raw.field, `${path}.field`, customTypes);
  const op = raw.op;
  if (typeof op !== 'string' || !(OPS as readonly string[]).includes(op)) throw invalidField(`${path}.op`, `must be one of ${OPS.join(', ')}`);
  const allowed = OPS_BY_KIND[target.fieldKind];
  if (!allowed.includes(op as Op)) throw invalidField(`${path}.op`, `"${op}" does not apply to ${target.field}; use one of ${allowed.join(', ')}`);
  const value = parseValue(target, op as Op, raw.value, 'value' in raw, `${path}.value`);
  return { kind: 'condition', path, ...target, op: op as Op, value };
}

function instantOf(raw: unknown, path: string): string {
  const ms = typeof raw === 'string' && (DATE_ONLY.test(raw) || DATE_TIME.test(raw)) ? Date.parse(raw.length === 10 ? raw + 'T00:00:00Z' : raw) : NaN;
  if (Number.isNaN(ms)) throw invalidField(path, 'must be an ISO 8601 date (2025-01-31) or date-time (2025-01-31T12:00:00Z)');
  return new Date(ms).toISOString();
}

function scalarOf(target: Pick<Condition, 'target' | 'fieldKind' | 'field'>, raw: unknown, path: string, exact = true): unknown {
  switch (target.fieldKind) {
    case 'text':
    case 'tags': {
      if (typeof raw !== 'string' || raw.length === 0 || raw.length > 1000) throw invalidField(path, 'must be a string of 1 to 1000 characters');
      if (exact && target.target.type === 'column' && target.target.column === 'email') return normalizeEmail(raw, path);
      if (exact && target.target.type === 'column' && target.target.column === 'phone') return normalizePhone(raw, path);
      return raw;
    }
    case 'number':
      if (typeof raw !== 'number' || !Number.isFinite(raw)) throw invalidField(path, 'must be a number');
      return raw;
    case 'boolean':
      if (typeof raw !== 'boolean') throw invalidField(path, 'must be true or false');
      return raw;
    case 'date':
      if (typeof raw !== 'string' || !DATE_ONLY.test(raw)) throw invalidField(path, 'must be a date as YYYY-MM-DD');
      return raw;
    case 'instant':
      return instantOf(raw, path);
    case 'consent':
      if (typeof raw !== 'string' || !CONSENT_VALUES.includes(raw)) throw invalidField(path, 'must be opted_in, opted_out or unknown');
      return raw;
    case 'segment':
      if (typeof raw !== 'string' || !isUuid(raw)) throw invalidField(path, 'must be a segment uuid');
      return raw.toLowerCase();
    case 'campaign':
      if (typeof raw !== 'string' || !isUuid(raw)) throw invalidField(path, 'must be a campaign uuid');
      return raw.toLowerCase();
    case 'any':
      if (typeof raw === 'string' && raw.length <= 1000) return raw;
      if ((typeof raw === 'number' && Number.isFinite(raw)) || typeof raw === 'boolean') return raw;
      throw invalidField(path, 'must be a string, a number or a boolean');
  }
}

const EVENT_COUNT_KEYS = ['at_least', 'within_days', 'property', 'equals'];

/** The value of an `event.<name>` condition: {} or {at_least, within_days, property, equals}, every key optional (property and equals together). */
function eventCountOf(raw: unknown, present: boolean, path: string): EventCount {
  if (!present) return { at_least: 1, within_days: null, property: null, equals: null };
  if (!isObject(raw)) throw invalidField(path, 'must be an object: {"at_least": 2, "within_days": 30, "property": "status", "equals": "paid"}, every key optional');
  const extra = Object.keys(raw).find((k) => !EVENT_COUNT_KEYS.includes(k));
  if (extra !== undefined) throw invalidField(`${path}.${extra}`, `is not a property of an event condition (${EVENT_COUNT_KEYS.join(', ')})`);
  const atLeast = raw.at_least ?? 1;
  if (typeof atLeast !== 'number' || !Number.isInteger(atLeast) || atLeast < 1 || atLeast > 1_000_000) throw invalidField(`${path}.at_least`, 'must be a whole number from 1 to 1000000');
  const days = raw.within_days ?? null;
  if (days !== null && (typeof days !== 'number' || !Number.isInteger(days) || days < 1 || days > 36500)) throw invalidField(`${path}.within_days`, 'must be a whole number of days from 1 to 36500');
  const property = raw.property ?? null;
  const equals = raw.equals ?? null;
  if (property !== null && (typeof property !== 'string' || !/^[^".\\]{1,100}(\.[^".\\]{1,100}){0,7}$/.test(property))) {
    throw invalidField(`${path}.property`, 'must be a key of the event\'s data, or a dotted path to a nested key (order.status), without " or \\');
  }
  if ((property === null) !== (equals === null)) throw invalidField(property === null ? `${path}.property` : `${path}.equals`, 'is required: property and equals go together');
  if (equals !== null && !(typeof equals === 'string' && equals.length <= 1000) && !(typeof equals === 'number' && Number.isFinite(equals)) && typeof equals !== 'boolean') {
    throw invalidField(`${path}.equals`, 'must be a string, a number or a boolean');
  }
  return { at_least: atLeast, within_days: days as number | null, property: property === null ? null : (property as string).split('.'), equals: equals as EventCount['equals'] };
}

function parseValue(target: Pick<Condition, 'target' | 'fieldKind' | 'field'>, op: Op, raw: unknown, present: boolean, path: string): unknown {
  if (target.fieldKind === 'event') return eventCountOf(raw, present, path);
  if (op === 'exists' || op === 'not_exists') {
    if (present) throw invalidField(path, `${op} takes no value`);
    return null;
  }
  if (!present) throw invalidField(path, `is required by ${op}`);
  if (op === 'within_days') {
    if (typeof raw !== 'number' || !Number.isInteger(raw) || raw < 1 || raw > 36500) throw invalidField(path, 'must be a whole number of days from 1 to 36500');
    return raw;
  }
  if (op === 'in' || op === 'not_in') {
    if (!Array.isArray(raw) || raw.length === 0 || raw.length > MAX_IN_VALUES) throw invalidField(path, `must be a non-empty array of at most ${MAX_IN_VALUES} values`);
    return raw.map((item, i) => scalarOf(target, item, `${path}.${i}`));
  }
  if ((op === 'contains' || op === 'not_contains' || op === 'starts_with') && target.fieldKind === 'any' && typeof raw !== 'string') {
    throw invalidField(path, `${op} takes a string`);
  }
  if ((op === 'gt' || op === 'gte' || op === 'lt' || op === 'lte') && target.fieldKind === 'any' && typeof raw === 'boolean') {
    throw invalidField(path, `${op} takes a number or a string`);
  }
  return scalarOf(target, raw, path, op === 'eq' || op === 'neq');
}

/** The uuids of the segments a rule tree refers to (`segment` conditions), each with its node's path. */
export function segmentReferences(node: RuleNode): { uuid: string; path: string }[] {
  if (node.kind === 'condition') return node.target.type === 'segment' ? [{ uuid: node.value as string, path: `${node.path}.value` }] : [];
  if (node.kind === 'not') return segmentReferences(node.child);
  return node.children.flatMap(segmentReferences);
}

/** The uuids of the campaigns a rule tree refers to (`campaign.<event>` conditions), each with its node's value path. */
export function campaignReferences(node: RuleNode): { uuid: string; path: string }[] {
  if (node.kind === 'condition') return node.target.type === 'campaign' ? [{ uuid: node.value as string, path: `${node.path}.value` }] : [];
  if (node.kind === 'not') return campaignReferences(node.child);
  return node.children.flatMap(campaignReferences);
}
