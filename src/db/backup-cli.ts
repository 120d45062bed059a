import { resolve } from 'node:path';
import { backupStore, type BackupTarget } from './backup.ts';
import { restoreStore } from './restore.ts';
import { SECRET_KEY_FILE } from '../lib/secret-box.ts';

/** What a command prints: its result on stdout, advice and warnings on stderr. */
export interface CommandReport {
  stdout: string;
  stderr: string;
}

function keySource(target: BackupTarget): string {
  return target.secretKey ? 'BECKON_SECRET_KEY' : resolve(target.dataDir, SECRET_KEY_FILE);
}

/** `beckon backup FILE`: writes the backup and says which secret key must be kept with it. */
export async function backupCommand(target: BackupTarget, file: string): Promise<CommandReport> {
  const result = await backupStore(target, resolve(file));
  const mib = (result.bytes / 1024 / 1024).toFixed(1);
  const stdout = `backup written: ${result.file} (${mib} MiB, schema ${result.migrations.at(-1)})\n`;
  const sealed = result.keyIds.length > 0 ? ` Its channel secrets were sealed with the key id ${result.keyIds.join(', ')}` : '';
  const current = result.configuredKeyId ? ` (the configured key, ${keySource(target)}, has the id ${result.configuredKeyId}).` : '.';
  const stderr = `The backup does not contain the secret key that encrypts channel secrets.${sealed}${sealed ? current : ''}\n`
    + `Keep a copy of ${keySource(target)} with it, stored separately and safely: without that key a restored store cannot open its channel secrets.\n`;
  return { stdout, stderr };
}

/** `beckon restore FILE`: checks and restores, then says what the next start needs (the secret key, pending migrations). */
export function restoreCommand(target: BackupTarget, file: string): CommandReport {
  const result = restoreStore(target, resolve(file));
  let stdout = `restored ${resolve(file)} into ${result.file} (schema ${result.migrations.at(-1)})\n`;
  if (result.keptAside) stdout += `the previous store is kept as ${result.keptAside}: delete it once the restored store is known good\n`;
  if (result.pending.length > 0) stdout += `the next beckon start applies ${result.pending.length} newer migration(s): ${result.pending.join(', ')}\n`;
  let stderr = '';
  const missing = result.keyIds.filter((id) => id !== result.configuredKeyId);
  if (missing.length > 0) {
    stderr = `warning: the backup's channel secrets were sealed with the key id ${missing.join(', ')}, but ${result.configuredKeyId ? `the configured key (${keySource(target)}) has the id ${result.configuredKeyId}` : `there is no ${keySource(target)}`}: `
      + `put the original ${SECRET_KEY_FILE} in the data directory, or set BECKON_SECRET_KEY to it, before beckon start (or those channels cannot send)\n`;
  }
  return { stdout, stderr };
}
