import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validate, version } from 'uuid';
import { isUuid, newId } from './ids.ts';

test('newId: valid v7 UUIDs, unique, sorting in creation order even within one millisecond', () => {
  const ids = Array.from({ length: 50_000 }, () => newId());
  assert.equal(new Set(ids).size, ids.length);
  assert.ok(ids.every((id) => validate(id) && version(id) === 7 && isUuid(id)));
  assert.deepEqual([...ids].sort(), ids);
  const ms = parseInt(ids[0].replace(/-/g, '').slice(0, 12), 16);
  assert.ok(Math.abs(ms - Date.now()) < 60_000, 'the timestamp prefix is the creation time');
});
