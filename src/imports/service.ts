import { createHash } from 'node:crypto';
import { createWriteStream, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Db } from '../db/connect.ts';
import type { ImportsTable } from '../db/types.ts';
import type { JobQueue } from '../jobs/queue.ts';
import { DEFAULT_BATCH_OPTIONS, type BatchOptions } from '../contacts/batch/batch.ts';
import { AppError, notFound } from '../errors.ts';
import { pageOf, type Cursor } from '../lib/cursor.ts';
import { newId } from '../lib/ids.ts';
import { parseJson } from '../lib/json.ts';
import { nowIso } from '../lib/time.ts';
import type { Mapping } from './mapping.ts';
import type { ImportError } from './runner.ts';
import * as q from './queries.ts';

/** The job that runs an import. */
export const IMPORT_TASK = 'import_contacts';

/** Payload of an import_contacts job. */
export interface ImportContactsPayload {
  import_id: string;
}

declare module '../jobs/queue.ts' {
  interface TaskPayloads {
    [IMPORT_TASK]: ImportContactsPayload;
  }
}
/** Largest file POST /v1/imports accepts (about 4 million rows of a typical contact CSV). */
export const MAX_IMPORT_BYTES = 1024 * 1024 * 1024;

/** An import as the API shows it. */
export interface ImportView {
  uuid: string;
  status: 'queued' | 'running' | 'completed' | 'failed';
  format: 'csv' | 'ndjson';
  mapping: Mapping;
  allow_insert: boolean;
  allow_update: boolean;
  skip_duplicates: boolean;
  processed: number;
  inserted: number;
  updated: number;
  unchanged: number;
  skipped: number;
  failed: number;
  errors: ImportError[];
  error: string | null;
  created_at: string;
  updated_at: string;
  completed_at: string | null;
}

/** Maps an import row to its API view. */
export function importView(row: ImportsTable): ImportView {
  const options = parseJson<BatchOptions>(row.options, DEFAULT_BATCH_OPTIONS);
  return {
    uuid: row.id, status: row.status as ImportView['status'], format: row.format as ImportView['format'], mapping: parseJson(row.mapping, {}),
    allow_insert: options.allowInsert, allow_update: options.allowUpdate, skip_duplicates: options.skipDuplicates,
    processed: row.rows_done, inserted: row.inserted, updated: row.updated, unchanged: row.unchanged, skipped: row.skipped, failed: row.failed,
    errors: parseJson(row.errors, []), error: row.error, created_at: row.created_at, updated_at: row.updated_at, completed_at: row.completed_at,
  };
}

/** A new import row (status queued) for `file`. */
export function newImportRow(workspaceId: string, file: string, format: 'csv' | 'ndjson', mapping: Mapping, options: BatchOptions, id = newId()): ImportsTable {
  const now = nowIso();
  return {
    id, workspace_id: workspaceId, status: 'queued', format, file, mapping: JSON.stringify(mapping), options: JSON.stringify(options), rows_done: 0,
    inserted: 0, updated: 0, unchanged: 0, skipped: 0, failed: 0, errors: '[]', error: null, created_at: now, updated_at: now, completed_at: null,
  };
}

/** Streams an uploaded file to `<dataDir>/imports/` (413 past MAX_IMPORT_BYTES), returning its path, size and SHA-256 (for Idempotency-Key fingerprints). */
export async function storeUpload(dataDir: string, body: Readable): Promise<{ file: string; bytes: number; sha256: string }> {
  const dir = join(dataDir, 'imports');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${newId()}.upload`);
  const hash = createHash('sha256');
  let bytes = 0;
  const meter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      bytes += chunk.length;
      hash.update(chunk);
      if (bytes > MAX_IMPORT_BYTES) done(new AppError(413, 'payload_too_large', `an import file is at most ${MAX_IMPORT_BYTES} bytes`));
      else done(null, chunk);
    },
  });
  try {
    await pipeline(body, meter, createWriteStream(file));
  } catch (error) {
    rmSync(file, { force: true });
    throw error;
  }
  return { file, bytes, sha256: hash.digest('hex') };
}

/** Records an import of the stored `file` and queues its import_contacts job. */
export async function createImport(db: Db, queue: JobQueue, workspaceId: string, file: string, format: 'csv' | 'ndjson', mapping: Mapping, options: BatchOptions): Promise<ImportView> {
  const row = newImportRow(workspaceId, file, format, mapping, options);
  await db.transaction().execute(async (trx) => {
    await q.insertImport(trx, row);
    await queue.enqueue(trx, IMPORT_TASK, { import_id: row.id });
  });
  queue.notify();
  return importView(row);
}

/** One of the workspace's imports, or 404. */
export async function getImport(db: Db, workspaceId: string, id: string): Promise<ImportView> {
  const row = await q.findImport(db, workspaceId, id);
  if (!row) throw notFound('import');
  return importView(row);
}

/** A page of the workspace's imports, newest first. */
export async function listImports(db: Db, workspaceId: string, limit: number, cursor?: Cursor): Promise<{ imports: ImportView[]; meta: { next_cursor: string | null } }> {
  const page = pageOf(await q.listImports(db, workspaceId, limit, cursor), limit, (row) => row.created_at);
  return { imports: page.items.map(importView), meta: { next_cursor: page.next_cursor } };
}
