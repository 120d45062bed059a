import { closeSync, copyFileSync, existsSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { BackupError, checkBackup, configuredKeyId, refuseOnPostgres, STORE_FILE, storeInUse, type BackupInfo, type BackupTarget } from './backup.ts';

/** A finished restore: where the store is, where the previous one was kept, and what the next start must know. */
export interface RestoreResult extends BackupInfo {
  /** The restored store file. */
  file: string;
  /** The previous store, moved aside (null when the data directory had none). */
  keptAside: string | null;
  /** The key id of the configured secret key (null: none; `beckon start` would generate one, which cannot open the backup's secrets). */
  configuredKeyId: string | null;
}

function fsyncFile(path: string): void {
  const fd = openSync(path, 'r+');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * Puts the backup `file` back as the store of a stopped Beckon: checks the backup (checkBackup), refuses while a
 * process has the store open (storeInUse), copies the backup next to the store, moves the current store (with its
 * WAL) aside as `beckon-before-restore-<time>.db`, and renames the copy into place. Nothing is deleted.
 */
export function restoreStore(target: BackupTarget, file: string, now: Date = new Date()): RestoreResult {
  refuseOnPostgres(target, 'restore');
  const info = checkBackup(file);
  mkdirSync(target.dataDir, { recursive: true });
  const store = join(target.dataDir, STORE_FILE);
  if (storeInUse(store)) {
    throw new BackupError(`a process has the store ${store} open: stop Beckon (and anything else using the file) before restoring into it, or restore into another --data directory`);
  }
  const incoming = `${store}.restoring-${process.pid}`;
  copyFileSync(file, incoming);
  fsyncFile(incoming);
  let keptAside: string | null = null;
  if (existsSync(store)) {
    const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
    keptAside = join(target.dataDir, `beckon-before-restore-${stamp}.db`);
    if (existsSync(keptAside)) {
      rmSync(incoming, { force: true });
      throw new BackupError(`${keptAside} already exists: wait a second and try again`);
    }
    // the WAL holds committed writes not yet in the main file: it moves with it, under the name SQLite looks for
    for (const suffix of ['', '-wal', '-shm']) {
      if (existsSync(store + suffix)) renameSync(store + suffix, keptAside + suffix);
    }
  }
  renameSync(incoming, store);
  return { ...info, file: store, keptAside, configuredKeyId: configuredKeyId(target) };
}
