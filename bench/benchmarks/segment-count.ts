import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { connectSqlite } from '../../src/db/connect.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { newId } from '../../src/lib/ids.ts';
import { countContacts } from '../../src/segments/queries.ts';
import { compileRequestRules } from '../../src/segments/service.ts';
import { figure, type BenchResult } from '../lib/report.ts';
import type { BenchContext } from './context.ts';

const RUNS = 5;
const BATCH = 500;
const PLANS = ['free', 'pro', 'team'];

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

async function timed(fn: () => Promise<number>): Promise<{ ms: number; count: number }> {
  const times: number[] = [];
  let count = 0;
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    count = await fn();
    times.push(performance.now() - t0);
  }
  return { ms: median(times), count };
}

/**
 * segment_count: a dynamic segment of 3 conditions (a tag, a custom field, last_inbound_at within 30 days) counted
 * over N contacts of one workspace (full 1,000,000, quick 5,000) in the real SQLite store, through Beckon's rule
 * compiler; the baseline is the same count written by hand in raw SQL on the same store. Median of 5 runs each.
 */
export async function segmentCount(ctx: BenchContext): Promise<BenchResult> {
  const total = ctx.opts.mode === 'quick' ? 5_000 : 1_000_000;
  const dir = mkdtempSync(join(tmpdir(), 'beckon-bench-segments-'));
  const db = connectSqlite(dir);
  try {
    await migrateToLatest(db);
    const workspaceId = newId();
    const now = Date.now();
    await db.insertInto('workspaces').values({ id: workspaceId, name: 'bench', created_at: new Date(now).toISOString() }).execute();
    ctx.log(`segment_count: inserting ${total} contacts`);
    const t0 = performance.now();
    for (let start = 0; start < total; start += BATCH * 20) {
      await db.transaction().execute(async (trx) => {
        for (let b = start; b < Math.min(total, start + BATCH * 20); b += BATCH) {
          const rows = [];
          for (let i = b; i < Math.min(total, b + BATCH); i++) {
            const at = new Date(now - (i % 400) * 86_400_000).toISOString();
            rows.push({
              id: newId(), workspace_id: workspaceId, name: `Contact ${i}`, phone: `+1555${String(i).padStart(7, '0')}`, email: null,
              tags: JSON.stringify(i % 3 === 0 ? ['vip', 'news'] : ['news']), custom_fields: JSON.stringify({ plan: PLANS[i % 3 === 0 ? (i % 2) : i % 3], seats: i % 50 }),
              source: 'import', consent: '{}', blocked: 0, last_inbound_at: i % 5 === 0 ? null : at, created_at: at, updated_at: at,
            });
          }
          await trx.insertInto('contacts').values(rows).execute();
        }
      });
    }
    const insertSeconds = (performance.now() - t0) / 1000;
    const rules = { all: [
      { field: 'tags', op: 'contains', value: 'vip' },
      { field: 'custom_fields.plan', op: 'eq', value: 'pro' },
      { field: 'last_inbound_at', op: 'within_days', value: 30 },
    ] };
    const beckon = await timed(async () => countContacts(db, workspaceId, await compileRequestRules(db, workspaceId, rules, 'rules')));
    const since = new Date(Date.now() - 30 * 86_400_000).toISOString();
    const raw = await timed(async () => {
      const result = await sql<{ n: number }>`select count(*) as n from contacts where workspace_id = ${workspaceId}
        and exists (select 1 from json_each(contacts.tags) where value = 'vip') and json_extract(custom_fields, '$.plan') = 'pro'
        and last_inbound_at >= ${since}`.execute(db);
      return Number(result.rows[0].n);
    });
    const agree = beckon.count === raw.count;
    return {
      status: agree ? 'ok' : 'failed',
      reason: agree ? undefined : `the compiled segment counted ${beckon.count}, raw SQL ${raw.count}`,
      figures: [figure('segment_count_ms', `count a 3-condition dynamic segment over ${total} contacts`, 'ms', beckon.ms,
        { label: 'the same count in hand-written SQL', value: raw.ms }, ctx.opts.mode === 'quick' ? [] : [{ on: 'value', op: '<', value: 500 }])],
      details: {
        contacts: total, matching: beckon.count, runs: RUNS, insert_seconds: insertSeconds,
        notes: ['Median of 5 counts each, in this process, on the real SQLite store (WAL); includes checking and compiling the rules (and reading custom field definitions).'],
      },
    };
  } finally {
    await db.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
}
