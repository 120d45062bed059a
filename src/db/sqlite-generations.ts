import { getEnvironmentData, isMainThread, setEnvironmentData } from 'node:worker_threads';
import type { Kysely } from 'kysely';
import { isPostgres } from './dialect.ts';

/**
 * The tables whose rows the hot paths keep in memory on SQLite (the channel of each send, the endpoint of each webhook
 * attempt, the active automations each event is checked against). Each has a write generation shared by every thread
 * of the process (the API thread and the job thread): a write that changed one of its rows (or any workspace:
 * deleting one cascades) moves it on, and so does the end of that write's transaction. Each also counts the open
 * transactions that changed it (rowCache keeps nothing meanwhile).
 */
export const WATCHED_TABLES = ['channels', 'webhook_endpoints', 'automations'] as const;

/** One of WATCHED_TABLES. */
export type WatchedTable = (typeof WATCHED_TABLES)[number];

const KEY = 'beckon:sqlite-table-generations';

// Slots 0..n-1: the generations; n..2n-1: the open transactions that changed each table. Shared through the environment
// data every Worker made afterwards gets a clone of (a SharedArrayBuffer's clone shares its memory). The main thread
// imports this (runtime.ts → db/connect.ts) before it starts the job thread; a thread that finds no counters keeps no
// cache (generation() is null), but its writes would not reach the main thread's caches: the job thread must be
// started after this module was loaded, as runtime.ts does.
function sharedCounters(): { counters: Int32Array; shared: boolean } {
  const given = getEnvironmentData(KEY);
  if (given instanceof SharedArrayBuffer) return { counters: new Int32Array(given), shared: true };
  const buffer = new SharedArrayBuffer(4 * 2 * WATCHED_TABLES.length);
  if (isMainThread) setEnvironmentData(KEY, buffer);
  return { counters: new Int32Array(buffer), shared: isMainThread };
}

const { counters, shared } = sharedCounters();
const WORKSPACES = /\bworkspaces\b/i;
const CHANGES = /\b(insert|update|delete|replace|alter|drop|create)\b/i;
const DDL = /^\s*(alter|drop|create)\b/i;
const PATTERNS = WATCHED_TABLES.map((table) => new RegExp(`\\b${table}\\b`, 'i'));

/** The bit of every watched table; a statement with DDL_BIT moves its tables on whether or not it reports changed rows. */
export const ALL_TABLES = (1 << WATCHED_TABLES.length) - 1;
const DDL_BIT = 1 << 30;
const masks = new Map<string, number>();

/**
 * The watched tables a statement may change, as a bit mask (0 for most; conservative: a write naming the table, or
 * naming `workspaces`, whose deletion cascades to every watched table), remembered per SQL text.
 */
export function watchedTablesOf(sql: string): number {
  let mask = masks.get(sql);
  if (mask !== undefined) return mask;
  mask = 0;
  if (CHANGES.test(sql)) {
    if (WORKSPACES.test(sql)) mask = ALL_TABLES;
    else PATTERNS.forEach((pattern, i) => { if (pattern.test(sql)) mask! |= 1 << i; });
    if (mask !== 0 && DDL.test(sql)) mask |= DDL_BIT;
  }
  if (masks.size >= 4096) masks.clear();
  masks.set(sql, mask);
  return mask;
}

/** The mask to move on after a statement of `mask` that changed `changed` rows (DDL always counts). */
export function changedTables(mask: number, changed: number): number {
  return mask & DDL_BIT || changed > 0 ? mask & ALL_TABLES : 0;
}

/** Moves the watched tables of `mask` on (at a write that changed them, and at the end of its transaction). */
export function bumpTables(mask: number): void {
  for (let i = 0; i < WATCHED_TABLES.length; i++) if (mask & (1 << i)) Atomics.add(counters, i, 1);
}

/**
 * Counts the open transactions that changed the tables of `mask` (`by` 1 at their first change of each, -1 when they
 * end): while one is open, rows read from the last commit are not kept (the transaction itself would be answered with them).
 */
export function openWriters(mask: number, by: 1 | -1): void {
  for (let i = 0; i < WATCHED_TABLES.length; i++) if (mask & (1 << i)) Atomics.add(counters, WATCHED_TABLES.length + i, by);
}

/** The current write generation of a watched table; null when this thread keeps no cache (it has no shared counters). */
export function generation(table: WatchedTable): number | null {
  return shared ? Atomics.load(counters, WATCHED_TABLES.indexOf(table)) : null;
}

/**
 * A cache of rows of a watched table, per store (a handle and its transactions) and key, each kept with the table's generation read before it was
 * read, so any write to the table since (by any thread of the process) makes it read again: the dialect moves a table's
 * generation on at each write that changed a row of it and again when that transaction ends, and rows are kept only
 * when read while no transaction that changed the table is open (one write transaction at a time holds the store's
 * write lock, so a transaction that changed nothing reads the last commit). A transaction is answered from memory only
 * while the table has not changed since the row was kept (not even by itself: its write moved it on). SQLite only: on PostgreSQL (several processes) it always reads. Misses
 * (undefined) are not kept. Holds at most `limit` rows per handle (cleared when full). It assumes one process writes the store's rows of
 * these tables, as `beckon start` does (the CLI's commands create workspaces and their rows, never change existing ones).
 */
export function rowCache<T>(table: WatchedTable, limit = 1000): (db: Kysely<any>, key: string, read: () => Promise<T | undefined>) => Promise<T | undefined> {
  // per store: a handle and its transactions share their dialect's adapter
  const perStore = new WeakMap<object, Map<string, { generation: number; row: T }>>();
  return async (db, key, read) => {
    const current = generation(table);
    if (current === null || isPostgres(db)) return read();
    const store = db.getExecutor().adapter;
    let rows = perStore.get(store);
    if (!rows) perStore.set(store, (rows = new Map()));
    const hit = rows.get(key);
    if (hit && hit.generation === current) return hit.row;
    const row = await read();
    // kept only when no transaction that changed the table is open (what it reads may be its own uncommitted write, and
    // what others read of the last commit must not answer it) and nothing changed since the read began
    const index = WATCHED_TABLES.indexOf(table);
    if (row === undefined || Atomics.load(counters, WATCHED_TABLES.length + index) !== 0 || Atomics.load(counters, index) !== current) return row;
    if (rows.size >= limit) rows.clear();
    rows.set(key, { generation: current, row: Object.freeze(row) });
    return row;
  };
}
