import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openSqlite, STATEMENT_CACHE_CHARS, STATEMENT_CACHE_SIZE } from './sqlite.ts';

const COLUMNS = 14;
const insertOf = (rows: number) => `insert into t values ${Array.from({ length: rows }, () => `(${Array(COLUMNS).fill('?').join(',')})`).join(',')}`;

test('sqlite statement cache: bounded by its SQL text as well as its count, least recently used out first', () => {
  const { database, raw, cacheStats } = openSqlite(':memory:');
  try {
    raw.exec(`create table t (${Array.from({ length: COLUMNS }, (_, i) => `c${i} text`).join(',')})`);
    // multi-row inserts of every row count, as batch writers make them: ~15 k characters each at 500 rows
    const full = database.prepare(insertOf(500));
    const first = new Map<number, unknown>();
    for (let rows = 300; rows < 400; rows++) {
      first.set(rows, database.prepare(insertOf(rows)));
      // the full batch's statement is used between the odd sizes, so it stays
      assert.equal(database.prepare(insertOf(500)), full);
    }
    const stats = cacheStats();
    assert.ok(stats.chars <= STATEMENT_CACHE_CHARS, `${stats.chars} characters cached`);
    assert.ok(stats.statements < 101, `${stats.statements} statements cached`);
    // the oldest odd size was evicted (prepared anew), the newest is still cached
    assert.equal(database.prepare(insertOf(399)), first.get(399));
    assert.notEqual(database.prepare(insertOf(300)), first.get(300));
    // a statement longer than the whole budget is never kept
    const huge = `select '${'x'.repeat(STATEMENT_CACHE_CHARS)}' as n`;
    const before = cacheStats();
    assert.notEqual(database.prepare(huge), database.prepare(huge));
    assert.deepEqual(cacheStats(), before);
    // small statements are bounded by count
    for (let i = 0; i < STATEMENT_CACHE_SIZE + 50; i++) database.prepare(`select ${i} as n`);
    assert.equal(cacheStats().statements, STATEMENT_CACHE_SIZE);
    assert.deepEqual(database.prepare('select 7 as n').all([]).map((row) => ({ ...(row as object) })), [{ n: 7 }]);
  } finally {
    database.close();
  }
});
