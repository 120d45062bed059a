import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';

/** A target on a figure: on its value or on its ratio to the baseline. */
export interface Target {
  on: 'value' | 'ratio';
  op: '>=' | '<' | '<=' | '==';
  value: number;
}

/** One measured figure, next to the baseline measured in the same run. */
export interface Figure {
  id: string;
  label: string;
  unit: string;
  value: number | null;
  /** What the baseline is, and its value in the same unit. */
  baseline: { label: string; value: number | null } | null;
  /** value / baseline.value. */
  ratio: number | null;
  targets: Target[];
  /** True when every target is met, false when one is missed, null when there is no target or nothing to judge. */
  pass: boolean | null;
}

/** The outcome of one benchmark. */
export interface BenchResult {
  /** ok: ran to the end; incomplete: ran, but its work did not finish within the time cap (figures cover what did);
   *  skipped: could not run (e.g. a route is missing); failed: an error stopped it. */
  status: 'ok' | 'incomplete' | 'skipped' | 'failed';
  reason?: string;
  figures: Figure[];
  details: Record<string, unknown>;
}

/** The whole run as written to latest.json. */
export interface RunReport {
  schema: 1;
  run: Record<string, unknown>;
  benchmarks: Record<string, BenchResult>;
}

function check(actual: number | null, t: Target): boolean | null {
  if (actual === null || !Number.isFinite(actual)) return null;
  if (t.op === '>=') return actual >= t.value;
  if (t.op === '<') return actual < t.value;
  if (t.op === '<=') return actual <= t.value;
  return actual === t.value;
}

/** Builds a figure, computing its ratio to the baseline and whether it meets its targets. */
export function figure(id: string, label: string, unit: string, value: number | null, baseline: Figure['baseline'], targets: Target[] = []): Figure {
  const ratio = value !== null && baseline?.value ? value / baseline.value : null;
  const checks = targets.map((t) => check(t.on === 'value' ? value : ratio, t));
  const pass = !checks.length || checks.includes(null) ? null : checks.every(Boolean);
  return { id, label, unit, value, baseline, ratio, targets, pass };
}

/** A benchmark that did not run, with the reason (e.g. "route missing: POST /v1/webhooks"). */
export function skipped(reason: string): BenchResult {
  return { status: 'skipped', reason, figures: [], details: {} };
}

function git(args: string[]): string | null {
  try {
    return execFileSync('git', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return null;
  }
}

/** The commit checked out and whether tracked files differ from it (bench/results/ aside). */
export function gitState(): { git_commit: string | null; git_dirty: boolean | null } {
  const status = git(['status', '--porcelain', '--untracked-files=no', '--', '.', ':(exclude)bench/results']);
  return { git_commit: git(['rev-parse', 'HEAD']), git_dirty: status === null ? null : status.length > 0 };
}

/** The facts that make a run comparable: date, commit, Node, cores, memory. */
export function environment(): Record<string, unknown> {
  return {
    date: new Date().toISOString(),
    ...gitState(),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    cpus: cpus().length,
    cpu_model: cpus()[0]?.model ?? null,
    total_memory_mb: Math.round(totalmem() / 2 ** 20),
  };
}

function fmt(value: number | null, unit = ''): string {
  if (value === null || !Number.isFinite(value)) return 'n/a';
  if (unit === 'yes/no') return value ? 'yes' : 'no';
  const abs = Math.abs(value);
  const text = abs >= 1000 ? Math.round(value).toLocaleString('en-US') : abs >= 100 ? value.toFixed(0) : abs >= 10 ? value.toFixed(1) : value.toFixed(2);
  return unit ? `${text} ${unit}` : text;
}

function targetText(f: Figure): string {
  if (!f.targets.length) return '';
  return f.targets.map((t) => (t.on === 'ratio' ? `${t.op} ${t.value}× baseline` : `${t.op} ${fmt(t.value, f.unit)}`)).join(' and ');
}

function storeText(c: Record<string, number>): string {
  return `${fmt(c.full)} single-row commits/s with synchronous=FULL (Beckon's setting), ${fmt(c.fullBatched100)} rows/s at 100 rows per commit, ${fmt(c.normal)} commits/s with synchronous=NORMAL`;
}

/** Renders the report as Markdown: the run's facts, then one table per benchmark. */
export function toMarkdown(report: RunReport): string {
  const r = report.run;
  const lines = [
    '# Beckon benchmarks: latest run', '',
    `${r.date} · commit ${String(r.git_commit ?? 'unknown').slice(0, 12)}${r.git_dirty ? ' (uncommitted changes)' : ''} · Node ${r.node} · ${r.cpus} cores (${r.cpu_model}) · ${r.total_memory_mb} MB`,
    `Mode: ${r.mode} · parameters: \`${JSON.stringify(r.params)}\` · wall time ${fmt(r.wall_seconds as number, 's')}`,
    ...(r.store_ceiling ? [`Store ceiling on this disk (SQLite, WAL): ${storeText(r.store_ceiling as Record<string, number>)}`] : []), '',
  ];
  for (const [name, b] of Object.entries(report.benchmarks)) {
    lines.push(`## ${name}`, '');
    if (b.status !== 'ok') {
      lines.push(`**${b.status}**: ${b.reason ?? ''}`, '');
      if (!b.figures.length) continue;
    }
    lines.push('| figure | Beckon | baseline | ratio | target | result |', '|---|---:|---|---:|---|---|');
    for (const f of b.figures) {
      const base = f.baseline ? `${fmt(f.baseline.value, f.unit)} (${f.baseline.label})` : '';
      const result = f.pass === null ? (f.targets.length ? 'n/a' : '') : f.pass ? 'pass' : '**miss**';
      lines.push(`| ${f.label} | ${fmt(f.value, f.unit)} | ${base} | ${f.ratio === null ? '' : f.ratio.toFixed(2) + '×'} | ${targetText(f)} | ${result} |`);
    }
    const notes = b.details.notes as string[] | undefined;
    if (notes?.length) lines.push('', ...notes.map((n) => `- ${n}`));
    const profile = b.details.profile_lines as string[] | undefined;
    if (profile?.length) lines.push('', 'CPU profile of Beckon during this benchmark:', '```', ...profile, '```');
    lines.push('');
  }
  return lines.join('\n');
}

/** Writes latest.json and latest.md into `dir`; returns their paths. */
export function writeReport(dir: string, report: RunReport): { json: string; md: string } {
  mkdirSync(dir, { recursive: true });
  const json = join(dir, 'latest.json');
  const md = join(dir, 'latest.md');
  writeFileSync(json, JSON.stringify(report, null, 2) + '\n');
  writeFileSync(md, toMarkdown(report));
  return { json, md };
}
