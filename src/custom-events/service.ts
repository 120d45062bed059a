import type { Db } from '../db/connect.ts';
import type { ContactsTable, CustomEventsTable } from '../db/types.ts';
import type { Deps } from '../deps.ts';
import { AppError, type ErrorCode } from '../errors.ts';
import { newId } from '../lib/ids.ts';
import { parseJson } from '../lib/json.ts';
import { nowIso } from '../lib/time.ts';
import { DEFAULT_BATCH_OPTIONS, upsertContactsIn } from '../contacts/batch/batch.ts';
import { failure } from '../contacts/batch/check.ts';
import { definitionsByKey, type CustomFieldView } from '../contacts/custom-fields/service.ts';
import { findContact, findContactsByIds } from '../contacts/queries.ts';
import { updateContactIn } from '../contacts/service.ts';
import type { UpdateContactBody } from '../contacts/schema.ts';
import type { Static } from 'typebox';
import { recordEvents, type NewEvent } from '../events/service.ts';
import type { EventBus } from '../events/subscribers.ts';
import { CUSTOM_EVENT_PREFIX, type CustomEventType } from '../events/types.ts';
import { checkEvent, type CheckedEvent, type EventFailure } from './check.ts';
import { insertCustomEvents } from './queries.ts';

/** A stored custom event as the API answers it and as its webhook payload carries it. */
export interface CustomEventView {
  uuid: string;
  type: CustomEventType;
  name: string;
  contact: { uuid: string; name: string | null; phone: string | null; email: string | null };
  data: Record<string, unknown>;
  correlation_key: string | null;
  occurred_at: string;
  created_at: string;
}

/** The outcome of one event of a request. */
export interface EventResult {
  index: number;
  status: 'accepted' | 'failed';
  uuid: string | null;
  contact_uuid: string | null;
  error: EventFailure | null;
  event: CustomEventView | null;
}

const STATUS_OF: Record<string, number> = { validation_failed: 400, not_found: 404, duplicate_contact: 409 };

function failed(index: number, error: EventFailure): EventResult {
  return { index, status: 'failed', uuid: null, contact_uuid: null, error, event: null };
}

function failureOf(error: AppError, prefix: string): EventFailure {
  return { status: error.status, ...failure(error, prefix)! };
}

/** The contact update an event asks for beyond finding the contact: uuid references write every given value, others only add tags (the upsert wrote the rest). */
function updateOf(c: CheckedEvent, row: ContactsTable): Static<typeof UpdateContactBody> | null {
  const ref = c.input.contact;
  const body: Static<typeof UpdateContactBody> = {};
  if (ref.uuid !== undefined) {
    if (ref.name !== undefined) body.name = ref.name;
    if (ref.phone !== undefined) body.phone = ref.phone;
    if (ref.email !== undefined) body.email = ref.email;
    if (ref.custom_fields !== undefined) body.custom_fields = ref.custom_fields;
  }
  if (ref.tags !== undefined) {
    const current = parseJson<string[]>(row.tags, []);
    const added = ref.tags.map((t) => t.trim()).filter((t) => !current.includes(t));
    if (added.length > 0) body.tags = [...current, ...added];
  }
  return Object.keys(body).length > 0 ? body : null;
}

/** True when an event may change its contact beyond what the batch upsert wrote (so its row is read again): tags, or values given with a uuid. */
function mayUpdate(c: CheckedEvent): boolean {
  const ref = c.input.contact;
  return ref.tags !== undefined || (ref.uuid !== undefined && (ref.name !== undefined || ref.phone !== undefined || ref.email !== undefined || ref.custom_fields !== undefined));
}

/** Finds (or creates, or updates) the contact of every checked event; returns each event's contact id, or its failure. */
async function resolveContacts(trx: Db, bus: EventBus, workspaceId: string, checked: CheckedEvent[], prefixOf: (i: number) => string): Promise<Map<number, string | EventFailure>> {
  const out = new Map<number, string | EventFailure>();
  const byUuid = checked.filter((c) => c.input.contact.uuid !== undefined);
  const found = new Set((await findContactsByIds(trx, workspaceId, [...new Set(byUuid.map((c) => c.input.contact.uuid!.toLowerCase()))])).map((r) => r.id));
  for (const c of byUuid) {
    const id = c.input.contact.uuid!.toLowerCase();
    if (found.has(id)) out.set(c.index, id);
    else out.set(c.index, { status: 404, code: 'not_found', detail: 'contact not found', errors: [{ path: `${prefixOf(c.index)}.contact.uuid`, message: 'is not a contact of this workspace' }] });
  }
  const byAddress = checked.filter((c) => c.input.contact.uuid === undefined);
  if (byAddress.length > 0) {
    const records = byAddress.map(({ input: { contact: { phone, email, name, custom_fields } } }) => ({
      ...(phone !== undefined && { phone }), ...(email !== undefined && { email }), ...(name !== undefined && { name }), ...(custom_fields !== undefined && { custom_fields }),
    }));
    const results = await upsertContactsIn(trx, bus, workspaceId, records, DEFAULT_BATCH_OPTIONS, (i) => `${prefixOf(byAddress[i].index)}.contact`);
    results.forEach((r, i) => {
      const index = byAddress[i].index;
      if (r.status === 'failed' || r.uuid === null) out.set(index, { status: STATUS_OF[r.error?.code ?? ''] ?? 400, code: r.error?.code ?? 'validation_failed', detail: r.error?.detail ?? 'failed', errors: r.error?.errors ?? [] });
      else out.set(index, r.uuid);
    });
  }
  let definitions: Map<string, CustomFieldView> | undefined;
  for (const c of checked) {
    const id = out.get(c.index);
    if (typeof id !== 'string' || !mayUpdate(c)) continue;
    const row = await findContact(trx, workspaceId, id);
    const body = row && updateOf(c, row);
    if (!row || !body) continue;
    try {
      definitions ??= await definitionsByKey(trx, workspaceId);
      await updateContactIn(trx, bus, workspaceId, row, body, body.custom_fields === undefined ? new Map() : definitions);
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      out.set(c.index, failureOf(error, `${prefixOf(c.index)}.contact`));
    }
  }
  return out;
}

/**
 * Records custom events (each shaped like a POST /v1/events body) in the caller's transaction `trx`: checks each,
 * finds or creates its contact (uuid, else phone then email, as the contact batch upsert does; values given are
 * written), then stores the accepted ones in `custom_events` and as `custom.<name>` events handed to subscribers,
 * with multi-row writes. A bad event fails alone; results are in input order. The caller notifies the queue after commit.
 */
export async function recordCustomEventsIn(trx: Db, bus: EventBus, workspaceId: string, raws: unknown[], prefixOf: (i: number) => string): Promise<EventResult[]> {
  const results: EventResult[] = new Array(raws.length);
  const checked: CheckedEvent[] = [];
  raws.forEach((raw, index) => {
    const c = checkEvent(raw, index, prefixOf(index));
    if ('input' in c) checked.push(c);
    else results[index] = failed(index, c);
  });
  const contacts = await resolveContacts(trx, bus, workspaceId, checked, prefixOf);
  const rows = new Map((await findContactsByIds(trx, workspaceId, [...new Set([...contacts.values()].filter((v) => typeof v === 'string'))])).map((r) => [r.id, r]));
  const now = nowIso();
  const stored: CustomEventsTable[] = [];
  const events: NewEvent[] = [];
  for (const c of checked) {
    const id = contacts.get(c.index);
    const row = typeof id === 'string' ? rows.get(id) : undefined;
    if (!row) {
      results[c.index] = failed(c.index, typeof id === 'object' ? id : { status: 404, code: 'not_found', detail: 'contact not found', errors: [] });
      continue;
    }
    const view: CustomEventView = {
      uuid: newId(), type: `${CUSTOM_EVENT_PREFIX}${c.input.name}` as CustomEventType, name: c.input.name,
      contact: { uuid: row.id, name: row.name, phone: row.phone, email: row.email }, data: c.data, correlation_key: c.correlationKey,
      occurred_at: c.occurredAt ?? now, created_at: now,
    };
    stored.push({ id: view.uuid, workspace_id: workspaceId, contact_id: row.id, name: view.name, data: JSON.stringify(view.data), correlation_key: view.correlation_key, occurred_at: view.occurred_at, created_at: now });
    events.push({ id: view.uuid, type: view.type, payload: view, created_at: now });
    results[c.index] = { index: c.index, status: 'accepted', uuid: view.uuid, contact_uuid: row.id, error: null, event: view };
  }
  await insertCustomEvents(trx, stored);
  await recordEvents(trx, bus, workspaceId, events);
  return results;
}

/** POST /v1/events: records one custom event (nothing is written when it fails: 400, 404 naming body.contact.uuid, 409 duplicate_contact). */
export async function recordCustomEvent(deps: Pick<Deps, 'writer'> & EventBus, workspaceId: string, body: unknown): Promise<CustomEventView> {
  const result = await deps.writer.run(async (trx) => {
    const [r] = await recordCustomEventsIn(trx, deps, workspaceId, [body], () => 'body');
    if (r.error) throw new AppError(r.error.status, r.error.code as ErrorCode, r.error.detail, r.error.errors);
    return r;
  });
  deps.queue.notify();
  return result.event!;
}

/** POST /v1/events/batch: records up to MAX_EVENT_BATCH custom events in one transaction; a bad one fails alone. */
export async function recordCustomEventBatch(deps: Pick<Deps, 'writer'> & EventBus, workspaceId: string, raws: unknown[]): Promise<{ meta: { received: number; accepted: number; failed: number }; results: EventResult[] }> {
  const results = await deps.writer.run((trx) => recordCustomEventsIn(trx, deps, workspaceId, raws, (i) => `body.events.${i}`));
  deps.queue.notify();
  const accepted = results.filter((r) => r.status === 'accepted').length;
  return { meta: { received: results.length, accepted, failed: results.length - accepted }, results };
}
