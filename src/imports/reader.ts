import { Worker } from 'node:worker_threads';
import type { Checked } from '../contacts/batch/check.ts';
import type { RecordResult } from '../contacts/batch/batch.ts';
import type { Mapping } from './mapping.ts';

/** What the reader thread is given: the file, its format, the mapping, how many rows to skip (resume) and the batch size. */
export interface ReaderInput {
  file: string;
  format: 'csv' | 'ndjson';
  mapping: Mapping;
  skip: number;
  batchSize: number;
}

/** One row as the reader thread hands it over: checked (its `item.index` counts the batch's rows without a parse error), or a line that is not a record. */
export interface ReadRow {
  line: number;
  item?: Checked | RecordResult;
  parseError?: string;
}

/** A message of the reader thread. */
export type ReaderMessage = { type: 'batch'; rows: ReadRow[] } | { type: 'end' } | { type: 'file_error' | 'crash'; message: string };

/** Thrown by readBatches when the file cannot be read as its format. */
export class ReaderFileError extends Error {}

/**
 * Reads an import file in a worker thread (parsing, mapping and the checks that need no store run beside the thread
 * that writes), yielding batches of `batchSize` rows in file order; stopping the iteration ends the thread.
 * Throws ReaderFileError when the file is not valid in its format.
 */
export async function* readBatches(input: ReaderInput): AsyncGenerator<ReadRow[]> {
  const worker = new Worker(new URL('./reader-thread.ts', import.meta.url), { workerData: input, resourceLimits: { maxOldGenerationSizeMb: 48, maxYoungGenerationSizeMb: 16 } });
  const queue: ReaderMessage[] = [];
  let failure: Error | null = null;
  let wake: (() => void) | null = null;
  const notify = () => {
    wake?.();
    wake = null;
  };
  worker.on('message', (m: ReaderMessage) => {
    queue.push(m);
    notify();
  });
  worker.on('error', (error) => {
    failure = error;
    notify();
  });
  worker.on('exit', (code) => {
    if (code !== 0) failure ??= new Error(`the import reader thread exited with code ${code}`);
    notify();
  });
  try {
    for (;;) {
      while (queue.length === 0 && !failure) await new Promise<void>((resolve) => (wake = resolve));
      const m = queue.shift();
      if (!m) throw failure!;
      if (m.type === 'end') return;
      if (m.type !== 'batch') throw m.type === 'file_error' ? new ReaderFileError(m.message) : new Error(`the import reader thread failed: ${m.message}`);
      yield m.rows;
      worker.postMessage('more');
    }
  } finally {
    await worker.terminate();
  }
}
