import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** The server tests create their databases on (BECKON_TEST_DATABASE_URL, default the local `test` database). */
export const TEST_SERVER_URL = process.env.BECKON_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** The URL of `database` on the test server. */
export function databaseUrl(database: string): string {
  const url = new URL(TEST_SERVER_URL);
  url.pathname = '/' + database;
  return url.toString();
}

/** Creates a fresh database `beckon_q_<random>` for one test; returns its URL and a function dropping it (call it after closing every connection). */
export async function tempDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `beckon_q_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: TEST_SERVER_URL });
  await admin.connect();
  try {
    await admin.query(`create database ${name}`);
  } finally {
    await admin.end();
  }
  const drop = async () => {
    const dropper = new pg.Client({ connectionString: TEST_SERVER_URL });
    await dropper.connect();
    try {
      await dropper.query(`drop database if exists ${name} with (force)`);
    } finally {
      await dropper.end();
    }
  };
  return { url: databaseUrl(name), drop };
}
