import type { Db } from '../../db/connect.ts';
import type { CustomFieldsTable } from '../../db/types.ts';
import { AppError, invalidField, notFound, type FieldError } from '../../errors.ts';
import { isEmail } from '../../lib/email.ts';
import { newId } from '../../lib/ids.ts';
import { parseJson } from '../../lib/json.ts';
import { nowIso } from '../../lib/time.ts';
import * as q from './queries.ts';
import type { CUSTOM_FIELD_TYPES } from '../schema.ts';

/** One of the custom field types. */
export type CustomFieldType = (typeof CUSTOM_FIELD_TYPES)[number];

/** A custom field definition as the API shows it. */
export interface CustomFieldView {
  uuid: string;
  key: string;
  label: string;
  type: CustomFieldType;
  options: string[];
  created_at: string;
  updated_at: string;
}

/** Longest text value (a text field, or a key without a definition). */
export const MAX_TEXT_LENGTH = 1000;
/** Most custom field keys one contact may hold. */
export const MAX_CUSTOM_FIELDS = 100;
const KEY_PATTERN = /^[^\u0000-\u001f\u007f.[\]]{1,64}$/;
const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;
const NUMBER_PATTERN = /^\s*-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/;

/** Maps a definition row to its API view. */
export function customFieldView(row: CustomFieldsTable): CustomFieldView {
  return { uuid: row.id, key: row.key, label: row.label, type: row.type as CustomFieldType, options: parseJson(row.options, []), created_at: row.created_at, updated_at: row.updated_at };
}

/** Lists a workspace's definitions. */
export async function listCustomFields(db: Db, workspaceId: string): Promise<CustomFieldView[]> {
  return (await q.listCustomFields(db, workspaceId)).map(customFieldView);
}

/** One of the workspace's definitions, or 404. */
export async function getCustomField(db: Db, workspaceId: string, id: string): Promise<CustomFieldView> {
  const row = await q.findCustomField(db, workspaceId, id);
  if (!row) throw notFound('custom field');
  return customFieldView(row);
}

function checkOptions(type: CustomFieldType, options: string[] | undefined): string[] {
  if (type === 'dropdown') {
    if (!options || options.length === 0) throw invalidField('body.options', 'a dropdown field needs at least one option');
    return options;
  }
  if (options && options.length > 0) throw invalidField('body.options', `only dropdown fields take options; this one is a ${type} field`);
  return [];
}

/** Creates a definition; 409 `conflict` with `existing_uuid` when the key is taken in the workspace. */
export async function createCustomField(db: Db, workspaceId: string, input: { key: string; label: string; type: CustomFieldType; options?: string[] }): Promise<CustomFieldView> {
  const options = checkOptions(input.type, input.options);
  return db.transaction().execute(async (trx) => {
    const existing = await q.findCustomFieldByKey(trx, workspaceId, input.key);
    if (existing) {
      throw new AppError(409, 'conflict', `a custom field with key "${input.key}" already exists`, [{ path: 'body.key', message: 'is already used by another custom field' }], { existing_uuid: existing.id });
    }
    const now = nowIso();
    const row: CustomFieldsTable = { id: newId(), workspace_id: workspaceId, key: input.key, label: input.label, type: input.type, options: JSON.stringify(options), created_at: now, updated_at: now };
    await q.insertCustomField(trx, row);
    return customFieldView(row);
  });
}

/** Changes a definition's label or options (a dropdown keeps at least one option); key and type never change. */
export async function updateCustomField(db: Db, workspaceId: string, id: string, input: { label?: string; options?: string[] }): Promise<CustomFieldView> {
  return db.transaction().execute(async (trx) => {
    const row = await q.findCustomField(trx, workspaceId, id);
    if (!row) throw notFound('custom field');
    const type = row.type as CustomFieldType;
    const options = input.options === undefined ? parseJson<string[]>(row.options, []) : checkOptions(type, input.options);
    const changes = { label: input.label ?? row.label, options: JSON.stringify(options), updated_at: nowIso() };
    await q.updateCustomField(trx, workspaceId, id, changes);
    return customFieldView({ ...row, ...changes });
  });
}

/** Deletes a definition; contacts keep their values under that key, now unchecked. */
export async function deleteCustomField(db: Db, workspaceId: string, id: string): Promise<void> {
  const row = await q.findCustomField(db, workspaceId, id);
  if (!row) throw notFound('custom field');
  await q.deleteCustomField(db, workspaceId, id);
}

/** The workspace's definitions by key, for validating values. */
export async function definitionsByKey(db: Db, workspaceId: string): Promise<Map<string, CustomFieldView>> {
  return new Map((await listCustomFields(db, workspaceId)).map((d) => [d.key, d]));
}

function isRealDate(value: string): boolean {
  const m = DATE_PATTERN.exec(value);
  if (!m) return false;
  const date = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return date.getUTCFullYear() === Number(m[1]) && date.getUTCMonth() === Number(m[2]) - 1 && date.getUTCDate() === Number(m[3]);
}

/** Checks one value against its definition (or, with none, as a free value); returns the stored value or an error message. */
export function checkValue(definition: CustomFieldView | undefined, value: unknown): { value: unknown } | { error: string } {
  const type = definition?.type;
  if (type === undefined) {
    if (typeof value === 'string') return value.length <= MAX_TEXT_LENGTH ? { value } : { error: `must be at most ${MAX_TEXT_LENGTH} characters` };
    if (typeof value === 'number' && Number.isFinite(value)) return { value };
    if (typeof value === 'boolean') return { value };
    return { error: 'must be a string, a number or a boolean (define the field in /v1/custom_fields to give it a type)' };
  }
  if (type === 'text') {
    if (typeof value !== 'string') return { error: 'must be a string (text field)' };
    return value.length <= MAX_TEXT_LENGTH ? { value } : { error: `must be at most ${MAX_TEXT_LENGTH} characters` };
  }
  if (type === 'email') {
    const email = typeof value === 'string' ? value.trim().toLowerCase() : '';
    return isEmail(email) ? { value: email } : { error: 'must be a valid email address (email field)' };
  }
  if (type === 'number') {
    const n = typeof value === 'number' ? value : typeof value === 'string' && NUMBER_PATTERN.test(value) ? Number(value) : NaN;
    return Number.isFinite(n) ? { value: n } : { error: 'must be a finite number (number field)' };
  }
  if (type === 'date') {
    return typeof value === 'string' && isRealDate(value) ? { value } : { error: 'must be a calendar date as YYYY-MM-DD (date field)' };
  }
  if (type === 'checkbox') {
    if (typeof value === 'boolean') return { value };
    if (value === 'true' || value === 'false') return { value: value === 'true' };
    return { error: 'must be true or false (checkbox field)' };
  }
  const options = definition?.options ?? [];
  return typeof value === 'string' && options.includes(value) ? { value } : { error: `must be one of: ${options.map((o) => JSON.stringify(o)).join(', ')} (dropdown field)` };
}

/**
 * Validates custom field values against the definitions; returns them normalized (numbers as numbers, emails
 * lower-cased). With `allowNull`, null marks a key for removal. Throws one 400 listing every bad `body.custom_fields.<key>`.
 */
export function validateCustomFieldValues(definitions: Map<string, CustomFieldView>, values: Record<string, unknown>, allowNull: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const errors: FieldError[] = [];
  for (const [key, value] of Object.entries(values)) {
    const path = `body.custom_fields.${key}`;
    if (!KEY_PATTERN.test(key)) {
      errors.push({ path, message: 'keys are 1 to 64 characters without dots, brackets or control characters' });
    } else if (value === null && allowNull) {
      out[key] = null;
    } else {
      const checked = checkValue(definitions.get(key), value);
      if ('error' in checked) errors.push({ path, message: checked.error });
      else out[key] = checked.value;
    }
  }
  if (errors.length > 0) throw new AppError(400, 'validation_failed', errors.map((e) => `${e.path} ${e.message}`).join('; '), errors);
  return out;
}
