import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { startBeckon } from './helpers.ts';
import { MODULES, routeTable, type RouteEntry } from '../src/modules.ts';
import { ROUTES_DOC, routesMarkdown } from '../src/system/routes-doc.ts';

test('routes: every route belongs to a module and has a unique camelCase operationId, also in /openapi.json', async (t) => {
  const beckon = await startBeckon({}, { worker: false });
  t.after(() => beckon.stop());
  await beckon.runtime.app.ready();
  const entries = routeTable(beckon.runtime.app);
  assert.ok(entries.length > 50, `${entries.length} routes`);
  const names = new Set(MODULES.map((module) => module.name));
  const seen = new Map<string, string>();
  const problems: string[] = [];
  for (const entry of entries) {
    const where = `${entry.method} ${entry.url}`;
    if (!names.has(entry.module)) problems.push(`${where}: unknown module ${entry.module}`);
    if (!/^[a-z][a-zA-Z0-9]*$/.test(entry.operationId)) problems.push(`${where}: operationId "${entry.operationId}" is not camelCase`);
    const other = seen.get(entry.operationId);
    if (other) problems.push(`${where}: operationId ${entry.operationId} is also ${other}'s`);
    seen.set(entry.operationId, where);
  }
  assert.deepEqual(problems, []);

  const doc = (await beckon.call('GET', '/openapi.json', { key: null })).json();
  const COMPAT = '/compat/callbell';
  const operations = (list: RouteEntry[], strip = '') =>
    new Map(list.filter((e) => !e.hidden).map((e) => [`${e.method.toLowerCase()} ${e.url.slice(strip.length).replace(/:(\w+)/g, '{$1}')}`, e.operationId]));
  const inDocOf = (spec: { paths: Record<string, Record<string, { operationId?: string }>> }) => {
    const out = new Map<string, string>();
    for (const [path, item] of Object.entries(spec.paths)) for (const [method, op] of Object.entries(item)) out.set(`${method} ${path}`, op.operationId ?? '');
    return Object.fromEntries(out);
  };
  // the native document lists every native route; the Callbell-compatible surface's routes are in its own document only
  assert.deepEqual(inDocOf(doc), Object.fromEntries(operations(entries.filter((e) => !e.url.startsWith(`${COMPAT}/`)))));
  const compatDoc = (await beckon.call('GET', `${COMPAT}/openapi.json`, { key: null })).json();
  assert.deepEqual(inDocOf(compatDoc), Object.fromEntries(operations(entries.filter((e) => e.url.startsWith(`${COMPAT}/`)), COMPAT)));

  // shared schemas are named components, referred to by $ref (and every $ref resolves)
  for (const name of ['Problem', 'PageMeta', 'Contact', 'Message', 'Campaign', 'Channel', 'Template', 'WebhookEndpoint']) assert.ok(doc.components.schemas[name], name);
  const refs = new Set([...JSON.stringify(doc).matchAll(/"\$ref":"([^"]+)"/g)].map((m) => m[1]));
  assert.ok(refs.has('#/components/schemas/Contact'));
  for (const ref of refs) assert.ok(doc.components.schemas[ref.replace('#/components/schemas/', '')], ref);
});

test(`routes: ${ROUTES_DOC} is what \`npm run routes\` generates`, async (t) => {
  const beckon = await startBeckon({}, { worker: false });
  t.after(() => beckon.stop());
  await beckon.runtime.app.ready();
  const expected = routesMarkdown(routeTable(beckon.runtime.app));
  const actual = readFileSync(resolve(import.meta.dirname, '..', ROUTES_DOC), 'utf8');
  assert.equal(actual, expected, `${ROUTES_DOC} is out of date: run npm run routes`);
});
