// `npm run fuzz -- [--runs N] [--seed S] [--only REGEX]`: fuzzes every operation of /openapi.json for longer than `npm test` does,
// on SQLite, or on PostgreSQL when BECKON_TEST_DATABASE_URL is set (a fresh database, dropped afterwards). Exits 1 on a finding.
import { parseArgs } from 'node:util';
import { startBeckon } from '../test/helpers.ts';
import { FUZZ_ENV } from '../test/fuzz/env.ts';
import { fuzzBeckon, formatFinding } from '../test/fuzz/run.ts';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '200' }, seed: { type: 'string' }, only: { type: 'string' } } });
const runs = Number(values.runs);
const seed = values.seed !== undefined ? Number(values.seed) : Math.floor(Math.random() * 2 ** 31);
if (!Number.isInteger(runs) || runs < 1 || !Number.isInteger(seed)) {
  process.stderr.write('usage: npm run fuzz -- [--runs N] [--seed S] [--only REGEX]\n');
  process.exit(2);
}
process.stdout.write(`fuzzing with --seed ${seed} --runs ${runs} on ${process.env.BECKON_TEST_DATABASE_URL ? 'PostgreSQL' : 'SQLite'}\n`);
const beckon = await startBeckon(FUZZ_ENV, { worker: false });
let failed = false;
try {
  const report = await fuzzBeckon(beckon, { seed, runs, only: values.only ? new RegExp(values.only) : undefined, log: (line) => process.stdout.write(`${line}\n`) });
  for (const finding of report.findings) process.stdout.write(`\n${formatFinding(finding)}\n`);
  for (const url of ['/healthz', '/readyz', '/v1/contacts']) {
    const res = await beckon.call('GET', url);
    if (res.statusCode !== 200) {
      process.stdout.write(`\nnot healthy afterwards: GET ${url} answered ${res.statusCode} ${res.body.slice(0, 300)}\n`);
      failed = true;
    }
  }
  process.stdout.write(`\n${report.operations} operations, ${report.requests} requests (${report.unsendable} unsendable), answers ${JSON.stringify(report.statuses)}, ${report.findings.length} finding(s); seed ${seed}\n`);
  failed ||= report.findings.length > 0;
} finally {
  await beckon.stop();
}
process.exit(failed ? 1 : 0);
