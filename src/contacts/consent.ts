import type { Db } from '../db/connect.ts';
import type { ContactsTable } from '../db/types.ts';
import type { EventBus } from '../events/subscribers.ts';
import { notFound } from '../errors.ts';
import { recordEvent } from '../events/service.ts';
import { parseJson } from '../lib/json.ts';
import { nowIso } from '../lib/time.ts';
import { CONSENT_CHANNELS, type StoredConsent } from './input.ts';
import * as q from './queries.ts';
import { loadContactView, type Consent, type ContactView } from './service.ts';

/** A channel type a contact holds consent for. */
export type ConsentChannel = (typeof CONSENT_CHANNELS)[number];

/** The consent a contact has for one channel type (`unknown` when never set). */
export function consentOf(row: ContactsTable, channel: ConsentChannel): Consent {
  return parseJson<StoredConsent>(row.consent, {})[channel] ?? { status: 'unknown', at: null, source: null };
}

/** The contact_opted_in / contact_opted_out events (type and payload) recordConsentEvents records for this change. */
export function consentEventsOf(before: string, view: ContactView): { type: 'contact_opted_in' | 'contact_opted_out'; payload: ContactView & { channel_type: ConsentChannel } }[] {
  const old = parseJson<StoredConsent>(before, {});
  const events: ReturnType<typeof consentEventsOf> = [];
  for (const channel of CONSENT_CHANNELS) {
    const status = view.consent[channel].status;
    if (status === 'unknown' || old[channel]?.status === status) continue;
    events.push({ type: status === 'opted_in' ? 'contact_opted_in' : 'contact_opted_out', payload: { ...view, channel_type: channel } });
  }
  return events;
}

/**
 * Records contact_opted_in / contact_opted_out for every channel type whose status became opted_in / opted_out
 * between `before` and `after` (payload: the contact's view plus `channel_type`). Callers pass the stored consent
 * JSON of the row before and after the change, in the transaction that made it.
 */
export async function recordConsentEvents(trx: Db, bus: EventBus, workspaceId: string, before: string, view: ContactView): Promise<number> {
  const events = consentEventsOf(before, view);
  for (const e of events) await recordEvent(trx, bus, workspaceId, e.type, e.payload);
  return events.length;
}

/**
 * Sets a contact's consent for one channel type in `trx` (an SMS STOP keyword, `optin_contact: true` on a send…).
 * When the status changes, stores it with `source` and `at`, and emits contact_updated (changed_fields ["consent"])
 * and contact_opted_in or contact_opted_out; the same status again changes nothing (the first source and time stay).
 * The caller calls queue.notify() after commit when `changed`. 404 when the contact is not in the workspace.
 */
export async function setConsent(
  trx: Db, bus: EventBus, workspaceId: string, contactId: string, channel: ConsentChannel,
  status: 'opted_in' | 'opted_out', source: string, at: string = nowIso(),
): Promise<{ contact: ContactsTable; changed: boolean }> {
  const row = await q.findContact(trx, workspaceId, contactId);
  if (!row) throw notFound('contact');
  if (consentOf(row, channel).status === status) return { contact: row, changed: false };
  const consent: StoredConsent = { ...parseJson<StoredConsent>(row.consent, {}), [channel]: { status, at, source } };
  const next: ContactsTable = { ...row, consent: JSON.stringify(consent), updated_at: at };
  await q.updateContact(trx, workspaceId, contactId, { consent: next.consent, updated_at: at });
  const view = await loadContactView(trx, next);
  await recordEvent(trx, bus, workspaceId, 'contact_updated', { ...view, changed_fields: ['consent'] });
  await recordConsentEvents(trx, bus, workspaceId, row.consent, view);
  return { contact: next, changed: true };
}
