import type { Static } from 'typebox';
import { Compile } from 'typebox/compile';
import { Value } from 'typebox/value';
import type { Db } from '../db/connect.ts';
import type { ContactsTable } from '../db/types.ts';
import type { JobQueue } from '../jobs/queue.ts';
import { AppError, type FieldError } from '../errors.ts';
import { definitionsByKey, type CustomFieldView } from './custom-fields-service.ts';
import { emailOf, phoneOfCreate } from './input.ts';
import * as q from './queries.ts';
import { CreateContactBody, type UpdateContactBody } from './schema.ts';
import { createContactIn, updateContactIn } from './service.ts';

/** Most contacts one batch call (or one import batch) upserts. */
export const MAX_BATCH = 1000;

/** How a batch treats records, after Dialog Insight's Contacts.Merge options. */
export interface BatchOptions {
  /** Create contacts whose phone and email match nobody (default true). */
  allowInsert: boolean;
  /** Update contacts that match by phone or email (default true). */
  allowUpdate: boolean;
  /** A record whose phone or email already appeared earlier in the same batch is skipped (default false: it is applied in order, so it updates the first). */
  skipDuplicates: boolean;
}

/** What happened to one record. */
export type RecordStatus = 'inserted' | 'updated' | 'unchanged' | 'skipped' | 'failed';

/** The result of one record of a batch. */
export interface RecordResult {
  index: number;
  status: RecordStatus;
  uuid: string | null;
  /** Why a record was skipped. */
  reason: 'duplicate_in_batch' | 'insert_not_allowed' | 'update_not_allowed' | null;
  error: { code: string; detail: string; errors: FieldError[] } | null;
}

/** Counts of a batch by outcome. */
export interface BatchCounts {
  received: number;
  inserted: number;
  updated: number;
  unchanged: number;
  skipped: number;
  failed: number;
}

type Record_ = Static<typeof CreateContactBody>;
const validRecord = Compile(CreateContactBody);

function schemaErrors(record: unknown, prefix: string): FieldError[] {
  if (record === null || typeof record !== 'object' || Array.isArray(record)) return [{ path: prefix, message: 'must be an object' }];
  if (validRecord.Check(record)) return [];
  const errors: FieldError[] = [];
  for (const e of Value.Errors(CreateContactBody, record)) {
    if (e.keyword === 'additionalProperties') continue;
    const path = prefix + e.instancePath.replaceAll('/', '.');
    const message = e.keyword === 'boolean' ? 'is not a contact field' : e.message;
    if (!errors.some((x) => x.path === path)) errors.push({ path, message });
  }
  return errors;
}

function failure(error: AppError, prefix: string): RecordResult['error'] {
  const rewrite = (path: string) => (path.startsWith('body.') ? prefix + path.slice(4) : path);
  const errors = (error.errors ?? []).map((e) => ({ path: rewrite(e.path), message: e.message }));
  let detail = error.message;
  for (const e of error.errors ?? []) detail = detail.replaceAll(e.path, rewrite(e.path));
  return { code: error.code, detail, errors };
}

function updateOf(record: Record_, phone: string | null, email: string | null): Static<typeof UpdateContactBody> {
  const body: Static<typeof UpdateContactBody> = {};
  if (record.name !== undefined) body.name = record.name;
  if (phone !== null) body.phone = phone;
  if (email !== null) body.email = email;
  if (record.tags !== undefined) body.tags = record.tags;
  if (record.custom_fields !== undefined) body.custom_fields = record.custom_fields;
  if (record.consent !== undefined) body.consent = record.consent;
  if (record.blocked !== undefined) body.blocked = record.blocked;
  return body;
}

async function matchOf(trx: Db, workspaceId: string, phone: string | null, email: string | null): Promise<ContactsTable | undefined> {
  const byPhone = phone ? await q.findContactByPhone(trx, workspaceId, phone) : undefined;
  const byEmail = email ? await q.findContactByEmail(trx, workspaceId, email) : undefined;
  if (byPhone && byEmail && byPhone.id !== byEmail.id) {
    throw new AppError(409, 'duplicate_contact', `the phone belongs to contact ${byPhone.id} and the email to contact ${byEmail.id}`, [
      { path: 'body.email', message: `is already the email of contact ${byEmail.id}` },
    ]);
  }
  return byPhone ?? byEmail;
}

async function upsertOne(trx: Db, queue: JobQueue, workspaceId: string, raw: unknown, prefix: string, options: BatchOptions,
  definitions: Map<string, CustomFieldView>, seen: Set<string>): Promise<Omit<RecordResult, 'index'>> {
  const errors = schemaErrors(raw, prefix);
  if (errors.length > 0) return { status: 'failed', uuid: null, reason: null, error: { code: 'validation_failed', detail: errors.map((e) => `${e.path} ${e.message}`).join('; '), errors } };
  const record = raw as Record_;
  const phone = phoneOfCreate(record);
  const email = emailOf(record.email);
  if (!phone && !email) throw new AppError(400, 'validation_failed', 'a contact needs a phone (or identifier) or an email', [{ path: 'body.phone', message: 'is required when there is no email' }]);
  const keys = [phone && `p:${phone}`, email && `e:${email}`].filter((k): k is string => !!k);
  const duplicate = keys.some((k) => seen.has(k));
  for (const k of keys) seen.add(k);
  if (duplicate && options.skipDuplicates) return { status: 'skipped', uuid: null, reason: 'duplicate_in_batch', error: null };
  const existing = await matchOf(trx, workspaceId, phone, email);
  if (!existing) {
    if (!options.allowInsert) return { status: 'skipped', uuid: null, reason: 'insert_not_allowed', error: null };
    const view = await createContactIn(trx, queue, workspaceId, record, definitions);
    return { status: 'inserted', uuid: view.uuid, reason: null, error: null };
  }
  if (!options.allowUpdate) return { status: 'skipped', uuid: existing.id, reason: 'update_not_allowed', error: null };
  const { emitted } = await updateContactIn(trx, queue, workspaceId, existing, updateOf(record, phone, email), definitions);
  return { status: emitted ? 'updated' : 'unchanged', uuid: existing.id, reason: null, error: null };
}

/**
 * Upserts records (each shaped like a POST /v1/contacts body) inside the caller's transaction `trx`, matching
 * existing contacts by phone, then email; a bad record is reported as failed and never stops the others.
 * `prefixOf(i)` names a record in error paths (e.g. `body.contacts.3`). The caller notifies the queue after commit.
 */
export async function upsertContactsIn(trx: Db, queue: JobQueue, workspaceId: string, records: unknown[], options: BatchOptions,
  prefixOf: (index: number) => string): Promise<RecordResult[]> {
  const definitions = await definitionsByKey(trx, workspaceId);
  const seen = new Set<string>();
  const results: RecordResult[] = [];
  for (let index = 0; index < records.length; index++) {
    const prefix = prefixOf(index);
    try {
      results.push({ index, ...(await upsertOne(trx, queue, workspaceId, records[index], prefix, options, definitions, seen)) });
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      results.push({ index, status: 'failed', uuid: null, reason: null, error: failure(error, prefix) });
    }
  }
  return results;
}

/** Counts results by outcome. */
export function countResults(results: RecordResult[]): BatchCounts {
  const counts: BatchCounts = { received: results.length, inserted: 0, updated: 0, unchanged: 0, skipped: 0, failed: 0 };
  for (const r of results) counts[r.status]++;
  return counts;
}

/** POST /v1/contacts/batch: upserts up to MAX_BATCH records in one transaction and reports counts and the records `returnRecords` asks for. */
export async function upsertContacts(db: Db, queue: JobQueue, workspaceId: string, records: unknown[], options: BatchOptions,
  returnRecords: 'none' | 'errors' | 'all'): Promise<{ counts: BatchCounts; results: RecordResult[] }> {
  const results = await db.transaction().execute((trx) => upsertContactsIn(trx, queue, workspaceId, records, options, (i) => `body.contacts.${i}`));
  const counts = countResults(results);
  if (counts.inserted + counts.updated > 0) queue.notify();
  const returned = returnRecords === 'all' ? results : returnRecords === 'errors' ? results.filter((r) => r.status === 'failed') : [];
  return { counts, results: returned };
}
