// `npm run bench [-- --quick] [-- --only accept,pipeline] …`: runs Beckon as a user runs it (its own process, the
// real SQLite store, the sandbox at zero delays), drives it from this process over loopback, measures each figure
// next to a baseline measured in the same run, and writes latest.json and latest.md (see USAGE in lib/options.ts).
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { accept } from './benchmarks/accept.ts';
import { automations } from './benchmarks/automations.ts';
import { campaign } from './benchmarks/campaign.ts';
import { Baselines } from './benchmarks/baselines.ts';
import { createContext, type BenchContext } from './benchmarks/context.ts';
import { footprint, withLoadRss } from './benchmarks/footprint.ts';
import { importContacts } from './benchmarks/import.ts';
import { inbox } from './benchmarks/inbox.ts';
import { isolation } from './benchmarks/isolation.ts';
import { pipeline } from './benchmarks/pipeline.ts';
import { pipelineRate } from './benchmarks/pipeline-rate.ts';
import { postgresScaling } from './benchmarks/postgres.ts';
import { segmentCount } from './benchmarks/segment-count.ts';
import { parseOptions, USAGE, type BenchName, type BenchOptions } from './lib/options.ts';
import { killAll } from './lib/procs.ts';
import { profileLines, summarizeProfiles } from './lib/profile.ts';
import { environment, gitState, toMarkdown, writeReport, type BenchResult, type RunReport } from './lib/report.ts';

const RUNNERS: Record<BenchName, (ctx: BenchContext) => Promise<BenchResult>> = { footprint, accept, pipeline, 'pipeline-rate': pipelineRate, isolation, segment_count: segmentCount, import: importContacts, campaign, inbox, automations };

function loadRssFigure(results: Partial<Record<BenchName, BenchResult>>): void {
  const fp = results.footprint;
  if (!fp || fp.status !== 'ok') return;
  const acc = results.accept;
  const beckon = acc?.status === 'ok' ? (acc.details.beckon as { peakRssBytes: number | null }).peakRssBytes : null;
  const base = acc?.status === 'ok' ? (acc.details.baseline as { peakRssBytes: number | null }).peakRssBytes : null;
  results.footprint = withLoadRss(fp, beckon, base);
  if (acc?.status !== 'ok') (results.footprint.details.notes as string[]).push(`RSS under the accept load needs the accept benchmark (${acc ? acc.status + ': ' + acc.reason : 'not selected'}).`);
}

async function main(opts: BenchOptions): Promise<number> {
  const started = performance.now();
  const cap = setTimeout(() => {
    process.stderr.write('bench: the whole run exceeded its time cap; stopping every child\n');
    killAll();
    process.exit(1);
  }, (opts.mode === 'quick' ? 300 : 4 * 3600) * 1000);
  cap.unref();
  if (opts.profile) rmSync(join(opts.out, 'profiles'), { recursive: true, force: true });
  const ctx = createContext(opts, new Baselines(opts));
  const env = environment();
  ctx.log(`${opts.mode} run of ${opts.only.join(', ')} · Node ${env.node} · ${env.cpus} cores · commit ${String(env.git_commit).slice(0, 12)}`);
  const store = ctx.baselines.store();
  ctx.log(`store ceiling: ${Math.round(store.full)} durable single-row commits/s (synchronous=FULL), ${Math.round(store.normal)}/s with NORMAL`);
  const results = ctx.earlier; // each benchmark sees those before it (same-run baselines)
  for (const name of opts.only) {
    const t0 = performance.now();
    ctx.log(`── ${name}`);
    const git = gitState(); // Beckon loads the working tree when it starts: record what it was for this benchmark
    try {
      results[name] = await RUNNERS[name](ctx);
    } catch (err) {
      results[name] = { status: 'failed', reason: (err as Error).stack ?? String(err), figures: [], details: {} };
    }
    const r = results[name]!;
    r.details.git = git;
    if (git.git_commit !== env.git_commit || git.git_dirty !== env.git_dirty) {
      const notes = (r.details.notes ??= []) as string[];
      notes.push(`The working tree changed during the run: this benchmark ran on ${String(git.git_commit).slice(0, 12)}${git.git_dirty ? ' with uncommitted changes' : ''}.`);
    }
    ctx.log(`${name}: ${r.status}${r.reason ? ` (${r.reason.split('\n')[0]})` : ''} in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    const profile = opts.profile ? summarizeProfiles(join(opts.out, 'profiles', name.replace('isolation', 'isolation-faulty'))) : null;
    if (profile) {
      r.details.profile = profile;
      r.details.profile_lines = profileLines(profile);
    }
  }
  loadRssFigure(results);
  const all = results as Record<string, BenchResult>;
  if (opts.store === 'postgres' || (opts.store === 'auto' && opts.only.some((name) => name === 'accept' || name === 'pipeline'))) {
    const t0 = performance.now();
    ctx.log('── postgres (accept and pipeline with 1 and 2 worker processes)');
    all.postgres = await postgresScaling(ctx, { accept: results.accept, pipeline: results.pipeline });
    ctx.log(`postgres: ${all.postgres.status} in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  }
  const { only, ...params } = opts;
  const report: RunReport = {
    schema: 1,
    run: { ...env, mode: opts.mode, benchmarks: only, params, store_ceiling: store, wall_seconds: (performance.now() - started) / 1000 },
    benchmarks: all,
  };
  const paths = writeReport(opts.out, report);
  process.stdout.write('\n' + toMarkdown(report) + '\n');
  ctx.log(`wrote ${paths.json} and ${paths.md}`);
  return Object.values(results).some((r) => r.status === 'failed') ? 1 : 0;
}

let opts: BenchOptions | null;
try {
  opts = parseOptions(process.argv.slice(2));
} catch (err) {
  process.stderr.write(`bench: ${(err as Error).message}\n\n${USAGE}\n`);
  process.exit(2);
}
if (!opts) {
  process.stdout.write(USAGE + '\n');
} else {
  main(opts).then((code) => {
    killAll();
    process.exit(code);
  }, (err: Error) => {
    process.stderr.write(`bench: ${err.stack}\n`);
    killAll();
    process.exit(1);
  });
}
