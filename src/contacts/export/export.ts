import { Readable } from 'node:stream';
import type { Static } from 'typebox';
import type { Db } from '../../db/connect.ts';
import type { ContactsTable } from '../../db/types.ts';
import type { Cursor } from '../../lib/cursor.ts';
import { listCustomFields } from '../custom-fields/service.ts';
import { CONSENT_CHANNELS } from '../input.ts';
import { filtersOf } from '../list-service.ts';
import * as q from '../queries.ts';
import type { ListContactsQuery } from '../schema.ts';
import { contactView, type ContactView } from '../service.ts';
import { customFieldKeysInUse } from './queries.ts';

/** Rows read per keyset page while exporting (the export never holds more than one page). */
export const EXPORT_PAGE = 500;

/** The fixed columns of a contact export, named as the import understands them; custom fields follow as `custom_fields.<key>`. */
export const EXPORT_COLUMNS = [
  'uuid', 'name', 'phone', 'email', 'tags', 'source', 'blocked',
  ...CONSENT_CHANNELS.flatMap((c) => [`consent.${c}`, `consent.${c}.at`, `consent.${c}.source`]),
  'last_inbound_at', 'created_at', 'updated_at',
];

function cell(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

const FORMULA_START = /^[=+\-@\t\r]/;
const PLAIN_NUMBER = /^[+-]?\d+(\.\d+)?$/;

/**
 * Neutralises a cell a spreadsheet would run as a formula (CSV injection, as OWASP describes): a value starting with
 * = + - @, a tab or a carriage return gets a leading single quote; plain numbers (+14155550100, -3) are left as they are.
 */
export function safeCell(value: string): string {
  return FORMULA_START.test(value) && !PLAIN_NUMBER.test(value) ? `'${value}` : value;
}

/** One contact as a CSV record: tags comma-joined, booleans as true/false, absent values empty, formulas neutralised. */
export function exportRecord(view: ContactView, customKeys: string[]): string[] {
  const consent = CONSENT_CHANNELS.flatMap((c) => [view.consent[c].status, cell(view.consent[c].at), cell(view.consent[c].source)]);
  return rawRecord(view, customKeys, consent).map(safeCell);
}

function rawRecord(view: ContactView, customKeys: string[], consent: string[]): string[] {
  return [
    view.uuid, cell(view.name), cell(view.phone), cell(view.email), view.tags.join(','), cell(view.source), String(view.blocked),
    ...consent, cell(view.last_inbound_at), view.created_at, view.updated_at,
    ...customKeys.map((key) => cell(view.custom_fields[key])),
  ];
}

async function* pages(db: Db, workspaceId: string, filters: q.ContactFilters): AsyncGenerator<ContactsTable> {
  let cursor: Cursor | undefined;
  for (;;) {
    const rows = await q.listContacts(db, workspaceId, filters, EXPORT_PAGE, cursor);
    const page = rows.slice(0, EXPORT_PAGE);
    yield* page;
    if (rows.length <= EXPORT_PAGE) return;
    const last = page[page.length - 1];
    cursor = { at: last.created_at, id: last.id };
  }
}

/**
 * Validates the filters (400 naming the bad `query.<field>`), then returns a CSV stream of the matching contacts,
 * newest first, read page by page with the keyset cursor so memory stays flat whatever the count.
 */
export async function exportContacts(db: Db, workspaceId: string, query: Static<typeof ListContactsQuery>): Promise<Readable> {
  const filters = await filtersOf(db, workspaceId, query);
  const defined = (await listCustomFields(db, workspaceId)).map((d) => d.key);
  const customKeys = [...new Set([...defined, ...(await customFieldKeysInUse(db, workspaceId))])];
  const header = [...EXPORT_COLUMNS, ...customKeys.map((k) => `custom_fields.${k}`)].map(safeCell);
  const { stringify } = await import('csv-stringify'); // loaded by the first export only
  const records = Readable.from((async function* () {
    yield header;
    for await (const row of pages(db, workspaceId, filters)) yield exportRecord(contactView(row), customKeys);
  })());
  const csv = stringify({ eof: true });
  records.on('error', (error) => csv.destroy(error));
  return records.pipe(csv);
}
