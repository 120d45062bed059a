// The SDK stays usable from a browser bundle: no node: import under sdk/src, and it type-checks with the DOM library
// and without Node's types (sdk/tsconfig.json). Store-independent: runs in the SQLite pass only.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { TEST_STORE } from './helpers.ts';

const ROOT = resolve(import.meta.dirname, '..');
const once = { skip: TEST_STORE === 'postgres' ? 'store-independent: runs in the SQLite pass' : false } as const;

test('sdk: nothing under sdk/src imports node: modules, and it type-checks with the DOM library and no Node types (sdk/tsconfig.json)', once, () => {
  const dir = resolve(ROOT, 'sdk/src');
  for (const file of readdirSync(dir)) {
    const imports = [...readFileSync(resolve(dir, file), 'utf8').matchAll(/^(?:import|export)[^;]*from '([^']+)'/gm)].map((m) => m[1]);
    for (const name of imports) assert.ok(name.startsWith('./') || name === 'openapi-fetch', `${file} imports ${name}`);
  }
  const tsc = spawnSync(process.execPath, [resolve(ROOT, 'node_modules/typescript/bin/tsc'), '-p', resolve(ROOT, 'sdk/tsconfig.json')], { encoding: 'utf8' });
  assert.equal(tsc.status, 0, tsc.stdout + tsc.stderr);
});

