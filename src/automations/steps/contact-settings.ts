import type { Db } from '../../db/connect.ts';
import type { FieldError } from '../../errors.ts';
import { hasLiquid } from '../../campaigns/liquid.ts';
import { CONSENT_CHANNELS } from '../../contacts/input.ts';
import { checkValue, definitionsByKey } from '../../contacts/custom-fields/service.ts';
import { checkSegmentRefs } from '../../segments/membership.ts';
import { checkLiquid } from './liquid.ts';
import type { StepDefinition } from './types.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const FIELD_KEY = /^[^\u0000-\u001f\u007f.[\]]{1,64}$/;
/** The consent statuses update_contact sets. */
export const CONSENT_STATUSES = ['opted_in', 'opted_out'] as const;

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Field errors of a list of tags (at most 100, each 1 to 100 characters). */
export function checkTags(value: unknown, path: string): FieldError[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || value.length > 100) return [{ path, message: 'must be a list of at most 100 tags' }];
  return value.flatMap((t, i) => (typeof t === 'string' && t.trim().length > 0 && t.length <= 100 ? [] : [{ path: `${path}.${i}`, message: 'must be a tag (1 to 100 characters)' }]));
}

function checkLists(value: unknown, path: string): FieldError[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || value.length > 20) return [{ path, message: 'must be a list of at most 20 static segment uuids' }];
  return value.flatMap((id, i) => (typeof id === 'string' && UUID.test(id) ? [] : [{ path: `${path}.${i}`, message: 'must be the uuid of a static segment' }]));
}

/** Checks the shape of update_contact's `name`, `set_fields`, `consent`, `add_to_lists` and `remove_from_lists` (the workspace's fields and lists: checkContactRefs). */
export function checkContactSettings(step: StepDefinition, path: string): FieldError[] {
  const out: FieldError[] = [...checkLiquid(step.name, `${path}.name`, false, 200), ...checkLists(step.add_to_lists, `${path}.add_to_lists`), ...checkLists(step.remove_from_lists, `${path}.remove_from_lists`)];
  const fields = step.set_fields;
  if (fields !== undefined) {
    if (!isObject(fields) || Object.keys(fields).length === 0 || Object.keys(fields).length > 100) out.push({ path: `${path}.set_fields`, message: 'must be an object of 1 to 100 custom field keys and their values' });
    else {
      for (const [key, value] of Object.entries(fields)) {
        const at = `${path}.set_fields.${key}`;
        if (!FIELD_KEY.test(key)) out.push({ path: `${path}.set_fields`, message: `"${key.slice(0, 64)}" is not a custom field key` });
        else if (typeof value === 'string') out.push(...checkLiquid(value, at, true, 1000));
        else if (value !== null && typeof value !== 'boolean' && !(typeof value === 'number' && Number.isFinite(value))) out.push({ path: at, message: 'must be a string (Liquid allowed), a number, a boolean, or null to remove the value' });
      }
    }
  }
  const consent = step.consent;
  if (consent !== undefined) {
    if (!isObject(consent) || Object.keys(consent).length === 0) out.push({ path: `${path}.consent`, message: `must be an object of channel types (${CONSENT_CHANNELS.join(', ')}) and opted_in or opted_out` });
    else {
      for (const [channel, status] of Object.entries(consent)) {
        if (!(CONSENT_CHANNELS as readonly string[]).includes(channel)) out.push({ path: `${path}.consent.${channel}`, message: `is not a channel type (${CONSENT_CHANNELS.join(', ')})` });
        else if (!(CONSENT_STATUSES as readonly unknown[]).includes(status)) out.push({ path: `${path}.consent.${channel}`, message: 'must be opted_in or opted_out' });
      }
    }
  }
  return out;
}

/**
 * Checks what update_contact names in the workspace: each `set_fields` key is a custom field, and each value without
 * Liquid fits the field's type (a Liquid value is checked once rendered); each list is a static segment.
 */
export async function checkContactRefs(db: Db, workspaceId: string, step: StepDefinition, path: string): Promise<FieldError[]> {
  const out: FieldError[] = [];
  if (step.set_fields !== undefined) {
    const definitions = await definitionsByKey(db, workspaceId);
    for (const [key, value] of Object.entries(step.set_fields as Record<string, unknown>)) {
      const at = `${path}.set_fields.${key}`;
      const definition = definitions.get(key);
      if (!definition) { out.push({ path: at, message: 'is not a custom field of this workspace (define it with POST /v1/custom_fields)' }); continue; }
      if (value === null || (typeof value === 'string' && hasLiquid(value))) continue;
      const checked = checkValue(definition, value);
      if ('error' in checked) out.push({ path: at, message: checked.error });
    }
  }
  if (step.add_to_lists !== undefined) out.push(...await checkSegmentRefs(db, workspaceId, step.add_to_lists as string[], `${path}.add_to_lists`, true));
  if (step.remove_from_lists !== undefined) out.push(...await checkSegmentRefs(db, workspaceId, step.remove_from_lists as string[], `${path}.remove_from_lists`, true));
  return out;
}
