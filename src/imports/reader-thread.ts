// The reader thread of an import (see reader.ts): streams the file, maps each row to a contact record and runs the
// checks that need no store (schema, phone, email), posting batches to the importing thread, at most 2 ahead of it.
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { parentPort, workerData } from 'node:worker_threads';
import { parse } from 'csv-parse';
import { checkRecord, phoneCache } from '../contacts/batch/check.ts';
import { recordOf, type Mapping } from './mapping.ts';
import type { ReaderInput, ReaderMessage, ReadRow } from './reader.ts';

class FileError extends Error {}

interface Row {
  line: number;
  record?: unknown;
  parseError?: string;
}

async function* csvRows(file: string): AsyncGenerator<Row> {
  const parser = createReadStream(file).pipe(parse({ columns: true, bom: true, skip_empty_lines: true, relax_column_count: true, info: true }));
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: Record<string, string>; info: { lines: number } }>) yield { line: info.lines, record };
  } catch (error) {
    throw new FileError(`the file is not valid CSV: ${(error as Error).message}`);
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

function toRecord(record: unknown, mapping: Mapping): unknown {
  return record !== null && typeof record === 'object' && !Array.isArray(record) ? recordOf(record as Record<string, unknown>, mapping) : record;
}

const input = workerData as ReaderInput;
const port = parentPort!;
const normalize = phoneCache();
let credits = 2;
let wake: (() => void) | null = null;
port.on('message', () => {
  credits++;
  wake?.();
});

async function send(rows: Row[]): Promise<void> {
  while (credits === 0) await new Promise<void>((resolve) => (wake = resolve));
  credits--;
  let index = 0;
  const out: ReadRow[] = rows.map((r) => {
    if (r.parseError !== undefined) return { line: r.line, parseError: r.parseError };
    const i = index++;
    return { line: r.line, item: checkRecord(toRecord(r.record, input.mapping), i, `line.${r.line}`, normalize) };
  });
  port.postMessage({ type: 'batch', rows: out } satisfies ReaderMessage);
}

async function main(): Promise<void> {
  const rows = input.format === 'ndjson' ? ndjsonRows(input.file) : csvRows(input.file);
  let seen = 0;
  let batch: Row[] = [];
  try {
    for await (const r of rows) {
      if (seen++ < input.skip) continue;
      batch.push(r);
      if (batch.length === input.batchSize) {
        await send(batch);
        batch = [];
      }
    }
    if (batch.length > 0) await send(batch);
    port.postMessage({ type: 'end' } satisfies ReaderMessage);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    port.postMessage({ type: error instanceof FileError ? 'file_error' : 'crash', message } satisfies ReaderMessage);
  }
}

void main();
