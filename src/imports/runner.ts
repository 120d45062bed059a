import type { Db } from '../db/connect.ts';
import type { ImportsTable } from '../db/types.ts';
import type { EventBus } from '../events/subscribers.ts';
import { countResults, DEFAULT_BATCH_OPTIONS, MAX_BATCH, upsertCheckedIn, upsertContext, type BatchOptions, type RecordResult } from '../contacts/batch/batch.ts';
import { parseJson } from '../lib/json.ts';
import { nowIso } from '../lib/time.ts';
import type { Mapping } from './mapping.ts';
import * as q from './queries.ts';
import { readBatches, ReaderFileError, type ReadRow } from './reader.ts';

/** Errors an import keeps (the first ones, with their line numbers); the counts cover the rest. */
export const MAX_IMPORT_ERRORS = 100;

/** One failed row of an import. */
export interface ImportError {
  line: number;
  code: string;
  detail: string;
  errors: { path: string; message: string }[];
}

/** An import file could not be read as its format (a broken CSV quote, a missing file): the import fails without retrying. */
export class ImportFileError extends Error {}

/** Progress of an import after a batch. */
export interface ImportProgress {
  rowsDone: number;
  inserted: number;
  updated: number;
  failed: number;
}

/**
 * Runs (or resumes, from rows_done) an import: streams its file in batches of MAX_BATCH rows through the batch upsert,
 * each batch committed with the import's counts so a crash resumes after the last committed batch. Stops after a batch
 * once `sliceMs` has passed and returns 'more' (the caller reschedules); 'done' when the file is finished.
 * When the file cannot be read as its format the import is marked failed (with the reason) and ImportFileError is thrown.
 */
export async function runImport(db: Db, bus: EventBus, id: string, options: { sliceMs?: number; onProgress?: (p: ImportProgress) => void } = {}): Promise<'done' | 'more'> {
  const started = Date.now();
  let row = await q.findImportById(db, id) as ImportsTable;
  if (row.status === 'completed' || row.status === 'failed') return 'done';
  if (row.status !== 'running') await q.updateImport(db, id, { status: 'running', updated_at: nowIso() });
  const mapping = parseJson<Mapping>(row.mapping, {});
  const batchOptions = parseJson<BatchOptions>(row.options, DEFAULT_BATCH_OPTIONS);
  const errors = parseJson<ImportError[]>(row.errors, []);
  const context = await upsertContext(db, row.workspace_id); // custom field definitions, once per run
  const flush = async (batch: ReadRow[]) => {
    const parsed = batch.filter((r) => r.item !== undefined);
    const results = await db.transaction().execute(async (trx) => {
      const done = await upsertCheckedIn(trx, bus, row.workspace_id, parsed.map((r) => r.item!), batchOptions, (i) => `line.${parsed[i].line}`, context);
      const all: (RecordResult & { line: number })[] = done.map((r) => ({ ...r, line: parsed[r.index].line }));
      for (const r of batch) {
        if (r.parseError !== undefined) all.push({ index: -1, line: r.line, status: 'failed', uuid: null, reason: null, error: { code: 'invalid_json', detail: `line ${r.line} ${r.parseError}`, errors: [{ path: `line.${r.line}`, message: r.parseError }] } });
      }
      all.sort((a, b) => a.line - b.line);
      for (const r of all) if (r.error && errors.length < MAX_IMPORT_ERRORS) errors.push({ line: r.line, ...r.error });
      const c = countResults(all);
      const next = {
        rows_done: row.rows_done + batch.length, inserted: row.inserted + c.inserted, updated: row.updated + c.updated, unchanged: row.unchanged + c.unchanged,
        skipped: row.skipped + c.skipped, failed: row.failed + c.failed, errors: JSON.stringify(errors), status: 'running' as const, updated_at: nowIso(),
      };
      await q.updateImport(trx, id, next);
      return next;
    });
    row = { ...row, ...results };
    bus.queue.notify();
    options.onProgress?.({ rowsDone: row.rows_done, inserted: row.inserted, updated: row.updated, failed: row.failed });
  };
  try {
    for await (const batch of readBatches({ file: row.file, format: row.format as 'csv' | 'ndjson', mapping, skip: row.rows_done, batchSize: MAX_BATCH })) {
      await flush(batch);
      if (batch.length === MAX_BATCH && options.sliceMs !== undefined && Date.now() - started > options.sliceMs) return 'more';
    }
  } catch (error) {
    if (!(error instanceof ReaderFileError)) throw error;
    const now = nowIso();
    await q.updateImport(db, id, { status: 'failed', error: error.message, completed_at: now, updated_at: now });
    throw new ImportFileError(error.message);
  }
  const now = nowIso();
  await q.updateImport(db, id, { status: 'completed', completed_at: now, updated_at: now });
  return 'done';
}
