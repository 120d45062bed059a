import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { parse } from 'csv-parse';
import type { Db } from '../db/connect.ts';
import type { ImportsTable } from '../db/types.ts';
import type { JobQueue } from '../jobs/queue.ts';
import { countResults, MAX_BATCH, upsertContactsIn, upsertContext, type BatchOptions, type RecordResult } from '../contacts/batch.ts';
import { parseJson } from '../lib/json.ts';
import { nowIso } from '../lib/time.ts';
import { recordOf, type Mapping } from './mapping.ts';
import * as q from './queries.ts';

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

interface Row {
  line: number;
  record?: Record<string, unknown> | unknown;
  parseError?: string;
}

async function* csvRows(file: string): AsyncGenerator<Row> {
  const parser = createReadStream(file).pipe(parse({ columns: true, bom: true, skip_empty_lines: true, relax_column_count: true, info: true }));
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: Record<string, string>; info: { lines: number } }>) yield { line: info.lines, record };
  } catch (error) {
    throw new ImportFileError(`the file is not valid CSV: ${(error as Error).message}`);
  }
}

async function* ndjsonRows(file: string): AsyncGenerator<Row> {
  let line = 0;
  for await (const text of createInterface({ input: createReadStream(file), crlfDelay: Infinity })) {
    line++;
    if (!text.trim()) continue;
    try {
      yield { line, record: JSON.parse(text) };
    } catch {
      yield { line, parseError: 'is not valid JSON' };
    }
  }
}

function toRecord(row: Row, mapping: Mapping): unknown {
  const r = row.record;
  return r !== null && typeof r === 'object' && !Array.isArray(r) ? recordOf(r as Record<string, unknown>, mapping) : r;
}

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
 * Throws ImportFileError when the file cannot be read as its format.
 */
export async function runImport(db: Db, queue: JobQueue, id: string, options: { sliceMs?: number; onProgress?: (p: ImportProgress) => void } = {}): Promise<'done' | 'more'> {
  const started = Date.now();
  let row = await q.findImportById(db, id) as ImportsTable;
  if (row.status === 'completed' || row.status === 'failed') return 'done';
  if (row.status !== 'running') await q.updateImport(db, id, { status: 'running', updated_at: nowIso() });
  const mapping = parseJson<Mapping>(row.mapping, {});
  const batchOptions = parseJson<BatchOptions>(row.options, { allowInsert: true, allowUpdate: true, skipDuplicates: false });
  const errors = parseJson<ImportError[]>(row.errors, []);
  const rows = row.format === 'ndjson' ? ndjsonRows(row.file) : csvRows(row.file);
  const context = await upsertContext(db, row.workspace_id); // custom field definitions and the phone cache, once per run
  let seen = 0;
  let batch: Row[] = [];
  const flush = async () => {
    const parsed = batch.filter((r) => r.parseError === undefined);
    const results = await db.transaction().execute(async (trx) => {
      const done = await upsertContactsIn(trx, queue, row.workspace_id, parsed.map((r) => toRecord(r, mapping)), batchOptions, (i) => `line.${parsed[i].line}`, context);
      const all: (RecordResult & { line: number })[] = done.map((r) => ({ ...r, line: parsed[r.index].line }));
      for (const r of batch) {
        if (r.parseError !== undefined) all.push({ index: -1, line: r.line, status: 'failed', uuid: null, reason: null, error: { code: 'invalid_json', detail: `line ${r.line} ${r.parseError}`, errors: [{ path: `line.${r.line}`, message: r.parseError }] } });
      }
      all.sort((a, b) => a.line - b.line);
      for (const r of all) if (r.error && errors.length < MAX_IMPORT_ERRORS) errors.push({ line: r.line, ...r.error });
      const c = countResults(all);
      const next = {
        rows_done: row.rows_done + batch.length, inserted: row.inserted + c.inserted, updated: row.updated + c.updated, unchanged: row.unchanged + c.unchanged,
        skipped: row.skipped + c.skipped, failed: row.failed + c.failed, errors: JSON.stringify(errors), status: 'running', updated_at: nowIso(),
      };
      await q.updateImport(trx, id, next);
      return next;
    });
    row = { ...row, ...results };
    batch = [];
    queue.notify();
    options.onProgress?.({ rowsDone: row.rows_done, inserted: row.inserted, updated: row.updated, failed: row.failed });
  };
  for await (const r of rows) {
    if (seen++ < row.rows_done) continue;
    batch.push(r);
    if (batch.length === MAX_BATCH) {
      await flush();
      if (options.sliceMs !== undefined && Date.now() - started > options.sliceMs) {
        await rows.return(undefined);
        return 'more';
      }
    }
  }
  if (batch.length > 0) await flush();
  const now = nowIso();
  await q.updateImport(db, id, { status: 'completed', completed_at: now, updated_at: now });
  return 'done';
}
