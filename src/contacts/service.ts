import type { Db } from '../db/connect.ts';
import type { ContactsTable } from '../db/types.ts';
import type { JobQueue } from '../jobs/queue.ts';
import { recordEvent } from '../events/service.ts';
import { newId } from '../lib/ids.ts';
import { parseJson } from '../lib/json.ts';
import { nowIso } from '../lib/time.ts';
import * as q from './queries.ts';

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
  created_at: string;
  updated_at: string;
}

const UNKNOWN: Consent = { status: 'unknown', at: null, source: null };

/** Maps a contact row to its API view. */
export function contactView(row: ContactsTable): ContactView {
  const consent = parseJson<Partial<Record<'whatsapp' | 'sms' | 'email', Consent>>>(row.consent, {});
  return {
    uuid: row.id, name: row.name, phone: row.phone, email: row.email, tags: parseJson(row.tags, []), custom_fields: parseJson(row.custom_fields, {}),
    source: row.source, consent: { whatsapp: consent.whatsapp ?? UNKNOWN, sms: consent.sms ?? UNKNOWN, email: consent.email ?? UNKNOWN },
    blocked: row.blocked === 1, last_inbound_at: row.last_inbound_at, created_at: row.created_at, updated_at: row.updated_at,
  };
}

/** Finds the contact with this E.164 phone, or creates it (emitting contact_created) in `trx`. */
export async function findOrCreateContactByPhone(trx: Db, queue: JobQueue, workspaceId: string, phone: string, source: string): Promise<{ contact: ContactsTable; created: boolean }> {
  const existing = await q.findContactByPhone(trx, workspaceId, phone);
  if (existing) return { contact: existing, created: false };
  const now = nowIso();
  const row: ContactsTable = { id: newId(), workspace_id: workspaceId, name: null, phone, email: null, tags: '[]', custom_fields: '{}', source, consent: '{}', blocked: 0, last_inbound_at: null, created_at: now, updated_at: now };
  await q.insertContact(trx, row);
  await recordEvent(trx, queue, workspaceId, 'contact_created', contactView(row));
  return { contact: row, created: true };
}
