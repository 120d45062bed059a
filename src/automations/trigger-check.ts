import type { Db } from '../db/connect.ts';
import { AUTOMATION_TRIGGER_TYPES, type AutomationTriggerType } from '../db/enums.ts';
import { findChannel } from '../channels/queries.ts';
import { definitionsByKey } from '../contacts/custom-fields/service.ts';
import type { FieldError } from '../errors.ts';
import { CUSTOM_EVENT_TYPE } from '../events/types.ts';
import { checkKeywords, type KeywordMatch } from './keywords.ts';
import { isTimeZone } from '../lib/time.ts';

/** Units of a date trigger's offset. */
export const OFFSET_UNITS = ['minutes', 'hours', 'days'] as const;

/** How far before or after the date a date trigger starts its run. */
export interface DateOffset {
  value: number;
  unit: (typeof OFFSET_UNITS)[number];
  direction: 'before' | 'after';
}

/**
 * What starts runs, by `type`: `api` (nothing else); `event` (`event` custom.<name>, `filters` its data must equal);
 * `contact_created`; `tag_added` (`tag`); `inbound_message` (`channel_uuid` optional, `keywords` with `match`
 * optional); `date` on a contact date field (`field`, `recurrence`) or on event data (`event`, `path`, `filters`),
 * shifted by `offset`, at the local time `at`, in the zone of the contact's `time_zone_field`, else `time_zone`, else the workspace's.
 */
export interface Trigger {
  type: AutomationTriggerType;
  event?: string;
  filters?: Record<string, string | number | boolean>;
  tag?: string;
  channel_uuid?: string;
  keywords?: string[];
  match?: KeywordMatch;
  field?: string;
  path?: string;
  recurrence?: 'yearly' | 'none';
  offset?: DateOffset;
  at?: string;
  time_zone?: string;
  time_zone_field?: string;
}

const SETTINGS: Record<AutomationTriggerType, readonly string[]> = {
  api: [],
  event: ['event', 'filters'],
  contact_created: [],
  tag_added: ['tag'],
  inbound_message: ['channel_uuid', 'keywords', 'match'],
  date: ['field', 'recurrence', 'event', 'path', 'filters', 'offset', 'at', 'time_zone', 'time_zone_field'],
};

const FILTER_KEY = /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const HH_MM = /^([01]\d|2[0-3]):[0-5]\d$/;
const FIELD_KEY = /^[^\u0000-\u001f\u007f.[\]]{1,64}$/;
/** The largest offset a date trigger takes, in days (and the same span in hours or minutes). */
export const MAX_OFFSET_DAYS = 366;
const MAX_OFFSET: Record<DateOffset['unit'], number> = { minutes: MAX_OFFSET_DAYS * 1440, hours: MAX_OFFSET_DAYS * 24, days: MAX_OFFSET_DAYS };

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function checkFilters(filters: unknown, path: string): FieldError[] {
  if (filters === undefined) return [];
  if (!isObject(filters) || Object.keys(filters).length > 20) return [{ path, message: 'must be an object of at most 20 data paths and the values they must equal' }];
  const out: FieldError[] = [];
  for (const [key, value] of Object.entries(filters)) {
    if (!FILTER_KEY.test(key)) out.push({ path, message: `"${key.slice(0, 64)}" is not a data path (keys separated by dots)` });
    else if (!['string', 'number', 'boolean'].includes(typeof value)) out.push({ path: `${path}.${key}`, message: 'must be a string, number or boolean' });
  }
  return out;
}

function checkOffset(offset: unknown, path: string): FieldError[] {
  if (offset === undefined) return [];
  if (!isObject(offset)) return [{ path, message: 'must be an object {value, unit, direction}' }];
  const out: FieldError[] = [];
  for (const key of Object.keys(offset)) if (!['value', 'unit', 'direction'].includes(key)) out.push({ path: `${path}.${key}`, message: 'is not a setting of an offset' });
  if (!(OFFSET_UNITS as readonly unknown[]).includes(offset.unit)) out.push({ path: `${path}.unit`, message: `must be one of ${OFFSET_UNITS.join(', ')}` });
  else if (!Number.isInteger(offset.value) || (offset.value as number) < 0 || (offset.value as number) > MAX_OFFSET[offset.unit as DateOffset['unit']]) {
    out.push({ path: `${path}.value`, message: `must be a whole number of ${offset.unit} from 0 to ${MAX_OFFSET[offset.unit as DateOffset['unit']]}` });
  }
  if (!['before', 'after'].includes(offset.direction as string)) out.push({ path: `${path}.direction`, message: 'must be before or after' });
  return out;
}

function checkDate(trigger: Record<string, unknown>, path: string): FieldError[] {
  const out: FieldError[] = [];
  const onField = trigger.field !== undefined;
  if (onField && trigger.event !== undefined) out.push({ path: `${path}.event`, message: 'is not allowed with field: a date trigger reads a contact field or event data, not both' });
  if (!onField && trigger.event === undefined) out.push({ path: `${path}.field`, message: 'field (a contact date field) or event and path (a date in custom event data) is required' });
  if (onField) {
    if (typeof trigger.field !== 'string' || !FIELD_KEY.test(trigger.field)) out.push({ path: `${path}.field`, message: 'must be the key of a contact custom field of type date' });
    for (const key of ['path', 'filters'] as const) if (trigger[key] !== undefined) out.push({ path: `${path}.${key}`, message: 'is only for a date in event data (with event)' });
    if (trigger.recurrence !== undefined && !['yearly', 'none'].includes(trigger.recurrence as string)) out.push({ path: `${path}.recurrence`, message: 'must be yearly or none' });
  } else if (trigger.event !== undefined) {
    if (typeof trigger.event !== 'string' || !CUSTOM_EVENT_TYPE.test(trigger.event)) out.push({ path: `${path}.event`, message: 'must be a custom event type, custom.<name>' });
    if (typeof trigger.path !== 'string' || !FILTER_KEY.test(trigger.path)) out.push({ path: `${path}.path`, message: 'must be the data path of the date in the event (keys separated by dots), e.g. appointment_at' });
    if (trigger.recurrence !== undefined) out.push({ path: `${path}.recurrence`, message: 'is only for a contact date field' });
    out.push(...checkFilters(trigger.filters, `${path}.filters`));
  }
  out.push(...checkOffset(trigger.offset, `${path}.offset`));
  if (trigger.at !== undefined && (typeof trigger.at !== 'string' || !HH_MM.test(trigger.at))) out.push({ path: `${path}.at`, message: 'must be a local time HH:MM (00:00 to 23:59)' });
  if (trigger.time_zone !== undefined && !isTimeZone(trigger.time_zone)) out.push({ path: `${path}.time_zone`, message: 'must be an IANA time zone (e.g. America/Montreal, Europe/Rome, UTC)' });
  if (trigger.time_zone_field !== undefined && (typeof trigger.time_zone_field !== 'string' || !FIELD_KEY.test(trigger.time_zone_field))) {
    out.push({ path: `${path}.time_zone_field`, message: 'must be the key of a contact custom field holding an IANA time zone' });
  }
  return out;
}

/** Checks a trigger's shape and settings (every problem with its JSON path under `path`, e.g. body.trigger.keywords.0). */
export function checkTrigger(trigger: unknown, path: string): FieldError[] {
  if (!isObject(trigger)) return [{ path, message: 'must be an object {type, …settings}' }];
  if (!(AUTOMATION_TRIGGER_TYPES as readonly unknown[]).includes(trigger.type)) return [{ path: `${path}.type`, message: `must be one of ${AUTOMATION_TRIGGER_TYPES.join(', ')}` }];
  const type = trigger.type as AutomationTriggerType;
  const out: FieldError[] = [];
  for (const key of Object.keys(trigger)) {
    if (key !== 'type' && !SETTINGS[type].includes(key)) out.push({ path: `${path}.${key}`, message: `is not a setting of a ${type} trigger` });
  }
  if (type === 'event') {
    if (typeof trigger.event !== 'string' || !CUSTOM_EVENT_TYPE.test(trigger.event)) out.push({ path: `${path}.event`, message: 'must be a custom event type, custom.<name>' });
    out.push(...checkFilters(trigger.filters, `${path}.filters`));
  } else if (type === 'tag_added') {
    if (typeof trigger.tag !== 'string' || trigger.tag.trim().length === 0 || trigger.tag.length > 100) out.push({ path: `${path}.tag`, message: 'must be a tag (1 to 100 characters)' });
  } else if (type === 'inbound_message') {
    if (trigger.channel_uuid !== undefined && (typeof trigger.channel_uuid !== 'string' || !UUID.test(trigger.channel_uuid))) out.push({ path: `${path}.channel_uuid`, message: 'must be a channel uuid' });
    if (trigger.keywords !== undefined || trigger.match !== undefined) out.push(...checkKeywords(trigger.keywords, trigger.match, path));
  } else if (type === 'date') out.push(...checkDate(trigger, path));
  return out;
}

/** A checked trigger with only its own settings and the defaults filled in (match contains; recurrence none; at 09:00 on contact fields). */
export function normalizeTrigger(raw: Record<string, unknown>): Trigger {
  const t = raw as unknown as Trigger;
  const pick = <K extends keyof Trigger>(...keys: K[]) => Object.fromEntries(keys.filter((k) => t[k] !== undefined).map((k) => [k, t[k]])) as Partial<Trigger>;
  switch (t.type) {
    case 'event': return { type: t.type, ...pick('event', 'filters') };
    case 'tag_added': return { type: t.type, tag: t.tag!.trim() };
    case 'inbound_message': return { type: t.type, ...(t.channel_uuid !== undefined && { channel_uuid: t.channel_uuid.toLowerCase() }), ...(t.keywords !== undefined && { keywords: t.keywords, match: t.match ?? 'contains' }) };
    case 'date': return {
      type: t.type, ...pick('field', 'event', 'path', 'filters'), ...(t.field !== undefined && { recurrence: t.recurrence ?? 'none' }),
      ...pick('offset'), ...(t.at !== undefined ? { at: t.at } : t.field !== undefined ? { at: '09:00' } : {}), ...pick('time_zone', 'time_zone_field'),
    };
    default: return { type: t.type };
  }
}

/** The trigger's lookup key stored in automations.trigger_event (indexed with trigger_type): event type, tag, channel, or null. */
export function triggerLookupKey(trigger: Trigger): string | null {
  if (trigger.type === 'event' || trigger.type === 'date') return trigger.event ?? null;
  if (trigger.type === 'tag_added') return trigger.tag ?? null;
  if (trigger.type === 'inbound_message') return trigger.channel_uuid ?? null;
  return null;
}

/** True when the trigger's starts carry a correlation key (so the per_correlation_key entry policy can apply). */
export function triggerHasCorrelationKey(trigger: Trigger): boolean {
  return trigger.type === 'api' || trigger.type === 'event' || (trigger.type === 'date' && trigger.event !== undefined);
}

/** Checks what a (shape-checked) trigger names in the workspace: its channel, its date field (type date) and time zone field. */
export async function checkTriggerRefs(db: Db, workspaceId: string, trigger: Trigger, path: string): Promise<FieldError[]> {
  const out: FieldError[] = [];
  if (trigger.type === 'inbound_message' && trigger.channel_uuid !== undefined && !await findChannel(db, workspaceId, trigger.channel_uuid.toLowerCase())) {
    out.push({ path: `${path}.channel_uuid`, message: 'is not a channel of this workspace' });
  }
  if (trigger.type === 'date' && (trigger.field !== undefined || trigger.time_zone_field !== undefined)) {
    const fields = await definitionsByKey(db, workspaceId);
    if (trigger.field !== undefined && fields.get(trigger.field)?.type !== 'date') out.push({ path: `${path}.field`, message: 'is not a contact custom field of type date' });
    if (trigger.time_zone_field !== undefined && fields.get(trigger.time_zone_field)?.type !== 'text') out.push({ path: `${path}.time_zone_field`, message: 'is not a contact custom field of type text' });
  }
  return out;
}
