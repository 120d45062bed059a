import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Type } from 'typebox';
import { startBeckon } from './helpers.ts';
import { FUZZ_ENV } from './fuzz/env.ts';
import { brokenRule, formatFinding, fuzzBeckon, type Finding } from './fuzz/run.ts';

/** The seed and count `npm test` fuzzes with; `npm run fuzz -- --runs N --seed S` runs longer or elsewhere. */
const SEED = 20261206;
const RUNS = 12;
/** Of the ten classic bad values, how many each body field gets in `npm test` (rotating, so every value is sent somewhere). */
const PER_FIELD = 3;

/**
 * 5xx the suite found in code another change owns, reported there (see docs/security.md): listed here, and not failed
 * on, until fixed; a known finding that no longer shows is reported as a diagnostic, to be removed.
 */
const KNOWN: { operationId: RegExp; url: RegExp; why: string }[] = [];

test('fuzz: every operation of /openapi.json, with generated and classic bad requests, answers no 5xx, problem+json on 4xx, no internals', async (t) => {
  const beckon = await startBeckon(FUZZ_ENV, { worker: false });
  t.after(() => beckon.stop());
  const report = await fuzzBeckon(beckon, { seed: SEED, runs: RUNS, perField: PER_FIELD });
  assert.ok(report.operations >= 80, `${report.operations} operations (those of /openapi.json and the hidden routes)`);
  assert.ok((report.statuses['2xx'] ?? 0) > 100, `some generated requests get past validation: ${JSON.stringify(report.statuses)}`);
  const known = (f: Finding) => KNOWN.find((k) => k.operationId.test(f.operationId) && k.url.test(f.request.url));
  for (const finding of report.findings.filter(known)) t.diagnostic(`known, not fixed yet: ${formatFinding(finding)}`);
  for (const k of KNOWN.filter((k) => !report.findings.some((f) => known(f) === k))) t.diagnostic(`known finding not seen on this store (fixed?): ${k.why}`);
  assert.deepEqual(report.findings.filter((f) => !known(f)).map(formatFinding), [], `seed ${SEED}`);
  // still healthy: liveness, readiness and a normal request
  for (const url of ['/healthz', '/readyz', '/v1/contacts?limit=1']) assert.equal((await beckon.call('GET', url)).statusCode, 200, url);
  const created = await beckon.call('POST', '/v1/contacts', { body: { phone: '+14155550123', name: 'After the fuzz' } });
  assert.equal(created.statusCode, 201, created.body);
});

test('fuzz: the suite reports a route that fails on bad input (a canary answering 500 on an array name)', async (t) => {
  const beckon = await startBeckon(FUZZ_ENV, { worker: false });
  t.after(() => beckon.stop());
  beckon.runtime.app.post('/test/canary/:uuid', {
    config: { scope: 'full' },
    schema: { operationId: 'fuzzCanary', params: Type.Object({ uuid: Type.String({ format: 'uuid' }) }), body: Type.Object({ name: Type.Unknown() }) },
  }, async (request) => ({ name: (request.body.name as string).trim() }));
  const report = await fuzzBeckon(beckon, { seed: SEED, runs: RUNS, only: /^fuzzCanary$/ });
  assert.equal(report.operations, 1);
  assert.ok(report.findings.some((f) => f.rule === 'answered 500'), report.findings.map(formatFinding).join('\n'));
});

test('fuzz: the rules an answer is held to', () => {
  const problem = (status: number, extra: Record<string, unknown> = {}) => ({
    statusCode: status, headers: { 'content-type': 'application/problem+json; charset=utf-8' }, body: JSON.stringify({ status, code: 'not_found', ...extra }),
  });
  assert.equal(brokenRule(problem(404)), null);
  assert.equal(brokenRule({ statusCode: 200, headers: {}, body: '{"ok":true}' }), null);
  assert.equal(brokenRule({ statusCode: 502, headers: {}, body: '' }), 'answered 502');
  assert.match(brokenRule({ statusCode: 404, headers: { 'content-type': 'application/json' }, body: '{}' })!, /not problem\+json/);
  assert.match(brokenRule(problem(400, { code: undefined }))!, /stable code/);
  assert.match(brokenRule(problem(400, { code: 'FST_ERR_VALIDATION' }))!, /internals|stable code/);
  for (const leak of ['TypeError: x is not a function', 'at handler (/work/main/src/x.ts:3:1)', 'SQLITE_CONSTRAINT', 'duplicate key value violates unique constraint']) {
    assert.match(brokenRule(problem(400, { detail: leak }))!, /internals/, leak);
  }
});
