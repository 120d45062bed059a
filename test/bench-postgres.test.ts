import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseOptions } from '../bench/lib/options.ts';
import { PG_WORKER_COUNTS } from '../bench/benchmarks/postgres.ts';

test('bench --store: sqlite by default, postgres adds the 1- and 2-worker PostgreSQL runs, anything else is refused', () => {
  assert.equal(parseOptions([])!.store, 'sqlite');
  assert.equal(parseOptions(['--store', 'postgres', '--only', 'accept,pipeline'])!.store, 'postgres');
  assert.throws(() => parseOptions(['--store', 'mysql']), /--store must be sqlite or postgres, got "mysql"/);
  assert.deepEqual([...PG_WORKER_COUNTS], [1, 2]);
});
