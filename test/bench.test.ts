// Runs `npm run bench -- --quick` once so the benchmarks keep working. It asserts that the run completes and
// writes a well-formed report with every benchmark in it; it never asserts a timing (those belong to the bench).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BENCHMARKS } from '../bench/lib/options.ts';
import type { RunReport } from '../bench/lib/report.ts';
import { TEST_STORE } from './helpers.ts';

const ROOT = new URL('../', import.meta.url);

function runQuickBench(out: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    // Its own process group, so the whole tree (npm, the bench, Beckon and the baselines) can be killed at once.
    const child = spawn('npm', ['run', 'bench', '--', '--quick', '--out', out], { cwd: ROOT, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    const killer = setTimeout(() => process.kill(-child.pid!, 'SIGKILL'), 280_000);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(killer);
      resolve({ code, output });
    });
  });
}

// The quick bench runs on the embedded store whatever the suite's store, so the PostgreSQL pass skips it (it would repeat the same run).
const skip = TEST_STORE === 'postgres' ? 'the quick bench runs on the embedded store; the SQLite pass runs it' : false;

test('npm run bench -- --quick completes and writes latest.json and latest.md with every benchmark', { timeout: 290_000, skip }, async (t) => {
  const out = mkdtempSync(join(tmpdir(), 'beckon-bench-out-'));
  t.after(() => rmSync(out, { recursive: true, force: true }));
  const { code, output } = await runQuickBench(out);
  assert.equal(code, 0, `the quick bench exited with ${code}:\n${output.slice(-4000)}`);

  const report = JSON.parse(readFileSync(join(out, 'latest.json'), 'utf8')) as RunReport;
  assert.equal(report.schema, 1);
  assert.equal(report.run.mode, 'quick');
  assert.match(String(report.run.date), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  assert.match(String(report.run.node), /^v\d+\./);
  assert.ok(Number.isInteger(report.run.cpus) && (report.run.cpus as number) > 0);
  assert.ok(report.run.git_commit === null || /^[0-9a-f]{40}$/.test(String(report.run.git_commit)));
  const params = report.run.params as Record<string, unknown>;
  for (const key of ['duration', 'connections', 'messages', 'rate', 'rateDuration', 'events', 'endpoints', 'concurrency']) {
    assert.ok(Number.isInteger(params[key]), `run.params.${key} is recorded`);
  }
  assert.deepEqual(Object.keys(report.benchmarks).sort(), [...BENCHMARKS].sort());

  const markdown = readFileSync(join(out, 'latest.md'), 'utf8');
  for (const name of BENCHMARKS) {
    const bench = report.benchmarks[name];
    assert.ok(['ok', 'incomplete', 'skipped'].includes(bench.status), `${name}: ${bench.status} ${bench.reason ?? ''}`);
    assert.ok(markdown.includes(`## ${name}\n`), `latest.md has a section for ${name}`);
    if (bench.status === 'skipped') {
      assert.match(String(bench.reason), /^route missing: /);
      continue;
    }
    assert.ok(bench.figures.length > 0, `${name} reports figures`);
    for (const f of bench.figures) {
      assert.equal(typeof f.id, 'string');
      assert.equal(typeof f.label, 'string');
      assert.equal(typeof f.unit, 'string');
      assert.ok(f.value === null || typeof f.value === 'number', `${name}.${f.id} value`);
      assert.ok(f.ratio === null || typeof f.ratio === 'number', `${name}.${f.id} ratio`);
      assert.ok(f.pass === null || typeof f.pass === 'boolean', `${name}.${f.id} pass`);
      if (f.targets.length === 0) assert.equal(f.pass, null, `${name}.${f.id} has no result without a target`);
      if (f.pass !== null) assert.equal(typeof f.value, 'number', `${name}.${f.id} is judged on a measured value`);
      assert.ok(markdown.includes(`| ${f.label} |`), `latest.md shows ${name}.${f.id}`);
    }
  }
  // pipeline-rate offers exactly --rate × --rate-duration sends (quick: 100/s for 3 s): each is issued or counted missed.
  assert.deepEqual([params.rate, params.rateDuration], [100, 3]);
  const atRate = report.benchmarks['pipeline-rate'];
  if (atRate.status !== 'skipped') {
    const d = atRate.details as { offered: number; sent: number; missed: number; send_failed: number; accepted: number; delivered: number; keeps_up: boolean; not_keeping_up_because: string[]; timeline: Array<Record<string, unknown>> };
    assert.deepEqual([d.offered, d.sent + d.missed, d.accepted], [300, 300, d.sent - d.send_failed]);
    assert.ok(d.delivered <= d.accepted);
    assert.equal(atRate.figures.find((f) => f.id === 'pipeline_rate_offered_rps')?.value, 100);
    const keepsUp = atRate.figures.find((f) => f.id === 'pipeline_rate_keeps_up')!;
    assert.equal(keepsUp.value, d.keeps_up ? 1 : 0);
    assert.equal(d.keeps_up, d.not_keeping_up_because.length === 0);
    assert.ok(markdown.includes(`| ${keepsUp.label} | ${d.keeps_up ? 'yes' : 'no'} |`), 'latest.md says yes or no');
    assert.ok(d.timeline.length >= 2, 'the queue is sampled each second while the sends go');
    for (const point of d.timeline) assert.ok(Number.isInteger(point.queue_depth) && (point.queue_depth as number) >= 0, `queue depth sampled: ${JSON.stringify(point)}`);
  }
  // Footprint always measures startup against the bare Fastify baseline, whatever routes exist.
  const startup = report.benchmarks.footprint.figures.find((f) => f.id === 'startup_cold_ms');
  assert.ok(startup && typeof startup.value === 'number' && typeof startup.baseline?.value === 'number');
});
