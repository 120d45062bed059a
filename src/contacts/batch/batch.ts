import type { Static } from 'typebox';
import type { Db } from '../../db/connect.ts';
import type { ContactsTable } from '../../db/types.ts';
import type { EventBus } from '../../events/subscribers.ts';
import { AppError, type FieldError } from '../../errors.ts';
import { recordEvents, type NewEvent } from '../../events/service.ts';
import type { normalizePhone } from '../../lib/phone.ts';
import { parseJson } from '../../lib/json.ts';
import { nowIso } from '../../lib/time.ts';
import { consentEventsOf } from '../consent.ts';
import { definitionsByKey, type CustomFieldView } from '../custom-fields/service.ts';
import { checkRecord, failure, phoneCache, type Checked, type Record_ } from './check.ts';
import * as q from '../queries.ts';
import type { UpdateContactBody } from '../schema.ts';
import { contactView, duplicateContact, newContactRow, planUpdate } from '../service.ts';
import { tagAddedEvents } from '../tag-events.ts';
import { loadWindows, type StoredWindow } from '../windows.ts';

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

/** The batch options when none are given: insert and update, apply repeated records in order. */
export const DEFAULT_BATCH_OPTIONS: BatchOptions = { allowInsert: true, allowUpdate: true, skipDuplicates: false };

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

/** What an import reuses across its batches: the workspace's custom field definitions (read once) and a phone cache. */
export interface UpsertContext {
  definitions: Map<string, CustomFieldView>;
  normalize: typeof normalizePhone;
}

/** Loads the UpsertContext of a workspace. */
export async function upsertContext(db: Db, workspaceId: string): Promise<UpsertContext> {
  return { definitions: await definitionsByKey(db, workspaceId), normalize: phoneCache() };
}

/** The contacts a batch can touch (every one holding a phone or email of its records), kept current as records apply. */
class BatchState {
  readonly byId = new Map<string, ContactsTable>();
  readonly byPhone = new Map<string, string>();
  readonly byEmail = new Map<string, string>();
  /** Contacts loaded from the store (not created in this batch), whose WhatsApp windows are loaded on the first update. */
  readonly stored = new Set<string>();
  windows: Map<string, StoredWindow[]> | null = null;

  put(row: ContactsTable, before?: ContactsTable): void {
    if (before?.phone && before.phone !== row.phone && this.byPhone.get(before.phone) === row.id) this.byPhone.delete(before.phone);
    if (before?.email && before.email !== row.email && this.byEmail.get(before.email) === row.id) this.byEmail.delete(before.email);
    this.byId.set(row.id, row);
    if (row.phone) this.byPhone.set(row.phone, row.id);
    if (row.email) this.byEmail.set(row.email, row.id);
  }

  byPhoneOf(phone: string | null): ContactsTable | undefined {
    const id = phone ? this.byPhone.get(phone) : undefined;
    return id === undefined ? undefined : this.byId.get(id);
  }

  byEmailOf(email: string | null): ContactsTable | undefined {
    const id = email ? this.byEmail.get(email) : undefined;
    return id === undefined ? undefined : this.byId.get(id);
  }
}

/** A write the batch makes, in record order: a new contact, or the whole row of an existing one after an update. */
interface Write {
  kind: 'insert' | 'overwrite';
  row: ContactsTable;
}

async function loadState(trx: Db, workspaceId: string, checked: Checked[]): Promise<BatchState> {
  const state = new BatchState();
  const phones = [...new Set(checked.map((c) => c.phone).filter((p): p is string => !!p))];
  const emails = [...new Set(checked.map((c) => c.email).filter((e): e is string => !!e))];
  const rows = [...await q.findContactsWhereIn(trx, workspaceId, 'phone', phones), ...await q.findContactsWhereIn(trx, workspaceId, 'email', emails)];
  for (const row of rows) {
    if (state.byId.has(row.id)) continue;
    state.put(row);
    state.stored.add(row.id);
  }
  return state;
}

function matchOf(state: BatchState, phone: string | null, email: string | null): ContactsTable | undefined {
  const byPhone = state.byPhoneOf(phone);
  const byEmail = state.byEmailOf(email);
  if (byPhone && byEmail && byPhone.id !== byEmail.id) {
    throw new AppError(409, 'duplicate_contact', `the phone belongs to contact ${byPhone.id} and the email to contact ${byEmail.id}`, [
      { path: 'body.email', message: `is already the email of contact ${byEmail.id}` },
    ]);
  }
  return byPhone ?? byEmail;
}

// what refuseDuplicate in service.ts answers, from the batch's state (every phone and email of the batch is in it)
function refuseDuplicate(state: BatchState, phone: string | null, email: string | null, exceptId: string): void {
  const holder = [state.byPhoneOf(phone), state.byEmailOf(email)].find((c) => c !== undefined && c.id !== exceptId);
  if (holder) throw duplicateContact(holder, phone, email);
}

async function windowsOf(trx: Db, workspaceId: string, state: BatchState, id: string): Promise<StoredWindow[] | undefined> {
  if (!state.stored.has(id)) return undefined;
  state.windows ??= await loadWindows(trx, workspaceId, [...state.stored]);
  return state.windows.get(id);
}

/** Applies one checked record to the state (createContactIn / updateContactIn without writing), queuing its writes and events. */
async function applyOne(trx: Db, workspaceId: string, c: Checked, options: BatchOptions, context: UpsertContext, state: BatchState,
  seen: Set<string>, writes: Write[], events: NewEvent[]): Promise<Omit<RecordResult, 'index'>> {
  const { record, phone, email } = c;
  const keys = [phone && `p:${phone}`, email && `e:${email}`].filter((k): k is string => !!k);
  const duplicate = keys.some((k) => seen.has(k));
  for (const k of keys) seen.add(k);
  if (duplicate && options.skipDuplicates) return { status: 'skipped', uuid: null, reason: 'duplicate_in_batch', error: null };
  const existing = matchOf(state, phone, email);
  if (!existing) {
    if (!options.allowInsert) return { status: 'skipped', uuid: null, reason: 'insert_not_allowed', error: null };
    const now = nowIso();
    const row = newContactRow(workspaceId, record, phone, email, context.definitions)(now);
    state.put(row);
    writes.push({ kind: 'insert', row });
    const view = contactView(row);
    events.push({ type: 'contact_created', payload: view, created_at: now });
    for (const e of consentEventsOf('{}', view)) events.push({ ...e, created_at: now });
    events.push(...tagAddedEvents([], view, now));
    return { status: 'inserted', uuid: row.id, reason: null, error: null };
  }
  if (!options.allowUpdate) return { status: 'skipped', uuid: existing.id, reason: 'update_not_allowed', error: null };
  const windows = await windowsOf(trx, workspaceId, state, existing.id);
  const now = nowIso();
  const plan = planUpdate(existing, updateOf(record, phone, email), context.definitions, windows, now, context.normalize);
  if (plan.changed.length === 0) return { status: 'unchanged', uuid: existing.id, reason: null, error: null };
  refuseDuplicate(state, plan.changed.includes('phone') ? plan.next.phone : null, plan.changed.includes('email') ? plan.next.email : null, existing.id);
  const row = { ...existing, ...plan.changes };
  state.put(row, existing);
  writes.push({ kind: 'overwrite', row });
  events.push({ type: 'contact_updated', payload: { ...plan.view, changed_fields: plan.changed }, created_at: now });
  if (plan.changed.includes('consent')) for (const e of consentEventsOf(existing.consent, plan.view)) events.push({ ...e, created_at: now });
  if (plan.changed.includes('tags')) events.push(...tagAddedEvents(parseJson<string[]>(existing.tags, []), plan.view, now));
  return { status: 'updated', uuid: existing.id, reason: null, error: null };
}

// consecutive writes of one kind go in one statement, in record order; a contact written twice starts a new statement
async function flushWrites(trx: Db, writes: Write[]): Promise<void> {
  let group: ContactsTable[] = [];
  let kind: Write['kind'] | null = null;
  let ids = new Set<string>();
  const flush = async () => {
    if (kind === 'insert') await q.insertContacts(trx, group);
    else if (kind === 'overwrite') await q.overwriteContacts(trx, group);
    group = [];
    ids = new Set();
  };
  for (const w of writes) {
    if (w.kind !== kind || ids.has(w.row.id)) await flush();
    kind = w.kind;
    group.push(w.row);
    ids.add(w.row.id);
  }
  await flush();
}

/**
 * Upserts records (each shaped like a POST /v1/contacts body) inside the caller's transaction `trx`, matching
 * existing contacts by phone, then email; a bad record is reported as failed and never stops the others.
 * `prefixOf(i)` names a record in error paths (e.g. `body.contacts.3`). The caller notifies the queue after commit.
 * Records apply in order as if one by one; the store is read once per batch (phones and emails with IN) and written
 * in multi-row statements. `context` (see upsertContext) lets an import reuse definitions and its phone cache.
 */
export async function upsertContactsIn(trx: Db, bus: EventBus, workspaceId: string, records: unknown[], options: BatchOptions,
  prefixOf: (index: number) => string, context?: UpsertContext): Promise<RecordResult[]> {
  const ctx = context ?? await upsertContext(trx, workspaceId);
  const checked = records.map((record, index) => checkRecord(record, index, prefixOf(index), ctx.normalize));
  return upsertCheckedIn(trx, bus, workspaceId, checked, options, prefixOf, ctx);
}

/** upsertContactsIn of records already through checkRecord (in order, `index` their position), e.g. by an import's reader thread. */
export async function upsertCheckedIn(trx: Db, bus: EventBus, workspaceId: string, items: (Checked | RecordResult)[], options: BatchOptions,
  prefixOf: (index: number) => string, context: UpsertContext): Promise<RecordResult[]> {
  const results: RecordResult[] = new Array(items.length);
  const checked: Checked[] = [];
  for (const item of items) {
    if ('status' in item) results[item.index] = item;
    else checked.push(item);
  }
  const state = await loadState(trx, workspaceId, checked);
  const seen = new Set<string>();
  const writes: Write[] = [];
  const events: NewEvent[] = [];
  for (const c of checked) {
    try {
      results[c.index] = { index: c.index, ...(await applyOne(trx, workspaceId, c, options, context, state, seen, writes, events)) };
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      results[c.index] = { index: c.index, status: 'failed', uuid: null, reason: null, error: failure(error, prefixOf(c.index)) };
    }
  }
  await flushWrites(trx, writes);
  await recordEvents(trx, bus, workspaceId, events);
  return results;
}

/** Counts results by outcome. */
export function countResults(results: RecordResult[]): BatchCounts {
  const counts: BatchCounts = { received: results.length, inserted: 0, updated: 0, unchanged: 0, skipped: 0, failed: 0 };
  for (const r of results) counts[r.status]++;
  return counts;
}

/** POST /v1/contacts/batch: upserts up to MAX_BATCH records in one transaction and reports counts and the records `returnRecords` asks for. */
export async function upsertContacts(db: Db, bus: EventBus, workspaceId: string, records: unknown[], options: BatchOptions,
  returnRecords: 'none' | 'errors' | 'all'): Promise<{ counts: BatchCounts; results: RecordResult[] }> {
  const results = await db.transaction().execute((trx) => upsertContactsIn(trx, bus, workspaceId, records, options, (i) => `body.contacts.${i}`));
  const counts = countResults(results);
  if (counts.inserted + counts.updated > 0) bus.queue.notify();
  const returned = returnRecords === 'all' ? results : returnRecords === 'errors' ? results.filter((r) => r.status === 'failed') : [];
  return { counts, results: returned };
}
