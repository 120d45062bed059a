import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseOptions } from '../bench/lib/options.ts';
import { PG_WORKER_COUNTS } from '../bench/benchmarks/postgres.ts';

test('bench --store: a full run tries PostgreSQL (auto), a quick one does not, sqlite skips it, postgres asks for it, anything else is refused', () => {
  assert.equal(parseOptions([])!.store, 'auto');
  assert.equal(parseOptions(['--only', 'accept,pipeline'])!.store, 'auto');
  assert.equal(parseOptions(['--quick'])!.store, 'sqlite');
  assert.equal(parseOptions(['--store', 'sqlite'])!.store, 'sqlite');
  assert.equal(parseOptions(['--quick', '--store', 'postgres'])!.store, 'postgres');
  assert.equal(parseOptions(['--store', 'postgres', '--only', 'accept,pipeline'])!.store, 'postgres');
  assert.throws(() => parseOptions(['--store', 'mysql']), /--store must be sqlite or postgres, got "mysql"/);
  assert.throws(() => parseOptions(['--store', 'auto']), /--store must be sqlite or postgres, got "auto"/);
  assert.deepEqual([...PG_WORKER_COUNTS], [1, 2]);
});
