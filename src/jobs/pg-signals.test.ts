import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import pino from 'pino';
import type { FastifyBaseLogger } from 'fastify';
import type { Database } from '../db/types.ts';
import { waitFor } from '../../test/helpers.ts';
import { createPgDatabase, pgUnavailable } from '../../test/pg-fresh.ts';
import { PgEventSignals } from './pg-signals.ts';

const skip = (await pgUnavailable()) ?? false;
const log = pino({ level: 'silent' }) as unknown as FastifyBaseLogger;

test('event signals reach every listening process on commit, once per workspace and transaction, never on rollback', { skip }, async (t) => {
  const { url, drop } = await createPgDatabase('beckon_q');
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: url, max: 2 }) }) });
  const writer = new PgEventSignals(url, log);
  const listeners = [new PgEventSignals(url, log), new PgEventSignals(url, log)];
  t.after(async () => {
    for (const s of [writer, ...listeners]) await s.close();
    await db.destroy();
    await drop();
  });
  const heard: (string | null)[][] = [[], []];
  listeners.forEach((signals, i) => signals.onNewEvents((workspaceId) => heard[i].push(workspaceId)));
  for (const signals of listeners) await signals.ready();
  // each listener is told once, on connecting, that anything may be new
  assert.deepEqual(heard.map((h) => [...h]), [[null], [null]]);

  await assert.rejects(db.transaction().execute(async (trx) => {
    await writer.recorded(trx, 'ws-rolled-back');
    throw new Error('roll back');
  }), /roll back/);
  await db.transaction().execute(async (trx) => {
    await writer.recorded(trx, 'ws-a');
    await writer.recorded(trx, 'ws-b');
    await writer.recorded(trx, 'ws-a');
  });
  await writer.recorded(db, 'ws-c');
  await waitFor('both listeners to hear ws-c', async () => heard.every((h) => h.includes('ws-c')));
  assert.deepEqual(heard, [[null, 'ws-a', 'ws-b', 'ws-c'], [null, 'ws-a', 'ws-b', 'ws-c']]);
});
