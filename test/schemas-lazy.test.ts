import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startBeckon } from './helpers.ts';
import { compileAllSchemas } from '../src/app.ts';
import { routeTable } from '../src/modules.ts';

test('schemas: route validators and serializers compile on first use, every one of them compiles, and validation answers the same after', async (t) => {
  const beckon = await startBeckon({}, { worker: false });
  t.after(() => beckon.stop());
  await beckon.runtime.app.ready();
  // a first request compiles its route's query validator and answers as before: limit=0 is below the minimum
  const bad = await beckon.call('GET', '/v1/contacts?limit=0');
  assert.equal(bad.statusCode, 400);
  assert.deepEqual(bad.json().errors.map((e: { path: string }) => e.path), ['query.limit']);
  const routes = routeTable(beckon.runtime.app).length;
  const compiled = compileAllSchemas(beckon.runtime.app);
  // every route has at least a response schema or a validator; what was compiled leaves the registry
  assert.ok(compiled >= routes, `${compiled} compiles for ${routes} routes`);
  assert.equal(compileAllSchemas(beckon.runtime.app), 0);
  const again = await beckon.call('GET', '/v1/contacts?limit=0');
  assert.deepEqual(again.json(), bad.json());
  const ok = await beckon.call('GET', '/v1/contacts?limit=1');
  assert.equal(ok.statusCode, 200);
  assert.deepEqual(Object.keys(ok.json()).sort(), ['contacts', 'meta']);
});
