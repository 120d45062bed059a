import { rmSync } from 'node:fs';
import type { Deps } from '../deps.ts';
import { RetryLater, type TasksOf } from '../jobs/queue.ts';
import { ImportFileError, runImport } from './runner.ts';
import { IMPORT_TASK } from './service.ts';
import * as q from './queries.ts';

/** Wall time one run of an import job works before it reschedules itself (well inside the worker's 60 s lease). */
export const IMPORT_SLICE_MS = 20_000;

/** The import_contacts task: runs an import in slices, resuming from its last committed batch; deletes the stored file when done. */
export function importTasks(deps: Deps): TasksOf<typeof IMPORT_TASK> {
  return {
    [IMPORT_TASK]: async (payload) => {
      const row = await q.findImportById(deps.db, payload.import_id);
      if (!row) return;
      let outcome: 'done' | 'more';
      try {
        outcome = await runImport(deps.db, deps, row.id, { sliceMs: IMPORT_SLICE_MS });
      } catch (error) {
        if (!(error instanceof ImportFileError)) throw error; // runImport marked it failed
        outcome = 'done';
      }
      if (outcome === 'more') throw new RetryLater(0, 'import continues');
      rmSync(row.file, { force: true });
    },
  };
}
