import type { Db } from '../db/connect.ts';
import * as q from './queries.ts';

/** How long a WhatsApp customer service window stays open after the contact's last message: 24 hours. */
export const CUSTOMER_SERVICE_WINDOW_MS = 24 * 60 * 60 * 1000;

/** One WhatsApp channel's customer service window for a contact, as the API shows it. */
export interface WhatsappWindow {
  channel_uuid: string;
  /** last inbound on that channel + 24 h; in the past when the window has closed. */
  expires_at: string;
}

/** A contact's WhatsApp windows as stored: one per channel the contact wrote in on. */
export interface StoredWindow {
  channel_id: string;
  last_inbound_at: string;
  is_default: number;
}

/** When a window opened by a message at `lastInboundAt` closes (ISO 8601). */
export function windowExpiry(lastInboundAt: string): string {
  return new Date(Date.parse(lastInboundAt) + CUSTOMER_SERVICE_WINDOW_MS).toISOString();
}

/** The API fields of a contact's windows: every WhatsApp channel's expiry, and the default WhatsApp channel's (null when the contact never wrote there). */
export function windowFields(windows: StoredWindow[]): { whatsapp_window_expires_at: string | null; whatsapp_windows: WhatsappWindow[] } {
  const main = windows.find((w) => w.is_default === 1);
  return {
    whatsapp_window_expires_at: main ? windowExpiry(main.last_inbound_at) : null,
    whatsapp_windows: windows.map((w) => ({ channel_uuid: w.channel_id, expires_at: windowExpiry(w.last_inbound_at) })),
  };
}

/** The stored WhatsApp windows of these contacts, by contact id (contacts without any are absent). */
export async function loadWindows(db: Db, workspaceId: string, contactIds: string[]): Promise<Map<string, StoredWindow[]>> {
  const out = new Map<string, StoredWindow[]>();
  for (const row of await q.listWhatsappWindows(db, workspaceId, contactIds)) {
    const list = out.get(row.contact_id) ?? [];
    list.push({ channel_id: row.channel_id, last_inbound_at: row.last_inbound_at, is_default: row.is_default });
    out.set(row.contact_id, list);
  }
  return out;
}
