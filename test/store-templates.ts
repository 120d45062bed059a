// Migrated stores to copy: most tests start Beckon on a fresh store, and migrating one from nothing (every migration
// of Beckon, and graphile-worker's on PostgreSQL) costs more than the rest of a small test. The suite migrates once per
// migration set, into a SQLite file in the temp dir or a PostgreSQL template database, and each test copies it.
// Both are named by a hash of the migration sources (and graphile-worker's version), so a changed migration makes a
// new template and a stale one is never used.
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import pg from 'pg';
import pino from 'pino';
import { loadConfig } from '../src/config.ts';
import { connectSqlite } from '../src/db/connect.ts';
import { connectPostgres } from '../src/db/connect-pg.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { migrateWorkerSchema } from '../src/jobs/pg-runner.ts';

const ROOT = resolve(import.meta.dirname, '..');

function migrationsHash(): string {
  const hash = createHash('sha256');
  const dir = join(ROOT, 'src/db/migrations');
  for (const file of readdirSync(dir).sort()) hash.update(file).update(readFileSync(join(dir, file)));
  hash.update(readFileSync(join(ROOT, 'src/db/migrate.ts')));
  // graphile-worker's own migrations come with its version (its package.json is not in its exports: read the file)
  const graphile = JSON.parse(readFileSync(join(ROOT, 'node_modules/graphile-worker/package.json'), 'utf8')) as { version: string };
  return hash.update(graphile.version).digest('hex').slice(0, 16);
}

const HASH = migrationsHash();

/** Copies a migrated SQLite store (beckon.db) into `dataDir`, migrating the template first when this migration set has none. */
export function copyMigratedSqlite(dataDir: string): Promise<void> {
  return sqliteTemplate().then((file) => copyFileSync(file, join(dataDir, 'beckon.db')));
}

let sqliteFile: Promise<string> | null = null;

function sqliteTemplate(): Promise<string> {
  sqliteFile ??= (async () => {
    const file = join(tmpdir(), `beckon-test-template-${HASH}.db`);
    if (existsSync(file)) return file;
    const dir = mkdtempSync(join(tmpdir(), 'beckon-template-'));
    try {
      const db = connectSqlite(dir);
      await migrateToLatest(db);
      await db.destroy();
      // the WAL was checkpointed into beckon.db when the last connection closed: the file alone is the store
      renameSync(join(dir, 'beckon.db'), file);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    return file;
  })();
  return sqliteFile;
}

let pgTemplate: Promise<string> | null = null;

/** The name of a PostgreSQL template database with every migration applied (created once per migration set and server). */
export function postgresTemplate(serverUrl: string): Promise<string> {
  pgTemplate ??= (async () => {
    const name = `beckon_tpl_${HASH}`;
    const admin = new pg.Client({ connectionString: serverUrl });
    await admin.connect();
    try {
      // test processes start together: one builds the template, the others wait for it
      await admin.query('select pg_advisory_lock(hashtext($1))', [name]);
      const found = await admin.query('select 1 from pg_database where datname = $1', [name]);
      if (found.rowCount === 0) {
        const building = `${name}_b${process.pid}`;
        await admin.query(`drop database if exists "${building}"`);
        await admin.query(`create database "${building}"`);
        const url = new URL(serverUrl);
        url.pathname = `/${building}`;
        const { db, pool } = connectPostgres(url.toString(), 2);
        try {
          await migrateToLatest(db);
          await migrateWorkerSchema(pool, loadConfig({}).workerSchema, pino({ level: 'silent' }));
        } finally {
          await db.destroy();
        }
        await admin.query(`alter database "${building}" rename to "${name}"`);
      }
      await admin.query('select pg_advisory_unlock(hashtext($1))', [name]);
    } finally {
      await admin.end();
    }
    return name;
  })();
  return pgTemplate;
}
