import { DatabaseSync } from 'node:sqlite';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Single-row commits per second SQLite reaches in the temp dir Beckon's store uses, per `synchronous` setting. */
export interface StoreCeiling {
  /** WAL + synchronous=FULL, Beckon's durable setting: one fsync per commit. */
  full: number;
  /** WAL + synchronous=NORMAL, for comparison: no fsync per commit. */
  normal: number;
  /** Rows per second when 100 rows share one commit under synchronous=FULL (what group commit can reach). */
  fullBatched100: number;
}

function rate(sync: 'FULL' | 'NORMAL', rowsPerCommit: number, ms: number): number {
  const dir = mkdtempSync(join(tmpdir(), 'beckon-bench-store-'));
  const db = new DatabaseSync(join(dir, 'probe.db'));
  try {
    db.exec('PRAGMA journal_mode = WAL');
    db.exec(`PRAGMA synchronous = ${sync}`);
    db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL)');
    const insert = db.prepare('INSERT INTO t (v) VALUES (?)');
    const payload = 'x'.repeat(400);
    const started = performance.now();
    let rows = 0;
    while (performance.now() - started < ms) {
      db.exec('BEGIN');
      for (let i = 0; i < rowsPerCommit; i++) insert.run(payload);
      db.exec('COMMIT');
      rows += rowsPerCommit;
    }
    return rows / ((performance.now() - started) / 1000);
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Measures the store's own ceiling on this machine, in this process (nothing else runs meanwhile): how many
 * durable single-row commits per second SQLite can do in the same temp dir. Blocks for about 3 × `ms`.
 */
export function storeCeiling(ms = 1000): StoreCeiling {
  return { full: rate('FULL', 1, ms), normal: rate('NORMAL', 1, ms), fullBatched100: rate('FULL', 100, ms) };
}
