import { backup, DatabaseSync } from 'node:sqlite';
import { existsSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { knownMigrations } from './migrate.ts';
import { keyId, parseSecretKey, SECRET_KEY_FILE } from '../lib/secret-box.ts';

/** File name of the embedded store in the data directory (see connect.ts). */
export const STORE_FILE = 'beckon.db';

/** A backup or restore was refused; the message says why and what to do. */
export class BackupError extends Error {
  override name = 'BackupError';
}

/** What `beckon backup` and `beckon restore` need from the configuration. */
export interface BackupTarget {
  dataDir: string;
  databaseUrl?: string;
  secretKey?: Buffer;
}

/** What a checked backup file holds. */
export interface BackupInfo {
  /** Migrations applied to the backed-up store, in order. */
  migrations: string[];
  /** Known migrations the backup lacks (applied at the next `beckon start`). */
  pending: string[];
  /** Key ids (lib/secret-box.ts) of the secret keys that sealed the secrets in the backup. */
  keyIds: string[];
}

/** Refuses on PostgreSQL, naming the tools to use there. */
export function refuseOnPostgres(target: BackupTarget, command: 'backup' | 'restore'): void {
  if (!target.databaseUrl) return;
  throw new BackupError(`beckon ${command} works on the embedded SQLite store only; this configuration uses PostgreSQL (DATABASE_URL). `
    + 'Use PostgreSQL\'s own tools instead: pg_dump -Fc and pg_restore for a logical backup, or continuous WAL archiving with point-in-time recovery (PITR); '
    + 'keep BECKON_SECRET_KEY with the backup, without it the channel secrets cannot be opened (see docs/backups.md)');
}

/** The key id of the configured secret key (BECKON_SECRET_KEY, or the data directory's secret.key), or null when there is none yet. */
export function configuredKeyId(target: BackupTarget): string | null {
  if (target.secretKey) return keyId(target.secretKey);
  const path = join(target.dataDir, SECRET_KEY_FILE);
  if (!existsSync(path)) return null;
  const key = parseSecretKey(readFileSync(path, 'utf8'));
  return key ? keyId(key) : null;
}

function tableExists(db: DatabaseSync, name: string): boolean {
  return db.prepare("select 1 as found from sqlite_master where type = 'table' and name = ?").get(name) !== undefined;
}

/** Key ids found in sealed values (`v1.<key id>.…`) of the channel and webhook secret columns. */
function sealedKeyIds(db: DatabaseSync): string[] {
  const ids = new Set<string>();
  const columns: [string, string][] = [['channels', 'secrets'], ['webhook_endpoints', 'secret'], ['webhook_endpoints', 'previous_secret']];
  for (const [table, column] of columns) {
    if (!tableExists(db, table)) continue;
    const has = db.prepare(`select 1 as found from pragma_table_info('${table}') where name = ?`).get(column);
    if (!has) continue;
    const rows = db.prepare(`select distinct substr(${column}, 4, 8) as id from ${table} where ${column} like 'v1.%'`).all();
    for (const row of rows) ids.add(String(row.id));
  }
  return [...ids].sort();
}

/** Checks that `file` is a sound Beckon store this version can run: integrity_check passes and every migration it applied is known. */
export function checkBackup(file: string): BackupInfo {
  if (!existsSync(file) || !statSync(file).isFile()) throw new BackupError(`${file} is not a file`);
  let db: DatabaseSync;
  try {
    db = new DatabaseSync(file, { readOnly: true });
  } catch (err) {
    throw new BackupError(`${file} cannot be opened as a SQLite database: ${(err as Error).message}`);
  }
  try {
    let problems: string[];
    try {
      problems = db.prepare('PRAGMA integrity_check').all().map((row) => String(row.integrity_check));
    } catch (err) {
      throw new BackupError(`${file} is not a sound SQLite database: ${(err as Error).message}`);
    }
    if (problems.join() !== 'ok') throw new BackupError(`${file} failed SQLite's integrity check: ${problems.slice(0, 5).join('; ')}`);
    if (!tableExists(db, 'kysely_migration') || !tableExists(db, 'workspaces')) throw new BackupError(`${file} is a SQLite database but not a Beckon store (no migrations table or workspaces)`);
    const migrations = db.prepare('select name from kysely_migration order by name').all().map((row) => String(row.name));
    const known = knownMigrations();
    const unknown = migrations.filter((name) => !known.includes(name));
    if (unknown.length > 0) throw new BackupError(`${file} was written by a newer Beckon (migrations this version does not know: ${unknown.join(', ')}): restore it with that version or a later one`);
    if (migrations.length === 0) throw new BackupError(`${file} is a Beckon store whose schema was never created`);
    return { migrations, pending: known.filter((name) => !migrations.includes(name)), keyIds: sealedKeyIds(db) };
  } finally {
    db.close();
  }
}

/**
 * Whether a process has the store open. Every connection to a WAL-mode SQLite file holds a shared lock on it while
 * it is open, so an exclusive lock taken without waiting fails exactly while Beckon (or anything else) has it open;
 * the operating system drops the lock of a killed process.
 */
export function storeInUse(file: string): boolean {
  if (!existsSync(file)) return false;
  const db = new DatabaseSync(file, { timeout: 0 });
  try {
    db.exec('PRAGMA locking_mode = EXCLUSIVE');
    db.exec('BEGIN EXCLUSIVE');
    db.exec('COMMIT');
    return false;
  } catch (err) {
    if (/locked|busy/i.test((err as Error).message)) return true;
    throw new BackupError(`${file} cannot be opened: ${(err as Error).message}`);
  } finally {
    db.close();
  }
}

/** A finished backup: the file written, its size and what it holds. */
export interface BackupResult extends BackupInfo {
  file: string;
  bytes: number;
  /** The key id of the configured secret key (null: none yet). */
  configuredKeyId: string | null;
}

/**
 * Writes a consistent copy of the running (or stopped) SQLite store to `file` with SQLite's online backup API, in
 * one step (one read transaction: a snapshot of the last commit, which concurrent writes never restart), then
 * makes it a single self-contained file (rollback journal) and checks it. Refuses to overwrite `file`.
 */
export async function backupStore(target: BackupTarget, file: string): Promise<BackupResult> {
  refuseOnPostgres(target, 'backup');
  const source = join(target.dataDir, STORE_FILE);
  if (!existsSync(source)) throw new BackupError(`no Beckon store at ${source} (is --data or BECKON_DATA_DIR right?)`);
  if (existsSync(file)) throw new BackupError(`${file} already exists: choose a new file name (a backup never overwrites a file)`);
  const partial = `${file}.partial-${process.pid}`;
  const db = new DatabaseSync(source, { timeout: 5000 });
  try {
    db.exec('PRAGMA query_only = ON');
    // the largest rate copies every page in one step, so the copy is one snapshot however busy the store is
    await backup(db, partial, { rate: 2 ** 31 - 1 });
  } catch (err) {
    rmSync(partial, { force: true });
    throw new BackupError(`the backup of ${source} failed: ${(err as Error).message}`);
  } finally {
    db.close();
  }
  try {
    const copy = new DatabaseSync(partial);
    try {
      copy.exec('PRAGMA journal_mode = DELETE');
    } finally {
      copy.close();
    }
    const info = checkBackup(partial);
    renameSync(partial, file);
    return { ...info, file, bytes: statSync(file).size, configuredKeyId: configuredKeyId(target) };
  } catch (err) {
    rmSync(partial, { force: true });
    throw err;
  }
}
