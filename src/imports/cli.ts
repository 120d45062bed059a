import { createReadStream, statSync } from 'node:fs';
import { extname, resolve } from 'node:path';
import type { FastifyBaseLogger } from 'fastify';
import pino from 'pino';
import type { Db, Store } from '../db/connect.ts';
import type { JobQueue } from '../jobs/queue.ts';
import type { EventBus } from '../events/subscribers.ts';
import { openJobQueue } from '../jobs/open-queue.ts';
import { AppError } from '../errors.ts';
import { DEFAULT_BATCH_OPTIONS } from '../contacts/batch/batch.ts';
import { parseMapping } from './mapping.ts';
import * as q from './queries.ts';
import { ImportFileError, runImport, type ImportProgress } from './runner.ts';
import { getImport, newImportRow, type ImportView } from './service.ts';

const BAR = 30;

async function countLines(file: string): Promise<number> {
  let lines = 0;
  for await (const chunk of createReadStream(file) as AsyncIterable<Buffer>) {
    for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines++;
  }
  return lines;
}

/** A one-line progress bar for `done` of about `total` rows. */
export function progressLine(p: ImportProgress, total: number): string {
  const ratio = total > 0 ? Math.min(1, p.rowsDone / total) : 1;
  const filled = Math.round(ratio * BAR);
  return `[${'#'.repeat(filled)}${'.'.repeat(BAR - filled)}] ${String(Math.round(ratio * 100)).padStart(3)}% ${p.rowsDone} rows: ${p.inserted} inserted, ${p.updated} updated, ${p.failed} failed`;
}

/**
 * `beckon import contacts FILE --workspace NAME [--map column=field,…]`: imports a CSV (or .ndjson / .jsonl) file into
 * the workspace in this process, as POST /v1/imports would (the import is listed by GET /v1/imports), drawing a progress
 * bar on `progress`; the file is read where it is and kept.
 */
export async function importContactsCommand(db: Db, input: { workspace: string; file: string; map?: string }, progress: NodeJS.WritableStream, bus: EventBus): Promise<ImportView> {
  const workspaceId = await q.findWorkspaceIdByName(db, input.workspace);
  if (!workspaceId) throw new AppError(404, 'not_found', `no workspace named "${input.workspace}"`);
  const file = resolve(input.file);
  try {
    if (!statSync(file).isFile()) throw new Error('not a file');
  } catch {
    throw new AppError(400, 'validation_failed', `cannot read ${input.file}: not a readable file`);
  }
  const mapping = parseMapping(input.map, '--map');
  const format = ['.ndjson', '.jsonl'].includes(extname(file).toLowerCase()) ? 'ndjson' : 'csv';
  const total = Math.max(0, (await countLines(file)) - (format === 'csv' ? 1 : 0));
  const row = newImportRow(workspaceId, file, format, mapping, DEFAULT_BATCH_OPTIONS);
  await q.insertImport(db, row);
  const draw = (p: ImportProgress) => progress.write(`\r${progressLine(p, total)}`);
  draw({ rowsDone: 0, inserted: 0, updated: 0, failed: 0 });
  try {
    await runImport(db, bus, row.id, { onProgress: draw });
  } catch (error) {
    if (!(error instanceof ImportFileError)) throw error; // runImport marked it failed
    throw new AppError(400, 'validation_failed', error.message);
  } finally {
    progress.write('\n');
  }
  return getImport(db, workspaceId, row.id);
}

/**
 * The queue a CLI command enqueues into (webhook deliveries of the events it records), filing jobs in `lanes` (taskLanes()
 * of modules.ts); close() ends its LISTEN connection.
 */
export async function commandQueue(store: Store, workerSchema: string, lanes: Record<string, string>): Promise<{ queue: JobQueue; close(): Promise<void> }> {
  const queue = await openJobQueue(store, workerSchema, pino({ level: 'warn' }) as unknown as FastifyBaseLogger, lanes);
  return { queue, close: () => queue.signals.close() };
}

/** The summary the CLI prints once an import is done. */
export function importSummary(view: ImportView, file: string): string {
  const lines = [`imported ${file}: ${view.processed} rows, ${view.inserted} inserted, ${view.updated} updated, ${view.unchanged} unchanged, ${view.skipped} skipped, ${view.failed} failed (import ${view.uuid})`];
  for (const e of view.errors.slice(0, 10)) lines.push(`  line ${e.line}: ${e.detail}`);
  if (view.failed > 10) lines.push(`  … GET /v1/imports/${view.uuid} lists the first ${view.errors.length} errors`);
  return lines.join('\n') + '\n';
}
