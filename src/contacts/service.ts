import type { Static } from 'typebox';
import type { Db } from '../db/connect.ts';
import type { ContactsTable } from '../db/types.ts';
import type { EventBus } from '../events/subscribers.ts';
import { AppError, invalidField, notFound, type FieldError } from '../errors.ts';
import { recordEvent, recordEvents } from '../events/service.ts';
import { newId } from '../lib/ids.ts';
import { parseJson } from '../lib/json.ts';
import { normalizePhone } from '../lib/phone.ts';
import { nowIso } from '../lib/time.ts';
import { recordConsentEvents } from './consent.ts';
import { definitionsByKey, MAX_CUSTOM_FIELDS, validateCustomFieldValues, type CustomFieldView } from './custom-fields/service.ts';
import { emailOf, mergeConsent, normalizeName, normalizeTags, phoneOfCreate, type StoredConsent } from './input.ts';
import * as q from './queries.ts';
import { tagAddedEvents } from './tag-events.ts';
import type { CreateContactBody, UpdateContactBody } from './schema.ts';
import { loadWindows, windowFields, type StoredWindow, type WhatsappWindow } from './windows.ts';

/** Consent of a contact for one channel type. */
export interface Consent {
  status: 'opted_in' | 'opted_out' | 'unknown';
  at: string | null;
  source: string | null;
}

/** A contact as the API shows it. */
export interface ContactView {
  uuid: string;
  name: string | null;
  phone: string | null;
  email: string | null;
  tags: string[];
  custom_fields: Record<string, unknown>;
  source: string | null;
  consent: Record<'whatsapp' | 'sms' | 'email', Consent>;
  blocked: boolean;
  last_inbound_at: string | null;
  /** When the 24-hour customer service window of the workspace's default WhatsApp channel closes (null: the contact never wrote there). */
  whatsapp_window_expires_at: string | null;
  /** The window of every WhatsApp channel the contact wrote in on. */
  whatsapp_windows: WhatsappWindow[];
  created_at: string;
  updated_at: string;
}

const UNKNOWN: Consent = { status: 'unknown', at: null, source: null };

/** Maps a contact row (and its stored WhatsApp windows, see windows.ts) to its API view. */
export function contactView(row: ContactsTable, windows: StoredWindow[] = []): ContactView {
  const consent = parseJson<StoredConsent>(row.consent, {});
  return {
    uuid: row.id, name: row.name, phone: row.phone, email: row.email, tags: parseJson(row.tags, []), custom_fields: parseJson(row.custom_fields, {}),
    source: row.source, consent: { whatsapp: consent.whatsapp ?? UNKNOWN, sms: consent.sms ?? UNKNOWN, email: consent.email ?? UNKNOWN },
    blocked: row.blocked === 1, last_inbound_at: row.last_inbound_at, ...windowFields(windows), created_at: row.created_at, updated_at: row.updated_at,
  };
}

/** The API view of a contact row with its WhatsApp windows read from `db`. */
export async function loadContactView(db: Db, row: ContactsTable): Promise<ContactView> {
  return contactView(row, (await loadWindows(db, row.workspace_id, [row.id])).get(row.id));
}

/** Finds the contact with this email address (already normalized), or creates it (emitting contact_created) in `trx`. */
export async function findOrCreateContactByEmail(trx: Db, bus: EventBus, workspaceId: string, email: string, source: string): Promise<{ contact: ContactsTable; created: boolean }> {
  return findOrCreateContact(trx, bus, workspaceId, { phone: null, email }, () => q.findContactByEmail(trx, workspaceId, email), source);
}

/** Finds the contact with this E.164 phone, or creates it (emitting contact_created) in `trx`. */
export async function findOrCreateContactByPhone(trx: Db, bus: EventBus, workspaceId: string, phone: string, source: string): Promise<{ contact: ContactsTable; created: boolean }> {
  return findOrCreateContact(trx, bus, workspaceId, { phone, email: null }, () => q.findContactByPhone(trx, workspaceId, phone), source);
}

/** The contact `find` returns, or a new one with this address; a concurrent transaction creating it first is found, not duplicated. */
async function findOrCreateContact(
  trx: Db, bus: EventBus, workspaceId: string, address: { phone: string | null; email: string | null },
  find: () => Promise<ContactsTable | undefined>, source: string,
): Promise<{ contact: ContactsTable; created: boolean }> {
  const existing = await find();
  if (existing) return { contact: existing, created: false };
  const now = nowIso();
  const row: ContactsTable = { id: newId(), workspace_id: workspaceId, name: null, ...address, tags: '[]', custom_fields: '{}', source, consent: '{}', blocked: 0, last_inbound_at: null, created_at: now, updated_at: now };
  if (!(await q.insertContactIfAbsent(trx, row))) {
    const winner = await find();
    if (!winner) throw new Error(`contact ${address.phone ?? address.email} was neither inserted nor found`);
    return { contact: winner, created: false };
  }
  await recordEvent(trx, bus, workspaceId, 'contact_created', contactView(row));
  return { contact: row, created: true };
}

/** One of the workspace's contacts, or 404. */
export async function getContact(db: Db, workspaceId: string, id: string): Promise<ContactView> {
  const row = await q.findContact(db, workspaceId, id);
  if (!row) throw notFound('contact');
  return loadContactView(db, row);
}

/** The workspace's contact with this phone number typed in any format (400 naming `params.number` when invalid), or 404. */
export async function getContactByPhone(db: Db, workspaceId: string, typed: string): Promise<ContactView> {
  const row = await q.findContactByPhone(db, workspaceId, normalizePhone(typed, 'params.number'));
  if (!row) throw notFound('contact');
  return loadContactView(db, row);
}

async function refuseDuplicate(db: Db, workspaceId: string, phone: string | null, email: string | null, exceptId?: string): Promise<void> {
  const existing = await q.findContactWithPhoneOrEmail(db, workspaceId, phone, email, exceptId);
  if (!existing) return;
  throw duplicateContact(existing, phone, email);
}

/** The 409 duplicate_contact naming which of `phone` and `email` the existing contact `holder` already has. */
export function duplicateContact(holder: Pick<ContactsTable, 'id' | 'phone' | 'email'>, phone: string | null, email: string | null): AppError {
  const errors: FieldError[] = [];
  if (phone && holder.phone === phone) errors.push({ path: 'body.phone', message: `is already the phone of contact ${holder.id}` });
  if (email && holder.email === email) errors.push({ path: 'body.email', message: `is already the email of contact ${holder.id}` });
  return new AppError(409, 'duplicate_contact', `a contact with this ${errors.map((e) => e.path.slice(5)).join(' and ')} already exists: ${holder.id}`, errors, { existing_uuid: holder.id });
}

/** The 400 for a contact with neither a phone nor an email. */
export function missingAddress(): AppError {
  return new AppError(400, 'validation_failed', 'a contact needs a phone (or identifier) or an email', [{ path: 'body.phone', message: 'is required when there is no email' }, { path: 'body.email', message: 'is required when there is no phone' }]);
}

function checkFieldCount(values: Record<string, unknown>): void {
  if (Object.keys(values).length > MAX_CUSTOM_FIELDS) throw invalidField('body.custom_fields', `a contact holds at most ${MAX_CUSTOM_FIELDS} custom fields`);
}

/** Creates a contact (emitting contact_created, contact_opted_in / contact_opted_out for consent it is created with, contact_tag_added per tag); 400 for an invalid phone, email or custom field, 409 `duplicate_contact` with `existing_uuid`. */
export async function createContact(db: Db, bus: EventBus, workspaceId: string, body: Static<typeof CreateContactBody>): Promise<ContactView> {
  const view = await db.transaction().execute(async (trx) => createContactIn(trx, bus, workspaceId, body, await definitionsByKey(trx, workspaceId)));
  bus.queue.notify();
  return view;
}

/** createContact inside the caller's transaction `trx` with the workspace's custom field definitions already loaded (the caller notifies the queue after commit); nothing is written when it throws. */
export async function createContactIn(trx: Db, bus: EventBus, workspaceId: string, body: Static<typeof CreateContactBody>, definitions: Map<string, CustomFieldView>): Promise<ContactView> {
  const phone = phoneOfCreate(body);
  const email = emailOf(body.email);
  if (!phone && !email) throw missingAddress();
  const draft = newContactRow(workspaceId, body, phone, email, definitions);
  await refuseDuplicate(trx, workspaceId, phone, email);
  const row = draft(nowIso());
  await q.insertContact(trx, row);
  const created = contactView(row);
  await recordEvent(trx, bus, workspaceId, 'contact_created', created);
  await recordConsentEvents(trx, bus, workspaceId, '{}', created);
  await recordEvents(trx, bus, workspaceId, tagAddedEvents([], created, nowIso()));
  return created;
}

/**
 * Checks a create request's tags and custom fields (400 when bad) and returns the function that builds its row at a
 * given time; `phone` and `email` are already normalized. Writes nothing.
 */
export function newContactRow(workspaceId: string, body: Static<typeof CreateContactBody>, phone: string | null, email: string | null,
  definitions: Map<string, CustomFieldView>): (now: string) => ContactsTable {
  const tags = normalizeTags(body.tags ?? []);
  const source = body.source ?? 'api';
  const customFields = validateCustomFieldValues(definitions, body.custom_fields ?? {}, false);
  checkFieldCount(customFields);
  return (now) => ({
    id: newId(), workspace_id: workspaceId, name: normalizeName(body.name), phone, email, tags: JSON.stringify(tags), custom_fields: JSON.stringify(customFields),
    source, consent: JSON.stringify(mergeConsent({}, body.consent, source, now)), blocked: body.blocked ? 1 : 0, last_inbound_at: null, created_at: now, updated_at: now,
  });
}

/** Contact fields a PATCH can change, in the order `changed_fields` lists them. */
const PATCHABLE = ['name', 'phone', 'email', 'tags', 'custom_fields', 'consent', 'blocked'] as const;

function nextRow(row: ContactsTable, body: Static<typeof UpdateContactBody>, customFields: Record<string, unknown>, now: string, normalize: typeof normalizePhone): ContactsTable {
  const next = { ...row };
  if (body.name !== undefined) next.name = normalizeName(body.name);
  if (body.phone !== undefined) next.phone = body.phone === null ? null : normalize(body.phone, 'body.phone');
  if (body.email !== undefined) next.email = emailOf(body.email);
  if (!next.phone && !next.email) throw invalidField(body.phone === null ? 'body.phone' : 'body.email', 'cannot be removed: a contact keeps a phone or an email');
  if (body.tags !== undefined) next.tags = JSON.stringify(normalizeTags(body.tags));
  if (body.custom_fields !== undefined) {
    const merged = parseJson<Record<string, unknown>>(row.custom_fields, {});
    for (const [key, value] of Object.entries(customFields)) {
      if (value === null) delete merged[key];
      else merged[key] = value;
    }
    checkFieldCount(merged);
    next.custom_fields = JSON.stringify(merged);
  }
  if (body.consent !== undefined) next.consent = JSON.stringify(mergeConsent(parseJson(row.consent, {}), body.consent, 'api', now));
  if (body.blocked !== undefined) next.blocked = body.blocked ? 1 : 0;
  return next;
}

/**
 * Updates a contact: tags are replaced, custom_fields merged (null removes a key), consent merged per channel.
 * Emits contact_updated with the new view and `changed_fields` (and contact_opted_in / contact_opted_out for each
 * channel type whose consent status became opted_in / opted_out, contact_tag_added for each tag added); a PATCH that changes nothing emits nothing.
 */
export async function updateContact(db: Db, bus: EventBus, workspaceId: string, id: string, body: Static<typeof UpdateContactBody>): Promise<ContactView> {
  const result = await db.transaction().execute(async (trx) => {
    const row = await q.findContact(trx, workspaceId, id);
    if (!row) throw notFound('contact');
    const definitions = body.custom_fields === undefined ? new Map<string, CustomFieldView>() : await definitionsByKey(trx, workspaceId);
    return updateContactIn(trx, bus, workspaceId, row, body, definitions);
  });
  if (result.emitted) bus.queue.notify();
  return result.view;
}

/** updateContact of the loaded `row` inside the caller's transaction `trx` (the caller notifies the queue after commit when `emitted`); nothing is written when it throws. */
export async function updateContactIn(trx: Db, bus: EventBus, workspaceId: string, row: ContactsTable, body: Static<typeof UpdateContactBody>, definitions: Map<string, CustomFieldView>): Promise<{ view: ContactView; emitted: boolean }> {
  const id = row.id;
  const windows = (await loadWindows(trx, workspaceId, [id])).get(id);
  const plan = planUpdate(row, body, definitions, windows, nowIso());
  if (plan.changed.length === 0) return { view: plan.view, emitted: false };
  await refuseDuplicate(trx, workspaceId, plan.changed.includes('phone') ? plan.next.phone : null, plan.changed.includes('email') ? plan.next.email : null, id);
  await q.updateContact(trx, workspaceId, id, plan.changes);
  await recordEvent(trx, bus, workspaceId, 'contact_updated', { ...plan.view, changed_fields: plan.changed });
  if (plan.changed.includes('consent')) await recordConsentEvents(trx, bus, workspaceId, row.consent, plan.view);
  if (plan.changed.includes('tags')) await recordEvents(trx, bus, workspaceId, tagAddedEvents(parseJson<string[]>(row.tags, []), plan.view, nowIso()));
  return { view: plan.view, emitted: true };
}

/** What an update does to a contact, worked out without writing: the changed fields, the columns to write and the view after it. */
export interface UpdatePlan {
  /** Changed fields in PATCHABLE order (empty: the update changes nothing, and `view` is the current view). */
  changed: (typeof PATCHABLE)[number][];
  /** The row with the update applied (before `updated_at`). */
  next: ContactsTable;
  /** `updated_at` and the changed columns. */
  changes: Partial<ContactsTable>;
  view: ContactView;
}

/** Applies an update body to a loaded `row` with its WhatsApp `windows` at `now` (400 when a value is bad); writes nothing. `normalize` is normalizePhone or a cache of it. */
export function planUpdate(row: ContactsTable, body: Static<typeof UpdateContactBody>, definitions: Map<string, CustomFieldView>, windows: StoredWindow[] | undefined,
  now: string, normalize: typeof normalizePhone = normalizePhone): UpdatePlan {
  const customFields = body.custom_fields === undefined ? {} : validateCustomFieldValues(definitions, body.custom_fields, true);
  const next = nextRow(row, body, customFields, now, normalize);
  const oldView = contactView(row, windows);
  const newView = contactView(next, windows);
  const changed = PATCHABLE.filter((field) => JSON.stringify(oldView[field]) !== JSON.stringify(newView[field]));
  if (changed.length === 0) return { changed, next, changes: {}, view: oldView };
  const changes: Partial<ContactsTable> = { updated_at: now };
  for (const field of changed) Object.assign(changes, { [field]: next[field] });
  return { changed, next, changes, view: contactView({ ...next, updated_at: now }, windows) };
}

/** Deletes a contact and all its messages (privacy first: nothing of the person stays readable); emits contact_deleted with its last view. */
export async function deleteContact(db: Db, bus: EventBus, workspaceId: string, id: string): Promise<ContactView> {
  const view = await db.transaction().execute(async (trx) => {
    const row = await q.findContact(trx, workspaceId, id);
    if (!row) throw notFound('contact');
    const last = await loadContactView(trx, row);
    await q.deleteContactMessages(trx, workspaceId, id);
    await q.deleteChannelWindows(trx, workspaceId, id);
    await q.deleteContact(trx, workspaceId, id);
    await recordEvent(trx, bus, workspaceId, 'contact_deleted', last);
    return last;
  });
  bus.queue.notify();
  return view;
}
