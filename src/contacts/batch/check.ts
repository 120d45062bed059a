import type { Static } from 'typebox';
import { AppError, type FieldError } from '../../errors.ts';
import { compileOnUse } from '../../lib/compile-on-use.ts';
import { normalizePhone } from '../../lib/phone.ts';
import type { RecordResult } from './batch.ts';
import { emailOf, phoneOfCreate } from '../input.ts';
import { CreateContactBody } from '../schema.ts';
import { missingAddress } from '../service.ts';

// The checks of a batch record that need no store: kept apart (and light to import) so an import's reader thread can run them.

/** A record of a batch: a POST /v1/contacts body. */
export type Record_ = Static<typeof CreateContactBody>;
const validRecord = compileOnUse(CreateContactBody);

function schemaErrors(record: unknown, prefix: string): FieldError[] {
  if (record === null || typeof record !== 'object' || Array.isArray(record)) return [{ path: prefix, message: 'must be an object' }];
  if (validRecord().Check(record)) return [];
  const errors: FieldError[] = [];
  for (const e of validRecord().Errors(record)) {
    if (e.keyword === 'additionalProperties') continue;
    const path = prefix + e.instancePath.replaceAll('/', '.');
    const message = e.keyword === 'boolean' ? 'is not a contact field' : e.message;
    if (!errors.some((x) => x.path === path)) errors.push({ path, message });
  }
  return errors;
}

/** The result error of a record that threw `error`, its paths under `prefix` instead of `body`. */
export function failure(error: AppError, prefix: string): RecordResult['error'] {
  const rewrite = (path: string) => (path.startsWith('body.') ? prefix + path.slice(4) : path);
  const errors = (error.errors ?? []).map((e) => ({ path: rewrite(e.path), message: e.message }));
  let detail = error.message;
  for (const e of error.errors ?? []) detail = detail.replaceAll(e.path, rewrite(e.path));
  return { code: error.code, detail, errors };
}

/** normalizePhone with a cache by raw string (an import or a batch normalizes each distinct phone once); bounded in size. */
export function phoneCache(limit = 20_000): typeof normalizePhone {
  const cache = new Map<string, string>();
  return (raw, path) => {
    let phone = cache.get(raw);
    if (phone === undefined) {
      phone = normalizePhone(raw, path);
      if (cache.size >= limit) cache.clear();
      cache.set(raw, phone);
    }
    return phone;
  };
}

/** A record that passed checkRecord, with its normalized phone and email. */
export interface Checked {
  index: number;
  record: Record_;
  phone: string | null;
  email: string | null;
}

/** Checks one record without the store (schema, phone, email, one of them present): the record with its normalized phone and email, or its failed result. */
export function checkRecord(raw: unknown, index: number, prefix: string, normalize: typeof normalizePhone): Checked | RecordResult {
  const errors = schemaErrors(raw, prefix);
  if (errors.length > 0) return { index, status: 'failed', uuid: null, reason: null, error: { code: 'validation_failed', detail: errors.map((e) => `${e.path} ${e.message}`).join('; '), errors } };
  const record = raw as Record_;
  try {
    const phone = phoneOfCreate(record, normalize);
    const email = emailOf(record.email);
    if (!phone && !email) throw missingAddress();
    return { index, record, phone, email };
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    return { index, status: 'failed', uuid: null, reason: null, error: failure(error, prefix) };
  }
}

